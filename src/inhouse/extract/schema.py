"""One view of an output schema (a pydantic class or a JSON Schema dict).

`Schema.of(...)` gives the name, the JSON Schema a provider's constrained decoding gets,
a short description for the prompt, and `validate`, which turns raw model text into a
validated object or raises `InvalidOutput` with a one-line reason.

Example:
    >>> from pydantic import BaseModel
    >>> class Person(BaseModel):
    ...     name: str
    ...     age: int | None = None
    >>> spec = Schema.of(Person)
    >>> spec.validate('Sure! ```json\\n{"name": "Ann", "age": 3}\\n```')
    Person(name='Ann', age=3)
    >>> spec.constraint["required"]
    ['name', 'age']
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from inhouse.errors import ConfigError

_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)


class InvalidOutput(ValueError):
    """Raw model text that is not valid JSON for the schema; the message is one line."""


MAX_ITEMS = 32
"""Lists in a constrained answer hold at most this many items (unless the schema says)."""

MAX_STRING = 160
"""Strings in a constrained answer hold at most this many characters (unless the schema
says): a small model can otherwise repeat one digit inside a string until its token
limit, leaving nothing complete to keep."""


def strict(
    schema: dict[str, Any], max_items: int = MAX_ITEMS, max_string: int = MAX_STRING
) -> dict[str, Any]:
    """Every property required, in schema order (optional ones stay nullable); lists and
    free-text strings bounded.

    Grammar converters put required keys before optional ones and may skip optional
    ones; with all keys required the model writes every field, in the prompt's order.
    `max_items` and `max_string` stop a small model that repeats one list item, or one
    character, until its token limit.
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


def describe_errors(exc: ValidationError, limit: int = 3) -> str:
    """Pydantic errors as one line: ``total: Field required; date: ...``."""
    parts = []
    for err in exc.errors()[:limit]:
        where = ".".join(str(p) for p in err["loc"]) or "(root)"
        parts.append(f"{where}: {err['msg']}")
    more = exc.error_count() - limit
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


@dataclass(frozen=True)
class Schema:
    """The output schema of an extraction."""

    name: str
    json_schema: dict[str, Any]
    model: type[BaseModel] | None = None

    @classmethod
    def of(cls, schema: type[BaseModel] | dict[str, Any]) -> Schema:
        if isinstance(schema, type) and issubclass(schema, BaseModel):
            return cls(schema.__name__, schema.model_json_schema(), schema)
        if isinstance(schema, dict) and schema.get("type") == "object":
            _jsonschema()  # fail early when it cannot be validated
            return cls(str(schema.get("title") or "object"), schema)
        msg = f"extraction needs a pydantic model class or a JSON Schema object, got {schema!r}"
        raise ConfigError(msg)

    @property
    def constraint(self) -> dict[str, Any]:
        """The JSON Schema handed to constrained decoding."""
        return strict(self.json_schema)

    def validate(self, raw: str) -> Any:
        """A validated object from raw model text, or `InvalidOutput`."""
        return self.validate_value(parse_json(raw))

    def validate_value(self, value: Any) -> Any:
        if self.model is not None:
            try:
                return self.model.model_validate(value)
            except ValidationError as exc:
                raise InvalidOutput(describe_errors(exc)) from exc
        return _validate_dict(value, self.json_schema)

    def dump(self, obj: Any) -> dict[str, Any]:
        """A validated object as a JSON-ready dict, keys in schema order."""
        return obj.model_dump(mode="json") if isinstance(obj, BaseModel) else dict(obj)


def _jsonschema() -> Any:
    try:
        import jsonschema
    except ImportError as exc:
        msg = (
            "validating against a JSON Schema dict needs the jsonschema package"
            " (pip install jsonschema); or pass a pydantic model class"
        )
        raise ConfigError(msg) from exc
    return jsonschema


def _validate_dict(value: Any, schema: dict[str, Any]) -> Any:
    jsonschema = _jsonschema()
    try:
        jsonschema.validate(value, schema)
    except jsonschema.ValidationError as exc:
        where = ".".join(str(p) for p in exc.absolute_path) or "(root)"
        raise InvalidOutput(f"{where}: {exc.message}") from exc
    return value
