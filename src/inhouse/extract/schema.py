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

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from inhouse.errors import ConfigError
from inhouse.jsontext import InvalidOutput, parse_json, strict

__all__ = ["InvalidOutput", "Schema", "describe_errors", "parse_json", "strict"]


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
