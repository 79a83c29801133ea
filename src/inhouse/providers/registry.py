"""The provider table: a provider name maps to small builder functions.

Built-in providers are the public modules of `inhouse.providers` that define
``PROVIDER``; third-party packages add theirs through the ``inhouse.providers``
entry-point group; tests and applications may call `register`. A new provider is one
new file.
"""

from __future__ import annotations

import importlib
import pkgutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from inhouse.settings.schema import ModelSection, Settings

Builder = Callable[["ModelSection", "Settings"], Any]
CAPABILITIES = ("chat_model", "llm", "embeddings")


@dataclass(frozen=True)
class Provider:
    """One backend: its name, the pip extra that installs it, and what it can build."""

    name: str
    extra: str
    description: str
    chat_model: Builder | None = None
    llm: Builder | None = None
    embeddings: Builder | None = None
    probe: Builder | None = None
    """Cheap check that the server is reachable and has the model; returns a detail line."""

    def builder(self, capability: str) -> Builder | None:
        return getattr(self, capability)


_lock = threading.Lock()
_providers: dict[str, Provider] = {}
_discovered = False


def register(provider: Provider) -> Provider:
    """Add or replace a provider by name."""
    with _lock:
        _providers[provider.name] = provider
    return provider


def unregister(name: str) -> None:
    with _lock:
        _providers.pop(name, None)


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    import inhouse.providers as package

    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_") or info.name == "registry":
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        provider = getattr(module, "PROVIDER", None)
        if isinstance(provider, Provider):
            _providers.setdefault(provider.name, provider)
    for entry in entry_points(group="inhouse.providers"):
        provider = entry.load()
        if isinstance(provider, Provider):
            _providers.setdefault(provider.name, provider)
    _discovered = True


def providers() -> dict[str, Provider]:
    with _lock:
        _discover()
        return dict(_providers)


def provider_names(capability: str | None = None) -> list[str]:
    """Registered provider names, optionally only those that can build `capability`."""
    return sorted(
        name
        for name, p in providers().items()
        if capability is None or p.builder(capability) is not None
    )


def get_provider(name: str) -> Provider:
    from inhouse.errors import ConfigError

    found = providers().get(name)
    if found is None:
        msg = f"unknown provider {name!r}; allowed: {', '.join(provider_names())}"
        raise ConfigError(msg)
    return found
