"""Financial identifiers: payment card numbers (issuer prefix, length and Luhn) and
IBANs (the country's length and format, and mod 97), also split into groups or spaced
out character by character."""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import iban, luhn

from inhouse.router.detectors import DetectorConfig, Hit
from inhouse.router.detectors.text import (
    cue_before,
    glued,
    hit_at,
    keywords,
    spaced_out,
    windows_from,
)
from inhouse.router.normalize import DigitRun, Normalised, digit_runs

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


# Words that announce a card number: a number of a card's length and grouping after
# one of them is a card number whatever its check digit says (a typo is still a card).
_CARD_WORDS = keywords(
    r"card|cards|credit|debit|cc|visa|mastercard|amex|american\s+express|maestro|discover|"
    r"diners|jcb|unionpay|rupay|pan|creditcard|karte|kreditkarte|kartennummer|carte|"
    r"tarjeta|carta|kaart|kortnummer"
)
_CARD_LENGTHS = range(13, 20)


def find_cards(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """12-19 digit numbers with a card issuer's prefix and a valid Luhn check digit,
    also in groups split by spaces, dots or dashes; not the fraction of a decimal. After
    a word like "card", "visa" or "Kreditkarte", any number of a card's length and
    grouping counts (`why="context"`), whatever the issuer prefix or Luhn say.

    >>> from inhouse.router.detectors import detect, excerpts
    >>> excerpts("pay 4111-1111.1111 1111, 0.4532015112830366")
    [('card', '4111-1111.1111 1111')]
    >>> [(h.why, h.evidence) for h in detect("my card 4111 1111 1111 1112 was declined")]
    [('context', 'card')]
    """
    norm, lower = normalised.text, normalised.lower
    hits = []
    for run in digit_runs(norm, min_length=12):
        if glued(norm, run.start, run.end):
            continue
        found = False
        for start, end in _card_windows(norm, run):
            hits.append(hit_at(normalised, "card", start, end, "luhn", "validated", "luhn"))
            found = True
        if found or not _card_shaped(norm, run):
            continue
        cue = cue_before(_CARD_WORDS, lower, run.start, config.context_chars)
        if cue:
            hits.append(hit_at(normalised, "card", run.start, run.end, "luhn", "context", cue))
    return hits


def _card_shaped(text: str, run: DigitRun) -> bool:
    """A whole run of a card's length and grouping, no decimal point in it."""
    digits = sum(end - start for start, end in run.groups)
    if digits not in _CARD_LENGTHS or not _card_grouping(run.groups):
        return False
    return not any(_dot_between(text, run.groups, i) for i in range(len(run.groups) - 1))


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
    for last, digits in windows_from(text, groups, first, _ANY):
        window = groups[first : last + 1]
        if not _dot_between(text, groups, last) and _card_grouping(window) and is_card(digits):
            found = last
    return found


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
# An IBAN's shape: country, check digits, then groups of four (the last shorter), or
# one block; upper case, so that the words after it are not taken in.
_IBAN_SHAPE = re.compile(r"[A-Z]{2}\d{2}(?:[ \t\-]?[A-Z0-9]{4}){2,7}(?:[ \t\-]?[A-Z0-9]{1,3})?\b")
_IBAN_WORDS = keywords(
    r"iban|bic|swift|account|acct|a/c|bank|wire|transfer|sepa|konto|kontonummer|"
    r"bankverbindung|compte|rib|cuenta|conta|conto|rekening|rekeningnummer|rachunek|"
    r"kontonr|bankkonto|tilinumero"
)


def find_ibans(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """IBANs valid for their country's length and format and the mod-97 check, with or
    without spaces, also spaced out character by character. The national rules some
    countries add (Spain's bank check digits, say) are not asked: a value that passes
    mod 97 is an account number. After a word like "IBAN", "account" or "Konto", any
    value of an IBAN's shape counts (`why="context"`), whatever the checks say.

    >>> from inhouse.router.detectors import detect, excerpts
    >>> excerpts("IBAN DE89 3704 0044 0532 0130 00 bitte")
    [('iban', 'DE89 3704 0044 0532 0130 00')]
    >>> excerpts("IBAN: G B 8 2 - W E S T - 1 2 3 4 - 5 6 9 8 - 7 6 5 4 - 3 2")
    [('iban', 'G B 8 2 - W E S T - 1 2 3 4 - 5 6 9 8 - 7 6 5 4 - 3 2')]
    >>> [(h.why, h.evidence) for h in detect("IBAN ES13 5500 0123 1588 5465 1826 please")]
    [('context', 'iban')]
    """
    norm, lower = normalised.text, normalised.lower
    hits = []
    for match in _IBAN.finditer(norm):
        end = _iban_end(norm, match)
        if end is not None:
            hits.append(
                hit_at(normalised, "iban", match.start(), end, "iban", "validated", "mod 97")
            )
            continue
        shape = _IBAN_SHAPE.match(norm, match.start())
        if shape is None:
            continue
        cue = cue_before(_IBAN_WORDS, lower, match.start(), config.context_chars)
        if cue:
            hits.append(hit_at(normalised, "iban", *shape.span(), "iban", "context", cue))
    spaced = spaced_out(norm, lambda run, a, b: _valid_iban(run.joined(norm, a, b)), longest=34)
    hits += [
        hit_at(normalised, "iban", start, end, "iban", "validated", "mod 97")
        for start, end in spaced
    ]
    return hits


def _valid_iban(value: str) -> bool:
    """The IBAN registry's length and format for the country, and mod 97."""
    return iban.is_valid(value, check_country=False)


def _iban_end(text: str, match: re.Match[str]) -> int | None:
    """The end of the longest valid IBAN the match starts with, at a word boundary."""
    start = match.start()
    breaks = [start + m.start() for m in _IBAN_BREAK.finditer(match.group())]
    for end in [match.end(), *reversed(breaks)]:
        if not glued(text, start, end) and _valid_iban(text[start:end]):
            return end
    return None
