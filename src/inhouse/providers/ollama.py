"""Ollama (`ollama serve`, on this machine or another) through langchain-ollama.

Example:
    >>> from inhouse import chat_model, load_settings
    >>> model = chat_model(load_settings("ollama", llm={"model": "llama3.2"}))
    >>> model.invoke("Say hi").content  # doctest: +SKIP

Fixes the integration's pitfalls (DESIGN.md):

- a stopped server (a raw ``httpx.ConnectError`` on the default streaming path, a bare
  ``ConnectionError`` elsewhere) becomes `ProviderUnavailableError` saying how to start
  it; a timeout names the setting to raise; a broken or malformed response and any other
  HTTP error carry the server's own text;
- a model that is not pulled (``ollama.ResponseError`` 404) becomes `ModelNotFoundError`
  with the ``ollama pull`` command;
- ``num_ctx``: Ollama's default window (2048 or 4096, by version) silently truncates long
  prompts, so every request carries ``num_ctx``: ``context_length`` when set, otherwise
  the model's own length read from ``/api/show`` on first use (cached per server and
  model, capped at ``max_default_context``). Building a model makes no network call;
- a prompt clearly longer than ``num_ctx`` raises `ContextWindowExceededError` before
  anything is sent. Ollama has no tokenizer endpoint, so the check uses a lower bound
  (one token per whitespace-separated word, at least one per 10 characters): it does not
  reject a prompt that fits, and English prompts up to about a third over the window
  still reach the server, which truncates them;
- ``get_num_tokens`` estimates locally instead of downloading a GPT-2 tokenizer;
- ``stop`` from the settings and from a call are merged (langchain-ollama raises), and a
  call's ``options`` are merged over the configured ones (langchain-ollama replaces them
  all, dropping ``num_ctx``);
- a stream that ends without Ollama's final ``done`` line is an error, not a silently
  short answer;
- each event loop gets its own async client, so ``asyncio.run(model.ainvoke(...))`` works
  more than once (langchain-ollama's single client fails with "Event loop is closed").
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import threading
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import TYPE_CHECKING, Any

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

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "http://127.0.0.1:11434"
OLLAMA_OPTIONS = frozenset(
    {
        "numa", "num_ctx", "num_batch", "num_gpu", "main_gpu", "low_vram", "f16_kv",
        "logits_all", "vocab_only", "use_mmap", "use_mlock", "embedding_only", "num_thread",
        "num_keep", "seed", "num_predict", "top_k", "top_p", "min_p", "tfs_z", "typical_p",
        "repeat_last_n", "temperature", "repeat_penalty", "presence_penalty",
        "frequency_penalty", "mirostat", "mirostat_tau", "mirostat_eta", "penalize_newline",
        "stop",
    }
)  # fmt: skip
"""Keys of Ollama's request ``options`` (ollama-python's `Options`, plus ``min_p``)."""

_SECTION_NAMES = {"EmbeddingSettings": "embeddings", "CloudSettings": "cloud"}
_RESPONSE_TYPES = {"ChatResponse", "GenerateResponse", "EmbedResponse", "ShowResponse"}


# --- token estimates --------------------------------------------------------------------


def estimate_tokens(text: str) -> int:
    """A typical token count (about 4 characters or 3/4 of a word per token).

    Example:
        >>> estimate_tokens("The quick brown fox jumps over the lazy dog.")
        12
    """
    return max(math.ceil(len(text.split()) * 4 / 3), math.ceil(len(text) / 4))


def min_tokens(text: str) -> int:
    """A lower bound on the token count.

    BPE and SentencePiece tokenizers split at whitespace first, so no token spans two
    words; and no common tokenizer averages more than 10 characters per token.

    Example:
        >>> min_tokens("The quick brown fox jumps over the lazy dog.")
        9
    """
    return max(len(text.split()), len(text) // 10)


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
    with _windows_lock:
        key = (base_url, model)
        return key in _windows, _windows.get(key)


def remember_window(base_url: str, model: str, window: int | None) -> None:
    with _windows_lock:
        _windows[(base_url, model)] = window


def forget_windows() -> None:
    """Drop every cached context length (tests, or after `ollama pull` of a new version)."""
    with _windows_lock:
        _windows.clear()


# --- error translation ------------------------------------------------------------------


def _same_model(wanted: str, name: str) -> bool:
    def full(value: str) -> str:
        return value if ":" in value else f"{value}:latest"

    return full(wanted) == full(name)


def translate(
    exc: BaseException, *, base_url: str, model: str, setting: str, timeout: float | None
) -> InhouseError | None:
    """The `InhouseError` for an exception from the ollama client or httpx, or None."""
    import httpx

    if isinstance(exc, InhouseError):
        return exc
    timeout = timeout or 0.0
    unreachable = (
        f"cannot reach Ollama at {base_url}; start it with `ollama serve` or set {setting}.base_url"
    )
    if isinstance(exc, httpx.ConnectTimeout):
        return ProviderUnavailableError(f"{unreachable} (no answer within {timeout:g} s)")
    if isinstance(exc, httpx.ConnectError | ConnectionError):
        return ProviderUnavailableError(unreachable)
    if isinstance(exc, httpx.TimeoutException):
        env = f"INHOUSE_{setting.upper()}__TIMEOUT"
        return ProviderUnavailableError(
            f"Ollama at {base_url} did not answer within {timeout:g} s; raise"
            f" {setting}.timeout ({env}) for slow models or long prompts"
        )
    if isinstance(exc, httpx.TransportError):
        return ProviderUnavailableError(
            f"the connection to Ollama at {base_url} broke before the response was complete"
            f" ({exc}); check the server's log"
        )
    if isinstance(exc, json.JSONDecodeError) or _is_bad_response(exc):
        return ProviderUnavailableError(
            f"{base_url} sent a response that is not Ollama's ({_first_line(exc)}); check"
            f" that {setting}.base_url points to an Ollama server"
        )
    return _translate_status(exc, base_url=base_url, model=model, setting=setting)


def _is_bad_response(exc: BaseException) -> bool:
    from pydantic import ValidationError

    return isinstance(exc, ValidationError) and exc.title in _RESPONSE_TYPES


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _translate_status(
    exc: BaseException, *, base_url: str, model: str, setting: str
) -> InhouseError | None:
    import httpx
    from ollama import RequestError, ResponseError

    if isinstance(exc, RequestError):
        return ConfigError(f"invalid request for Ollama: {exc.error}; check {setting}.model")
    if isinstance(exc, httpx.HTTPStatusError):
        status, error = exc.response.status_code, _error_text(exc.response.text)
    elif isinstance(exc, ResponseError):
        status, error = exc.status_code, str(exc.error)
    else:
        return None
    if status == 404 and "not found" in error and model in error:
        return ModelNotFoundError(
            f"model {model!r} is not pulled on the Ollama server at {base_url};"
            f" run `ollama pull {model}`"
        )
    if status == 404:
        return ProviderUnavailableError(
            f"{base_url} answered 404 ({error}); check that {setting}.base_url is the"
            " Ollama server's address, without a path such as /v1"
        )
    where = f"HTTP {status}" if status > 0 else "in the stream"
    return ProviderUnavailableError(
        f"Ollama at {base_url} answered with an error for model {model!r}: {error} ({where})"
    )


def _error_text(body: str) -> str:
    try:
        return str(json.loads(body).get("error", body))
    except (ValueError, AttributeError):
        return body.strip()[:200]


# --- the shared behaviour of the chat and completion models -----------------------------


class _OllamaFixes(TranslatesErrors):
    """Methods shared by the chat and completion classes.

    The fields they use (``model``, ``base_url``, ``num_ctx``, ``stop``, ``client_kwargs``,
    ``max_default_context``, ``section_name``, ``extra_options``) are declared on each pydantic
    class: annotations here would be taken for fields of the LangChain classes.
    """

    @property
    def _url(self) -> str:
        return self.base_url or DEFAULT_BASE_URL

    def _translate_error(self, exc: BaseException) -> InhouseError | None:
        timeout = (self.client_kwargs or {}).get("timeout")
        return translate(
            exc, base_url=self._url, model=self.model, setting=self.section_name, timeout=timeout
        )

    def _window(self) -> int | None:
        """num_ctx for this request: the setting, else the model's own (cached), capped."""
        if self.num_ctx is not None:
            return self.num_ctx
        known, window = cached_window(self._url, self.model)
        if not known:
            window = context_from_show(self._client.show(self.model))
            remember_window(self._url, self.model, window)
            if window is None:
                log.info(
                    "%s reports no context length; Ollama's default num_ctx applies", self.model
                )
        return min(window, self.max_default_context) if window else None

    async def _awindow(self) -> None:
        """Fill the cache without blocking the event loop."""
        if self.num_ctx is None and not cached_window(self._url, self.model)[0]:
            show = await self._async_client.show(self.model)
            remember_window(self._url, self.model, context_from_show(show))

    def _options(self, built: Any, call_options: Mapping[str, Any] | None, stop: Any) -> dict:
        """Configured options, then the call's own on top, with num_ctx and merged stops."""
        if hasattr(built, "model_dump"):
            built = built.model_dump(exclude_none=True)
        options = {k: v for k, v in dict(built or {}).items() if v is not None}
        options.update(self.extra_options)
        options.update(call_options or {})
        stops = list(dict.fromkeys([*(self.stop or []), *(stop or []), *options.get("stop", [])]))
        if stops:
            options["stop"] = stops
        if "num_ctx" not in options and (window := self._window()):
            options["num_ctx"] = window
        return options

    def _check_fits(self, texts: list[str], options: Mapping[str, Any]) -> None:
        window = options.get("num_ctx")
        least = sum(min_tokens(t) for t in texts)
        if window and least > window:
            raise ContextWindowExceededError(self.model, least, window)

    def get_num_tokens(self, text: str) -> int:
        """A local estimate (Ollama has no tokenizer endpoint; no GPT-2 download)."""
        return estimate_tokens(text)

    def get_token_ids(self, text: str) -> list[int]:
        msg = "Ollama has no tokenizer endpoint; use get_num_tokens() for an estimate"
        raise NotImplementedError(msg)

    def _until_done(self, parts: Iterator[Any]) -> Iterator[Any]:
        done = False
        for part in parts:
            done = done or _is_done(part)
            yield part
        if not done:
            raise self._cut_short()

    async def _auntil_done(self, parts: AsyncIterator[Any]) -> AsyncIterator[Any]:
        done = False
        async for part in parts:
            done = done or _is_done(part)
            yield part
        if not done:
            raise self._cut_short()

    def _cut_short(self) -> ProviderUnavailableError:
        return ProviderUnavailableError(
            f"the response from Ollama at {self._url} ended before its final message;"
            " check the server's log"
        )


def _client_for_this_loop(model: Any) -> None:
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


def _is_done(part: Any) -> bool:
    return not isinstance(part, str) and bool(part.get("done"))


def _chat_class(base: type) -> type:
    from pydantic import Field, PrivateAttr

    class InhouseChatOllama(_OllamaFixes, base):  # type: ignore[misc, valid-type]
        """`ChatOllama` with clear errors, a right-sized ``num_ctx`` and merged options."""

        max_default_context: int = 8192
        section_name: str = "llm"
        extra_options: dict[str, Any] = Field(default_factory=dict)
        _loop: Any = PrivateAttr(default=None)

        def _chat_params(self, messages: Any, stop: Any = None, **kwargs: Any) -> dict:
            call_options = kwargs.pop("options", None)
            params = super()._chat_params(messages, None, **kwargs)
            params["options"] = self._options(params.get("options"), call_options, stop)
            texts = [str(m.get("content") or "") for m in params["messages"]]
            self._check_fits(texts, params["options"])
            return params

        def _create_chat_stream(self, messages: Any, stop: Any = None, **kwargs: Any) -> Any:
            yield from self._until_done(super()._create_chat_stream(messages, stop, **kwargs))

        async def _acreate_chat_stream(
            self, messages: Any, stop: Any = None, **kwargs: Any
        ) -> AsyncIterator[Any]:
            _client_for_this_loop(self)
            await self._awindow()
            parts = super()._acreate_chat_stream(messages, stop, **kwargs)
            async for part in self._auntil_done(parts):
                yield part

    return InhouseChatOllama


def _llm_class(base: type) -> type:
    from pydantic import Field, PrivateAttr
    from pydantic.json_schema import JsonSchemaValue

    class InhouseOllamaLLM(_OllamaFixes, base):  # type: ignore[misc, valid-type]
        """`OllamaLLM` with clear errors, a right-sized ``num_ctx`` and JSON-schema format."""

        format: str | JsonSchemaValue | None = ""  # langchain-ollama allows only "" or "json"
        max_default_context: int = 8192
        section_name: str = "llm"
        extra_options: dict[str, Any] = Field(default_factory=dict)
        _loop: Any = PrivateAttr(default=None)

        def _generate_params(self, prompt: str, stop: Any = None, **kwargs: Any) -> dict:
            call_options = kwargs.pop("options", None)
            params = super()._generate_params(prompt, None, **kwargs)
            params["options"] = self._options(params.get("options"), call_options, stop)
            self._check_fits([prompt], params["options"])
            return params

        def _create_generate_stream(self, prompt: str, stop: Any = None, **kwargs: Any) -> Any:
            yield from self._until_done(super()._create_generate_stream(prompt, stop, **kwargs))

        async def _acreate_generate_stream(
            self, prompt: str, stop: Any = None, **kwargs: Any
        ) -> AsyncIterator[Any]:
            _client_for_this_loop(self)
            await self._awindow()
            parts = super()._acreate_generate_stream(prompt, stop, **kwargs)
            async for part in self._auntil_done(parts):
                yield part

        def _stream(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
            for chunk in super()._stream(*args, **kwargs):
                yield _fix_finish_reason(chunk)

        async def _astream(self, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
            async for chunk in super()._astream(*args, **kwargs):
                yield _fix_finish_reason(chunk)

    return InhouseOllamaLLM


def _fix_finish_reason(chunk: Any) -> Any:
    """langchain-ollama puts the `stop` list into ``finish_reason``; use ``done_reason``."""
    info = chunk.generation_info
    if info is not None:
        info["finish_reason"] = info.get("done_reason")
    return chunk


def _embeddings_class(base: type) -> type:
    from pydantic import PrivateAttr

    class InhouseOllamaEmbeddings(base):  # type: ignore[misc, valid-type]
        """`OllamaEmbeddings` with clear errors and batches of ``batch_size`` texts."""

        batch_size: int = 64
        section_name: str = "embeddings"
        _loop: Any = PrivateAttr(default=None)

        def _fail(self, exc: BaseException) -> InhouseError | None:
            timeout = (self.client_kwargs or {}).get("timeout")
            url = self.base_url or DEFAULT_BASE_URL
            return translate(
                exc, base_url=url, model=self.model, setting=self.section_name, timeout=timeout
            )

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            vectors: list[list[float]] = []
            try:
                for start in range(0, len(texts), self.batch_size):
                    vectors += super().embed_documents(texts[start : start + self.batch_size])
            except Exception as exc:
                _raise(self._fail(exc), exc)
            return vectors

        async def aembed_documents(self, texts: list[str]) -> list[list[float]]:
            vectors: list[list[float]] = []
            _client_for_this_loop(self)
            try:
                for start in range(0, len(texts), self.batch_size):
                    batch = texts[start : start + self.batch_size]
                    vectors += await super().aembed_documents(batch)
            except Exception as exc:
                _raise(self._fail(exc), exc)
            return vectors

    return InhouseOllamaEmbeddings


def _raise(translated: InhouseError | None, exc: BaseException) -> None:
    if translated is None or translated is exc:
        raise exc
    raise translated from exc


# --- builders ---------------------------------------------------------------------------

_classes: dict[str, type] = {}


def _class(kind: str) -> type:
    if kind not in _classes:
        require("ollama", "ollama")
        lc = require("langchain_ollama", "ollama", "langchain-ollama")
        make = {"chat": _chat_class, "llm": _llm_class, "embeddings": _embeddings_class}[kind]
        base = {"chat": lc.ChatOllama, "llm": lc.OllamaLLM, "embeddings": lc.OllamaEmbeddings}
        _classes[kind] = make(base[kind])
    return _classes[kind]


def setting_name(section: ModelSection) -> str:
    """The settings section a model came from: ``llm``, ``embeddings`` or ``cloud``."""
    return _SECTION_NAMES.get(type(section).__name__, "llm")


def _client_kwargs(section: ModelSection, given: Any) -> dict[str, Any]:
    kwargs = dict(given or {})
    kwargs.setdefault("timeout", section.timeout)
    key = secret(section.api_key)
    if key:
        kwargs["headers"] = {"Authorization": f"Bearer {key}", **kwargs.get("headers", {})}
    return kwargs


def _split_options(section: ModelSection, cls: type) -> tuple[dict[str, Any], dict[str, Any]]:
    """``options`` from the settings: model fields, and Ollama request options."""
    fields, request = {}, {}
    for key, value in section.options.items():
        if key == "validate_model_on_init":
            msg = (
                f"{setting_name(section)}.options.validate_model_on_init makes a network call"
                " whenever a model is built; run `inhouse doctor` to check the server instead"
            )
            raise ConfigError(msg)
        if key in cls.model_fields:
            fields[key] = value
        elif key in OLLAMA_OPTIONS:
            request[key] = value
        else:
            allowed = ", ".join(sorted(OLLAMA_OPTIONS))
            msg = (
                f"{setting_name(section)}.options.{key} is neither a {cls.__bases__[-1].__name__}"
                f" field nor an Ollama option; Ollama options: {allowed}"
            )
            raise ConfigError(msg)
    return fields, request


def _generation_kwargs(section: ModelSection, kind: str) -> dict[str, Any]:
    cls = _class(kind)
    fields, request = _split_options(section, cls)
    client_kwargs = _client_kwargs(section, fields.pop("client_kwargs", None))
    seed = getattr(section, "seed", None)
    kwargs: dict[str, Any] = {
        "model": section.model,
        "base_url": section.base_url or DEFAULT_BASE_URL,
        "temperature": getattr(section, "temperature", None),
        "top_p": getattr(section, "top_p", None),
        "seed": seed,
        "num_predict": getattr(section, "max_tokens", None),
        "stop": list(getattr(section, "stop", None) or []) or None,
        "num_ctx": section.context_length,
        "num_thread": section.threads,
        "max_default_context": getattr(section, "max_default_context", 8192),
        "section_name": setting_name(section),
        "extra_options": request,
        "client_kwargs": client_kwargs,
        **fields,
    }
    return kwargs


def build_chat_model(section: ModelSection, settings: Settings) -> Any:
    """A `ChatOllama` subclass for the section; no network call until first use."""
    return _class("chat")(**_generation_kwargs(section, "chat"))


def build_llm(section: ModelSection, settings: Settings) -> Any:
    """An `OllamaLLM` subclass (completion style, ``/api/generate``)."""
    return _class("llm")(**_generation_kwargs(section, "llm"))


def build_embeddings(section: ModelSection, settings: Settings) -> Any:
    """An `OllamaEmbeddings` subclass (``/api/embed``), in batches of ``batch_size``."""
    cls = _class("embeddings")
    fields, request = _split_options(section, cls)
    client_kwargs = _client_kwargs(section, fields.pop("client_kwargs", None))
    if request:
        msg = (
            f"embeddings.options {sorted(request)} are request options; OllamaEmbeddings takes"
            " only its own fields (num_ctx, keep_alive, dimensions, ...)"
        )
        raise ConfigError(msg)
    return cls(
        model=section.model,
        base_url=section.base_url or DEFAULT_BASE_URL,
        num_ctx=section.context_length,
        num_thread=section.threads,
        batch_size=getattr(section, "batch_size", 64),
        section_name=setting_name(section),
        client_kwargs=client_kwargs,
        **fields,
    )


# --- doctor -----------------------------------------------------------------------------


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


def probe(section: ModelSection, settings: Settings) -> str:
    """The server answers and has the section's model; a one-line detail for the doctor."""
    url = (section.base_url or DEFAULT_BASE_URL).rstrip("/")
    models = server_models(url, min(section.timeout, 10.0), setting=setting_name(section))
    if not any(_same_model(section.model, m) for m in models):
        msg = (
            f"model {section.model!r} is not pulled on the Ollama server at {url};"
            f" run `ollama pull {section.model}` (it has: {', '.join(models) or 'none'})"
        )
        raise ModelNotFoundError(msg)
    return f"{url} has {section.model} ({len(models)} models pulled)"


PROVIDER = Provider(
    name="ollama",
    extra="ollama",
    description="an Ollama server (`ollama serve`), local or remote",
    chat_model=build_chat_model,
    llm=build_llm,
    embeddings=build_embeddings,
    probe=probe,
)
