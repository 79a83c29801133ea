"""Find sensitive data in a prompt: the hybrid router's fail-closed first check.

A hit keeps the request on the local model, so a miss is a privacy leak while a false
hit only costs answer quality: the detectors lean towards firing, and use a checksum or a
format rule where one exists (Luhn, mod 97, the SSA rules, national ID check digits,
`phonenumbers` validity) so that ordinary numbers do not fire.

    >>> excerpts("Mail jane.doe@example.org, card 4111 1111 1111 1111")
    [('email', 'jane.doe@example.org'), ('card', '4111 1111 1111 1111')]
    >>> detect("Upgrade to v1.2.3.4 before order #123456789 ships on 2024-05-01.")
    []

Every detector is a function `(text, normalised, config) -> list[Hit]` in `DETECTORS`
(its key is the hit's `detector`); it matches on the normalised text (see
`inhouse.router.normalize`) and reports spans of the original text. Errors are not
caught here: the caller treats an exception as "sensitive".

Decisions: loopback, unspecified, multicast and broadcast IPs and netmasks are not
personal data and do not fire (private ranges do: they describe the internal network);
UUIDs and hex strings (git SHAs, hashes) never fire as secrets, only in a key=value form
or with a vendor prefix; a date fires only after a birth-date phrase (or right before
"geboren"); a bare run of digits is a phone number, a national ID or an SSN only next to
a keyword saying so; a keyword heading a column of a table (CSV, TSV, markdown) covers
the cells below it for phone numbers, SSNs, national IDs, dates of birth and passwords
(see `_column_below`); a password in prose is a value that mixes letters, digits and
symbols a few words after its name (see `_password_like`); values spelled out ("plus
one, eight one two, ...", "10 dot 2 dot 3 dot 4", "B Y - 4 3 - 1 8 - 9 1 - A") or split
into groups ("AKIAR3SQ DFFXRGNE CFUO") are validated like the plain ones once
normalised or joined.

Speed (the router's whole decision has 2 ms): keywords are matched on the lower-cased
text with case-sensitive patterns (several times faster than re.IGNORECASE), every
detector skips its patterns when a cheap test says they cannot match, and
`phonenumbers` parses only candidates that passed the shape and context checks (its
PhoneNumberMatcher takes some 0.4 ms per region to scan 2,000 characters, so it is not
used). Call `warm_up()` once at start-up: the first calls otherwise load phone metadata.
"""

from __future__ import annotations

import ipaddress
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from stdnum import iban, luhn
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

from inhouse.router.normalize import (
    DigitRun,
    Normalised,
    SpacedRun,
    digit_runs,
    fold,
    normalise,
    spaced_runs,
    spelled_emails,
)

ENTITY_TYPES = (
    "email",
    "phone",
    "card",
    "iban",
    "ssn",
    "national_id",
    "ip",
    "dob",
    "api_key",
    "private_key",
    "password",
    "custom",
)


@dataclass(frozen=True)
class Hit:
    """One finding: `type` is one of ENTITY_TYPES, `start:end` a span of the original
    text, `detector` the key in DETECTORS that found it."""

    type: str
    start: int
    end: int
    detector: str


@dataclass(frozen=True)
class DetectorConfig:
    """What to look for beyond the built-in types, and the tuning knobs.

    >>> DetectorConfig(custom_patterns=("[",))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: custom pattern '[' is not a valid regular expression: unterminated character set ...
    """

    custom_terms: tuple[str, ...] = ()
    """Case-insensitive whole words or phrases, e.g. "Project Falcon", "confidential"."""
    custom_patterns: tuple[str, ...] = ()
    """Regular expressions (Python syntax), matched case-sensitively."""
    entropy_min_length: int = 20
    """Shortest token the high-entropy (unknown secret) check considers."""
    entropy_min_bits: float = 3.5
    """Shannon entropy per character a token needs to count as a secret."""
    phone_regions: tuple[str, ...] = ("US", "GB", "DE", "FR", "IN", "IT", "ES", "NL", "AU")
    """Regions whose national formats count; +CC and 00CC numbers count for any region."""
    context_chars: int = 48
    """How far from a keyword ("SSN", "born", "BSN"...) the value it announces may be."""
    disabled: tuple[str, ...] = ()
    """Keys of DETECTORS not to run."""

    def __post_init__(self) -> None:
        regions = set(self.phone_regions) - phonenumbers.SUPPORTED_REGIONS
        if regions:
            msg = f"unknown phone regions {sorted(regions)}; use ISO 3166 codes such as GB"
            raise ValueError(msg)
        for pattern in self.custom_patterns:
            try:
                re.compile(pattern)
            except re.error as error:
                msg = f"custom pattern {pattern!r} is not a valid regular expression: {error}"
                raise ValueError(msg) from None
        if self.entropy_min_length < 8:
            msg = f"entropy_min_length must be at least 8, not {self.entropy_min_length}"
            raise ValueError(msg)
        unknown = set(self.disabled) - set(DETECTORS)
        if unknown:
            msg = f"unknown detectors {sorted(unknown)}; known: {', '.join(DETECTORS)}"
            raise ValueError(msg)


Detector = Callable[[str, Normalised, DetectorConfig], list[Hit]]


def _hit(normalised: Normalised, kind: str, start: int, end: int, detector: str) -> Hit:
    """A hit for `normalised.text[start:end]`, located in the original text."""
    start, end = normalised.span(start, end)
    return Hit(kind, start, end, detector)


def _glued(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` is part of a longer word (letters, digits, "_")."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return before.isalnum() or before == "_" or after.isalnum() or after == "_"


def _keywords(pattern: str) -> re.Pattern[str]:
    """A keyword pattern, for `Normalised.lower`: so written in lower case, and folded
    like the text (Cyrillic look-alikes become Latin)."""
    if pattern.replace("(?P<", "") != pattern.replace("(?P<", "").lower():
        msg = f"keyword patterns are matched on lower-cased text; not lower case: {pattern}"
        raise ValueError(msg)
    return re.compile(fold(pattern))


def _words_in(
    pattern: re.Pattern[str], lower: str, start: int = 0, end: int | None = None
) -> Iterator[re.Match[str]]:
    """Matches of a keyword pattern in `lower[start:end]` that are not part of a longer
    word. (Keyword patterns start with a literal, not \\b: the search is then much
    faster, and the boundaries are checked here.) A match rejected for its boundaries is
    searched again from its next character: an alternative that ends inside a word
    ("steuerliche id" in "Steuerliche Identifikationsnummer") then does not hide a
    keyword starting later in it ("identifikationsnummer").

    >>> [m.group() for m in _words_in(_keywords(r"tax\\s+id|identification"), "tax identification")]
    ['identification']
    """
    end = len(lower) if end is None else end
    at = start
    while at < end:
        match = pattern.search(lower, at, end)
        if match is None:
            return
        first, last = match.span()
        if _joined(lower, first - 1, match.group()[:1]) or _joined(lower, last, match.group()[-1:]):
            at = first + 1
            continue
        yield match
        at = max(last, first + 1)


def _joined(text: str, index: int, edge: str) -> bool:
    """Whether an ASCII letter or digit at `index` continues a keyword ending in `edge`."""
    if not 0 <= index < len(text) or not (edge.isascii() and edge.isalnum()):
        return False
    char = text[index]
    return char.isascii() and char.isalnum()


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_SPACED_MIN = 9  # the shortest value spaced out that a detector validates (SSN, NINO)


def _spaced_out(
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


# -- email ------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.%+\-])[\w.%+\-]+@(?:[^\W_](?:[\w\-]{0,61}[^\W_])?\.)+([^\W\d_]{2,24})"
    r"(?![\w\-]|\.[^\W_])"
)
_FILE_SUFFIXES = _wordset("png jpg jpeg gif svg webp ico bmp tif tiff pdf js ts css")


def find_emails(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """Addresses in the usual form; not "icon@2x.png" nor "git@github.com:org/repo".

    >>> excerpts("To: Zoë.Müller+x@mail.example.de.")
    [('email', 'Zoë.Müller+x@mail.example.de')]
    """
    norm = normalised.text
    if "@" not in norm:
        return []
    return [
        _hit(normalised, "email", *match.span(), "email")
        for match in _EMAIL.finditer(norm)
        if _plausible_email(norm, match)
    ]


def _plausible_email(text: str, match: re.Match[str]) -> bool:
    local = match.group().split("@", 1)[0]
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return False
    if match.group(1).lower() in _FILE_SUFFIXES:
        return False
    return not (local == "git" and text.startswith(":", match.end()))


def find_spelled_emails(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """Addresses written with "at"/"dot" words or bracketed separators.

    >>> excerpts("reach me: jane (at) example (dot) com")
    [('email', 'jane (at) example (dot) com')]
    """
    return [
        _hit(normalised, "email", start, end, "email_obfuscated")
        for start, end, address in spelled_emails(normalised.text)
        if _EMAIL.fullmatch(address)
    ]


# -- phone numbers ----------------------------------------------------------------------

_AREA = r"\(\d{1,5}\)(?:[ \t]?[.\-/])?[ \t]?"  # "(0114)", "(087)-", "(212) "
_PHONE = re.compile(
    rf"(?<![\w+.\-/])(?P<number>\+?(?:{_AREA})?\d++"
    rf"(?:(?:[ \t]{{1,2}}|[ \t]?[.\-/][ \t]?)(?:{_AREA})?\d++"
    rf"|[ \t]?{_AREA}\d++)*+)"
    r"(?:[ \t]?(?:x|ext\.?|extension)[ \t]?\d{1,6}\b)?"  # an extension
)
_PHONE_WORDS = _keywords(
    r"\b(?:phone|tel|telephone|mobile|mob|cell|cellphone|fax|call|calls|ring|dial|sms|text|"
    r"whatsapp|signal|telegram|contact|hotline|landline|telefon|telefonnummer|handy|"
    r"handynummer|mobil|mobilnummer|rufnummer|t[ée]l[ée]phone|portable|t[ée]l[ée]fono|m[óo]vil|"
    r"celular|cellulare|telefono|mobiel|mobiele|telefoonnummer|"
    # "number" in the personal sense: my number, reach me, meine Nummer, mon numéro
    r"(?:my|your|his|her|our|their|new|best|direct|contact)\s+number(?!\s+of\b)|"
    r"reach\s+(?:me|us|him|her|them)|"
    r"(?:meine|mijn|mon|mi|mio|il\s+mio)\s+(?:nummer|num[ée]ro|n[úu]mero|numero)"
    r"(?!\s+(?:de|di|d'|van|der|des)\b))\b"
)
# A word heading a table's column of phone numbers.
_PHONE_COLUMN = _keywords(
    r"phone|telephone|tel|mobile|cell|cellphone|fax|landline|telefon|telefonnummer|handy|"
    r"handynummer|mobil|mobilnummer|rufnummer|t[ée]l[ée]phone|portable|t[ée]l[ée]fono|"
    r"m[óo]vil|celular|cellulare|telefono|mobiel|telefoonnummer|contact[\s_\-]?number"
)
# A label right before a number that says it is something else.
_NOT_PHONE_LABEL = _keywords(
    r"(?:\b(?:order|invoice|inv|ticket|case|issue|pr|po|sku|isbn|issn|"
    r"version|ver|v|build|rev|revision|release|tracking|item|part|model|page|pages|pp|id|"
    r"zip|postcode|postal\s+code|plz|transaction|txn|batch|lot|patent|bestellung|rechnung|"
    r"commande|facture|pedido|factura)\.?\s*(?:n(?:o|r|um|umber|ummer|uméro|úmero)\.?\s*)?"
    r"[:#=]?\s*|#\s*)$"
)
_LABEL_REACH = 8  # how far before a label a phone's name makes it the phone's
_MATH_BEFORE = re.compile(r"[\d)]\s*[-+*/×^=<>]\s*$")
_MATH_AFTER = re.compile(r"\s*[-+*/×^=<>%]\s*[\d(]")
_CURRENCY_BEFORE = _keywords(r"(?:[$€£¥₹]|\b(?:usd|eur|gbp|chf|inr|jpy|cad|aud))\s*$")
_CURRENCY_AFTER = _keywords(r"\s*(?:[$€£¥₹]|(?:usd|eur|gbp|chf|inr|jpy|cad|aud)\b)")
_DATE_LIKE = re.compile(r"\d{4}[./-]\d{1,2}[./-]\d{1,2}(?!\d)|\d{1,2}[./-]\d{1,2}[./-]\d{4}(?!\d)")
_DATE_ONLY = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")
_IPV4_ONLY = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_CONTINUES = re.compile(r"[:.,]\d")  # a time, a decimal, a thousands separator
_GROUP_START = re.compile(r"[ \t.\-/(]+\(?\d+\)?(?=[ \t.\-/(]|$)")  # where a group starts
_NANP = re.compile(r"(?:1[ .\-]?)?(?:\([2-9]\d{2}\)[ \t]?|[2-9]\d{2}[ .\-])[2-9]\d{2}[ .\-]\d{4}")


def find_phones(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """Numbers `phonenumbers` finds valid: +CC/00CC anywhere; national numbers written
    with a trunk 0 (020 7946 0958) or the North American way ((212) 456-7890); any
    other form only near a word like "phone" or "call". Not dates, order numbers,
    versions, sums or prices.

    >>> excerpts("Ring 030 12345678 or (212) 456-7890.")
    [('phone', '030 12345678'), ('phone', '(212) 456-7890')]
    >>> detect("order #0201234567, total 12345678 * 3 = 37037034, v10.0.19041.1")
    []

    In a table's column headed "phone", "mobile", "tel" and the like, a number
    `phonenumbers` finds valid or possible in a configured region counts:

    >>> excerpts("name,phone,city\\nAnn,011 4353612,Hulst")
    [('phone', '011 4353612')]
    """
    norm, lower = normalised.text, normalised.lower
    hits = _column_phones(normalised, config)
    listed = {hit.start for hit in hits}
    for match in _PHONE.finditer(norm):
        start, end = match.span()
        if normalised.span(start, end)[0] in listed:
            continue
        candidate = match.group("number")
        digits = sum(c.isdigit() for c in candidate)
        if not 7 <= digits <= 15 or _glued(norm, start, end) or _not_a_phone(normalised, match):
            continue
        announced = _PHONE_WORDS.search(lower, max(0, start - 40), start) is not None
        length = _phone_length(candidate, announced, config)
        if length == len(candidate):  # with its extension, if any
            hits.append(_hit(normalised, "phone", start, end, "phone"))
        elif length:
            hits.append(_hit(normalised, "phone", start, start + length, "phone"))
    return hits


def _column_phones(normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """Numbers in a column of phone numbers: valid or, in a cell of its own, possible."""
    norm, hits = normalised.text, []
    for _, low, high, exact in _cells_below(normalised, _PHONE_COLUMN):
        for match in _PHONE.finditer(norm, low, high):
            candidate = match.group("number")
            if not 7 <= sum(c.isdigit() for c in candidate) <= 15:
                continue
            if _DATE_LIKE.match(candidate) or _DATE_ONLY.fullmatch(candidate):
                continue
            if not _glued(norm, *match.span()) and _listed_phone(candidate, exact, config):
                hits.append(_hit(normalised, "phone", *match.span(), "phone"))
    return hits


def _listed_phone(candidate: str, possible: bool, config: DetectorConfig) -> bool:
    """Whether a number listed as a phone number is valid (or `possible`), as +CC/00CC
    anywhere or else in a configured region."""
    compact = candidate.replace(" ", "").replace("\t", "")
    regions: tuple[str | None, ...] = config.phone_regions
    if compact.startswith("+"):
        regions = (None,)
    elif compact.startswith("00") and not compact.startswith("000"):
        candidate, regions = "+" + candidate.lstrip()[2:], (None,)
    for region in regions:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if possible and phonenumbers.is_possible_number(number):  # cheaper than validity
            return True
        if phonenumbers.is_valid_number(number):
            return True
    return False


def _phone_length(candidate: str, announced: bool, config: DetectorConfig) -> int:
    """The length of the valid phone number the candidate is or starts with (it may
    run on into a house number or a year: "+44 20 7946 0958 221"), or 0."""
    starts = [m.start() for m in _GROUP_START.finditer(candidate)]
    for end in [len(candidate), *reversed(starts[-3:])]:
        prefix = candidate[:end].rstrip(" \t.-/(")
        if sum(c.isdigit() for c in prefix) >= 7 and _valid_phone(prefix, announced, config):
            return len(prefix)
    return 0


def _not_a_phone(normalised: Normalised, match: re.Match[str]) -> bool:
    """A date, a time stamp, an IP address, a labelled non-phone number, a sum, a price."""
    text, (start, end), candidate = normalised.text, match.span(), match.group("number")
    if _DATE_LIKE.match(candidate) or _DATE_ONLY.fullmatch(candidate):
        return True
    if _IPV4_ONLY.fullmatch(candidate) or _CONTINUES.match(text, end):
        return True
    before = normalised.lower[max(0, start - 30) : start]
    label = _NOT_PHONE_LABEL.search(before)
    # a phone's name right before the label makes it the phone's ("phone #: ..."); one
    # further back does not ("reach me after 5pm; order 0123456789")
    near_label = max(0, label.start() - _LABEL_REACH) if label else 0
    if label and not candidate.startswith("+") and not _PHONE_WORDS.search(before, near_label):
        return True
    if _MATH_BEFORE.search(before) and not candidate.startswith("+"):
        return True
    after = normalised.lower[end : end + 12]
    return bool(
        _MATH_AFTER.match(after) or _CURRENCY_BEFORE.search(before) or _CURRENCY_AFTER.match(after)
    )


def _valid_phone(candidate: str, announced: bool, config: DetectorConfig) -> bool:
    """Whether the candidate is a valid number in a form that counts without context
    (international, trunk 0, North American), or in any configured region if announced."""
    compact = candidate.replace(" ", "").replace("\t", "")
    if compact.startswith("+"):
        return _valid_in(candidate, (None,))
    if compact.startswith("00") and not compact.startswith("000"):
        return _valid_in("+" + candidate.lstrip()[2:], (None,))
    if announced:
        return _valid_in(candidate, config.phone_regions)
    separated = any(not c.isdigit() for c in compact)
    if compact.lstrip("(").startswith("0") and (separated or len(compact) >= 10):
        return _valid_in(candidate, [r for r in config.phone_regions if r not in ("US", "CA")])
    if _NANP.fullmatch(candidate.strip()):
        return _valid_in(candidate, ("US",))
    return False


def _valid_in(candidate: str, regions: tuple[str | None, ...] | list[str]) -> bool:
    for region in regions:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return True
    return False


# -- payment cards ----------------------------------------------------------------------

# (prefix digits, lowest, highest, lengths): issuer identification number ranges, wide
# rather than exact (JCB is 3528-3589, but anything from 35 counts).
_ANY = tuple(range(12, 20))
_IIN = (
    (1, 4, 4, (13, 16, 19)),  # Visa
    (2, 51, 55, (16,)),  # Mastercard
    (4, 2221, 2720, (16,)),  # Mastercard 2-series
    (2, 34, 34, (15,)),  # American Express
    (2, 37, 37, (15,)),
    (4, 2200, 2204, _ANY),  # Mir
    (2, 30, 30, _ANY),  # Diners Club
    (2, 35, 36, _ANY),  # JCB, Diners Club
    (2, 38, 39, _ANY),
    (4, 1800, 1800, (15,)),  # JCB 15
    (4, 2131, 2131, (15,)),
    (2, 50, 50, _ANY),  # Maestro, Verve
    (2, 56, 69, _ANY),  # Maestro, Discover, UnionPay, RuPay
    (4, 604, 604, _ANY),  # Maestro 0604
    (2, 81, 82, _ANY),  # UnionPay, RuPay
)
_IIN_FIRST_DIGITS = frozenset(
    str(n).zfill(size)[0] for size, low, high, _ in _IIN for n in range(low, high + 1)
)


def find_cards(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """12-19 digit numbers with a card issuer's prefix and a valid Luhn check digit,
    also in groups split by spaces, dots or dashes; not the fraction of a decimal.

    >>> excerpts("pay 4111-1111.1111 1111, 0.4532015112830366")
    [('card', '4111-1111.1111 1111')]
    """
    norm = normalised.text
    hits = []
    for run in digit_runs(norm, min_length=12):
        if not _glued(norm, run.start, run.end):
            for start, end in _card_windows(norm, run):
                hits.append(_hit(normalised, "card", start, end, "luhn"))
    return hits


def _card_windows(text: str, run: DigitRun) -> Iterator[tuple[int, int]]:
    """Spans of whole groups of the run that form a card number (the longest at each
    start, then on after it)."""
    groups, first = run.groups, 0
    while first < len(groups):
        last = _card_from(text, groups, first)
        if last is None:
            first += 1
        else:
            yield groups[first][0], groups[last][1]
            first = last + 1


def _card_from(text: str, groups: tuple[tuple[int, int], ...], first: int) -> int | None:
    """The last group of the longest card number starting at group `first`, if any."""
    start, end = groups[first]
    if text[start] not in _IIN_FIRST_DIGITS or end - start == 2:  # no card starts with a pair
        return None
    if _dot_between(text, groups, first - 1):
        return None
    found = None
    for last, digits in _windows_from(text, groups, first, _ANY):
        window = groups[first : last + 1]
        if not _dot_between(text, groups, last) and _card_grouping(window) and is_card(digits):
            found = last
    return found


def _windows_from(
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


def _dot_between(text: str, groups: tuple[tuple[int, int], ...], index: int) -> bool:
    """Whether groups `index` and `index + 1` are joined by a dot (a decimal point)."""
    if index < 0 or index + 1 >= len(groups):
        return False
    return "." in text[groups[index][1] : groups[index + 1][0]]


def _card_grouping(groups: tuple[tuple[int, int], ...]) -> bool:
    """Card-like grouping: one block; digit by digit; equal groups of three or more and
    a shorter last one (4-4-4-4, 4-4-4-4-3); or 4 then groups of 4 or more (Amex 4-6-5).
    Not pairs, which are rows of small numbers far more often than cards."""
    sizes = [end - start for start, end in groups]
    if len(sizes) == 1 or max(sizes) == 1:
        return True
    head = sizes[:-1]
    if len(set(head)) == 1 and head[0] >= 3 and sizes[-1] <= head[0]:
        return True
    return sizes[0] == 4 and min(sizes) >= 4


def is_card(digits: str) -> bool:
    """Whether `digits` has an issuer prefix and length and a valid Luhn digit.

    >>> is_card("4111111111111111"), is_card("4111111111111112"), is_card("1234567890123452")
    (True, False, False)
    """
    for size, low, high, lengths in _IIN:
        if len(digits) in lengths and low <= int(digits[:size]) <= high:
            return luhn.is_valid(digits)
    return False


# -- IBAN -------------------------------------------------------------------------------

_IBAN = re.compile(r"\b[A-Za-z]{2}\d{2}(?:[ \t\-]?[A-Za-z0-9]){11,30}")
_IBAN_BREAK = re.compile(r"[ \t\-]")


def find_ibans(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """IBANs valid for their country's length and format and the mod-97 check, with or
    without spaces, also spaced out character by character.

    >>> excerpts("IBAN DE89 3704 0044 0532 0130 00 bitte")
    [('iban', 'DE89 3704 0044 0532 0130 00')]
    >>> excerpts("IBAN: G B 8 2 - W E S T - 1 2 3 4 - 5 6 9 8 - 7 6 5 4 - 3 2")
    [('iban', 'G B 8 2 - W E S T - 1 2 3 4 - 5 6 9 8 - 7 6 5 4 - 3 2')]
    """
    norm = normalised.text
    hits = []
    for match in _IBAN.finditer(norm):
        end = _iban_end(norm, match)
        if end is not None:
            hits.append(_hit(normalised, "iban", match.start(), end, "iban"))
    spaced = _spaced_out(norm, lambda run, a, b: iban.is_valid(run.joined(norm, a, b)), longest=34)
    hits += [_hit(normalised, "iban", start, end, "iban") for start, end in spaced]
    return hits


def _iban_end(text: str, match: re.Match[str]) -> int | None:
    """The end of the longest valid IBAN the match starts with, at a word boundary."""
    start = match.start()
    breaks = [start + m.start() for m in _IBAN_BREAK.finditer(match.group())]
    for end in [match.end(), *reversed(breaks)]:
        if not _glued(text, start, end) and iban.is_valid(text[start:end]):
            return end
    return None


# -- US social security numbers ---------------------------------------------------------

_SSN = re.compile(r"(?<![\w\-])\d{3}([\- ]?)\d{2}\1\d{4}(?![\w\-])")
_SSN_DASHED = re.compile(r"\d{3}-\d{2}-\d{4}")
_SSN_WORDS = _keywords(
    r"ssn|ss#|ss\s?no|social\s+security|soc\.?\s*sec|"
    # "my social, it's ...", "her social is ...": not "social media" (see `_ssn_words`)
    r"social(?=\s*(?:[,:#=(]|is\b|it'?s\b|number\b|no\b))"
)
_POSSESSIVE_BEFORE = re.compile(r"(?:\bmy|\byour|\bhis|\bher|\btheir)\s+$")
_SSN_COLUMN = _keywords(r"ssn|social[\s_\-]?security(?:[\s_\-]?(?:number|no))?|ss#|ss[\s_]?no")


def find_ssns(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """AAA-GG-SSSS with the SSA rules (area not 000, 666 or 9xx, group not 00, serial
    not 0000); with spaces or no separator only near "SSN"/"social security"; also spaced
    out digit by digit ("1 2 3 - 4 5 - 6 7 8 9").

    >>> excerpts("SSN 123456789; id 123-45-6789; 2 1 4 - 8 2 - 6 4 5 8")
    [('ssn', '123456789'), ('ssn', '123-45-6789'), ('ssn', '2 1 4 - 8 2 - 6 4 5 8')]
    >>> detect("ticket 123 45 6789 or 000-12-3456")
    []

    Also any such number in a table's column headed "ssn" or "social security":

    >>> excerpts("name;ssn\\nAnn;087877035\\nBo;390 50 2638")
    [('ssn', '087877035'), ('ssn', '390 50 2638')]
    """
    norm, lower = normalised.text, normalised.lower
    hits = [
        _hit(normalised, "ssn", *match.span(), "ssn")
        for _, low, high, _ in _cells_below(normalised, _SSN_COLUMN)
        for match in _SSN.finditer(norm, low, high)
        if is_ssn(match.group())
    ]
    announced = next(_ssn_words(lower), None) is not None
    if not announced and not _SSN_DASHED.search(norm) and not spaced_runs(norm):
        return hits
    for match in _SSN.finditer(norm):
        start, end = match.span()
        if match.group(1) != "-" and not _ssn_announced(lower, start):
            continue
        if is_ssn(match.group()):
            hits.append(_hit(normalised, "ssn", start, end, "ssn"))

    def spaced_ssn(run: SpacedRun, first: int, last: int) -> bool:
        dashed = run.joined(norm, first, last, dashes=True)
        if not _SSN_DASHED.fullmatch(dashed) and not _ssn_announced(lower, run.positions[first]):
            return False
        return is_ssn(dashed)

    for start, end in _spaced_out(norm, spaced_ssn, longest=9):
        hits.append(_hit(normalised, "ssn", start, end, "ssn"))
    return hits


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


def _ssn_announced(lower: str, start: int) -> bool:
    return any(_ssn_words(lower, max(0, start - 40), start))


def _ssn_words(lower: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
    """Words naming an SSN in `lower[start:end]`; "social" alone only after "my",
    "your", "his", "her" or "their"."""
    for word in _words_in(_SSN_WORDS, lower, start, end):
        if word.group() != "social" or _POSSESSIVE_BEFORE.search(
            lower, max(0, word.start() - 7), word.start()
        ):
            yield word


# -- other national identifiers ---------------------------------------------------------

_NINO_BAD_PREFIXES = _wordset("BG GB NK KN TN NT ZZ")
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
    *((_keywords(words), lengths, check, False) for words, lengths, check in _ID_NUMBERS),
    (
        _keywords(_GENERIC_ID_WORDS),
        tuple(sorted({n for _, lengths, _ in _ID_NUMBERS for n in lengths})),
        _any_bare_id,
        True,
    ),
)
_ANY_ID_KEYWORD = _keywords("|".join([*(words for words, _, _ in _ID_NUMBERS), _GENERIC_ID_WORDS]))
# A keyword heading a column reaches the cells below it within this many characters.
_TABLE_REACH = 400
_HEADER_CELL = 48  # the longest cell of a table's header line
_COLUMN_SEPARATORS = ("\t", ";", "|", ",")
# Documents without a check digit: a number-like value right after the document's name.
_DOCUMENT = _keywords(
    r"\b(?:passport|passeport|reisepass|pasaporte|passaporto|personalausweis|ausweis|"
    r"driver'?s\s+licen[cs]e|driving\s+licen[cs]e|f[üu]hrerschein|permis\s+de\s+conduire|"
    r"(?:national\s+)?id(?:entity)?\s+card|national\s+id|carte\s+d'identit[ée])"
    r"(?:\s+(?:no|nr|number|num[ée]ro|nummer)\.?)?\s*(?:is|:|#|=)?\s*([a-z0-9]{6,12})\b"
)
_DOCUMENT_WORDS = ("pass", "ausweis", "licen", "schein", "permis", "id card", "national id")


def find_national_ids(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """Check-digit-validated national IDs: by format alone (UK NINO, ES DNI/NIE, IT
    codice fiscale, FR NIR, BR CPF, US ITIN), also spaced out character by character;
    bare digits near their name (DE Steuer-ID, NL BSN, IN Aadhaar, CA SIN, PL PESEL, BR
    CPF) or near a name of any national ID ("national ID", "ID number", "personal
    number"), or below such a name heading their column of a table; passport, ID card and
    driving licence numbers right after the document's name.

    >>> excerpts("DNI 12345678Z, BSN: 1112.22.333")
    [('national_id', '12345678Z'), ('national_id', '1112.22.333')]
    >>> excerpts("my NI number (B Y - 4 3 - 1 8 - 9 1 - A)")
    [('national_id', 'B Y - 4 3 - 1 8 - 9 1 - A')]
    >>> excerpts("name;national_id\\nMadhavi Bahri;5096 1571 0430")
    [('national_id', '5096 1571 0430')]
    >>> detect("part 12345678-0, 111222333 boxes")
    []
    """
    norm, lower = normalised.text, normalised.lower
    spans = [
        match.span()
        for match in _ID_FORMATS.finditer(norm)
        if _ID_CHECKS[match.lastgroup or ""](match.group().replace(" ", ""))
    ]
    spans += _spaced_out(norm, lambda run, a, b: _id_format(run.joined(norm, a, b)), longest=16)
    if any(_words_in(_ANY_ID_KEYWORD, lower)):
        spans += _id_numbers(norm, lower, config.context_chars)
    if any(word in lower for word in _DOCUMENT_WORDS):
        spans += [m.span(1) for m in _DOCUMENT.finditer(lower) if _has_digit(m.group(1))]
    return [_hit(normalised, "national_id", start, end, "national_id") for start, end in spans]


def _id_format(value: str) -> bool:
    """Whether `value` is, as a whole, a national ID of a format that counts alone."""
    match = _ID_FORMATS.fullmatch(value)
    return match is not None and _ID_CHECKS[match.lastgroup or ""](value)


def _id_numbers(text: str, lower: str, chars: int) -> list[tuple[int, int]]:
    """Spans of digit runs within `chars` of an ID's name, or in the column it heads,
    that are valid IDs of it."""
    spans = []
    for keyword, lengths, check, whole in _ID_KEYWORDS:
        for word in _words_in(keyword, lower):
            near = (max(0, word.start() - chars), min(len(text), word.end() + chars))
            below = [(a, b) for a, b, _ in _column_below(text, word.start(), word.end())]
            for low, high in [near, *below]:
                spans += [
                    (start, end)
                    for start, end, digits in _numbers_between(text, low, high, lengths, whole)
                    if not _glued(text, start, end) and check(digits)
                ]
    return spans


def _column_below(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """When the word at `start:end` is in a table's header (a line split by tabs, ";",
    "|" or "," into short cells), (start, end, exact) for the cells below it: in each
    following line split by the same separator, starting within `_TABLE_REACH`
    characters, the cell in the word's column (`exact`); in a line with more cells (a
    value with the separator in it, unquoted: "Feb 27, 1999"), the cells from the one
    as far from the start as the word's to the one as far from the end (not `exact`);
    in a line with fewer, the whole line (not `exact`). Separators inside double
    quotes do not split.

    >>> table = 'id,name,national id\\n1,Ann,5096 1571 0430\\n2,"Bo, Jr",3004 1157 5849\\nend'
    >>> [(table[a:b], exact) for a, b, exact in _column_below(table, 8, 19)]
    [('5096 1571 0430', True), ('3004 1157 5849', True)]
    >>> rows = "name,born,ssn\\nAnn,Feb 27, 1999,725286349\\nBo,1"
    >>> [(rows[a:b], exact) for a, b, exact in _column_below(rows, 5, 9)]
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


def _cells_below(
    normalised: Normalised, header: re.Pattern[str]
) -> Iterator[tuple[re.Match[str], int, int, bool]]:
    """(header word, start, end, exact) for every cell of a column that a word of
    `header` heads (see `_column_below`)."""
    for start, end in _header_lines(normalised.text):
        for word in _words_in(header, normalised.lower, start, end):
            for low, high, exact in _column_below(normalised.text, word.start(), word.end()):
                yield word, low, high, exact


@lru_cache(maxsize=4)
def _header_lines(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each line that may be a table's header: split by a separator
    that splits the next line too (cached: several detectors ask for the same text).

    >>> _header_lines("Hi,\\nname;dob\\nAnn;1999-05-15\\nBo;n/a")
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


def _numbers_between(
    text: str, low: int, high: int, lengths: tuple[int, ...], whole: bool = False
) -> Iterator[tuple[int, int, str]]:
    """(start, end, digits) of every run of whole digit groups in `text[low:high]` with
    a digit count in `lengths` ("1112.22.333", "36 574 261 809"); if `whole`, only of
    whole runs."""
    window = text[low:high]
    for run in digit_runs(window, min_length=min(lengths)):
        for first in range(1 if whole else len(run.groups)):
            for last, digits in _windows_from(window, run.groups, first, lengths):
                if not whole or last == len(run.groups) - 1:
                    yield low + run.groups[first][0], low + run.groups[last][1], digits


def _has_digit(value: str) -> bool:
    return any(c.isdigit() for c in value)


# -- IP addresses -----------------------------------------------------------------------

_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)")
_IPV6 = re.compile(r"(?<![\w:.])[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]*:[0-9A-Fa-f.]*(?:%\w+)?(?![\w:])")
# A label right before four dotted numbers that says they are no IP address.
_NOT_IP_LABEL = _keywords(
    r"(?:\bv|\bversion|\bver\.?|\brelease|\bbuild|\brev|\bfirmware|\bfw|\bupdate|\bpatch|"
    r"\bkernel|\bwindows|\bos|\bios|\bandroid|\bchrome|\bfirefox|\bpython|\bnode|\bjava|"
    r"\boid|\bchapter|\bsection|\bsec\.|§|\bstep|\bfigure|\bfig\.|\btable|\barticle|\bart\.|"
    r"\bpara(?:graph)?|\brule|\bclause|\bitem)\s*[:=]?\s*$"
)


def find_ips(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """IPv4 and IPv6 addresses that can identify a machine; not loopback, unspecified,
    multicast, broadcast, netmasks, one-digit quads (1.2.3.4: section and version numbers,
    public resolvers), nor labelled version or section numbers ("v1.2.3.4", "version
    10.0.0.1", "chapter 3.12.1.4").

    >>> excerpts("from 203.0.113.7 and fe80::1ff:fe23:4567:890a")
    [('ip', '203.0.113.7'), ('ip', 'fe80::1ff:fe23:4567:890a')]
    >>> detect("bind 127.0.0.1 or 0.0.0.0 mask 255.255.255.0, Chrome 120.0.6099.109, ::1")
    []
    """
    norm = normalised.text
    hits = []
    if "." in norm:
        for match in _IPV4.finditer(norm):
            before = normalised.lower[max(0, match.start() - 20) : match.start()]
            if not _NOT_IP_LABEL.search(before) and _identifying_ip(match.group()):
                hits.append(_hit(normalised, "ip", *match.span(), "ip"))
    if norm.count(":") >= 2:
        for match in _IPV6.finditer(norm):
            candidate = _without_port(match.group().rstrip("."))
            if _ipv6_like(candidate) and _identifying_ip(candidate):
                start = match.start()
                hits.append(_hit(normalised, "ip", start, start + len(candidate), "ip"))
    return hits


_FULL_IPV6_PORT = re.compile(r"(?:[0-9A-Fa-f]{1,4}:){8}\d{1,5}")


def _without_port(candidate: str) -> str:
    """A full IPv6 address (eight groups, no "::") with a port after it, written
    without the brackets a URL needs ("http://2b00:ff2c:...:b5b:8000"), without the port.

    >>> _without_port("2b00:ff2c:20a9:34a3:5737:b3c5:fb8e:b5b:8000"), _without_port("fe80::1:80")
    ('2b00:ff2c:20a9:34a3:5737:b3c5:fb8e:b5b', 'fe80::1:80')
    """
    if _FULL_IPV6_PORT.fullmatch(candidate):
        return candidate[: candidate.rindex(":")]
    return candidate


def _ipv6_like(candidate: str) -> bool:
    """At least one digit and four hex digits: not "a::b" nor "cafe::face"."""
    hex_digits = sum(c in "0123456789abcdefABCDEF" for c in candidate.split("%")[0])
    return hex_digits >= 4 and _has_digit(candidate)


def _identifying_ip(candidate: str) -> bool:
    try:
        address = ipaddress.ip_address(candidate)
    except ValueError:
        return False
    if address.is_loopback or address.is_unspecified or address.is_multicast:
        return False
    if address.version == 4:
        if len(candidate) == 7:  # 1.2.3.4
            return False
        value = int(address)
        inverted = ~value & 0xFFFFFFFF
        if value >> 24 == 255 and (inverted & (inverted + 1)) == 0:  # netmask, broadcast
            return False
    return True


# -- dates of birth ---------------------------------------------------------------------

_DOB_WORDS = _keywords(
    r"born|birth\s*date|date\s+of\s+birth|d\.?o\.?b\b\.?|birthday|b-?day|geb\.|"
    r"geboren|geburtsdatum|geburtstag|n[ée]e?\s+le|date\s+de\s+naissance|"
    r"fecha\s+de\s+nacimiento|nacid[oa]|nac[ií]|nasci|data\s+di\s+nascita|nat[oa]\s+il|"
    r"geboortedatum"
)
# Words a date comes before, in languages that put the verb last ("am 27.02.1988
# geboren"), and what may stand between them.
_DOB_BEFORE = _keywords(r"geboren")
_DOB_BETWEEN = re.compile(r"[ \t]+(?:[^\W\d]+[ \t]+){0,4}")
_DOB_COLUMN = _keywords(
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
_DATE = _keywords(
    r"\b(?:(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})|(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})"
    rf"|\d{{1,2}}(?:st|nd|rd|th|er|º|\.)?\s+(?:of\s+|de\s+)?(?:{_MONTHS})\.?"
    r"(?:,?\s+(?:de\s+)?(\d{4}))?"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?)(?!\d)"
)


def find_birth_dates(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """A date (numeric or with a month name; a year before 1900 does not count) shortly
    after "born", "date of birth", "DOB", "birthday", "geb." and the like.

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
    for word in _words_in(_DOB_WORDS, lower):
        date = _DATE.search(lower, word.end(), min(len(lower), word.end() + config.context_chars))
        if date is not None and _plausible_birth_date(date):
            hits.append(_hit(normalised, "dob", *date.span(), "dob"))
    if "geboren" in lower:
        for word in _words_in(_DOB_BEFORE, lower):
            date = _date_before(lower, word.start(), config.context_chars)
            if date is not None:
                hits.append(_hit(normalised, "dob", *date.span(), "dob"))
    for _, low, high, _ in _cells_below(normalised, _DOB_COLUMN):
        for date in _DATE.finditer(lower, low, high):
            if _plausible_birth_date(date):
                hits.append(_hit(normalised, "dob", *date.span(), "dob"))
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


# -- API keys and other secrets ---------------------------------------------------------

_VENDOR_KEY_FORMS = (
    r"\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA)[A-Z0-9]{16}\b"  # AWS
    r"|\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,255}\b|\bgithub_pat_[A-Za-z0-9_]{22,255}"  # GitHub
    r"|\bglpat-[A-Za-z0-9_\-]{20,}"  # GitLab
    r"|\bxox[abposr]-[A-Za-z0-9\-]{10,}|\bhooks\.slack\.com/services/[A-Za-z0-9/_\-]{20,}"  # Slack
    r"|\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|\bwhsec_[A-Za-z0-9]{24,}"  # Stripe
    r"|\bsk-[A-Za-z0-9_\-]{20,}"  # OpenAI, Anthropic and other sk- keys
    r"|\bAIza[0-9A-Za-z_\-]{35}|\bya29\.[0-9A-Za-z_\-]{20,}"  # Google
    r"|\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*"  # JWT
    r"|\bhf_[A-Za-z0-9]{30,}|\bnpm_[A-Za-z0-9]{36}\b|\bpypi-[A-Za-z0-9_\-]{50,}"  # HF, npm, PyPI
    r"|\bSG\.[A-Za-z0-9_\-]{16,}\.[A-Za-z0-9_\-]{16,}"  # SendGrid
    r"|\bsh(?:pat|pss|pca|ppa)_[a-fA-F0-9]{32}\b"  # Shopify
    r"|\b(?:AccountKey|SharedAccessKey)=[A-Za-z0-9+/]{20,}={0,2}"  # Azure
    r"|\b[Bb]earer\s+[A-Za-z0-9\-._~+/]{16,}=*"  # any bearer token
    r"|\b[Aa]uthorization:\s*[Bb]asic\s+[A-Za-z0-9+/]{8,}={0,2}"  # HTTP basic auth
)
_VENDOR_KEYS = re.compile(_VENDOR_KEY_FORMS)
# The keys, or the start of one that spaces split into groups ("AKIAR3SQ DFFXRGNE CFUO",
# "xoxb-5 431669 162106 -52398 ..."): its prefix, then a group and a space, the only
# match that ends in a space. (One search for both: each search of 2,000 characters
# takes some 30 us; a named group would make it ten times slower.)
_VENDOR_SCAN = re.compile(
    rf"{_VENDOR_KEY_FORMS}|\b(?:"
    r"(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA)|xox[abposr]-|"
    r"gh[pousr]_|github_pat_|glpat-|[sr]k_(?:live|test)_|whsec_|sk-|AIza|ya29\.|eyJ|hf_|npm_|"
    r"pypi-|SG\.|shp(?:at|ss|ca|pa)_)[\w\-+/=.]*+[ \t]"
)
# Strings one of which every vendor key contains (checked before the pattern runs).
_VENDOR_MARKS = (
    *[
        "AKIA",
        "ASIA",
        "ABIA",
        "ACCA",
        "AGPA",
        "AIDA",
        "AIPA",
        "ANPA",
        "ANVA",
        "AROA",
        "APKA",
        "ASCA",
    ],
    *[
        "ghp_",
        "gho_",
        "ghu_",
        "ghs_",
        "ghr_",
        "github_pat_",
        "glpat-",
        "xox",
        "hooks.slack",
        "_live_",
        "_test_",
    ],
    *[
        "whsec_",
        "sk-",
        "AIza",
        "ya29.",
        "eyJ",
        "hf_",
        "npm_",
        "pypi-",
        "SG.",
        "shpat_",
        "shpss_",
        "shpca_",
        "shppa_",
    ],
    *["AccountKey", "SharedAccessKey", "earer", "uthorization"],
)


def find_api_keys(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """Keys in a vendor's format: AWS, GitHub, GitLab, Slack, Stripe, OpenAI and other
    sk- keys, Google, JWTs, Hugging Face, npm, PyPI, SendGrid, Shopify, Azure, bearer
    tokens, HTTP basic credentials.

    >>> excerpts("export KEY=AKIAIOSFODNN7EXAMPLE")
    [('api_key', 'AKIAIOSFODNN7EXAMPLE')]
    >>> detect("pip install scikit-learn; see sk-learn-documentation-for-details")
    []

    A key split by spaces into groups counts when the groups joined are one:

    >>> excerpts("the AWS key is AKIAR3SQ DFFXRGNE CFUO. Thanks")
    [('api_key', 'AKIAR3SQ DFFXRGNE CFUO')]
    """
    norm = normalised.text
    if not any(mark in norm for mark in _VENDOR_MARKS):
        return []
    hits = []
    for match in _VENDOR_SCAN.finditer(norm):
        if match.group()[-1] in " \t":
            span = _split_key(norm, match)
            if span is not None:
                hits.append(_hit(normalised, "api_key", *span, "api_key"))
        elif _key_like(match.group()):
            hits.append(_hit(normalised, "api_key", *match.span(), "api_key"))
    return hits


_KEY_GROUP = re.compile(r"[ \t]{1,2}([\w\-+/=.]+)")
_SPLIT_GROUPS = 64  # the most groups joined


def _split_key(text: str, start: re.Match[str]) -> tuple[int, int] | None:
    """The span of the longest run of groups from `start` that, joined, is a vendor's
    key. The groups end at a word of a sentence ("and", "the"), after a full stop, or
    at a group that punctuation ends ('FTU"', "CFUO,")."""
    groups = [(start.start(), start.end() - 1)]
    at = start.end() - 1
    while len(groups) < _SPLIT_GROUPS and text[groups[-1][1] - 1] != ".":
        group = _KEY_GROUP.match(text, at)
        if group is None or _sentence_word(group.group(1)):
            break
        groups.append(group.span(1))
        at = group.end()
        if at < len(text) and not text[at].isspace():
            break
    while len(groups) > 1:
        low, high = groups.pop()
        high = low + len(text[low:high].rstrip("."))
        joined = "".join(text[a:b] for a, b in groups) + text[low:high]
        if _VENDOR_KEYS.fullmatch(joined) and _key_like(joined):
            return groups[0][0], high
    return None


def _sentence_word(group: str) -> bool:
    """A lower-case word with a word's share of vowels ("and", "the"), not a key's group."""
    return group.isalpha() and group.islower() and _pronounceable(group)


def _key_like(value: str) -> bool:
    """A generic-looking sk- key or bearer token needs a digit, to be told from words
    ("sk-learn-user-guide", "Bearer YOUR_ACCESS_TOKEN"); the other formats are exact."""
    if value.startswith("sk-") or value[:6].lower() == "bearer":
        return _has_digit(value)
    return True


_PIECES = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_VOWELS = frozenset("aeiouyAEIOUY")
_HEX = frozenset("0123456789abcdefABCDEF-")
# Hashes named by their algorithm; Stripe-style object IDs and publishable keys.
_NOT_SECRET_PREFIX = re.compile(
    r"(?i:sha(?:1|224|256|384|512)|md5|blake2b?)[-_]"
    r"|(?:evt|cus|pi|ch|acct|price|prod|sub|in|ii|txn|pm|seti|cs|req|po|tr|re|pk_live|pk_test)_"
)
_PATH_PART = re.compile(r"[a-z][a-z\-_]{2,}")


@lru_cache(maxsize=16)
def _token_pattern(min_length: int) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w+/=\-])[A-Za-z0-9+/_\-]{{{min_length},}}=*")


def find_high_entropy(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """Unknown secrets: long tokens of mixed letters and digits with high Shannon
    entropy that are not words, identifiers, paths, hex strings (git SHAs, hashes),
    UUIDs, "sha512-..." digests or Stripe-style object IDs ("evt_...", "cus_...").

    >>> excerpts("token rT7kQ2xLm9PqZ4vB8nW3yH6j")
    [('api_key', 'rT7kQ2xLm9PqZ4vB8nW3yH6j')]
    >>> detect("commit 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b")
    []
    >>> detect("see https://example.com/project/commit/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b")
    []
    >>> detect("id 550e8400-e29b-41d4-a716-446655440000")
    []
    >>> detect("getUserAccountSettings2024ByIdentifier cp311-cp311-manylinux_2_17_x86_64")
    []
    """
    norm, size = normalised.text, config.entropy_min_length
    hits = []
    for match in _token_pattern(size).finditer(norm):
        for start, end in _path_parts(match.group(), match.start(), size):
            if is_random_token(norm[start:end], config.entropy_min_bits):
                hits.append(_hit(normalised, "api_key", start, end, "entropy"))
    return hits


def _path_parts(token: str, start: int, size: int) -> list[tuple[int, int]]:
    """The token, or for a path ("com/project/commit/9f86...") its long parts."""
    parts = token.split("/")
    if len(parts) == 1 or not any(_PATH_PART.fullmatch(part) for part in parts):
        return [(start, start + len(token))]
    spans, at = [], start
    for part in parts:
        if len(part) >= size:
            spans.append((at, at + len(part)))
        at += len(part) + 1
    return spans


def is_random_token(token: str, min_bits: float = 3.5) -> bool:
    """Whether a token looks like a generated secret rather than a name or a hash.

    >>> is_random_token("wJalrXUtnFEMI/K7MDENG/bPxRfiCY8kq2Zp"), is_random_token("ClassName2")
    (True, False)
    """
    body = token.rstrip("=")
    if not _has_digit(body) or not any(c.isalpha() for c in body):
        return False
    if all(c in _HEX for c in body.removeprefix("0x")) or _NOT_SECRET_PREFIX.match(body):
        return False
    if _wordlike(body) or _class_changes(body) < 0.3:
        return False
    return _entropy(body) >= min_bits


def _wordlike(token: str) -> bool:
    """Half or more of it is in pronounceable pieces of three letters or more: a name."""
    words = sum(len(p) for p in _PIECES.findall(token) if len(p) >= 3 and _pronounceable(p))
    return words * 2 >= len(token)


def _pronounceable(piece: str) -> bool:
    """Letters with a word's share of vowels (random letters have about one in five)."""
    return piece[0].isalpha() and sum(c in _VOWELS for c in piece) * 4 >= len(piece)


def _class_changes(token: str) -> float:
    """The share of neighbouring letters/digits that change class (lower, upper, digit):
    about 0.6 for random base62, 0.4 for base36, 0.2-0.35 for names and version tags."""
    classes = [0 if c.islower() else 1 if c.isupper() else 2 for c in token if c.isalnum()]
    if len(classes) < 2:
        return 0.0
    return sum(a != b for a, b in itertools.pairwise(classes)) / (len(classes) - 1)


def _entropy(token: str) -> float:
    """Shannon entropy in bits per character."""
    size = len(token)
    return -sum(n / size * math.log2(n / size) for n in Counter(token).values())


_PRIVATE_KEY = re.compile(
    r"-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----(?:.*?-----END \1-----|.*)"
    r"|PuTTY-User-Key-File-\d+:.*?(?:Private-MAC:[ \t]*\S+|\Z)",
    re.DOTALL,
)
_KEY_BODY = re.compile(r"[A-Za-z0-9+/=]{16,}")


def find_private_keys(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """PEM private keys (RSA, EC, DSA, OpenSSH, PGP, encrypted PKCS#8) and PuTTY key
    files, from BEGIN to END, or to the end of the text when END is missing and some
    base64 follows BEGIN.

    >>> body = "MIIEow" + "A" * 40
    >>> pem = f"k:\\n-----BEGIN RSA PRIVATE KEY-----\\n{body}\\n-----END RSA PRIVATE KEY-----\\n"
    >>> [pem[h.start : h.end].splitlines()[0] for h in detect(pem)]
    ['-----BEGIN RSA PRIVATE KEY-----']
    >>> detect("What does -----BEGIN RSA PRIVATE KEY----- mean?")
    []
    """
    norm = normalised.text
    if "PRIVATE KEY" not in norm and "PuTTY-User-Key-File" not in norm:
        return []
    return [
        _hit(normalised, "private_key", *match.span(), "private_key")
        for match in _PRIVATE_KEY.finditer(norm)
        if "-----END" in match.group() or _KEY_BODY.search(match.group())
    ]


# -- passwords and other key=value secrets ----------------------------------------------

# Names of secrets: compound names first (the search takes the first that matches).
_SECRET_KEYS = (
    r"client[_\-]?secret|secret[_\-]?(?:access[_\-]?)?key|api[_\-]?(?:key|secret|token)|apikey|"
    r"access[_\-]?(?:key|token)|private[_\-]?key|account[_\-]?key|connection[_\-]?string|"
    r"conn[_\-]?str|(?:auth|session|refresh|oauth|bearer)[_\-]?token|password|passwd|passphrase|"
    r"passcode|passwort|secret|token|credentials?|kennwort|contrase[ñn]a|clave|mot\s+de\s+passe|"
    r"mdp|senha|wachtwoord|parola\s+d'ordine|пароль|密码|パスワード|비밀번호|pass|pwd|pw|pin"
)
_SECRET_KEY = _keywords(_SECRET_KEYS)
_VALUE = r"(\"[^\"\n]{1,200}\"|'[^'\n]{1,200}'|`[^`\n]{1,200}`|[^\s,;'\"<>(){}\[\]]{1,200})"
# What follows a secret's name: = "x", : x, "key": "x", : str = "x", is x, ist x; or a flag's
# value (--password x, --api-key=x).
_ASSIGNED = _keywords(
    r"[\"']?(?:\s*:\s*[a-z_][\w.\[\]]*(?:\s*[|,]\s*[\w.\[\]]+)*\s*=|\s*(?::=|=>|==?|:)"
    r"|(?P<prose>\s+(?:is\s+now|is|was|ist|est|es|é|è)\b\s*:?))"
    rf"[ \t]*{_VALUE}"
)
_NAME_BEFORE = re.compile(r"[a-z0-9_.\-]*$")
_FLAG_VALUE = re.compile(rf"(?:=|\s+){_VALUE}")
_XML_SECRET = _keywords(
    rf"<((?:[a-z0-9]+[_.\-])*(?:{_SECRET_KEYS}))>\s*([^<\s][^<\n]{{0,199}}?)\s*</\1>"
)
_URL_PASSWORD = _keywords(r"[a-z][a-z0-9+.\-]{1,20}://[^\s/:@]{1,100}:([^\s/@]{1,200})@")
_CODE_AFTER = re.compile(r"[(\[]|\.\w")  # a call, an index, an attribute: code, not a literal
_PLACEHOLDER = re.compile(
    r"(.)\1*|<.*>?|\{.*\}?|\[.*\]?|\$\{?[\w.]+\}?|\$\(.*\)?|%\w+%|\.\.\.|"
    r"(?:os\.environ|os\.getenv|process\.env|getenv|env|config|settings|self|this|request|"
    r"args|params|cfg|conf|options|opts|vault|secrets?)\b.*|"
    r"[a-z_]\w*\(.*\)|[a-z_]\w*(?:\.[a-z_]\w*)+"
)
_NOT_SECRETS = _wordset(
    """the a an not no none null nil true false undefined str string bytes int bool optional
    any secretstr text varchar char required incorrect wrong invalid missing empty too very
    stored hashed encrypted set reset changed expired correct needed mandatory case use
    enter your my must should will can cannot and or of for to in on with is are be see
    same hidden redacted removed omitted here below above field value input type length
    policy manager protected strength change update updated sent provided given generated
    used only also still being has have that this which it one form prompt environment
    default example placeholder tbd n/a na unknown secure strong weak long short please ok
    valid via from at by like such than when if but so then was were been get got new old
    more less least most first last based token tokens key keys secret secrets password
    passwords count limit limits file files number numbers string strings yes"""
)


def find_passwords(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """The value of a password, secret, token or key in key=value, key: value, JSON,
    YAML, XML, command-line and "my password is ..." forms (also German, French,
    Spanish, Portuguese, Dutch, Italian, Russian, Chinese, Japanese, Korean key names),
    and the password in a URL; not placeholders, environment lookups or type names.

    >>> excerpts('DB_PASSWORD="hunter2!"; mein Passwort ist Sommer2024.')
    [('password', 'hunter2!'), ('password', 'Sommer2024')]
    >>> detect("password: str = os.environ['PW']; token = tokenizer(x); max_tokens=100")
    []

    A value of mixed letters, digits and symbols (see `_password_like`) also counts
    with brackets in it, a few words after a password's name and a connecting word
    ("is", "to", ":"...), after "login" as the second of a "user / password" pair, and
    in a table's column headed "password":

    >>> excerpts("I changed the wifi password to Kestrel1691%. Login is kelly / Ti\\u200dger343?.")
    [('password', 'Kestrel1691%'), ('password', 'Ti\\u200dger343?')]
    >>> excerpts("user,password\\nann,Welcome1!")
    [('password', 'Welcome1!')]
    >>> detect("I changed the password to something longer. Should I pin torch==2.6.0 to 2.6?")
    []
    """
    norm, lower = normalised.text, normalised.lower
    spans = []
    for key in _SECRET_KEY.finditer(lower):
        if not _stands_alone(lower, key):
            continue
        span = _assigned_value(norm, lower, key)
        if span is None or _cut_short(norm, span[1]):
            span = _loose_value(norm, lower, key) or span
        if span is not None:
            spans.append(span)
    if any(word in lower for word in _LOGIN_HINTS):
        for key in _words_in(_LOGIN, lower):
            spans.append(_prose_value(norm, lower, key.end(), login=True))
    for word, low, high, exact in _cells_below(normalised, _PASSWORD_COLUMN):
        if exact and _ends_cell(norm, word.end()):
            spans.append(_listed_password(norm, low, high, word.group()))
    if "</" in lower:
        for match in _XML_SECRET.finditer(lower):
            spans.append(_value_span(norm, match.span(2), key=match.group(1), prose=False))
    if "://" in lower:
        for match in _URL_PASSWORD.finditer(lower):
            spans.append(_value_span(norm, match.span(1), key="", prose=False))
    return [_hit(normalised, "password", *span, "password") for span in spans if span]


def _assigned_value(text: str, lower: str, key: re.Match[str]) -> tuple[int, int] | None:
    """The span of the value assigned to the secret named at `key`, if it is one."""
    start, end = key.span()
    if _flag(lower, start):
        flag = _FLAG_VALUE.match(lower, end)
        return None if flag is None else _value_span(text, flag.span(1), key.group(), prose=False)
    value = _ASSIGNED.match(lower, end)
    if value is None:
        return None
    return _value_span(
        text, value.span(len(value.groups())), key.group(), value["prose"] is not None
    )


def _stands_alone(lower: str, key: re.Match[str]) -> bool:
    """Whether the secret's name at `key` is a word: a name of five letters or more may
    end a longer one (PGPASSWORD), a shorter one must stand alone (not "bypass", "spin")."""
    start, end = key.span()
    if _joined(lower, end, key.group()[-1]):
        return False
    return len(key.group()) >= 5 or not _joined(lower, start - 1, key.group()[0])


def _cut_short(text: str, end: int) -> bool:
    """Whether a value found ending at `end` runs on (into a bracket: "Xk9(ab!")."""
    return end < len(text) and not text[end].isspace() and text[end] not in ".,;:!?\"'`"


# Names of a password that a sentence may give its value a few words after ("the admin
# password for the router is X"); other secrets' names count only right before ":" or
# "=" ("token: (x7Kp!..." ) as `_SECRET_KEY` does not take brackets in a value.
_PROSE_PASSWORD = _keywords(
    r"password|passwort|passwd|passphrase|passcode|kennwort|contrase[ñn]a|mot\s+de\s+passe|"
    r"senha|wachtwoord|parola\s+d'ordine|пароль|密码|パスワード|비밀번호|pwd"
)
# Names of a login, whose password is the second of a "user / password" pair.
_LOGIN = _keywords(
    r"log-?in|logon|sign-?in|credentials|zugangsdaten|anmeldedaten|identifiants|inloggegevens"
)
_LOGIN_HINTS = (
    *("login", "log-in", "logon", "sign-in", "signin", "credential", "zugangsdaten"),
    *("anmeldedaten", "identifiants", "inloggegevens"),
)
_PASSWORD_COLUMN = _keywords(
    r"password|passwort|passwd|pwd|passcode|passphrase|kennwort|contrase[ñn]a|"
    r"mot[\s_\-]de[\s_\-]passe|senha|wachtwoord|pin"
)
# Words between a password's name and its value: "... password (for the router) is X".
_CONNECTORS = _wordset("is was are to now ist lautet war auf est était es era é è naar wordt")
_IMMEDIATE = re.compile(r"[\"']?[ \t]*(?::=|=>|->|==?|:)[ \t]*")
_TOKEN = re.compile(r"\S+")
_BLANKS = re.compile(r"[ \t]*")
_GAP_WORD = re.compile(r"[^\W\d_][\w'\-]*")
# Nouns that make a password's name part of another's: "password manager is 1Password8".
_PASSWORD_COMPOUNDS = _wordset(
    """manager managers policy policies hash hashes hashing hint hints reset resets strength
    field fields length requirement requirements rule rules rotation expiry expiration
    complexity vault generator prompt form page screen dialog recovery history change update
    protection protected app tool file files list lists entry entries"""
)
_PAIR = re.compile(r"[ \t]*[/|][ \t]*(?=\S)")
_PROSE_REACH = 64  # characters from a password's name to the last connecting word
_PROSE_WORDS = 8  # words from a password's name to its value
_NOT_PASSWORD = re.compile(
    r"[^@\s]+@[^@\s]+\.[a-z]{2,}"  # an e-mail address
    r"|[a-z][a-z0-9+.\-]*://.*|www\..*"  # a URL
    r"|[~.]{0,2}/.*|[a-z0-9_.\-]+(?:/[a-z0-9_.\-]+)+/?"  # a path
    r"|v?\d+(?:\.\d+)+(?:[\-+.][a-z0-9.\-+]+)?"  # a version
    r"|[\w\-]+\.(?:txt|pdf|docx?|xlsx?|csv|json|ya?ml|toml|ini|cfg|conf|env|log|md|html?|py|"
    r"js|ts|sh|zip|png|jpe?g)"  # a file name
    r"|[a-z_][\w.]*\(.*\)"  # a call
)


def _loose_value(text: str, lower: str, key: re.Match[str]) -> tuple[int, int] | None:
    """A password-like value (brackets and all) after the secret's name and ":" or "=",
    or, after a password's name, a few words on (see `_prose_value`)."""
    immediate = _IMMEDIATE.match(lower, key.end())
    if immediate is not None:
        return _candidate(text, immediate.end(), login=False, pin=key.group().endswith("pin"))
    if _PROSE_PASSWORD.fullmatch(key.group()):
        return _prose_value(text, lower, key.end(), login=False)
    return None


def _prose_value(text: str, lower: str, start: int, login: bool) -> tuple[int, int] | None:
    """The password given in the words after its name (or a login's) at `start`: right
    after ":" or "=", or after a connecting word ("is", "to"...) up to `_PROSE_WORDS`
    words on in the same line, with only words between (not the end of a sentence)."""
    immediate = _IMMEDIATE.match(lower, start)
    if immediate is not None:
        return _candidate(text, immediate.end(), login)
    line_end = text.find("\n", start)
    limit = min(start + _PROSE_REACH, len(text) if line_end < 0 else line_end)
    for index, token in enumerate(_TOKEN.finditer(lower, start, limit)):
        word = token.group()
        if index >= _PROSE_WORDS or (index == 0 and word in _PASSWORD_COMPOUNDS):
            return None
        if word[-1] in ":=" and _GAP_WORD.fullmatch(word[:-1]):
            return _candidate(text, token.end(), login)
        if word in _CONNECTORS:
            span = _candidate(text, token.end(), login)
            if span is not None:
                return span
        elif not _GAP_WORD.fullmatch(word):
            return None
    return None


def _candidate(text: str, start: int, login: bool, pin: bool = False) -> tuple[int, int] | None:
    """The span of the password-like value at `start` (after spaces), or for a login the
    second of a "user / password" or "user/password" pair."""
    token = _TOKEN.match(text, _BLANKS.match(text, start).end())
    if token is None:
        return None
    spans = [] if login else [token.span()]
    pair = _PAIR.match(text, token.end())
    if pair is not None:
        second = _TOKEN.match(text, pair.end())
        if second is not None:
            spans.append(second.span())
    elif login and "/" in token.group():
        spans.append((token.start() + token.group().index("/") + 1, token.end()))
    for low, high in spans:
        low, high = _trimmed(text, low, high)
        value = text[low:high]
        if (value.isdigit() and 4 <= len(value) <= 8) if pin else _password_like(value):
            return low, high
    return None


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without quotes around it or the punctuation of a sentence after it."""
    while end > start and text[end - 1] in "\"'`.,;:":
        end -= 1
    while start < end and text[start] in "\"'`":
        start += 1
    return start, end


def _password_like(value: str) -> bool:
    """Whether a value looks like a password: letters (three or more) and digits, and
    a symbol or eight characters or more; not an address, a URL, a path, a version, a
    file name, a call or a placeholder.

    >>> [_password_like(v) for v in ("Kestrel1691%", "battery-horse10", "Maple1&", "Windows")]
    [True, True, True, False]
    >>> [_password_like(v) for v in ("v1.2.3-rc1", "ann99@example.org", "settings_v2.yaml")]
    [False, False, False]
    >>> [_password_like(v) for v in ("$hmasC_zi8gZ", "$DB_PASS2", "${SECRET_1}", "f(x1, y2)")]
    [True, False, False, False]
    """
    if not 6 <= len(value) <= 64:
        return False
    letters = sum(c.isalpha() for c in value)
    digits = sum(c.isdigit() for c in value)
    symbols = sum(not c.isalnum() and c not in "_-." for c in value)
    if letters < 3 or not digits or (not symbols and len(value) < 8):
        return False
    lower = value.lower()
    if _NOT_PASSWORD.fullmatch(lower) or lower in _NOT_SECRETS:
        return False
    # "$hmasC_zi8gZ" is no shell variable: their names are in one case ($DB_PASS, $home)
    variable = value[0] == "$" and (value[1:].isupper() or value[1:].islower())
    return not _PLACEHOLDER.fullmatch(lower) or (value[0] == "$" and not variable)


def _ends_cell(text: str, end: int) -> bool:
    """Whether a header's word ending at `end` ends its cell ("db_password", not
    "password policy")."""
    return _CELL_END.match(text, end) is not None


_CELL_END = re.compile(r"[ \t\"']*(?:[\t;|,\n]|$)")


def _listed_password(text: str, start: int, end: int, key: str) -> tuple[int, int] | None:
    """The value of a table's cell in a column of passwords, if it is one."""
    start, end = _trimmed(text, start, end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    start, end = _trimmed(text, start, end)
    value = text[start:end]
    if not value or any(c.isspace() for c in value) or not _secret_value(value, key, False):
        return None
    return start, end


def _flag(lower: str, start: int) -> bool:
    """Whether the name ending at `start` is a command-line flag (--db-password)."""
    name = _NAME_BEFORE.search(lower, max(0, start - 64), start)
    return name is not None and name.group().startswith("--")


def _value_span(text: str, span: tuple[int, int], key: str, prose: bool) -> tuple[int, int] | None:
    """The span of the value (unquoted) in `text`; None when it is no secret."""
    start, end = span
    value = text[start:end]
    if value[:1] in "\"'`" and value[-1:] == value[:1] and len(value) >= 2:
        start, end, value = start + 1, end - 1, value[1:-1]
    elif _CODE_AFTER.match(text, end):
        return None
    else:
        value = value.rstrip(".,:!?" if prose else ".,:")
        end = start + len(value)
    return (start, end) if _secret_value(value, key, prose) else None


def _secret_value(value: str, key: str, prose: bool) -> bool:
    """Not a placeholder, a reference, a type name or an ordinary word of a sentence."""
    if key.endswith("pin"):
        return value.isdigit() and 4 <= len(value) <= 8
    lower = value.lower()
    if len(value) < 3 or lower in _NOT_SECRETS or _PLACEHOLDER.fullmatch(lower):
        return False
    return not (prose and value.isalpha() and value.islower() and len(value) < 5)


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

    >>> config = DetectorConfig(custom_terms=("Project Falcon",))
    >>> excerpts("the project\\nFALCON budget", config)
    [('custom', 'project\\nFALCON')]
    """
    pattern = _term_pattern(config.custom_terms)
    if pattern is None:
        return []
    return [
        _hit(normalised, "custom", *m.span(), "custom_term")
        for m in pattern.finditer(normalised.lower)
    ]


def find_custom_patterns(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """The configured regular expressions, on the normalised and the original text.

    >>> config = DetectorConfig(custom_patterns=(r"\\bEMP-\\d{6}\\b",))
    >>> excerpts("ask EMP-004211", config)
    [('custom', 'EMP-004211')]
    """
    hits = []
    for pattern in _custom_patterns(config.custom_patterns):
        for match in pattern.finditer(normalised.text):
            if match.end() > match.start():
                hits.append(_hit(normalised, "custom", *match.span(), "custom_pattern"))
        if normalised.text != text:
            for match in pattern.finditer(text):
                if match.end() > match.start():
                    hits.append(Hit("custom", *match.span(), "custom_pattern"))
    return hits


DETECTORS: dict[str, Detector] = {
    "email": find_emails,
    "email_obfuscated": find_spelled_emails,
    "phone": find_phones,
    "luhn": find_cards,
    "iban": find_ibans,
    "ssn": find_ssns,
    "national_id": find_national_ids,
    "ip": find_ips,
    "dob": find_birth_dates,
    "api_key": find_api_keys,
    "entropy": find_high_entropy,
    "private_key": find_private_keys,
    "password": find_passwords,
    "custom_term": find_custom_terms,
    "custom_pattern": find_custom_patterns,
}

DEFAULT_CONFIG = DetectorConfig()


def detect(text: str, config: DetectorConfig = DEFAULT_CONFIG) -> list[Hit]:
    """All hits, sorted by start, overlapping duplicates of the same type merged.

    >>> detect("call +44 20 7946 0958")
    [Hit(type='phone', start=5, end=21, detector='phone')]
    """
    normalised = normalise(text)
    hits = [
        hit
        for name, find in DETECTORS.items()
        if name not in config.disabled
        for hit in find(text, normalised, config)
    ]
    return merge(hits)


def warm_up(config: DetectorConfig = DEFAULT_CONFIG) -> None:
    """Load and compile now what the first calls of `detect` would (mostly the phone
    metadata of the configured regions: some 20 ms); +CC numbers of other regions still
    load theirs when first seen.

    >>> warm_up()
    """
    national = phonenumbers.PhoneNumberFormat.NATIONAL
    samples = []
    for region in config.phone_regions:
        for kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is not None:
                samples.append(phonenumbers.format_number(example, national))
                samples.append(f"+{example.country_code} {example.national_number}")
    detect(f"call {' or '.join(samples)}; phone 9876543210, 2125550123 or 07911 123456", config)


def merge(hits: list[Hit]) -> list[Hit]:
    """Merge overlapping hits of the same type (the earliest, then longest, names the
    detector); sort by start.

    >>> merge([Hit("api_key", 5, 30, "entropy"), Hit("api_key", 0, 20, "api_key")])
    [Hit(type='api_key', start=0, end=30, detector='api_key')]
    """
    merged: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.type, h.start, -h.end)):
        last = merged[-1] if merged else None
        if last is not None and last.type == hit.type and hit.start < last.end:
            if hit.end > last.end:
                merged[-1] = Hit(last.type, last.start, hit.end, last.detector)
        else:
            merged.append(hit)
    return sorted(merged, key=lambda h: (h.start, h.end, h.type))


def excerpts(text: str, config: DetectorConfig = DEFAULT_CONFIG) -> list[tuple[str, str]]:
    """(type, the text found) for each hit: for logs and tests.

    >>> excerpts("write to jane@example.org")
    [('email', 'jane@example.org')]
    """
    return [(hit.type, text[hit.start : hit.end]) for hit in detect(text, config)]
