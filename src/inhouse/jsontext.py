"""JSON in model text: find it, keep the complete part of a cut answer, bound a schema.

Shared by everything that reads JSON a model wrote: `inhouse.extract` and the chat
models' `with_structured_output` (`inhouse.providers._structured`). No LangChain here.

`parse_json` takes the first JSON object in a reply, tolerating code fences and chatter.

A grammar makes every token valid JSON so far, but it cannot make a model finish before
its token limit. `salvage` (and `candidates`) cut such an answer after the last complete
value (a whole list item or a whole ``"key": value`` pair) and close the open brackets,
so that the caller can validate what was really written. An incomplete string is
dropped, never kept half-written.

`strict` bounds a JSON schema for constrained decoding: every key required (so the model
writes each one), lists and free-text strings capped (so a small model cannot repeat
one item or one character until its token limit).

Example:
    >>> salvage('{"vendor": "ACME", "total": 9.5, "line_items": [{"a": 1}, {"a": 2')
    {'vendor': 'ACME', 'total': 9.5, 'line_items': [{'a': 1}]}
    >>> salvage('{"people": ["Ann Lee", "Bo Gr')
    {'people': ['Ann Lee']}
    >>> salvage('no JSON here') is None
    True
    >>> parse_json('Sure! ```json\\n{"name": "Ann"}\\n```')
    {'name': 'Ann'}
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any

_CLOSE = {"{": "}", "[": "]"}
_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)

MAX_ITEMS = 32
"""Lists in a constrained answer hold at most this many items (unless the schema says)."""

MAX_STRING = 160
"""Strings in a constrained answer hold at most this many characters (unless the schema
says): a small model can otherwise repeat one digit inside a string until its token
limit, leaving nothing complete to keep."""


class InvalidOutput(ValueError):
    """Raw model text that is not valid JSON (for a schema); the message is one line."""


def parse_json(raw: str) -> Any:
    """The first JSON object in `raw`, tolerating code fences and chatter around it."""
    text = raw.strip()
    fenced = _FENCE.search(text)
    if fenced:
        text = fenced.group(1).strip()
    start = text.find("{")
    if start < 0:
        msg = "the output contains no JSON object" if text else "the output is empty"
        raise InvalidOutput(msg)
    try:  # strict=False: llama-cpp-python's schema grammar lets raw newlines into strings
        value, _ = json.JSONDecoder(strict=False).raw_decode(text[start:])
    except json.JSONDecodeError as exc:
        msg = f"the output is not valid JSON ({exc.msg} at character {exc.pos})"
        raise InvalidOutput(msg) from exc
    return value


def strict(
    schema: dict[str, Any], max_items: int = MAX_ITEMS, max_string: int = MAX_STRING
) -> dict[str, Any]:
    """Every property required, in schema order (optional ones stay nullable); lists and
    free-text strings bounded.

    Grammar converters put required keys before optional ones and may skip optional
    ones; with all keys required the model writes every field, in the prompt's order.
    `max_items` and `max_string` stop a small model that repeats one list item, or one
    character, until its token limit.

    >>> strict({"properties": {"a": {"type": "string"}}})["required"]
    ['a']
    """
    out = copy.deepcopy(schema)

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("properties"), dict):
                node["required"] = list(node["properties"])
            if node.get("type") == "array" and "items" in node:
                node.setdefault("maxItems", max_items)
            free_text = not {"enum", "const", "format", "pattern"} & set(node)
            if node.get("type") == "string" and free_text:
                node.setdefault("maxLength", max_string)
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(out)
    return out


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
