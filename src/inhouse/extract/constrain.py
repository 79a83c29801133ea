"""How a chat model is told to produce JSON for a schema: its provider's own way.

Each provider's native constrained decoding (`Provider.constrain`) makes the output
valid by construction: a llama.cpp grammar, Ollama's ``format``, OpenAI's
``response_format`` of type ``json_schema``, an xgrammar logits processor on
transformers. See each provider module's ``constrain``.

Example:
    >>> from langchain_core.language_models.fake_chat_models import FakeListChatModel
    >>> bound = constrain(FakeListChatModel(responses=["{}"]), "ollama", {"type": "object"})
    >>> bound.kwargs
    {'format': {'type': 'object'}}
"""

from __future__ import annotations

from typing import Any

from inhouse.errors import ConfigError
from inhouse.providers.registry import get_provider, providers


def constrain(model: Any, provider: str, schema: dict[str, Any]) -> Any:
    """`model` bound so that it can only answer with JSON matching `schema`."""
    binder = get_provider(provider).constrain
    if binder is None:
        able = ", ".join(sorted(n for n, p in providers().items() if p.constrain is not None))
        msg = (
            f"provider {provider!r} has no constrained decoding; use one of: {able},"
            " or pass constrained=False"
        )
        raise ConfigError(msg)
    return binder(model, schema)
