"""Fold text for the sensitive-data detectors, keeping a map back to the original.

The detectors match on the normalised text and report spans of the original, so an
obfuscated value (zero-width characters inside, full-width or other-script digits,
look-alike Cyrillic letters) is both found and located exactly:

    >>> n = normalise("card: ４１１１\u200b１１１１")
    >>> n.text
    'card: 41111111'
    >>> n.span(6, 14)
    (6, 15)

Every character folded comes from exactly one character of the original
(`Normalised.sources`), so a span maps back to the original characters from the first
to the last, including anything removed in between.

Two rewrites are safe on the whole text, so `normalise` makes them: digits spelled out in
words ("plus one, eight one two, ...": seven or more) become digits, and digit groups
joined by a spelled or bracketed dot ("10 dot 2", "10[.]2", "10(.)2") become dotted:

    >>> normalise("call plus four four, two zero seven nine four six, zero nine five eight").text
    'call +44 207946 0958'
    >>> normalise("from 172 dot 22 dot 71 dot 194 and 10(.)2(.)3[.]4").text
    'from 172.22.71.194 and 10.2.3.4'

A character of the normalised text then stands for a span of the original (a digit for
its word), and `Normalised.span` maps a span back from the start of its first character's
source to the end of its last's.

Three rewrites depend on what the result would be, so the detectors apply them where they
need them rather than to the whole text: `digit_runs` joins digit groups split by spaces,
dots or dashes (a detector keeps a join only when its checksum holds), `spaced_runs` joins
single letters and digits split the same way ("B Y - 4 3 - 1 8 - 9 1 - A"), and
`spelled_emails` reads "john dot smith at example dot com" as an address.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Characters that render as nothing: zero-width spaces and joiners, direction marks,
# invisible operators, variation selectors, the soft hyphen, fillers.
_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U0001d173-\U0001d17a"
)
# Combining marks in the blocks used for decomposed accents and "zalgo" text.
_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# Unicode tag characters spell hidden ASCII ("ASCII smuggling"): read them as ASCII.
_TAGS = "\U000e0000-\U000e0fff"
_DROP = re.compile(f"[{_INVISIBLE}{_COMBINING}]")

# Look-alikes NFKC keeps apart: dashes, quotes, line separators, Cyrillic and Greek
# capitals and small letters that are drawn like Latin ones.
_TRANSLATE = str.maketrans(
    {
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63", "-"),
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        "\u2028": "\n",
        "\u2029": "\n",
        **dict(zip("аеорсухіјѕԁԛԝ", "aeopcyxijsdqw", strict=True)),
        **dict(zip("АВЕКМНОРСТУХІЈЅ", "ABEKMHOPCTYXIJS", strict=True)),
        **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧο", "ABEZHIKMNOPTYXo", strict=True)),
    }
)
_FOLDED = re.compile(
    f"[{_INVISIBLE}{_COMBINING}{_TAGS}\\d" + re.escape("".join(chr(c) for c in _TRANSLATE)) + "]"
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


@dataclass(frozen=True, slots=True, eq=False)
class Normalised:
    """`text` folded from `original`; `text[i]` came from `original[sources[i]:ends[i]]`
    (`sources` None when the two texts are the same, `ends` None when every character came
    from one: `ends[i] == sources[i] + 1`); `lower` is `text` in lower case, character for
    character, for keyword searches (much faster than case-insensitive patterns)."""

    original: str
    text: str
    lower: str
    sources: list[int] | None = None
    ends: list[int] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original that the span `text[start:end]` came from.

        >>> normalise("a\u200bb").span(0, 2)
        (0, 3)
        >>> normalise("ring one two three four five six seven").span(5, 12)
        (5, 38)
        """
        if self.sources is None:
            return start, end
        if end <= start:
            at = self.sources[start] if start < len(self.sources) else len(self.original)
            return at, at
        last = self.sources[end - 1] + 1 if self.ends is None else self.ends[end - 1]
        return self.sources[start], last


def normalise(text: str) -> Normalised:
    """Remove invisible characters and combining marks, fold NFKC compatibility forms
    (full-width, ligatures, circled digits), any script's digits to ASCII, dashes,
    quotes and Latin look-alikes; write spelled digits and spelled dots between digits
    as such; map each character of the result to its source.

    >>> normalise("ｊｏｈｎ＠ｅｘａｍｐｌｅ．ｃｏｍ").text
    'john@example.com'
    >>> normalise("pаsswоrd").text  # Cyrillic а and о
    'password'
    """
    if text.isascii():
        folded, sources = text, None
    else:
        folded, sources = _fold(text)
    lower = _lower(folded)
    rewrites = _rewrites(lower)
    if rewrites:
        return _rewritten(text, folded, sources, rewrites)
    return Normalised(text, folded, lower, sources)


def _fold(text: str) -> tuple[str, list[int]]:
    """The folded text and where each of its characters came from."""
    pieces: list[str] = []
    sources: list[int] = []
    done = 0
    for run in _NON_ASCII.finditer(text):
        start, end = run.span()
        pieces.append(text[done:start])
        sources.extend(range(done, start))
        chunk = run.group()
        if unicodedata.is_normalized("NFKC", chunk) and not _FOLDED.search(chunk):
            pieces.append(chunk)
            sources.extend(range(start, end))
        else:
            for index in range(start, end):
                folded = _fold_char(text[index])
                pieces.append(folded)
                sources.extend([index] * len(folded))
        done = end
    pieces.append(text[done:])
    sources.extend(range(done, len(text)))
    return "".join(pieces), sources


def _lower(text: str) -> str:
    """`text` in lower case, one character for one (so its offsets stay valid)."""
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def fold(text: str) -> str:
    """The normalised text alone: for keywords and terms matched against it.

    >>> fold("Contraseña")
    'Contraseña'
    """
    return normalise(text).text


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    """One non-ASCII character, folded (possibly to several characters or to none)."""
    code = ord(char)
    if 0xE0000 <= code <= 0xE0FFF:
        return chr(code - 0xE0000) if 0xE0020 <= code <= 0xE007E else ""
    folded = unicodedata.normalize("NFKC", char.translate(_TRANSLATE)).translate(_TRANSLATE)
    folded = _DROP.sub("", folded)
    return "".join(_ascii_digit(c) for c in folded)


def _ascii_digit(char: str) -> str:
    value = unicodedata.decimal(char, None) if not char.isascii() else None
    return char if value is None else str(value)


# -- digits and dots spelled out --------------------------------------------------------

_DIGIT_NAMES = {
    "zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3",
    "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
_DIGIT_NAME = f"(?:{'|'.join(_DIGIT_NAMES)})"
_SPELLED_DIGIT = rf"(?:(?:double|triple)[ \t]+)?{_DIGIT_NAME}"
_SPELLED_BREAK = r"(?:[ \t]*[,\-][ \t]*|[ \t]+)"
# Six or more spelled digits in a row (seven or more digits, counted once found), after
# an optional "plus"; matched on lower-cased text.
_SPELLED_NUMBER = re.compile(
    rf"(?<![\w\-])(?:plus{_SPELLED_BREAK})?{_SPELLED_DIGIT}"
    rf"(?:{_SPELLED_BREAK}{_SPELLED_DIGIT}){{5,}}(?!\w)"
)
# Three spelled digits in a row after a break, which a spelled number has: a much faster
# search that rules most texts out.
_SPELLED_HINT = re.compile(
    rf"[ \t,\-]{_DIGIT_NAME}(?:[ \t,\-]+(?:double|triple|{'|'.join(_DIGIT_NAMES)})){{2}}(?![a-z])"
)
_SPELLED_PART = re.compile(
    rf"(plus)|(?:(double|triple)[ \t]+)?({_DIGIT_NAME})|([ \t]*[,\-][ \t]*)|[ \t]+"
)
MIN_SPELLED_DIGITS = 7
_SPELLED_DOT = r"[ \t]*[\[({<][ \t]*(?:dot|\.)[ \t]*[\])}>][ \t]*|[ \t]+dot[ \t]+"
_DOTTED_NUMBER = re.compile(rf"(?<![\w.])\d+(?:(?:{_SPELLED_DOT}|\.)\d+)+")
_SPELLED_DOTS = re.compile(_SPELLED_DOT)
_DOT_HINTS = ("dot", ".]", ".)", ".}", ".>")


def _rewrites(lower: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) for each piece of `lower` to write otherwise, in order."""
    rewrites = _spelled_digits(lower)
    if any(hint in lower for hint in _DOT_HINTS):
        dots = _spelled_dots(lower)
        if dots:
            rewrites = sorted(rewrites + dots)
    return rewrites


def _spelled_digits(lower: str) -> list[tuple[int, int, str]]:
    """Spelled digits ("double" and "triple" count) as digits, "plus" as "+"; words
    separated by spaces are joined, by a comma or a dash split by a space.

    >>> normalise("oh seven nine double one, one two three four five six").text
    '07911 123456'
    >>> normalise("(564) 869-0862,four four two, eight four, zero three zero one").text
    '(564) 869-0862, 442 84 0301'
    >>> normalise("one, two, three or four: five six seven").text
    'one, two, three or four: five six seven'
    """
    rewrites: list[tuple[int, int, str]] = []
    if _SPELLED_HINT.search(lower) is None:
        return rewrites
    for match in _SPELLED_NUMBER.finditer(lower):
        parts: list[tuple[int, int, str]] = []
        digits = 0
        for part in _SPELLED_PART.finditer(lower, match.start(), match.end()):
            plus, times, name, comma = part.groups()
            if plus:
                new = "+"
            elif name:
                new = _DIGIT_NAMES[name] * (3 if times == "triple" else 2 if times else 1)
                digits += len(new)
            else:  # a break: none right after "plus" ("+1", not "+ 1")
                new = " " if comma and parts[-1][2] != "+" else ""
            parts.append((*part.span(), new))
        if digits >= MIN_SPELLED_DIGITS:
            start, end, new = parts[0]
            if start and not lower[start - 1].isspace():  # "0862,four": not "0862,4"
                parts[0] = (start, end, " " + new)
            rewrites += parts
    return rewrites


def _spelled_dots(lower: str) -> list[tuple[int, int, str]]:
    """Spelled or bracketed dots between digit groups ("10 dot 2", "10[.]2") as dots."""
    return [
        (*dot.span(), ".")
        for match in _DOTTED_NUMBER.finditer(lower)
        for dot in _SPELLED_DOTS.finditer(lower, match.start(), match.end())
    ]


def _rewritten(
    original: str, folded: str, sources: list[int] | None, rewrites: list[tuple[int, int, str]]
) -> Normalised:
    """`folded` with each (start, end, replacement) made; every replacement character
    comes from the whole span it replaces."""
    where: list[int] | range = range(len(folded)) if sources is None else sources
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    done = 0
    for start, end, new in [*rewrites, (len(folded), len(folded), "")]:
        pieces += (folded[done:start], new)
        kept = where[done:start]
        starts += kept
        ends += [at + 1 for at in kept]
        if new:
            starts += [where[start]] * len(new)
            ends += [where[end - 1] + 1] * len(new)
        done = end
    text = "".join(pieces)
    return Normalised(original, text, _lower(text), starts, ends)


# -- digits split into groups ------------------------------------------------------------

_DIGIT_RUN = re.compile(r"\d++(?:(?:[ \t]{1,2}|[ \t]?[.\-][ \t]?)\d++)*+")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class DigitRun:
    """Digit groups separated by single spaces, dots or dashes: `groups` are the
    (start, end) spans of the digit groups in the text searched."""

    start: int
    end: int
    groups: tuple[tuple[int, int], ...]


def digit_runs(text: str, min_length: int = 1) -> Iterator[DigitRun]:
    """Every maximal run of digit groups joined by a space, a dot or a dash, at least
    `min_length` characters long.

    >>> [(r.start, r.end, len(r.groups)) for r in digit_runs("pay 4111 1111-1111.1111 now")]
    [(4, 23, 4)]
    """
    for run in _DIGIT_RUN.finditer(text):
        start, end = run.span()
        if end - start >= min_length:
            groups = tuple(m.span() for m in _DIGITS.finditer(text, start, end))
            yield DigitRun(start, end, groups)


# -- single characters spaced out -------------------------------------------------------

_ALONE = r"[^\W_](?![^\W_])"  # a letter or digit that is a word of its own
_SPACED = re.compile(rf"(?<![^\W_]){_ALONE}(?:(?:[ \t]{{1,2}}|[ \t]?[.\-][ \t]?){_ALONE}){{8,}}")
# Four single characters in a row after a separator, which a run has: a much faster
# search that rules most texts out.
_SPACED_HINT = re.compile(r"[ .\-][^\W_](?:[ \t.\-]{1,3}[^\W_]){3}(?![^\W_])")


@dataclass(frozen=True, slots=True)
class SpacedRun:
    """Single letters or digits separated by spaces, dots or dashes: `positions` of the
    characters in the text searched, `dashes[i]` whether a dash separates the characters
    at `positions[i]` and `positions[i + 1]`."""

    positions: tuple[int, ...]
    dashes: tuple[bool, ...]

    def joined(self, text: str, first: int, last: int, dashes: bool = False) -> str:
        """Characters `first` to `last` (inclusive), with the dashes between if asked."""
        chars = [text[at] for at in self.positions[first : last + 1]]
        if not dashes:
            return "".join(chars)
        marks = ["-" if dash else "" for dash in self.dashes[first:last]]
        return "".join(c + m for c, m in zip(chars, [*marks, ""], strict=True))


@lru_cache(maxsize=4)
def spaced_runs(text: str) -> tuple[SpacedRun, ...]:
    """Every maximal run of at least nine single letters or digits, each separated from
    the next by spaces, a dot or a dash (cached: several detectors ask for the same text).

    >>> [r.joined("NI: B Y - 4 3 - 1 8 - 9 1 - A", 0, 8, dashes=True)
    ...  for r in spaced_runs("NI: B Y - 4 3 - 1 8 - 9 1 - A")]
    ['BY-43-18-91-A']
    >>> spaced_runs("a b c d e f g h, 4111 1111 1111 1111")
    ()
    """
    runs: list[SpacedRun] = []
    if _SPACED_HINT.search(text) is None:
        return ()
    for match in _SPACED.finditer(text):
        start, end = match.span()
        positions = tuple(at for at in range(start, end) if text[at].isalnum())
        dashes = tuple("-" in text[a:b] for a, b in itertools.pairwise(positions))
        runs.append(SpacedRun(positions, dashes))
    return tuple(runs)


# -- e-mail addresses spelled out --------------------------------------------------------

_OPEN, _CLOSE = r"[\[({<]", r"[\])}>]"
_AT = rf"(?:\s*{_OPEN}\s*(?:at|@)\s*{_CLOSE}\s*|\s+at\s+|\s+@\s*|\s*@\s+|@)"
_DOT = rf"(?:\s*{_OPEN}\s*(?:dot|\.)\s*{_CLOSE}\s*|\s+dot\s+|\.)"
_PART = r"[\w%+\-]+"
_SPELLED = re.compile(
    # not from the middle of an address (after "dot ", "[dot]", "(at) "): that would make
    # the search quadratic on "a dot a dot a ..."
    r"(?<![\w.@])(?<!\bdot\s)(?<![\])}>])(?<![\])}>]\s)"
    rf"({_PART}(?:{_DOT}{_PART})*)({_AT})({_PART}(?:{_DOT}{_PART})*{_DOT}[a-z]{{2,24}})"
    r"(?![\w@])",
    re.IGNORECASE,
)
_HINT = re.compile(rf"{_OPEN}\s*(?:at|\.)\s*{_CLOSE}")  # matched on lower-cased text
_DOTS = re.compile(_DOT, re.IGNORECASE)
# Words that end a sentence's "... at the ..." rather than an address's local part.
_NOT_NAMES = _wordset(
    "a an the this that these those my your his her its our their me him us them it "
    "home work least most all first last once look looked looking arrive arrived be "
    "is are was were am"
)


def spelled_emails(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, address) for each address written with "at"/"dot" words or
    bracketed separators; an address written the ordinary way is not included.

    >>> list(spelled_emails("mail john dot smith at example dot com today"))
    [(5, 38, 'john.smith@example.com')]
    >>> list(spelled_emails("john[at]example[dot]co[dot]uk or jane (at) example.org"))
    [(0, 29, 'john@example.co.uk'), (33, 54, 'jane@example.org')]
    >>> list(spelled_emails("I looked at example.com and the dot com bubble"))
    []
    """
    lower = text.lower()
    if not any(hint in lower for hint in ("dot", " @", "@ ")) and not _HINT.search(lower):
        return
    for match in _SPELLED.finditer(text):
        local, at, domain = match.groups()
        if not _obfuscated(at, local, domain):
            continue
        last_local = _DOTS.split(local)[-1].lower()
        first_domain = _DOTS.split(domain)[0].lower()
        if at.strip().lower() == "at" and (last_local in _NOT_NAMES or first_domain in _NOT_NAMES):
            continue
        address = f"{_DOTS.sub('.', local)}@{_DOTS.sub('.', domain)}".lower()
        yield match.start(), match.end(), address


def _obfuscated(at: str, local: str, domain: str) -> bool:
    """Whether some separator is written other than as a bare "@" or "."; a bare or
    spelled "at" needs a spelled dot too ("see me at example.com" is no address)."""
    if at == "@" or at.strip().lower() == "at":
        return _spelled_dot(local + domain)
    return True


def _spelled_dot(text: str) -> bool:
    return any(sep != "." for sep in _DOTS.findall(text))
