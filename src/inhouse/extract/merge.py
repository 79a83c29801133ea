"""Merge the objects extracted from the pieces of a long text into one.

List fields are concatenated and de-duplicated (strings case- and
whitespace-insensitively, objects by structural equality); every other field takes the
first value that is not null (nor an empty string).

Example:
    >>> merge_dicts([{"people": ["Ann Lee"], "vendor": None},
    ...              {"people": ["ann  lee", "Bo"], "vendor": "ACME"}])
    {'people': ['Ann Lee', 'Bo'], 'vendor': 'ACME'}
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any


def dedup_key(value: Any) -> str:
    """The identity of a list item: normalised text, or canonical JSON for anything else."""
    if isinstance(value, str):
        return " ".join(value.casefold().split())
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def merge_lists(lists: Sequence[list[Any]]) -> list[Any]:
    """Concatenate, keeping the first of each duplicate."""
    seen: set[str] = set()
    out = []
    for items in lists:
        for item in items:
            key = dedup_key(item)
            if key not in seen:
                seen.add(key)
                out.append(item)
    return out


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def merge_dicts(parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Field by field, keys in the order of the first part (then new keys as met)."""
    keys: dict[str, None] = {}
    for part in parts:
        keys.update(dict.fromkeys(part))
    merged: dict[str, Any] = {}
    for key in keys:
        values = [part[key] for part in parts if key in part]
        if any(isinstance(v, list) for v in values):
            merged[key] = merge_lists([v for v in values if isinstance(v, list)])
        else:
            merged[key] = next((v for v in values if not _is_empty(v)), values[0])
    return merged
