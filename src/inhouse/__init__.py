"""inhouse: run language models on your own hardware from LangChain.

Example:
    >>> from inhouse import load_settings, chat_model
    >>> model = chat_model(load_settings())
    >>> model.invoke("What is 2 + 2?").content  # doctest: +SKIP
"""

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


def __getattr__(name: str):  # imported on first use: chromadb and friends are heavy
    if name == "KnowledgeBase":
        from inhouse.rag.kb import KnowledgeBase

        return KnowledgeBase
    if name == "HybridRouter":
        from inhouse.router.hybrid import HybridRouter

        return HybridRouter
    raise AttributeError(f"module 'inhouse' has no attribute {name!r}")


__all__ = [
    "ConfigError",
    "ContextWindowExceededError",
    "HybridRouter",
    "InhouseError",
    "KnowledgeBase",
    "MissingExtraError",
    "ModelNotFoundError",
    "ProviderUnavailableError",
    "Settings",
    "chat_model",
    "cloud_model",
    "embeddings",
    "llm",
    "load_chain",
    "load_settings",
]
