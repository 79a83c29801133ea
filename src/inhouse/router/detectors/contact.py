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
from inhouse.router.detectors.text import cells_below, glued, hit_at, keywords, words_in, wordset
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
        hit_at(normalised, "email", *match.span(), "email", "format", "address")
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
        hit_at(normalised, "email", start, end, "email_obfuscated", "format", "spelled out")
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
    """Phone-shaped numbers (7 to 15 digits in groups, an optional +, (0) or an area
    code in brackets, an extension): those `phonenumbers` finds valid, +CC/00CC
    anywhere, national ones written with a trunk 0 (020 7946 0958) or the North
    American way ((212) 456-7890); any +CC number of a possible length; and any other
    one next to a cue: a word like "phone", "call", "reach me", "answering at" before
    it in the same sentence (or on the line above, as a label ending in ":"), a label
    like "-Office", "fax", "mobile" right after it, or a line of its own in a contact
    block (see `_in_contact_block`). Validity then raises confidence but does not clear
    a number: an unassigned area code next to "call" is still someone's number. Not
    dates, times, order or invoice numbers, versions, sums, prices, ISBNs.

    >>> from inhouse.router.detectors import detect, excerpts
    >>> excerpts("Ring 030 12345678 or (212) 456-7890.")
    [('phone', '030 12345678'), ('phone', '(212) 456-7890')]
    >>> excerpts("They're not answering at 374 780 163. Fax: 28-81-33-70; 9885 1152-Office")
    [('phone', '374 780 163'), ('phone', '28-81-33-70'), ('phone', '9885 1152')]
    >>> [(h.why, h.evidence) for h in detect("call 469 34 883 or +44 7700 677662")]
    [('context', 'call'), ('format', '+CC')]
    >>> detect("order #0201234567, total 12345678 * 3 = 37037034, v10.0.19041.1")
    []

    In a table's column headed "phone", "mobile", "tel" and the like, a number
    `phonenumbers` finds valid or possible in a configured region counts:

    >>> excerpts("id,phone,city\\n7,011 4353612,Hulst")
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
        if length:
            last = end if length == len(candidate) else start + length  # with its extension
            hits.append(hit_at(normalised, "phone", start, last, "phone", "validated",
                               "phonenumbers"))  # fmt: skip
            continue
        if _DATE_SPACED.fullmatch(candidate):
            continue
        if _international(candidate):
            hits.append(hit_at(normalised, "phone", start, end, "phone", "format", "+CC"))
            continue
        cue = "" if _ROUND.fullmatch(candidate) else _cue(normalised, start, end)
        if cue:
            hits.append(hit_at(normalised, "phone", start, end, "phone", "context", cue))
    return hits


# Cues before a number in the same sentence, beyond the words of `_PHONE_WORDS`.
_PHONE_CUES = keywords(
    r"\b(?:phone|tel|telephone|mobile|mob|cell|cellphone|fax|call|calls|called|calling|"
    r"ring|dial|sms|whatsapp|signal|telegram|contact|hotline|landline|office|desk|"
    r"text(?=\s+(?:me|us|him|her|them)\b|\s*:)|(?:text|call|ring)\s+(?:me|us|him|her|them)|"
    r"reach\s+(?:me|us|you|him|her|them)|reachable|answer(?:ing|s)?\s+(?:at|on)|messages?\s+(?:to|on|at)|"
    r"registered(?:\s+(?:mobile|phone|number))?|"
    r"(?:my|your|his|her|our|their|new|best|direct|contact|registered)\s+number(?!\s+of\b)|"
    r"telefon|telefonnummer|handy|handynummer|mobil|mobilnummer|rufnummer|erreichbar|"
    r"t[ée]l[ée]phone|portable|t[ée]l[ée]fono|m[óo]vil|celular|cellulare|telefono|mobiel|"
    r"mobiele|telefoonnummer|bereikbaar|"
    r"(?:meine|mijn|mon|mi|mio|il\s+mio)\s+(?:nummer|num[ée]ro|n[úu]mero|numero)"
    r"(?!\s+(?:de|di|d'|van|der|des)\b))\b\.?"
)
# A label right after a number: "9885 1152-Office", "+44 7700 900123 (mobile)".
_PHONE_LABEL_AFTER = keywords(
    r"[ \t]*[-/(,]?[ \t]*(office|fax|mobile|mob|cell|home|work|desk|direct|landline|"
    r"phone|tel|whatsapp|handy|mobil|b[üu]ro|portable|m[óo]vil)\b"
)
_CUE_GAP = re.compile(r"[^.?!\n]*|[^.?!\n]*:[ \t]*\n[ \t]*")  # no sentence ends between
_CUE_REACH = 40
_ROUND = re.compile(r"\d+0000")  # a count ("1000000 items"), not a phone number
_DATE_SPACED = re.compile(r"\d{1,2} \d{1,2} (?:19|20)\d{2}")
_LINE_ONLY = re.compile(r"[ \t>*\-•|]*")


def _cue(normalised: Normalised, start: int, end: int) -> str:
    """The cue that makes the number at `start:end` a phone number, or "": a cue word
    before it in the same sentence (or a label line above ending in ":"), a label after
    it, or "contact block"."""
    lower = normalised.lower
    found = None
    for word in words_in(_PHONE_CUES, lower, max(0, start - _CUE_REACH), start):
        found = word
    if found is not None and _CUE_GAP.fullmatch(lower, found.end(), start):
        return " ".join(found.group().rstrip(".").split())
    after = _PHONE_LABEL_AFTER.match(lower, end)
    if after is not None:
        return after.group(1)
    return "contact block" if _in_contact_block(normalised.text, start, end) else ""


def _in_contact_block(text: str, start: int, end: int) -> bool:
    """Whether the number at `start:end` stands on a line of its own (bullets and
    quote marks aside) below at least two short lines without a sentence's end, one
    of them with a capital letter: a signature or an address block ("Ann Lee / 12 Long
    Street / Springfield / 555 0134")."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if not (
        _LINE_ONLY.fullmatch(text, line_start, start) and text[end:line_end].strip(" \t.,;") == ""
    ):
        return False
    above = [line.strip(" \t>*-•|") for line in text[:line_start].split("\n")[-5:]]
    short = [line for line in above if line and len(line) <= 60 and line[-1] not in ".?!"]
    return len(short) >= 2 and any(c.isupper() for line in short for c in line)


def _international(candidate: str) -> bool:
    """A +CC number of a possible length for its country code ("+44 7700 677662",
    "+1 (370) 827-4179"): the + leaves no doubt what it is, assigned range or not."""
    compact = candidate.lstrip()
    if not compact.startswith("+") or not compact[1:2].isdigit():
        return False
    try:
        return phonenumbers.is_possible_number(phonenumbers.parse(candidate, None))
    except phonenumbers.NumberParseException:
        return False


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
            if glued(norm, *match.span()):
                continue
            if _listed_phone(candidate, exact, config):
                why, evidence = "validated", "phonenumbers"
            elif exact and not _DATE_SPACED.fullmatch(candidate):
                why, evidence = "context", "column"
            else:
                continue
            hits.append(hit_at(normalised, "phone", *match.span(), "phone", why, evidence))
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
