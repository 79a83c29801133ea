"""The entity types the router's detectors report, known to settings without importing
the router (`router.sensitive_types` lists some of them).

Example:
    >>> check_entity_types(["email", "name"])
    ['email', 'name']
    >>> check_entity_types(["names"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: unknown entity types ['names']; known: email, phone, ..., address, custom
"""

from __future__ import annotations

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
    "name",
    "address",
    "custom",
)
"""Every type a detector reports (`inhouse.router.detectors.Hit.type`)."""


def check_entity_types(types: list[str]) -> list[str]:
    unknown = [t for t in types if t not in ENTITY_TYPES]
    if unknown:
        msg = f"unknown entity types {unknown}; known: {', '.join(ENTITY_TYPES)}"
        raise ValueError(msg)
    return types
