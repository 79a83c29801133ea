"""Connection details for the OpenAI-compatible provider: settings to client parameters.

Resolves the base URL and key of a section (a local server gets a placeholder key, so a
user's ``OPENAI_API_KEY`` never leaks to another host), gives the async client one
connection pool per event loop, and lists a server's models.

Example:
    >>> is_loopback("http://127.0.0.1:8000/v1"), is_vendor("https://api.openai.com/v1")
    (True, True)
"""

from __future__ import annotations

import asyncio
import ipaddress
import sys
import threading
import urllib.request
import weakref
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from inhouse.errors import ConfigError
from inhouse.providers._support import env_var, secret, section_name

if TYPE_CHECKING:
    from inhouse.settings.schema import ModelSection

VENDOR_BASE_URL = "https://api.openai.com/v1"
PLACEHOLDER_KEY = "not-needed"
"""Sent to servers that need no key: the OpenAI client insists on one."""


# --- settings -> client parameters -------------------------------------------------------


def is_loopback(url: str) -> bool:
    """True when `url` points at this machine."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_vendor(url: str) -> bool:
    """True for OpenAI's own API (which wants `max_completion_tokens`)."""
    return (urlsplit(url).hostname or "").endswith("api.openai.com")


def resolve_base_url(section: ModelSection) -> str:
    """The section's base URL; the cloud defaults to OpenAI's, local sections need one."""
    name = section_name(section)
    url = (section.base_url or "").strip().rstrip("/")
    if not url:
        if name == "cloud":
            return VENDOR_BASE_URL
        msg = (
            f"{name}.base_url is not set; point it at the server's OpenAI API, e.g."
            f" {env_var(name, 'base_url')}=http://127.0.0.1:8000/v1"
            " (llama-server, vLLM or `python -m llama_cpp.server --model PATH`)"
        )
        raise ConfigError(msg)
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        msg = f"{name}.base_url = {url!r} is not an http(s) URL; use e.g. http://127.0.0.1:8000/v1"
        raise ConfigError(msg)
    return url


def resolve_api_key(section: ModelSection) -> str:
    """The key to send: the section's, or a placeholder for servers that need none."""
    name = section_name(section)
    key = secret(section.api_key)
    if key:
        return key
    if name == "cloud":
        msg = (
            f"cloud.api_key is not set; put {env_var(name, 'api_key')}=... in the environment"
            " or .env"
        )
        raise ConfigError(msg)
    return PLACEHOLDER_KEY


def require_model(section: ModelSection) -> str:
    """The section's model name; an empty one is a `ConfigError`."""
    if not section.model:
        name = section_name(section)
        msg = f"{name}.model is empty; set it to the server's model name (see its /v1/models)"
        raise ConfigError(msg)
    return section.model


def connection_params(section: ModelSection) -> dict[str, Any]:
    """Constructor arguments shared by the chat, completion and embeddings classes."""
    base_url = resolve_base_url(section)
    return {
        "model": require_model(section),
        "base_url": base_url,
        "api_key": resolve_api_key(section),
        "timeout": section.timeout,
        "max_retries": getattr(section, "max_retries", 1),
        "inhouse_section": section_name(section),
        "http_async_client": loop_local_async_client(base_url, section.timeout),
    }


def sampling_params(section: ModelSection) -> dict[str, Any]:
    """The sampling settings the section sets (None means the server's default)."""
    params = {
        "temperature": getattr(section, "temperature", None),
        "max_tokens": getattr(section, "max_tokens", None),
        "top_p": getattr(section, "top_p", None),
        "seed": getattr(section, "seed", None),
    }
    return {key: value for key, value in params.items() if value is not None}


def construct(cls: type, section: ModelSection, params: dict[str, Any]) -> Any:
    """`cls(**params, **section.options)`; bad options become one `ConfigError`."""
    try:
        return cls(**{**params, **section.options})
    except (TypeError, ValueError) as exc:  # pydantic's ValidationError is a ValueError
        first = str(exc).splitlines()[0]
        msg = f"invalid {section_name(section)}.options for provider openai: {first}"
        raise ConfigError(msg) from exc


# --- async connections that never cross event loops ----------------------------------------


def env_proxy(url: str) -> str | None:
    """The proxy the environment (HTTPS_PROXY, NO_PROXY...) names for `url`; never for loopback."""
    parts = urlsplit(url)
    if is_loopback(url) or urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    proxies = urllib.request.getproxies()
    return proxies.get(parts.scheme) or proxies.get("all")


_transport_class: list[type] = []


def _loop_local_transport_class() -> type:
    """An httpx transport with one connection pool per event loop.

    langchain-openai shares one cached `AsyncClient` per base URL across the process, so
    a second `asyncio.run()` (a CLI call, a worker thread, a test) reuses connections of
    a closed loop: "Event loop is closed" (langchain-ai/langchain#35783).
    """
    if _transport_class:
        return _transport_class[0]
    import openai

    # The httpx flavour the SDK is built on (httpx2 for openai>=3, httpx before).
    lib = sys.modules[openai.DefaultAsyncHttpxClient.__mro__[1].__module__.partition(".")[0]]

    class LoopLocalTransport(lib.AsyncBaseTransport):  # type: ignore[misc, name-defined]
        def __init__(self, proxy: str | None) -> None:
            self._proxy = proxy
            self._pools: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
            self._lock = threading.Lock()

        def _pool(self) -> Any:
            loop = asyncio.get_running_loop()
            with self._lock:
                pool = self._pools.get(loop)
                if pool is None:
                    pool = self._pools[loop] = lib.AsyncHTTPTransport(proxy=self._proxy)
                return pool

        async def handle_async_request(self, request: Any) -> Any:
            return await self._pool().handle_async_request(request)

        async def aclose(self) -> None:
            with self._lock:
                pool = self._pools.pop(asyncio.get_running_loop(), None)
            if pool is not None:
                await pool.aclose()

    _transport_class.append(LoopLocalTransport)
    return LoopLocalTransport


def loop_local_async_client(base_url: str, timeout: float) -> Any:
    """An `AsyncClient` for the OpenAI SDK that is safe across event loops."""
    import openai

    transport = _loop_local_transport_class()(env_proxy(base_url))
    return openai.DefaultAsyncHttpxClient(transport=transport, timeout=timeout)


# --- the server's models ----------------------------------------------------------------


def list_models(base_url: str, api_key: str, timeout: float = 5.0) -> list[str]:
    """The model ids a server lists at `{base_url}/models` (raises httpx errors)."""
    import httpx

    headers = {"Authorization": f"Bearer {api_key}"}
    response = httpx.get(f"{base_url}/models", headers=headers, timeout=timeout)
    response.raise_for_status()
    return [str(item.get("id")) for item in response.json().get("data", [])]
