"""Helpers the detector families share: hits located in the original text, keyword
patterns matched on the lower-cased text, values spaced out character by character,
digit groups, and the cells of a table's column below a header word.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

from inhouse.router.detectors import Hit
from inhouse.router.normalize import Normalised, SpacedRun, digit_runs, fold, spaced_runs


def hit_at(
    normalised: Normalised, kind: str, start: int, end: int, detector: str,
    why: str = "format", evidence: str = "",
) -> Hit:  # fmt: skip
    """A hit for `normalised.text[start:end]`, located in the original text (see `Hit`
    for `why` and `evidence`)."""
    start, end = normalised.span(start, end)
    return Hit(kind, start, end, detector, why, evidence)


def glued(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` is part of a longer word (letters, digits, "_")."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return before.isalnum() or before == "_" or after.isalnum() or after == "_"


def keywords(pattern: str) -> re.Pattern[str]:
    """A keyword pattern, for `Normalised.lower`: so written in lower case, and folded
    like the text (Cyrillic look-alikes become Latin)."""
    if pattern.replace("(?P<", "") != pattern.replace("(?P<", "").lower():
        msg = f"keyword patterns are matched on lower-cased text; not lower case: {pattern}"
        raise ValueError(msg)
    return re.compile(fold(pattern))


def words_in(
    pattern: re.Pattern[str], lower: str, start: int = 0, end: int | None = None
) -> Iterator[re.Match[str]]:
    """Matches of a keyword pattern in `lower[start:end]` that are not part of a longer
    word. (Keyword patterns start with a literal, not \\b: the search is then much
    faster, and the boundaries are checked here.) A match rejected for its boundaries is
    searched again from its next character: an alternative that ends inside a word
    ("steuerliche id" in "Steuerliche Identifikationsnummer") then does not hide a
    keyword starting later in it ("identifikationsnummer").

    >>> [m.group() for m in words_in(keywords(r"tax\\s+id|identification"), "tax identification")]
    ['identification']
    """
    end = len(lower) if end is None else end
    at = start
    while at < end:
        match = pattern.search(lower, at, end)
        if match is None:
            return
        first, last = match.span()
        if continues(lower, first - 1, match.group()[:1]) or continues(
            lower, last, match.group()[-1:]
        ):
            at = first + 1
            continue
        yield match
        at = max(last, first + 1)


def cue_before(pattern: re.Pattern[str], lower: str, start: int, reach: int) -> str:
    """The last keyword of `pattern` (see `words_in`) within `reach` characters before
    `start`, on the same line or ending a line above with ":" (a label), its spaces
    collapsed, or "".

    >>> cue_before(keywords(r"iban|account"), "my iban is: de89", 12, 20)
    'iban'
    >>> cue_before(keywords(r"card"), "card on file\\nnir: 2 57", 18, 30)
    ''
    """
    found = None
    for word in words_in(pattern, lower, max(0, start - reach), start):
        found = word
    if found is None or not same_line(lower, found.end(), start):
        return ""
    return " ".join(found.group().split())


_LABEL_ABOVE = re.compile(r"[^\n]*:[ \t]*\n[ \t]*")


def same_line(text: str, end: int, start: int) -> bool:
    """Whether `text[end:start]` (between a cue and its value) stays on one line, or
    only ends the cue's line with ":" (a label above its value)."""
    return "\n" not in text[end:start] or _LABEL_ABOVE.fullmatch(text, end, start) is not None


def trie_pattern(words: Iterable[str]) -> str:
    """A regular expression matching any of `words`, as a trie: at each character
    the engine follows one branch instead of trying every word in turn (a list of
    some 400 words is then scanned in about the time of one).

    >>> trie_pattern(["hi", "hill", "dear"])
    '(?:dear|hi(?:ll)?)'
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else body + "?"
        return body

    return emit(trie)


_CUE_WORDS: set[str] = set()
_CUE_SCAN: list[re.Pattern[str]] = []


def cue_index(lower: str) -> dict[str, list[int]]:
    """Where each word that starts a `Cues` pattern starts in `lower`: one scan of the
    text with a trie of all those words (cached: every detector asks for the same text)."""
    if not _CUE_SCAN:
        _CUE_SCAN.append(re.compile(rf"\b{trie_pattern(sorted(_CUE_WORDS))}(?!\w)"))
    return _cue_index(lower)


@lru_cache(maxsize=8)
def _cue_index(lower: str) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for word in _CUE_SCAN[0].finditer(lower):
        index.setdefault(word.group(), []).append(word.start())
    return index


class Cues:
    """A keyword pattern (see `keywords`) tried only where one of its first words
    starts (see `cue_index`): `first` must name the word each alternative of the
    pattern starts with (its first run of letters and digits).

    >>> greetings = Cues(r"(?:dear|good\\s+morning)[ \\t]", "dear good")
    >>> [m.group() for m in greetings.finditer("dear ann, good morning bo, goodness ")]
    ['dear ', 'good morning ']
    """

    def __init__(self, pattern: str, first: str) -> None:
        self.pattern = keywords(pattern)
        self.first = frozenset(fold(word) for word in first.split())
        _CUE_WORDS.update(self.first)
        _CUE_SCAN.clear()  # built again, with these words too, when next asked
        _cue_index.cache_clear()

    def finditer(self, lower: str) -> Iterator[re.Match[str]]:
        starts = self.words(lower)
        last = -1
        for at in starts:
            if at < last:
                continue
            match = self.pattern.match(lower, at)
            if match is None or continues(lower, match.end(), match.group()[-1:]):
                continue
            last = match.end()
            yield match

    def words(self, lower: str) -> list[int]:
        """Where the first words stand in `lower`, sorted."""
        first = self.first
        return sorted(at for word, at_ in cue_index(lower).items() if word in first for at in at_)


def continues(text: str, index: int, edge: str) -> bool:
    """Whether an ASCII letter or digit at `index` continues a keyword ending in `edge`."""
    if not 0 <= index < len(text) or not (edge.isascii() and edge.isalnum()):
        return False
    char = text[index]
    return char.isascii() and char.isalnum()


def wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_SPACED_MIN = 9  # the shortest value spaced out that a detector validates (SSN, NINO)


def spaced_out(
    text: str, valid: Callable[[SpacedRun, int, int], bool], longest: int
) -> list[tuple[int, int]]:
    """Spans of characters spaced out one by one ("B Y - 4 3 - 1 8 - 9 1 - A", see
    `spaced_runs`) that `valid(run, first, last)` accepts: of each run, the whole, or else
    the longest part without up to two characters at either end (a word "a" or "I" next
    to the value). A run too long for a value of `longest` characters is passed over."""
    spans = []
    for run in spaced_runs(text):
        end = len(run.positions) - 1
        if end + 1 - 4 > longest:
            continue
        windows = [
            (first, last)
            for first in range(3)
            for last in range(end, end - 3, -1)
            if last - first + 1 >= _SPACED_MIN
        ]
        windows.sort(key=lambda window: window[0] - window[1])
        for first, last in windows:
            if valid(run, first, last):
                spans.append((run.positions[first], run.positions[last] + 1))
                break
    return spans


def windows_from(
    text: str, groups: tuple[tuple[int, int], ...], first: int, lengths: range | tuple[int, ...]
) -> Iterator[tuple[int, str]]:
    """(last group index, digits) for the windows of groups from `first` whose digit
    count is in `lengths`."""
    digits = ""
    for last in range(first, len(groups)):
        digits += text[groups[last][0] : groups[last][1]]
        if len(digits) > max(lengths):
            return
        if len(digits) in lengths:
            yield last, digits


# A keyword heading a column reaches the cells below it within this many characters.
_TABLE_REACH = 400
_HEADER_CELL = 48  # the longest cell of a table's header line
_COLUMN_SEPARATORS = ("\t", ";", "|", ",")


def column_below(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """When the word at `start:end` is in a table's header (a line split by tabs, ";",
    "|" or "," into short cells), (start, end, exact) for the cells below it: in each
    following line split by the same separator, starting within `_TABLE_REACH`
    characters, the cell in the word's column (`exact`); in a line with more cells (a
    value with the separator in it, unquoted: "Feb 27, 1999"), the cells from the one
    as far from the start as the word's to the one as far from the end (not `exact`);
    in a line with fewer, the whole line (not `exact`). Separators inside double
    quotes do not split.

    >>> table = 'id,name,national id\\n1,Ann,5096 1571 0430\\n2,"Bo, Jr",3004 1157 5849\\nend'
    >>> [(table[a:b], exact) for a, b, exact in column_below(table, 8, 19)]
    [('5096 1571 0430', True), ('3004 1157 5849', True)]
    >>> rows = "name,born,ssn\\nAnn,Feb 27, 1999,725286349\\nBo,1"
    >>> [(rows[a:b], exact) for a, b, exact in column_below(rows, 5, 9)]
    [('Feb 27, 1999', False), ('Bo,1', False)]
    """
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end < 0:
        return []
    separator = next((s for s in _COLUMN_SEPARATORS if s in text[line_start:line_end]), None)
    if separator is None:
        return []
    header = _separators(text, line_start, line_end, separator)
    cuts = [line_start - 1, *header, line_end]
    if any(b - a > _HEADER_CELL for a, b in itertools.pairwise(cuts)):
        return []  # a sentence with commas, not a table's header
    column = sum(at < start for at in header)
    cells = []
    at, reach = line_end + 1, line_end + 1 + _TABLE_REACH
    while at < min(reach, len(text)):
        row_end = text.find("\n", at)
        row_end = len(text) if row_end < 0 else row_end
        if separator not in text[at:row_end]:
            break
        seps = _separators(text, at, row_end, separator)
        bounds = [at - 1, *seps, row_end]
        extra = len(seps) - len(header)
        if extra == 0:
            cells.append((bounds[column] + 1, bounds[column + 1], True))
        elif extra > 0:
            cells.append((bounds[column] + 1, bounds[column + 1 + extra], False))
        else:
            cells.append((at, row_end, False))
        at = row_end + 1
    return cells


def _separators(text: str, start: int, end: int, separator: str) -> list[int]:
    """Where `separator` splits `text[start:end]` into cells: not inside double quotes
    (a CSV field "Bo, Jr")."""
    found, quoted = [], False
    if separator == "|" or '"' not in text[start:end]:
        at = text.find(separator, start, end)
        while at >= 0:
            found.append(at)
            at = text.find(separator, at + 1, end)
        return found
    for at in range(start, end):
        char = text[at]
        if char == '"':
            quoted = not quoted
        elif char == separator and not quoted:
            found.append(at)
    return found


def cells_below(
    normalised: Normalised, header: re.Pattern[str]
) -> Iterator[tuple[re.Match[str], int, int, bool]]:
    """(header word, start, end, exact) for every cell of a column that a word of
    `header` heads (see `column_below`)."""
    for start, end in header_lines(normalised.text):
        for word in words_in(header, normalised.lower, start, end):
            for low, high, exact in column_below(normalised.text, word.start(), word.end()):
                yield word, low, high, exact


@lru_cache(maxsize=4)
def header_lines(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each line that may be a table's header: split by a separator
    that splits the next line too (cached: several detectors ask for the same text).

    >>> header_lines("Hi,\\nname;dob\\nAnn;1999-05-15\\nBo;n/a")
    ((4, 12), (13, 27))
    """
    if "\n" not in text:
        return ()
    found, start = [], 0
    lines = text.split("\n")
    for line, below in itertools.pairwise(lines):
        if any(s in line and s in below for s in _COLUMN_SEPARATORS):
            found.append((start, start + len(line)))
        start += len(line) + 1
    return tuple(found)


def numbers_between(
    text: str, low: int, high: int, lengths: tuple[int, ...], whole: bool = False
) -> Iterator[tuple[int, int, str]]:
    """(start, end, digits) of every run of whole digit groups in `text[low:high]` with
    a digit count in `lengths` ("1112.22.333", "36 574 261 809"); if `whole`, only of
    whole runs."""
    window = text[low:high]
    for run in digit_runs(window, min_length=min(lengths)):
        for first in range(1 if whole else len(run.groups)):
            for last, digits in windows_from(window, run.groups, first, lengths):
                if not whole or last == len(run.groups) - 1:
                    yield low + run.groups[first][0], low + run.groups[last][1], digits


def has_digit(value: str) -> bool:
    return any(c.isdigit() for c in value)
