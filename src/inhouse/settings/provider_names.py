"""The provider names a profile may use, known without importing any backend.

This is the one place a provider name is checked. Three sources, read cheaply:

- the built-in providers, by name (their modules in `inhouse.providers` are imported
  only when a model is built);
- third-party packages, through the ``inhouse.providers`` entry-point group (names read
  from package metadata; nothing is loaded);
- names added at run time by `inhouse.providers.registry.register`.

What each provider can build (chat models, completion models, embeddings) is on its
`Provider` record; the factory checks that when it builds.

Example:
    >>> check_provider("llamacpp")
    'llamacpp'
    >>> check_provider("lamacpp")
    Traceback (most recent call last):
    ...
    ValueError: unknown provider 'lamacpp'; allowed: huggingface, llamacpp, ollama, openai
"""

from __future__ import annotations

import threading
from importlib.metadata import entry_points

BUILTIN = ("huggingface", "llamacpp", "ollama", "openai")
"""The providers shipped in `inhouse.providers`, one module each."""
ENTRY_POINT_GROUP = "inhouse.providers"

_lock = threading.Lock()
_added: set[str] = set()


def known_provider_names() -> list[str]:
    """Every provider name a section may name, sorted."""
    plugins = {entry.name for entry in entry_points(group=ENTRY_POINT_GROUP)}
    with _lock:
        return sorted({*BUILTIN, *plugins, *_added})


def add_provider_name(name: str) -> None:
    """Make `name` valid (called by `register`)."""
    with _lock:
        _added.add(name)


def remove_provider_name(name: str) -> None:
    """Forget a name added at run time (built-in and entry-point names stay)."""
    with _lock:
        _added.discard(name)


def check_provider(name: str) -> str:
    """`name` if it is a known provider; otherwise a ValueError listing the known ones."""
    allowed = known_provider_names()
    if name in allowed:
        return name
    msg = f"unknown provider {name!r}; allowed: {', '.join(allowed)}"
    raise ValueError(msg)
