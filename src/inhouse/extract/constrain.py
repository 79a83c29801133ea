"""Provider -> how its chat model is told to produce JSON for a schema.

Each provider's native constrained decoding makes the output valid by construction:

- llamacpp: ``response_format={"type": "json_object", "schema": ...}``, which
  `Llama.create_chat_completion` turns into a JSON-schema grammar;
- ollama: ``format=<schema>`` (the server enforces it with a grammar);
- openai: ``response_format`` of type ``json_schema`` (inhouse's chat model retries with
  llama_cpp.server's ``json_object`` form when a server rejects it);
- huggingface: ``response_format`` as for openai; inhouse's pipeline turns it into an
  xgrammar logits processor for ``model.generate``.

Example:
    >>> from langchain_core.language_models.fake_chat_models import FakeListChatModel
    >>> bound = constrain(FakeListChatModel(responses=["{}"]), "ollama", {"type": "object"})
    >>> bound.kwargs
    {'format': {'type': 'object'}}
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from inhouse.errors import ConfigError

Binder = Callable[[Any, dict[str, Any]], Any]


def _json_schema_format(schema: dict[str, Any]) -> dict[str, Any]:
    name = str(schema.get("title") or "output").replace(" ", "_")[:64]
    return {"type": "json_schema", "json_schema": {"name": name, "schema": schema}}


def _llamacpp(model: Any, schema: dict[str, Any]) -> Any:
    return model.bind(response_format={"type": "json_object", "schema": schema})


def _ollama(model: Any, schema: dict[str, Any]) -> Any:
    return model.bind(format=schema)


def _openai(model: Any, schema: dict[str, Any]) -> Any:
    return model.bind(response_format=_json_schema_format(schema))


def _huggingface(model: Any, schema: dict[str, Any]) -> Any:
    return model.bind(response_format=_json_schema_format(schema))


BINDERS: dict[str, Binder] = {
    "llamacpp": _llamacpp,
    "ollama": _ollama,
    "openai": _openai,
    "huggingface": _huggingface,
}


def constrain(model: Any, provider: str, schema: dict[str, Any]) -> Any:
    """`model` bound so that it can only answer with JSON matching `schema`."""
    binder = BINDERS.get(provider)
    if binder is None:
        known = ", ".join(sorted(BINDERS))
        msg = (
            f"no constrained decoding for provider {provider!r}; use one of: {known},"
            " or pass constrained=False"
        )
        raise ConfigError(msg)
    return binder(model, schema)
