"""The provider factory: settings in, LangChain models out.

Example:
    >>> from inhouse import load_settings, chat_model
    >>> model = chat_model(load_settings("llamacpp"))
    >>> model.invoke("Say hi").content  # doctest: +SKIP

Switching providers is a config change: the same three lines give an Ollama,
llama.cpp, Hugging Face or OpenAI-compatible model depending on the profile. With
``configurable=True`` the provider can also be chosen per call:

    >>> model = chat_model(load_settings(), configurable=True)
    >>> model.invoke("hi", config={"configurable": {"provider": "ollama"}})  # doctest: +SKIP
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Literal, overload

from inhouse.errors import ConfigError
from inhouse.providers.registry import get_provider, provider_names
from inhouse.settings.loader import load_settings, profile_names, with_profile

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings
    from langchain_core.language_models import BaseChatModel, BaseLLM
    from langchain_core.runnables import Runnable

    from inhouse.settings.schema import ModelSection, Settings


def _build(capability: str, section: ModelSection, settings: Settings) -> Any:
    """Build `capability` with the section's provider; the one check of what it can build
    (its name was checked when the settings were loaded)."""
    provider = get_provider(section.provider)
    builder = provider.builder(capability)
    if builder is None:
        able = ", ".join(provider_names(capability))
        what = {"chat_model": "chat models", "llm": "completion models"}.get(
            capability, capability
        )
        msg = f"provider {section.provider!r} cannot build {what}; use one of: {able}"
        raise ConfigError(msg)
    return builder(section, settings)


@overload
def chat_model(
    settings: Settings | None = None, *, configurable: Literal[False] = False
) -> BaseChatModel: ...


@overload
def chat_model(settings: Settings | None = None, *, configurable: Literal[True]) -> Runnable: ...


def chat_model(
    settings: Settings | None = None, *, configurable: bool = False
) -> BaseChatModel | Runnable:
    """The configured local chat model (a LangChain `BaseChatModel`).

    With ``configurable=True`` the result is a runnable whose provider can be switched
    per call through ``config={"configurable": {"provider": NAME}}``. Each alternative
    is the current settings with the profile of the same name merged on top (or just
    the provider changed, when no such profile exists); alternatives are built on first
    use and kept, so models already loaded are never loaded again.
    """
    settings = settings or load_settings()
    model = _build("chat_model", settings.llm, settings)
    if not configurable:
        return model
    from langchain_core.runnables import ConfigurableField

    alternatives = {
        name: _lazy_alternative(settings, name)
        for name in provider_names("chat_model")
        if name != settings.llm.provider
    }
    return model.configurable_alternatives(
        ConfigurableField(id="provider", name="Provider", description="Model provider"),
        default_key=settings.llm.provider,
        **alternatives,
    )


def settings_for_provider(settings: Settings, provider: str) -> Settings:
    """The settings a switch to `provider` uses: its profile on top, or the provider swapped.

    Settings already on `provider` are returned as they are.
    """
    if settings.llm.provider == provider:
        return settings
    if provider in profile_names(settings._origin.get("config_dir")):
        switched = with_profile(settings, provider)
        if switched.llm.provider == provider:
            return switched
    copy = settings.model_copy(deep=True)
    copy.llm.provider = provider
    return copy


def _lazy_alternative(settings: Settings, provider: str) -> Any:
    lock = threading.Lock()
    built: list[Any] = []

    def build() -> Any:
        with lock:
            if not built:
                built.append(_build("chat_model", settings_for_provider(settings, provider).llm,
                                    settings))
            return built[0]

    return build


def llm(settings: Settings | None = None) -> BaseLLM:
    """The configured local model as a completion-style LangChain `BaseLLM`."""
    settings = settings or load_settings()
    return _build("llm", settings.llm, settings)


def embeddings(settings: Settings | None = None) -> Embeddings:
    """The configured embedding model as LangChain `Embeddings`."""
    settings = settings or load_settings()
    return _build("embeddings", settings.embeddings, settings)


def cloud_model(settings: Settings | None = None) -> BaseChatModel | None:
    """The optional cloud chat model, or None when `cloud.model` is empty."""
    settings = settings or load_settings()
    if not settings.cloud.enabled:
        return None
    return _build("chat_model", settings.cloud, settings)
