"""HTTP details of the Ollama provider: the server's models, context lengths, clients.

``GET /api/tags`` lists the pulled models (for the doctor); ``/api/show`` gives a model's
own context length, cached per server and model; and each event loop gets its own async
client, since langchain-ollama's single one fails with "Event loop is closed" on a
second ``asyncio.run``.

Example:
    >>> context_from_show({"modelinfo": {"general.architecture": "llama",
    ...                                  "llama.context_length": 131072}})
    131072
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from inhouse.errors import ProviderUnavailableError
from inhouse.providers._ollama_errors import translate

DEFAULT_BASE_URL = "http://127.0.0.1:11434"


# --- context windows from /api/show, cached -----------------------------------------------

_windows: dict[tuple[str, str], int | None] = {}
_windows_lock = threading.Lock()


def context_from_show(show: Any) -> int | None:
    """``<architecture>.context_length`` from an ``/api/show`` answer, if there is one."""
    info = (show.get("modelinfo") if hasattr(show, "get") else None) or {}
    arch = info.get("general.architecture")
    value = info.get(f"{arch}.context_length") if arch else None
    return int(value) if isinstance(value, int | float) and value > 0 else None


def cached_window(base_url: str, model: str) -> tuple[bool, int | None]:
    """Whether the context length of `model` on `base_url` is known, and what it is."""
    with _windows_lock:
        key = (base_url, model)
        return key in _windows, _windows.get(key)


def remember_window(base_url: str, model: str, window: int | None) -> None:
    """Cache a context length (None: the model reports none)."""
    with _windows_lock:
        _windows[(base_url, model)] = window


def forget_windows() -> None:
    """Drop every cached context length (tests, or after `ollama pull` of a new version)."""
    with _windows_lock:
        _windows.clear()


# --- async clients that never cross event loops ------------------------------------------


def client_for_this_loop(model: Any) -> None:
    """Give each event loop its own async client.

    langchain-ollama makes one ``httpx.AsyncClient`` when the model is built; its pooled
    connections belong to the first event loop that used them, so a second
    ``asyncio.run(model.ainvoke(...))`` fails with "Event loop is closed".
    """
    loop = asyncio.get_running_loop()
    if model._loop is not loop:
        if model._loop is not None:
            model._set_clients()  # langchain-ollama's own validator: builds both clients
        model._loop = loop


# --- the server's models ----------------------------------------------------------------


def server_models(
    base_url: str | None = None, timeout: float = 5.0, *, setting: str = "llm"
) -> list[str]:
    """Names of the models an Ollama server has pulled (``GET /api/tags``).

    Example:
        >>> server_models("http://127.0.0.1:11434")  # doctest: +SKIP
        ['llama3.2:latest', 'all-minilm:latest']
    """
    import httpx

    url = (base_url or DEFAULT_BASE_URL).rstrip("/")
    try:
        response = httpx.get(f"{url}/api/tags", timeout=timeout)
        response.raise_for_status()
        return [m.get("model") or m["name"] for m in response.json()["models"]]
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
        translated = translate(exc, base_url=url, model="", setting=setting, timeout=timeout)
        raise translated or ProviderUnavailableError(
            f"{url} did not answer /api/tags like an Ollama server ({exc})"
        ) from exc


def same_model(wanted: str, name: str) -> bool:
    """True when two model names are the same, ``name`` meaning ``name:latest``."""
    def full(value: str) -> str:
        return value if ":" in value else f"{value}:latest"

    return full(wanted) == full(name)
