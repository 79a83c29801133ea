"""The provider table: a provider name maps to a `Provider` record of small builders.

Built-in providers are the modules named in `inhouse.settings.provider_names.BUILTIN`,
each defining ``PROVIDER``; third-party packages add theirs through the
``inhouse.providers`` entry-point group; tests and applications may call `register`.
Each record also carries its provider's capabilities (how it constrains decoding to a
JSON schema, how its models count tokens), so nothing outside this package keeps a
table keyed by provider name. Modules are imported on first use of the table, never
when settings are loaded.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

from inhouse.errors import ConfigError
from inhouse.settings.provider_names import (
    BUILTIN,
    ENTRY_POINT_GROUP,
    add_provider_name,
    check_provider,
    remove_provider_name,
)
from inhouse.tokens import TokenCounting

if TYPE_CHECKING:
    from inhouse.settings.schema import ModelSection, Settings

Builder = Callable[["ModelSection", "Settings"], Any]
Binder = Callable[[Any, dict[str, Any]], Any]
"""(chat model, JSON schema) -> the model bound to answer only JSON matching the schema."""


@dataclass(frozen=True)
class Provider:
    """One backend: its name, the pip extra that installs it, what it builds, what it can do."""

    name: str
    extra: str
    description: str
    chat_model: Builder | None = None
    llm: Builder | None = None
    embeddings: Builder | None = None
    probe: Builder | None = None
    """Cheap check that the server is reachable and has the model; returns a detail line."""
    constrain: Binder | None = None
    """Native constrained decoding: binds a chat model to a JSON schema (None: has none)."""
    token_counting: TokenCounting = "estimate"
    """How its models count tokens offline: ``"tokenizer"`` (the model's own, exact) or
    ``"estimate"`` (`inhouse.tokens.estimate_tokens`); see `inhouse.tokens`."""

    def builder(self, capability: str) -> Builder | None:
        return getattr(self, capability)

    @property
    def exact_token_counts(self) -> bool:
        return self.token_counting == "tokenizer"


_lock = threading.Lock()
_providers: dict[str, Provider] = {}
_discovered = False


def register(provider: Provider) -> Provider:
    """Add or replace a provider by name (its name becomes valid in settings too)."""
    with _lock:
        _providers[provider.name] = provider
    add_provider_name(provider.name)
    return provider


def unregister(name: str) -> None:
    with _lock:
        _providers.pop(name, None)
    remove_provider_name(name)


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    for name in BUILTIN:
        module = importlib.import_module(f"{__package__}.{name}")
        _providers.setdefault(name, module.PROVIDER)
    for entry in entry_points(group=ENTRY_POINT_GROUP):
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
    """The record for `name`; an unknown name is the settings' own error, as a ConfigError."""
    found = providers().get(name)
    if found is None:
        try:
            check_provider(name)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        msg = f"provider {name!r} is listed but defines no Provider; check its entry point"
        raise ConfigError(msg)
    return found
