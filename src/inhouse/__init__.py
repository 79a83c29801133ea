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

__all__ = [
    "ConfigError",
    "ContextWindowExceededError",
    "InhouseError",
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
