"""Identifiers of a person: US social security numbers, other national IDs and dates of
birth.

A bare run of digits is an SSN or a national ID only next to a keyword saying so, or
below such a keyword heading its column of a table (see
`inhouse.router.detectors.text.column_below`); IDs whose format alone is distinctive
(GB NINO, ES DNI/NIE, IT codice fiscale, FR NIR, BR CPF, US ITIN) count anywhere when
their check digits are valid. A date counts only after a birth-date phrase, right before
"geboren", or in a column headed "date of birth".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from stdnum.br import cpf
from stdnum.ca import sin
from stdnum.de import idnr
from stdnum.es import dni, nie
from stdnum.fr import nir
from stdnum.in_ import aadhaar
from stdnum.it import codicefiscale
from stdnum.nl import bsn
from stdnum.pl import pesel
from stdnum.us import itin

from inhouse.router.detectors import DetectorConfig, Hit
from inhouse.router.detectors.text import (
    cells_below,
    column_below,
    cue_before,
    glued,
    has_digit,
    hit_at,
    keywords,
    numbers_between,
    same_line,
    spaced_out,
    words_in,
    wordset,
)
from inhouse.router.normalize import Normalised, SpacedRun, spaced_runs

# -- US social security numbers ---------------------------------------------------------

_SSN = re.compile(r"(?<![\w\-])\d{3}([\- ]?)\d{2}\1\d{4}(?![\w\-])")
_SSN_DASHED = re.compile(r"\d{3}-\d{2}-\d{4}")
_SSN_WORDS = keywords(
    r"ssn|ss#|ss\s?no|social\s+security|soc\.?\s*sec|"
    # "my social, it's ...", "her social is ...": not "social media" (see `_ssn_words`)
    r"social(?=\s*(?:[,:#=(]|is\b|it'?s\b|number\b|no\b))"
)
_POSSESSIVE_BEFORE = re.compile(r"(?:\bmy|\byour|\bhis|\bher|\btheir)\s+$")
_SSN_COLUMN = keywords(r"ssn|social[\s_\-]?security(?:[\s_\-]?(?:number|no))?|ss#|ss[\s_]?no")


def find_ssns(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """AAA-GG-SSSS with the SSA rules (area not 000, 666 or 9xx, group not 00, serial
    not 0000); with spaces or no separator only near "SSN"/"social security"; also spaced
    out digit by digit ("1 2 3 - 4 5 - 6 7 8 9").

    >>> from inhouse.router.detectors import detect, excerpts
    >>> excerpts("SSN 123456789; id 123-45-6789; 2 1 4 - 8 2 - 6 4 5 8")
    [('ssn', '123456789'), ('ssn', '123-45-6789'), ('ssn', '2 1 4 - 8 2 - 6 4 5 8')]
    >>> detect("ticket 123 45 6789 or 000-12-3456")
    []

    Next to its keyword, a number of an SSN's shape counts whatever the SSA rules say
    (`why="context"`):

    >>> [(h.why, h.evidence) for h in detect("SSN 000-12-3456; dob 1990-01-02")]
    [('context', 'ssn'), ('context', 'dob')]

    Also any such number in a table's column headed "ssn" or "social security":

    >>> excerpts("id;ssn\\n1;087877035\\n2;390 50 2638")
    [('ssn', '087877035'), ('ssn', '390 50 2638')]
    """
    norm, lower = normalised.text, normalised.lower
    hits = [
        _ssn_hit(normalised, *match.span(), is_ssn(match.group()), "column")
        for _, low, high, exact in cells_below(normalised, _SSN_COLUMN)
        for match in _SSN.finditer(norm, low, high)
        if exact or is_ssn(match.group())
    ]
    announced = next(_ssn_words(lower), None) is not None
    if not announced and not _SSN_DASHED.search(norm) and not spaced_runs(norm):
        return hits
    for match in _SSN.finditer(norm):
        start, end = match.span()
        cue = _ssn_cue(lower, start)
        if (match.group(1) == "-" or cue) and (is_ssn(match.group()) or cue):
            hits.append(_ssn_hit(normalised, start, end, is_ssn(match.group()), cue))

    def spaced_ssn(run: SpacedRun, first: int, last: int) -> bool:
        dashed = run.joined(norm, first, last, dashes=True)
        digits = dashed.replace("-", "")
        if not _SSN_DASHED.fullmatch(dashed) and not (digits.isdigit() and len(digits) == 9):
            return False
        if _ssn_cue(lower, run.positions[first]):
            return True
        return bool(_SSN_DASHED.fullmatch(dashed)) and is_ssn(dashed)

    for start, end in spaced_out(norm, spaced_ssn, longest=9):
        run = normalised.text[start:end].replace(" ", "")
        hits.append(_ssn_hit(normalised, start, end, is_ssn(run), _ssn_cue(lower, start)))
    return hits


def _ssn_hit(normalised: Normalised, start: int, end: int, valid: bool, cue: str) -> Hit:
    if valid:
        return hit_at(normalised, "ssn", start, end, "ssn", "validated", "ssa rules")
    return hit_at(normalised, "ssn", start, end, "ssn", "context", cue)


def is_ssn(value: str) -> bool:
    """The SSA rules: area not 000, 666 or 9xx, group not 00, serial not 0000. (Unlike
    stdnum, the numbers printed in adverts, 078-05-1120 and 219-09-9999, count: people
    used them as their own.)

    >>> is_ssn("078-05-1120"), is_ssn("666-12-3456"), is_ssn("123-00-4567"), is_ssn("912-34-5678")
    (True, False, False, False)
    """
    digits = value.replace("-", "").replace(" ", "")
    if len(digits) != 9 or not digits.isdigit():
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def _ssn_cue(lower: str, start: int) -> str:
    """The last word naming an SSN in the 40 characters before `start`, or ""."""
    found = ""
    for word in _ssn_words(lower, max(0, start - 40), start):
        found = " ".join(word.group().split())
    return found


def _ssn_words(lower: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
    """Words naming an SSN in `lower[start:end]`; "social" alone only after "my",
    "your", "his", "her" or "their"."""
    for word in words_in(_SSN_WORDS, lower, start, end):
        if word.group() != "social" or _POSSESSIVE_BEFORE.search(
            lower, max(0, word.start() - 7), word.start()
        ):
            yield word


# -- other national identifiers ---------------------------------------------------------

_NINO_BAD_PREFIXES = wordset("BG GB NK KN TN NT ZZ")
_CF = "[0-9LMNPQRSTUVlmnpqrstuv]"
# National IDs whose format alone is distinctive, each validated by its check digits.
_ID_FORMATS = re.compile(
    r"\b(?:"
    r"(?P<nino>[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D])"  # UK NINO
    r"|(?P<dni>\d{8}(?:[\- ]?[A-Z]|-?[a-z]))"  # Spain DNI 12345678Z
    r"|(?P<nie>[XYZxyz][\- ]?\d{7}[\- ]?[A-Za-z])"  # Spain NIE X1234567L
    rf"|(?P<cf>[A-Za-z]{{6}}{_CF}{{2}}[A-Za-z]{_CF}{{2}}[A-Za-z]{_CF}{{3}}[A-Za-z])"  # Italy CF
    r"|(?P<nir>[12] ?\d{2} ?\d{2} ?(?:\d{2}|2[ABab]) ?\d{3} ?\d{3} ?\d{2})"  # France NIR
    r"|(?P<cpf>\d{3}\.\d{3}\.\d{3}-\d{2})"  # Brazil CPF 123.456.789-09
    r"|(?P<itin>9\d{2}-\d{2}-\d{4})"  # US ITIN
    r")\b"
)
_ID_CHECKS: dict[str, Callable[[str], bool]] = {
    "nino": lambda value: value[:2].upper() not in _NINO_BAD_PREFIXES,  # no check digit
    "dni": dni.is_valid,
    "nie": nie.is_valid,
    "cf": codicefiscale.is_valid,
    "nir": nir.is_valid,
    "cpf": cpf.is_valid,
    "itin": itin.is_valid,
}
# National IDs that are bare digits: (keywords, lengths, check) - only near a keyword.
_ID_NUMBERS = (
    (
        r"steuer-?id|steuer-?identifikationsnummer|identifikationsnummer|idnr|"
        r"steuerliche\s+id(?:entifikationsnummer)?|tax\s+id|tin",
        (11,),
        idnr.is_valid,
    ),
    (r"bsn|burgerservicenummer|sofi-?nummer", (9,), bsn.is_valid),
    (r"aadhaa?r|uidai|uid|आधार", (12,), aadhaar.is_valid),
    (r"sin|social\s+insurance|nas|num[ée]ro\s+d'assurance\s+sociale", (9,), sin.is_valid),
    (r"pesel", (11,), pesel.is_valid),
    (r"cpf", (11,), cpf.is_valid),
)
# Names of any national ID: any of the bare-digit IDs is valid near them.
_GENERIC_ID_WORDS = (
    r"national[\s_\-]?id(?:entity)?(?:[\s_\-]?(?:number|no|nr))?|"
    r"id(?:entity)?[\s_\-]?number|citizen[\s_\-]?id|personal[\s_\-]?number"
)


def _any_bare_id(digits: str) -> bool:
    """Whether `digits` is valid as any of the bare-digit national IDs.

    >>> _any_bare_id("509615710430"), _any_bare_id("509615710431")  # Aadhaar
    (True, False)
    """
    return any(len(digits) in lengths and check(digits) for _, lengths, check in _ID_NUMBERS)


# (keywords, lengths, check, whole): a number near a generic name must be a whole run of
# digit groups (not part of a longer number, a card or an IBAN: of the windows of a long
# number, one in ten passes each check).
_ID_KEYWORDS = (
    *((keywords(words), lengths, check, False) for words, lengths, check in _ID_NUMBERS),
    (
        keywords(_GENERIC_ID_WORDS),
        tuple(sorted({n for _, lengths, _ in _ID_NUMBERS for n in lengths})),
        _any_bare_id,
        True,
    ),
)
_ANY_ID_KEYWORD = keywords("|".join([*(words for words, _, _ in _ID_NUMBERS), _GENERIC_ID_WORDS]))
# Names of the IDs whose format counts alone: next to one, a value of the format counts
# whatever its check digits say.
_ID_CONTEXT = keywords(
    "|".join([
        *(words for words, _, _ in _ID_NUMBERS), _GENERIC_ID_WORDS,
        r"nino|ni\s+(?:no|number)|national\s+insurance(?:\s+(?:no|number))?|dni|nif|nie|"
        r"codice\s+fiscale|nir|num[ée]ro\s+de\s+s[ée]curit[ée]\s+sociale|itin|tax\s+number|"
        r"id|identification",
    ])
)  # fmt: skip
# Documents without a check digit: a number-like value right after the document's name.
_DOCUMENT = keywords(
    r"\b(?P<document>passport|passeport|reisepass|pasaporte|passaporto|personalausweis|ausweis|"
    r"driver'?s\s+licen[cs]e|driving\s+licen[cs]e|f[üu]hrerschein|permis\s+de\s+conduire|"
    r"(?:national\s+)?id(?:entity)?\s+card|national\s+id|carte\s+d'identit[ée])"
    r"(?:\s+(?:no|nr|number|num[ée]ro|nummer)\.?)?\s*(?:is|:|#|=)?\s*(?P<value>[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){5,19})\b"
)
_DOCUMENT_WORDS = ("pass", "ausweis", "licen", "schein", "permis", "id card", "national id")


def find_national_ids(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """Check-digit-validated national IDs: by format alone (UK NINO, ES DNI/NIE, IT
    codice fiscale, FR NIR, BR CPF, US ITIN), also spaced out character by character;
    bare digits near their name (DE Steuer-ID, NL BSN, IN Aadhaar, CA SIN, PL PESEL, BR
    CPF) or near a name of any national ID ("national ID", "ID number", "personal
    number"), or below such a name heading their column of a table; passport, ID card and
    driving licence numbers right after the document's name.

    >>> from inhouse.router.detectors import detect, excerpts
    >>> excerpts("DNI 12345678Z, BSN: 1112.22.333")
    [('national_id', '12345678Z'), ('national_id', '1112.22.333')]
    >>> excerpts("my NI number (B Y - 4 3 - 1 8 - 9 1 - A)")
    [('national_id', 'B Y - 4 3 - 1 8 - 9 1 - A')]
    >>> excerpts("id;national_id\\n1;5096 1571 0430")
    [('national_id', '5096 1571 0430')]
    >>> detect("part 12345678-0, 111222333 boxes")
    []

    Next to its name, a value of an ID's shape counts whatever its check digits say
    (`why="context"`):

    >>> [(h.why, h.evidence) for h in detect("BSN 111222334, DNI 12345678A")]
    [('context', 'bsn'), ('context', 'dni')]
    """
    norm, lower = normalised.text, normalised.lower
    found: list[tuple[int, int, str, str]] = []
    for match in _ID_FORMATS.finditer(norm):
        kind = match.lastgroup or ""
        if _ID_CHECKS[kind](match.group().replace(" ", "")):
            found.append((*match.span(), "validated", kind))
        else:
            cue = cue_before(_ID_CONTEXT, lower, match.start(), config.context_chars)
            if cue:
                found.append((*match.span(), "context", cue))
    spaced = spaced_out(norm, lambda run, a, b: _id_format(run.joined(norm, a, b)), longest=16)
    found += [(start, end, "validated", "check digits") for start, end in spaced]
    if any(words_in(_ANY_ID_KEYWORD, lower)):
        found += _id_numbers(norm, lower, config.context_chars)
    if any(word in lower for word in _DOCUMENT_WORDS):
        found += [
            (*m.span("value"), "context", " ".join(m.group("document").split()))
            for m in _DOCUMENT.finditer(lower)
            if has_digit(m.group("value"))
        ]
    return [
        hit_at(normalised, "national_id", start, end, "national_id", why, evidence)
        for start, end, why, evidence in found
    ]


def _id_format(value: str) -> bool:
    """Whether `value` is, as a whole, a national ID of a format that counts alone."""
    match = _ID_FORMATS.fullmatch(value)
    return match is not None and _ID_CHECKS[match.lastgroup or ""](value)


def _id_numbers(text: str, lower: str, chars: int) -> list[tuple[int, int, str, str]]:
    """(start, end, why, evidence) of digit runs within `chars` of an ID's name, or in
    the column it heads: the windows that are valid IDs of it, and else the whole runs
    of an ID's length (a typo is still someone's ID)."""
    spans: list[tuple[int, int, str, str]] = []
    for keyword, lengths, check, whole in _ID_KEYWORDS:
        for word in words_in(keyword, lower):
            near = (max(0, word.start() - chars), min(len(text), word.end() + chars))
            below = [(a, b) for a, b, _ in column_below(text, word.start(), word.end())]
            name = " ".join(word.group().split())
            for low, high in [near, *below]:
                valid = [
                    (start, end, "validated", "check digits")
                    for start, end, digits in numbers_between(text, low, high, lengths, whole)
                    if not glued(text, start, end) and check(digits)
                ]
                spans += valid or [
                    (start, end, "context", name)
                    for start, end, _ in numbers_between(text, low, high, lengths, whole=True)
                    if not glued(text, start, end) and not _IPV4.fullmatch(text, start, end)
                    and (low != near[0] or _beside(text, word, start, end))
                ]  # fmt: skip
    return spans


def _beside(text: str, word: re.Match[str], start: int, end: int) -> bool:
    """Whether the value at `start:end` is on the keyword's line (or below its label)."""
    if start >= word.end():
        return same_line(text, word.end(), start)
    return "\n" not in text[end : word.start()]


_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")


# -- dates of birth ---------------------------------------------------------------------

_DOB_WORDS = keywords(
    r"born|birth\s*date|date\s+of\s+birth|d\.?o\.?b\b\.?|birthday|b-?day|geb\.|"
    r"geboren|geburtsdatum|geburtstag|n[ée]e?\s+le|date\s+de\s+naissance|"
    r"fecha\s+de\s+nacimiento|nacid[oa]|nac[ií]|nasci|data\s+di\s+nascita|nat[oa]\s+il|"
    r"geboortedatum"
)
# Words a date comes before, in languages that put the verb last ("am 27.02.1988
# geboren"), and what may stand between them.
_DOB_BEFORE = keywords(r"geboren")
_DOB_BETWEEN = re.compile(r"[ \t]+(?:[^\W\d]+[ \t]+){0,4}")
_DOB_COLUMN = keywords(
    r"dob|d\.o\.b\.?|date[\s_\-]?of[\s_\-]?birth|birth[\s_\-]?date|birthdate|birthday|born|"
    r"geburtsdatum|geburtstag|geb\.|date[\s_\-]de[\s_\-]naissance|fecha[\s_\-]de[\s_\-]nacimiento|"
    r"data[\s_\-]di[\s_\-]nascita|geboortedatum"
)
_MONTHS = (
    r"jan(?:uary|uar|vier)?|feb(?:ruary|ruar)?|f[ée]v(?:rier)?|m[äa]r(?:ch|z|s)?|"
    r"apr(?:il)?|avr(?:il)?|may|mai|jun[ei]?|juin|jul[iy]?|juil(?:let)?|aug(?:ust)?|"
    r"ao[uû]t|sep(?:t|tember|tembre)?|oct(?:ober|obre)?|okt(?:ober)?|nov(?:ember|embre)?|"
    r"dec(?:ember)?|dez(?:ember)?|d[ée]c(?:embre)?|enero|febrero|marzo|abril|mayo|junio|"
    r"julio|agosto|septiembre|octubre|noviembre|diciembre|gennaio|febbraio|aprile|maggio|"
    r"giugno|luglio|settembre|ottobre|dicembre"
)
_DATE = keywords(
    r"\b(?:(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})|(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})"
    rf"|\d{{1,2}}(?:st|nd|rd|th|er|º|\.)?\s+(?:of\s+|de\s+)?(?:{_MONTHS})\.?"
    r"(?:,?\s+(?:de\s+)?(\d{4}))?"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?)(?!\d)"
)


def find_birth_dates(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """A date (numeric or with a month name; a year before 1900 does not count) shortly
    after "born", "date of birth", "DOB", "birthday", "geb." and the like.

    >>> from inhouse.router.detectors import detect, excerpts
    >>> excerpts("Patient (DOB: 03/14/1985) was born on 14 March 1985")
    [('dob', '03/14/1985'), ('dob', '14 March 1985')]
    >>> detect("Deadline 03/14/2025; Mozart was born on 27 January 1756")
    []

    Also a date right before "geboren" ("Ich bin am 27.02.1988 geboren"), and any date
    in a table's column headed "date_of_birth", "DOB", "birthday", "Geburtsdatum"...:

    >>> excerpts("Ich bin am 27.02.1988 geboren; name,dob\\nAnn,1999-05-15\\nBo,n/a")
    [('dob', '27.02.1988'), ('dob', '1999-05-15')]
    """
    lower = normalised.lower
    hits = []
    for word in words_in(_DOB_WORDS, lower):
        date = _DATE.search(lower, word.end(), min(len(lower), word.end() + config.context_chars))
        if date is not None and _plausible_birth_date(date):
            cue = " ".join(word.group().split())
            hits.append(hit_at(normalised, "dob", *date.span(), "dob", "context", cue))
    if "geboren" in lower:
        for word in words_in(_DOB_BEFORE, lower):
            date = _date_before(lower, word.start(), config.context_chars)
            if date is not None:
                hits.append(hit_at(normalised, "dob", *date.span(), "dob", "context", "geboren"))
    for _, low, high, _ in cells_below(normalised, _DOB_COLUMN):
        for date in _DATE.finditer(lower, low, high):
            if _plausible_birth_date(date):
                hits.append(hit_at(normalised, "dob", *date.span(), "dob", "context", "column"))
    return hits


def _date_before(lower: str, end: int, chars: int) -> re.Match[str] | None:
    """A plausible birth date that ends right before `end`, or up to four words before
    ("am 14.03.1985 in Berlin geboren")."""
    found = None
    for date in _DATE.finditer(lower, max(0, end - chars), end):
        found = date
    if found is None or not _plausible_birth_date(found):
        return None
    return found if _DOB_BETWEEN.fullmatch(lower, found.end(), end) else None


def _plausible_birth_date(date: re.Match[str]) -> bool:
    """Day and month in range (either order), a year (if any) from 1900."""
    years = (date.group(1), date.group(6), date.group(7), date.group(8))
    year = next((int(y) for y in years if y), None)
    if year is not None and 100 <= year < 1900:
        return False
    pair = date.group(2, 3) if date.group(1) else date.group(4, 5)
    if pair[0] is None:
        return True
    first, second = int(pair[0]), int(pair[1])
    if date.group(1):
        return 1 <= first <= 12 and 1 <= second <= 31
    return (1 <= first <= 31 and 1 <= second <= 12) or (1 <= first <= 12 and 1 <= second <= 31)
