"""Contact details: e-mail addresses (also spelled out with "at"/"dot") and phone numbers.

A bare run of digits is a phone number only when `phonenumbers` finds it valid in a form
that counts without context (+CC, 00CC, a trunk 0, the North American way), near a word
like "phone" or "call", or in a table's column headed "phone" (see
`inhouse.router.detectors.text.column_below`). `phonenumbers` parses only candidates
that passed the shape and context checks: its PhoneNumberMatcher takes some 0.4 ms per
region to scan 2,000 characters, so it is not used.
"""

from __future__ import annotations

import re

import phonenumbers

from inhouse.router.detectors import DetectorConfig, Hit
from inhouse.router.detectors.text import cells_below, glued, hit_at, keywords, wordset
from inhouse.router.normalize import Normalised, spelled_emails

# -- email ------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.%+\-])[\w.%+\-]+@(?:[^\W_](?:[\w\-]{0,61}[^\W_])?\.)+([^\W\d_]{2,24})"
    r"(?![\w\-]|\.[^\W_])"
)
_FILE_SUFFIXES = wordset("png jpg jpeg gif svg webp ico bmp tif tiff pdf js ts css")


def find_emails(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """Addresses in the usual form; not "icon@2x.png" nor "git@github.com:org/repo".

    >>> from inhouse.router.detectors import excerpts
    >>> excerpts("To: Zoë.Müller+x@mail.example.de.")
    [('email', 'Zoë.Müller+x@mail.example.de')]
    """
    norm = normalised.text
    if "@" not in norm:
        return []
    return [
        hit_at(normalised, "email", *match.span(), "email")
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

    >>> from inhouse.router.detectors import excerpts
    >>> excerpts("reach me: jane (at) example (dot) com")
    [('email', 'jane (at) example (dot) com')]
    """
    return [
        hit_at(normalised, "email", start, end, "email_obfuscated")
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
_PHONE_WORDS = keywords(
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
_PHONE_COLUMN = keywords(
    r"phone|telephone|tel|mobile|cell|cellphone|fax|landline|telefon|telefonnummer|handy|"
    r"handynummer|mobil|mobilnummer|rufnummer|t[ée]l[ée]phone|portable|t[ée]l[ée]fono|"
    r"m[óo]vil|celular|cellulare|telefono|mobiel|telefoonnummer|contact[\s_\-]?number"
)
# A label right before a number that says it is something else.
_NOT_PHONE_LABEL = keywords(
    r"(?:\b(?:order|invoice|inv|ticket|case|issue|pr|po|sku|isbn|issn|"
    r"version|ver|v|build|rev|revision|release|tracking|item|part|model|page|pages|pp|id|"
    r"zip|postcode|postal\s+code|plz|transaction|txn|batch|lot|patent|bestellung|rechnung|"
    r"commande|facture|pedido|factura)\.?\s*(?:n(?:o|r|um|umber|ummer|uméro|úmero)\.?\s*)?"
    r"[:#=]?\s*|#\s*)$"
)
_LABEL_REACH = 8  # how far before a label a phone's name makes it the phone's
_MATH_BEFORE = re.compile(r"[\d)]\s*[-+*/×^=<>]\s*$")
_MATH_AFTER = re.compile(r"\s*[-+*/×^=<>%]\s*[\d(]")
_CURRENCY_BEFORE = keywords(r"(?:[$€£¥₹]|\b(?:usd|eur|gbp|chf|inr|jpy|cad|aud))\s*$")
_CURRENCY_AFTER = keywords(r"\s*(?:[$€£¥₹]|(?:usd|eur|gbp|chf|inr|jpy|cad|aud)\b)")
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

    >>> from inhouse.router.detectors import detect, excerpts
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
        if not 7 <= digits <= 15 or glued(norm, start, end) or _not_a_phone(normalised, match):
            continue
        announced = _PHONE_WORDS.search(lower, max(0, start - 40), start) is not None
        length = _phone_length(candidate, announced, config)
        if length == len(candidate):  # with its extension, if any
            hits.append(hit_at(normalised, "phone", start, end, "phone"))
        elif length:
            hits.append(hit_at(normalised, "phone", start, start + length, "phone"))
    return hits


def _column_phones(normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """Numbers in a column of phone numbers: valid or, in a cell of its own, possible."""
    norm, hits = normalised.text, []
    for _, low, high, exact in cells_below(normalised, _PHONE_COLUMN):
        for match in _PHONE.finditer(norm, low, high):
            candidate = match.group("number")
            if not 7 <= sum(c.isdigit() for c in candidate) <= 15:
                continue
            if _DATE_LIKE.match(candidate) or _DATE_ONLY.fullmatch(candidate):
                continue
            if not glued(norm, *match.span()) and _listed_phone(candidate, exact, config):
                hits.append(hit_at(normalised, "phone", *match.span(), "phone"))
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
