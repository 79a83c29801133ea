"""Keep the complete part of a JSON object that a model stopped writing mid-way.

A grammar makes every token valid JSON so far, but it cannot make a model finish before
its token limit. `salvage` cuts such an answer after the last complete value (a whole
list item or a whole ``"key": value`` pair) and closes the open brackets, so that the
caller can validate what was really written. An incomplete string is dropped, never
kept half-written.

Example:
    >>> salvage('{"vendor": "ACME", "total": 9.5, "line_items": [{"a": 1}, {"a": 2')
    {'vendor': 'ACME', 'total': 9.5, 'line_items': [{'a': 1}]}
    >>> salvage('{"people": ["Ann Lee", "Bo Gr')
    {'people': ['Ann Lee']}
    >>> salvage('no JSON here') is None
    True
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

_CLOSE = {"{": "}", "[": "]"}


def _cuts(text: str) -> list[tuple[int, list[str]]]:
    """Positions where everything before is complete, with the brackets open there."""
    stack: list[str] = []
    in_string = escaped = False
    cuts: list[tuple[int, list[str]]] = []
    for i, ch in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
        elif ch in _CLOSE:
            stack.append(ch)
            if len(stack) == 1:
                cuts.append((i + 1, list(stack)))  # "{" alone: an empty object
        elif ch in "}]":
            if not stack:
                break
            stack.pop()
            cuts.append((i + 1, list(stack)))
            if not stack:
                break
        elif ch == "," and stack:
            cuts.append((i, list(stack)))
    return cuts


def candidates(raw: str, limit: int = 256) -> Iterator[dict[str, Any]]:
    """Closed versions of the JSON object in `raw`, longest first (at most `limit`).

    The caller keeps the first one that validates: a cut inside a nested object may leave
    that object without a required key, and a shorter cut drops it whole.
    """
    start = raw.find("{")
    if start < 0:
        return
    text = raw[start:]
    for end, stack in reversed(_cuts(text)[-limit:]):
        closed = text[:end].rstrip().rstrip(",") + "".join(_CLOSE[c] for c in reversed(stack))
        try:
            value = json.loads(closed, strict=False)
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            yield value


def salvage(raw: str) -> dict[str, Any] | None:
    """The longest complete part of a truncated JSON object in `raw`, or None."""
    return next(candidates(raw), None)
