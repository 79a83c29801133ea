"""Small pieces every provider module uses: lazy imports, error translation, JSON formats."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Iterator
from types import ModuleType
from typing import Any

from inhouse.errors import InhouseError, MissingExtraError


def require(module: str, extra: str, what: str | None = None) -> ModuleType:
    """Import `module`, or say which extra installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(what or module, extra, exc) from exc


class TranslatesErrors:
    """Mixin for LangChain models: backend exceptions become one clear `InhouseError`.

    Subclasses implement `_translate_error(exc)` returning an `InhouseError` or None (keep
    the original). Put it first in the bases so it wraps the model's own methods; it
    works for chat models and completion models alike.
    """

    def _translate_error(self, exc: BaseException) -> InhouseError | None:
        return None

    def _raise_translated(self, exc: BaseException) -> None:
        if isinstance(exc, InhouseError):
            raise exc
        translated = self._translate_error(exc)
        if translated is None:
            raise exc
        raise translated from exc

    def _generate(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super()._generate(*args, **kwargs)  # type: ignore[misc]
        except Exception as exc:
            self._raise_translated(exc)
            raise

    async def _agenerate(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super()._agenerate(*args, **kwargs)  # type: ignore[misc]
        except Exception as exc:
            self._raise_translated(exc)
            raise

    def _stream(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        try:
            yield from super()._stream(*args, **kwargs)  # type: ignore[misc]
        except Exception as exc:
            self._raise_translated(exc)
            raise

    async def _astream(self, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        try:
            async for chunk in super()._astream(*args, **kwargs):  # type: ignore[misc]
                yield chunk
        except Exception as exc:
            self._raise_translated(exc)
            raise


def section_name(section: Any) -> str:
    """`llm`, `embeddings` or `cloud`: the settings path of a section, for messages."""
    return {"CloudSettings": "cloud", "EmbeddingSettings": "embeddings"}.get(
        type(section).__name__, "llm"
    )


def env_var(section: str, field: str) -> str:
    """The environment variable that sets `section.field`, e.g. ``INHOUSE_LLM__BASE_URL``."""
    return f"INHOUSE_{section.upper()}__{field.upper()}"


def secret(value: Any) -> str | None:
    """The plain text of an optional `SecretStr`."""
    return value.get_secret_value() if value is not None else None


def json_schema_format(schema: dict[str, Any]) -> dict[str, Any]:
    """An OpenAI ``response_format`` of type ``json_schema`` for `schema`.

    Example:
        >>> json_schema_format({"title": "Contact card", "type": "object"})["json_schema"]
        {'name': 'Contact_card', 'schema': {'title': 'Contact card', 'type': 'object'}}
    """
    name = str(schema.get("title") or "output").replace(" ", "_")[:64]
    return {"type": "json_schema", "json_schema": {"name": name, "schema": schema}}


def usage_metadata(prompt: int, completion: int) -> dict[str, int]:
    """LangChain's ``usage_metadata`` for `prompt` tokens in and `completion` tokens out."""
    total = prompt + completion
    return {"input_tokens": prompt, "output_tokens": completion, "total_tokens": total}
