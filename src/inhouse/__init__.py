"""inhouse: run language models on your own hardware from LangChain.

Example:
    >>> from inhouse import load_settings, chat_model
    >>> model = chat_model(load_settings())
    >>> model.invoke("What is 2 + 2?").content  # doctest: +SKIP

The names below the settings and the factory are imported on first use (chromadb,
phone metadata and the like are heavy); type checkers and editors see them through the
``TYPE_CHECKING`` imports.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from inhouse.chains import load_chain
from inhouse.errors import (
    ConfigError,
    ContextWindowExceededError,
    InhouseError,
    MissingExtraError,
    ModelNotFoundError,
    ProviderUnavailableError,
)
from inhouse.factory import chat_model, cloud_model, embeddings, llm
from inhouse.settings import Settings, load_settings

if TYPE_CHECKING:
    from inhouse.extract import ExtractionError, extract
    from inhouse.rag.answer import Answer, Source
    from inhouse.rag.kb import KnowledgeBase
    from inhouse.router.hybrid import HybridRouter
    from inhouse.router.policy import RouteDecision

_LAZY = {
    "Answer": "inhouse.rag.answer",
    "ExtractionError": "inhouse.extract",
    "HybridRouter": "inhouse.router.hybrid",
    "KnowledgeBase": "inhouse.rag.kb",
    "RouteDecision": "inhouse.router.policy",
    "Source": "inhouse.rag.answer",
    "extract": "inhouse.extract",
}


def __getattr__(name: str) -> Any:
    home = _LAZY.get(name)
    if home is None:
        raise AttributeError(f"module 'inhouse' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


class _Package(types.ModuleType):
    """Keeps ``inhouse.extract`` the function: importing the subpackage of the same name
    would otherwise rebind it to the module (``from inhouse.extract import ...`` and
    ``import inhouse.extract`` work as usual, through ``sys.modules``)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "extract" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


__all__ = [
    "Answer",
    "ConfigError",
    "ContextWindowExceededError",
    "ExtractionError",
    "HybridRouter",
    "InhouseError",
    "KnowledgeBase",
    "MissingExtraError",
    "ModelNotFoundError",
    "ProviderUnavailableError",
    "RouteDecision",
    "Settings",
    "Source",
    "chat_model",
    "cloud_model",
    "embeddings",
    "extract",
    "llm",
    "load_chain",
    "load_settings",
]
