"""The organisation's own terms (`custom_terms`) and patterns (`custom_patterns`)."""

from __future__ import annotations

import re
from functools import lru_cache

from inhouse.router.detectors import DetectorConfig, Hit
from inhouse.router.detectors.text import hit_at
from inhouse.router.normalize import Normalised, fold

# -- the organisation's own terms -------------------------------------------------------


# Between a term's words: any run of spaces, underscores, hyphens or dots (not a full
# stop: "the project. Falcon"), or none ("project_falcon", "Project.Falcon",
# "ProjectFalcon"); between its letters, when
# spaced out one by one ("B l u e b i r d", "P r o j e c t  F a l c o n"): one to three.
_TERM_GAP = r"(?:[\s_\-]|\.(?!\s))*"
_LETTER_GAP = r"[\s_.\-]{1,3}"
_SPACED_TERM_MIN = 4  # the fewest letters of a term that is also matched spaced out


@lru_cache(maxsize=32)
def _term_pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """The terms as whole words (a letter or digit may not touch them, an underscore
    may), their words joined by `_TERM_GAP`, or spaced out letter by letter.

    >>> pattern = _term_pattern(("Project Falcon", "Bluebird"))
    >>> [m.group() for m in pattern.finditer("[project_falcon] b l u e b i r d bluebirds")]
    ['project_falcon', 'b l u e b i r d']
    """
    terms = tuple(sorted({fold(t).lower().strip() for t in terms if t.strip()}))
    if not terms:
        return None
    alternatives = []
    for term in sorted(terms, key=len, reverse=True):
        alternatives.append(_TERM_GAP.join(map(re.escape, term.split())))
        letters = [c for c in term if not c.isspace()]
        if len(letters) >= _SPACED_TERM_MIN and all(c.isalnum() for c in letters):
            alternatives.append(_LETTER_GAP.join(map(re.escape, letters)))
    return re.compile(rf"(?<![^\W_])(?:{'|'.join(alternatives)})(?![^\W_])")


@lru_cache(maxsize=32)
def _custom_patterns(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


def find_custom_terms(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """The configured terms, as whole words, in any case and spacing (see
    `_term_pattern`).

    >>> from inhouse.router.detectors import excerpts
    >>> config = DetectorConfig(custom_terms=("Project Falcon",))
    >>> excerpts("the project\\nFALCON budget", config)
    [('custom', 'project\\nFALCON')]
    """
    pattern = _term_pattern(config.custom_terms)
    if pattern is None:
        return []
    return [
        hit_at(normalised, "custom", *m.span(), "custom_term", "format", "custom term")
        for m in pattern.finditer(normalised.lower)
    ]


def find_custom_patterns(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """The configured regular expressions, on the normalised and the original text.

    >>> from inhouse.router.detectors import excerpts
    >>> config = DetectorConfig(custom_patterns=(r"\\bEMP-\\d{6}\\b",))
    >>> excerpts("ask EMP-004211", config)
    [('custom', 'EMP-004211')]
    """
    hits = []
    for pattern in _custom_patterns(config.custom_patterns):
        for match in pattern.finditer(normalised.text):
            if match.end() > match.start():
                hits.append(
                    hit_at(
                        normalised,
                        "custom",
                        *match.span(),
                        "custom_pattern",
                        "format",
                        "custom pattern",
                    )
                )
        if normalised.text != text:
            for match in pattern.finditer(text):
                if match.end() > match.start():
                    hits.append(
                        Hit("custom", *match.span(), "custom_pattern", "format", "custom pattern")
                    )
    return hits
