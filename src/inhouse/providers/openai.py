"""OpenAI-compatible servers (llama-server, llama_cpp.server, vLLM, LM Studio) and the cloud.

One builder serves two sections:

- ``llm`` (and ``embeddings``): a local or self-hosted server. ``base_url`` is required,
  ``api_key`` is optional (a placeholder is sent when there is none, so a user's
  ``OPENAI_API_KEY`` never leaks to another host).
- ``cloud``: any OpenAI-compatible vendor. ``api_key`` is required; ``base_url`` defaults
  to OpenAI's.

Example:
    >>> from inhouse import load_settings, chat_model
    >>> settings = load_settings("openai", llm={"base_url": "http://127.0.0.1:8000/v1"})
    >>> chat_model(settings).invoke("Say hi").content  # doctest: +SKIP

Fixes for the integration and for local servers:

- nothing ever downloads a tiktoken encoding or a GPT-2 tokenizer: token counts are a
  local estimate (`estimate_tokens`) and embeddings send raw text;
- local servers get ``max_tokens`` (langchain-openai sends ``max_completion_tokens``,
  which llama_cpp.server and others silently ignore);
- a server that rejects ``response_format`` of type ``json_schema`` (llama_cpp.server)
  is asked again with ``{"type": "json_object", "schema": ...}``, which it enforces with
  a grammar; so ``with_structured_output(..., method="json_schema")`` works there too;
- a stream that ends without a single chunk (llama_cpp.server does that when the prompt
  is too long) is explained instead of LangChain's "No generation chunks were returned";
- async calls use one connection pool per event loop (langchain-openai shares one per
  URL across the process, which breaks on a second `asyncio.run()`);
- the completion model sends one prompt per request (llama_cpp.server fails on lists);
- embeddings are L2-normalised when `embeddings.normalize` is on, and a server that
  returns one vector per token (no pooling) is reported, not passed on;
- every `openai` error becomes one `inhouse.errors` exception naming the URL and the fix.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import math
import re
import sys
import threading
import urllib.request
import weakref
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from inhouse.errors import (
    ConfigError,
    ContextWindowExceededError,
    InhouseError,
    ModelNotFoundError,
    ProviderUnavailableError,
)
from inhouse.providers._support import TranslatesErrors, require, secret
from inhouse.providers.registry import Provider

if TYPE_CHECKING:
    from inhouse.settings.schema import ModelSection, Settings

VENDOR_BASE_URL = "https://api.openai.com/v1"
PLACEHOLDER_KEY = "not-needed"
"""Sent to servers that need no key: the OpenAI client insists on one."""

_PIECE = re.compile(r"\w+|[^\w\s]")
_LLAMA_CPP_CONTEXT = re.compile(r"Requested tokens \((\d+)\) exceed context window of (\d+)")
_MAX_CONTEXT = re.compile(r"maximum context length is (\d+)")
_PROMPT_TOKENS = re.compile(
    r"\((\d+) in (?:the messages|your prompt)|messages resulted in (\d+) tokens"
    r"|requested (\d+) tokens"
)


def estimate_tokens(text: str) -> int:
    """A tokenizer-free, upper-leaning token count: words and symbols, or 4 characters each.

    Example:
        >>> estimate_tokens("The capital of France is Paris.")
        8
    """
    if not text:
        return 0
    return max(len(_PIECE.findall(text)), math.ceil(len(text) / 4))


# --- settings -> client parameters -------------------------------------------------------


def section_name(section: ModelSection) -> str:
    """`cloud`, `embeddings` or `llm`: the settings path used in messages."""
    return {"CloudSettings": "cloud", "EmbeddingSettings": "embeddings"}.get(
        type(section).__name__, "llm"
    )


def _env(name: str, field: str) -> str:
    return f"INHOUSE_{name.upper()}__{field.upper()}"


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
            f" {_env(name, 'base_url')}=http://127.0.0.1:8000/v1"
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
            f"cloud.api_key is not set; put {_env(name, 'api_key')}=... in the environment"
            " or .env"
        )
        raise ConfigError(msg)
    return PLACEHOLDER_KEY


def _require_model(section: ModelSection) -> str:
    if not section.model:
        name = section_name(section)
        msg = f"{name}.model is empty; set it to the server's model name (see its /v1/models)"
        raise ConfigError(msg)
    return section.model


def _connection(section: ModelSection) -> dict[str, Any]:
    base_url = resolve_base_url(section)
    return {
        "model": _require_model(section),
        "base_url": base_url,
        "api_key": resolve_api_key(section),
        "timeout": section.timeout,
        "max_retries": getattr(section, "max_retries", 1),
        "inhouse_section": section_name(section),
        "http_async_client": loop_local_async_client(base_url, section.timeout),
    }


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


def _sampling(section: ModelSection) -> dict[str, Any]:
    params = {
        "temperature": getattr(section, "temperature", None),
        "max_tokens": getattr(section, "max_tokens", None),
        "top_p": getattr(section, "top_p", None),
        "seed": getattr(section, "seed", None),
    }
    return {key: value for key, value in params.items() if value is not None}


def _construct(cls: type, section: ModelSection, params: dict[str, Any]) -> Any:
    try:
        return cls(**{**params, **section.options})
    except (TypeError, ValueError) as exc:  # pydantic's ValidationError is a ValueError
        first = str(exc).splitlines()[0]
        msg = f"invalid {section_name(section)}.options for provider openai: {first}"
        raise ConfigError(msg) from exc


# --- errors ----------------------------------------------------------------------------


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _server_message(exc: BaseException) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict) and body.get("message"):
        return str(body["message"])
    return str(getattr(exc, "message", None) or exc)


def context_error(model: str, exc: BaseException) -> ContextWindowExceededError | None:
    """A `ContextWindowExceededError` when `exc` says the prompt was too long."""
    text = _server_message(exc)
    body = getattr(exc, "body", None)
    body = body if isinstance(body, dict) else {}
    if "n_prompt_tokens" in body and "n_ctx" in body:  # llama-server (C++)
        return ContextWindowExceededError(model, int(body["n_prompt_tokens"]), int(body["n_ctx"]))
    match = _LLAMA_CPP_CONTEXT.search(text)
    if match:
        return ContextWindowExceededError(model, int(match[1]), int(match[2]))
    flagged = body.get("code") == "context_length_exceeded" or body.get("type") in (
        "exceed_context_size_error",
    )
    if not flagged and not re.search(r"context (length|window|size)", text, re.I):
        return None
    limit, prompt = _MAX_CONTEXT.search(text), _PROMPT_TOKENS.search(text)
    if limit and prompt:
        tokens = next(group for group in prompt.groups() if group)
        return ContextWindowExceededError(model, int(tokens), int(limit[1]))
    return ContextWindowExceededError(model, None, None, _one_line(text, 200))


def list_models(base_url: str, api_key: str, timeout: float = 5.0) -> list[str]:
    """The model ids a server lists at `{base_url}/models` (raises httpx errors)."""
    import httpx

    headers = {"Authorization": f"Bearer {api_key}"}
    response = httpx.get(f"{base_url}/models", headers=headers, timeout=timeout)
    response.raise_for_status()
    return [str(item.get("id")) for item in response.json().get("data", [])]


def _available(base_url: str, api_key: str) -> str:
    try:
        names = list_models(base_url, api_key)
    except Exception:
        return "list the server's models at GET /models"
    return f"the server has: {', '.join(names)}" if names else "the server lists no models"


def translate_openai_error(
    exc: BaseException, *, section: str, base_url: str, model: str, timeout: Any, api_key: str
) -> InhouseError | None:
    """One `InhouseError` for an exception from the `openai` client, or None."""
    try:
        import openai
    except ImportError:
        return None
    if isinstance(exc, openai.APITimeoutError):
        return ProviderUnavailableError(
            f"the server at {base_url} did not answer within {timeout} s; raise {section}.timeout"
            f" ({_env(section, 'timeout')}) or use a smaller model or prompt"
        )
    if isinstance(exc, openai.APIConnectionError):
        return ProviderUnavailableError(
            f"cannot reach the OpenAI-compatible server at {base_url} ({_one_line(exc, 120)});"
            f" start it (e.g. `python -m llama_cpp.server --model PATH`) or fix {section}.base_url"
        )
    if not isinstance(exc, openai.APIStatusError):
        return None
    return _status_error(exc, section=section, base_url=base_url, model=model, api_key=api_key)


def _status_error(
    exc: Any, *, section: str, base_url: str, model: str, api_key: str
) -> InhouseError:
    import openai

    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return ConfigError(
            f"the server at {base_url} rejected {section}.api_key ({exc.status_code}); set a"
            f" valid key in {_env(section, 'api_key')} (environment or .env)"
        )
    if isinstance(exc, openai.NotFoundError):
        return ModelNotFoundError(
            f"model {model!r} was not found at {base_url}; {_available(base_url, api_key)}."
            f" Fix {section}.model, or check that {section}.base_url ends in /v1"
        )
    if isinstance(exc, openai.RateLimitError):
        retries = "cloud.max_retries" if section == "cloud" else f"{section}.options.max_retries"
        return ProviderUnavailableError(
            f"the server at {base_url} is rate limiting requests (429); wait and retry, or"
            f" raise {retries}"
        )
    found = context_error(model, exc)
    if found is not None:
        return found
    text = _one_line(_server_message(exc))
    hint = ""
    if "embedding=True" in text:
        hint = "; start llama_cpp.server with --embedding true"
    return ProviderUnavailableError(
        f"the server at {base_url} answered {exc.status_code} for model {model!r}: {text}{hint}"
    )


class _OpenAIErrors(TranslatesErrors):
    """Error translation for every class here; needs `openai_api_base` and friends."""

    def _translate_error(self, exc: BaseException) -> InhouseError | None:
        return translate_openai_error(
            exc,
            section=self.inhouse_section,  # type: ignore[attr-defined]
            base_url=self.openai_api_base or VENDOR_BASE_URL,  # type: ignore[attr-defined]
            model=self._inhouse_model,
            timeout=self.request_timeout,  # type: ignore[attr-defined]
            api_key=secret(self.openai_api_key) or PLACEHOLDER_KEY,  # type: ignore[attr-defined]
        )

    @property
    def _inhouse_model(self) -> str:
        return str(getattr(self, "model_name", None) or getattr(self, "model", ""))

    def _empty_stream(self) -> ProviderUnavailableError:
        url = self.openai_api_base or VENDOR_BASE_URL  # type: ignore[attr-defined]
        return ProviderUnavailableError(
            f"the server at {url} ended the stream for model {self._inhouse_model!r} without"
            " any output; check the server's log"
        )


# --- structured output on servers without `json_schema` ---------------------------------


def _is_json_schema(response_format: Any) -> bool:
    if isinstance(response_format, type):
        return True  # a pydantic class: the client sends it as `json_schema`
    return isinstance(response_format, dict) and response_format.get("type") == "json_schema"


def as_json_object(response_format: Any) -> dict[str, Any]:
    """`json_schema` format -> ``{"type": "json_object", "schema": ...}`` (llama.cpp's form)."""
    if isinstance(response_format, type):
        schema = response_format.model_json_schema()
    else:
        schema = response_format["json_schema"].get("schema", {})
    return {"type": "json_object", "schema": schema}


def _rejects_json_schema(exc: BaseException, kwargs: dict[str, Any]) -> bool:
    import openai

    if not isinstance(exc, openai.APIStatusError) or exc.status_code not in (400, 422, 500):
        return False
    text = _server_message(exc)
    return _is_json_schema(kwargs.get("response_format")) and "json_object" in text


def _attach_parsed(result: Any, response_format: Any) -> Any:
    """Fill `parsed` as the OpenAI client would, so pydantic structured output works."""
    if not isinstance(response_format, type):
        return result
    for generation in result.generations:
        message = generation.message
        if message.additional_kwargs.get("parsed") is not None:
            continue
        try:
            message.additional_kwargs["parsed"] = response_format.model_validate_json(
                message.content
            )
        except (ValueError, TypeError):
            continue
    return result


# --- the LangChain classes ---------------------------------------------------------------


def _probe_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The call's arguments for a one-token, non-streaming retry of an empty stream."""
    probe = {k: v for k, v in kwargs.items() if k not in ("stream_usage", "stream_options")}
    return {**probe, "max_tokens": 1}


def _chat_class(base: type) -> type:
    from langchain_core.messages import BaseMessage

    class InhouseChatOpenAI(_OpenAIErrors, base):  # type: ignore[misc, valid-type]
        """`ChatOpenAI` for local servers and the cloud, with clear errors and no tiktoken."""

        inhouse_section: str = "llm"
        json_object_fallback: bool = False
        """Set once the server rejected `json_schema`; later calls go straight to json_object."""

        def _get_request_payload(self, input_: Any, *, stop: Any = None, **kwargs: Any) -> dict:
            payload = super()._get_request_payload(input_, stop=stop, **kwargs)
            if "max_completion_tokens" in payload and not is_vendor(
                self.openai_api_base or VENDOR_BASE_URL
            ):
                payload["max_tokens"] = payload.pop("max_completion_tokens")
            return payload

        def _fallback_kwargs(self, kwargs: dict[str, Any]) -> dict[str, Any]:
            if self.json_object_fallback and _is_json_schema(kwargs.get("response_format")):
                return {**kwargs, "response_format": as_json_object(kwargs["response_format"])}
            return kwargs

        def _falls_back(self, exc: InhouseError, kwargs: dict[str, Any]) -> bool:
            """True (once) when the server just rejected a `json_schema` response format."""
            if self.json_object_fallback or not _rejects_json_schema(exc.__cause__, kwargs):
                return False
            self.json_object_fallback = True
            return True

        def _generate(self, messages: list, stop: Any = None, run_manager: Any = None,
                      **kwargs: Any) -> Any:
            try:
                result = super()._generate(
                    messages, stop, run_manager, **self._fallback_kwargs(kwargs)
                )
            except InhouseError as exc:
                if not self._falls_back(exc, kwargs):
                    raise
                result = super()._generate(
                    messages, stop, run_manager, **self._fallback_kwargs(kwargs)
                )
            return _attach_parsed(result, kwargs.get("response_format"))

        async def _agenerate(self, messages: list, stop: Any = None, run_manager: Any = None,
                             **kwargs: Any) -> Any:
            try:
                result = await super()._agenerate(
                    messages, stop, run_manager, **self._fallback_kwargs(kwargs)
                )
            except InhouseError as exc:
                if not self._falls_back(exc, kwargs):
                    raise
                result = await super()._agenerate(
                    messages, stop, run_manager, **self._fallback_kwargs(kwargs)
                )
            return _attach_parsed(result, kwargs.get("response_format"))

        def _stream(self, messages: list, stop: Any = None, run_manager: Any = None,
                    **kwargs: Any) -> Iterator[Any]:
            produced = False
            for _attempt in range(2):
                try:
                    for chunk in super()._stream(
                        messages, stop, run_manager, **self._fallback_kwargs(kwargs)
                    ):
                        produced = True
                        yield chunk
                    break
                except InhouseError as exc:
                    if produced or not self._falls_back(exc, kwargs):
                        raise
            if not produced:  # ask once more without streaming, to learn why
                self._generate(messages, stop, None, **_probe_kwargs(kwargs))
                raise self._empty_stream()

        async def _astream(self, messages: list, stop: Any = None, run_manager: Any = None,
                           **kwargs: Any) -> AsyncIterator[Any]:
            produced = False
            for _attempt in range(2):
                try:
                    async for chunk in super()._astream(
                        messages, stop, run_manager, **self._fallback_kwargs(kwargs)
                    ):
                        produced = True
                        yield chunk
                    break
                except InhouseError as exc:
                    if produced or not self._falls_back(exc, kwargs):
                        raise
            if not produced:
                await self._agenerate(messages, stop, None, **_probe_kwargs(kwargs))
                raise self._empty_stream()

        def get_num_tokens(self, text: str) -> int:
            """A local estimate (see `estimate_tokens`); never downloads a tokenizer."""
            return estimate_tokens(text)

        def get_num_tokens_from_messages(
            self, messages: Sequence[BaseMessage], tools: Any = None, **_: Any
        ) -> int:
            """A local estimate: each message's text plus a few tokens of chat framing."""
            total = 3
            for message in messages:
                content = message.content
                text = content if isinstance(content, str) else json.dumps(content)
                total += 4 + estimate_tokens(text)
            return total

        def get_token_ids(self, text: str) -> list[int]:
            if self.custom_get_token_ids is not None:
                return self.custom_get_token_ids(text)
            msg = (
                "token ids need the server's tokenizer, which is not available offline;"
                " use get_num_tokens() for an estimate"
            )
            raise NotImplementedError(msg)

    return InhouseChatOpenAI


def _llm_class(base: type) -> type:
    class InhouseOpenAI(_OpenAIErrors, base):  # type: ignore[misc, valid-type]
        """Completion-style `OpenAI` for local servers, with clear errors and no tiktoken."""

        inhouse_section: str = "llm"

        def _stream(self, prompt: str, stop: Any = None, run_manager: Any = None,
                    **kwargs: Any) -> Iterator[Any]:
            produced = False
            for chunk in super()._stream(prompt, stop, run_manager, **kwargs):
                produced = True
                yield chunk
            if not produced:
                self._generate([prompt], stop, None, **_probe_kwargs(kwargs))
                raise self._empty_stream()

        async def _astream(self, prompt: str, stop: Any = None, run_manager: Any = None,
                           **kwargs: Any) -> AsyncIterator[Any]:
            produced = False
            async for chunk in super()._astream(prompt, stop, run_manager, **kwargs):
                produced = True
                yield chunk
            if not produced:
                await self._agenerate([prompt], stop, None, **_probe_kwargs(kwargs))
                raise self._empty_stream()

        def get_num_tokens(self, text: str) -> int:
            """A local estimate (see `estimate_tokens`); never downloads a tokenizer."""
            return estimate_tokens(text)

        def get_token_ids(self, text: str) -> list[int]:
            if self.custom_get_token_ids is not None:
                return self.custom_get_token_ids(text)
            msg = "token ids are not available offline; use get_num_tokens() for an estimate"
            raise NotImplementedError(msg)

    return InhouseOpenAI


def _normalized(vectors: list[list[float]]) -> list[list[float]]:
    out = []
    for vector in vectors:
        norm = math.sqrt(sum(x * x for x in vector)) or 1.0
        out.append([x / norm for x in vector])
    return out


def _embeddings_class(base: type) -> type:
    class InhouseOpenAIEmbeddings(base):  # type: ignore[misc, valid-type]
        """`OpenAIEmbeddings` that sends raw text (no tiktoken), checks and normalises vectors."""

        inhouse_section: str = "embeddings"
        normalize: bool = True

        def _checked(self, vectors: list[Any]) -> list[list[float]]:
            if vectors and vectors[0] and isinstance(vectors[0][0], list):
                url = self.openai_api_base
                msg = (
                    f"the server at {url} returned one vector per token, not one per text"
                    " (the model has no pooling); serve an embedding model, or start"
                    " llama_cpp.server with --embedding true --kv_overrides"
                    " ARCH.pooling_type=int:1 (mean pooling)"
                )
                raise ConfigError(msg)
            return _normalized(vectors) if self.normalize else vectors

        def _translated(self, exc: BaseException) -> InhouseError | None:
            return translate_openai_error(
                exc,
                section=self.inhouse_section,
                base_url=self.openai_api_base or VENDOR_BASE_URL,
                model=self.model,
                timeout=self.request_timeout,
                api_key=secret(self.openai_api_key) or PLACEHOLDER_KEY,
            )

        def _raise(self, exc: BaseException) -> None:
            translated = self._translated(exc)
            if translated is None:
                raise exc
            raise translated from exc

        def embed_documents(self, texts: list[str], chunk_size: int | None = None,
                            **kwargs: Any) -> list[list[float]]:
            try:
                vectors = super().embed_documents(texts, chunk_size, **kwargs)
            except Exception as exc:
                self._raise(exc)
                raise
            return self._checked(vectors)

        async def aembed_documents(self, texts: list[str], chunk_size: int | None = None,
                                   **kwargs: Any) -> list[list[float]]:
            try:
                vectors = await super().aembed_documents(texts, chunk_size, **kwargs)
            except Exception as exc:
                self._raise(exc)
                raise
            return self._checked(vectors)

        def embed_query(self, text: str, **kwargs: Any) -> list[float]:
            return self.embed_documents([text], **kwargs)[0]

        async def aembed_query(self, text: str, **kwargs: Any) -> list[float]:
            return (await self.aembed_documents([text], **kwargs))[0]

    return InhouseOpenAIEmbeddings


_classes: dict[str, type] = {}


def model_class(kind: str) -> type:
    """The inhouse subclass for `chat`, `llm` or `embeddings` (built on first use)."""
    if kind not in _classes:
        module = require("langchain_openai", "cloud", "langchain-openai")
        make = {"chat": _chat_class, "llm": _llm_class, "embeddings": _embeddings_class}[kind]
        base = {"chat": "ChatOpenAI", "llm": "OpenAI", "embeddings": "OpenAIEmbeddings"}[kind]
        _classes[kind] = make(getattr(module, base))
    return _classes[kind]


# --- builders ----------------------------------------------------------------------------


def build_chat_model(section: ModelSection, settings: Settings) -> Any:
    """A `ChatOpenAI` subclass for the `llm` or `cloud` section."""
    cls = model_class("chat")
    stop = list(getattr(section, "stop", [])) or None
    params = {**_connection(section), **_sampling(section), "stop": stop}
    return _construct(cls, section, params)


def build_llm(section: ModelSection, settings: Settings) -> Any:
    """A completion-style `OpenAI` subclass (the server's /v1/completions)."""
    cls = model_class("llm")
    # One prompt per request: llama_cpp.server answers a list of prompts with a 500.
    params = {**_connection(section), **_sampling(section), "batch_size": 1}
    stop = list(getattr(section, "stop", []))
    if stop:
        params["model_kwargs"] = {"stop": stop}
    return _construct(cls, section, params)


def build_embeddings(section: ModelSection, settings: Settings) -> Any:
    """An `OpenAIEmbeddings` subclass that sends raw text and never touches tiktoken."""
    cls = model_class("embeddings")
    params = {
        **_connection(section),
        "check_embedding_ctx_length": False,  # no tokenising, so no tiktoken download
        "tiktoken_enabled": False,
        "chunk_size": getattr(section, "batch_size", 64),
        "normalize": getattr(section, "normalize", True),
    }
    return _construct(cls, section, params)


def probe(section: ModelSection, settings: Settings) -> str:
    """The server answers `/models` and lists the configured model."""
    import httpx

    name, base_url = section_name(section), resolve_base_url(section)
    api_key, model = resolve_api_key(section), _require_model(section)
    try:
        names = list_models(base_url, api_key, timeout=min(section.timeout, 10.0))
    except httpx.HTTPStatusError as exc:
        status = exc.response.status_code
        if status in (401, 403):
            msg = f"the server at {base_url} rejected {name}.api_key ({status})"
            raise ConfigError(msg + f"; set a valid key in {_env(name, 'api_key')}") from exc
        msg = f"the server at {base_url} answered {status} for GET /models; check {name}.base_url"
        raise ProviderUnavailableError(msg) from exc
    except (httpx.HTTPError, ValueError) as exc:
        msg = f"cannot reach the OpenAI-compatible server at {base_url} ({_one_line(exc, 120)})"
        raise ProviderUnavailableError(msg + f"; start it or fix {name}.base_url") from exc
    if model not in names:
        msg = (
            f"model {model!r} is not served at {base_url}; the server has:"
            f" {', '.join(names) or 'nothing'}. Fix {name}.model"
        )
        raise ModelNotFoundError(msg)
    return f"{base_url} serves {model}"


PROVIDER = Provider(
    name="openai",
    extra="cloud",
    description="any OpenAI-compatible server (llama-server, vLLM, LM Studio) or cloud API",
    chat_model=build_chat_model,
    llm=build_llm,
    embeddings=build_embeddings,
    probe=probe,
)
