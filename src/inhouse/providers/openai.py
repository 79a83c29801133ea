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
  local estimate (`inhouse.tokens.estimate_tokens`) and embeddings send raw text;
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

This module holds the chat and completion classes, the builders and the probe; the
helpers are `_openai_http` (URL, key, per-loop transport, /models), `_openai_errors`,
`_openai_structured` (the json_object fallback) and `_openai_embeddings`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from inhouse.errors import ConfigError, InhouseError, ModelNotFoundError, ProviderUnavailableError
from inhouse.providers._openai_embeddings import embeddings_class
from inhouse.providers._openai_errors import (
    OpenAIErrors,
    context_error,
    one_line,
    translate_openai_error,
)
from inhouse.providers._openai_http import (
    PLACEHOLDER_KEY,
    VENDOR_BASE_URL,
    connection_params,
    construct,
    env_proxy,
    env_var,
    is_loopback,
    is_vendor,
    list_models,
    loop_local_async_client,
    require_model,
    resolve_api_key,
    resolve_base_url,
    sampling_params,
    section_name,
)
from inhouse.providers._openai_structured import (
    JsonObjectFallback,
    StreamTail,
    as_json_object,
    attach_parsed,
    cut_off_result,
)
from inhouse.providers._structured import SchemaJsonMode
from inhouse.providers._support import json_schema_format, require
from inhouse.providers.registry import Provider
from inhouse.tokens import EstimatedTokens

if TYPE_CHECKING:
    from inhouse.settings.schema import ModelSection, Settings

__all__ = [  # the public names, some defined in the private helper modules
    "PLACEHOLDER_KEY", "PROVIDER", "VENDOR_BASE_URL", "as_json_object", "build_chat_model",
    "build_embeddings", "build_llm", "context_error", "env_proxy",
    "is_loopback", "is_vendor", "list_models", "loop_local_async_client", "model_class",
    "probe", "resolve_api_key", "resolve_base_url", "section_name", "translate_openai_error",
]  # fmt: skip

# --- the LangChain classes ---------------------------------------------------------------


def _probe_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The call's arguments for a one-token, non-streaming retry of an empty stream."""
    probe = {k: v for k, v in kwargs.items() if k not in ("stream_usage", "stream_options")}
    return {**probe, "max_tokens": 1}


def _finishes(chunk: Any) -> bool:
    """Whether a streamed chunk ends a complete answer: a Chat Completions chunk with a
    finish reason, or the last chunk of a Responses API stream."""
    if (getattr(chunk, "generation_info", None) or {}).get("finish_reason"):
        return True
    return getattr(getattr(chunk, "message", None), "chunk_position", None) == "last"


def _chat_class(base: type) -> type:
    class InhouseChatOpenAI(  # type: ignore[misc, valid-type]
        SchemaJsonMode, OpenAIErrors, JsonObjectFallback, EstimatedTokens, base
    ):
        """`ChatOpenAI` for local servers and the cloud, with clear errors and no tiktoken."""

        inhouse_section: str = "llm"
        json_object_fallback: bool = False
        """Set once the server rejected `json_schema`; later calls go straight to json_object."""
        constrain_json: ClassVar[Any] = staticmethod(constrain)

        @classmethod
        def is_lc_serializable(cls) -> bool:
            return False  # `load()` knows langchain-openai's own classes, not this subclass

        def _get_request_payload(self, input_: Any, *, stop: Any = None, **kwargs: Any) -> dict:
            payload = super()._get_request_payload(input_, stop=stop, **kwargs)
            if not is_vendor(self.openai_api_base or VENDOR_BASE_URL):
                if "max_completion_tokens" in payload:
                    payload["max_tokens"] = payload.pop("max_completion_tokens")
                for message in payload.get("messages") or []:
                    # an assistant turn that only calls tools has content null, which
                    # llama_cpp.server rejects (500); "" means the same
                    if message.get("role") == "assistant" and message.get("content") is None:
                        message["content"] = ""
            return payload

        def _generate(self, messages: list, stop: Any = None, run_manager: Any = None,
                      **kwargs: Any) -> Any:
            try:
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
            except Exception as exc:
                result = cut_off_result(self, exc)
                if result is None:
                    raise
            return attach_parsed(result, kwargs.get("response_format"))

        async def _agenerate(self, messages: list, stop: Any = None, run_manager: Any = None,
                             **kwargs: Any) -> Any:
            try:
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
            except Exception as exc:
                result = cut_off_result(self, exc)
                if result is None:
                    raise
            return attach_parsed(result, kwargs.get("response_format"))

        def _stream(self, messages: list, stop: Any = None, run_manager: Any = None,
                    **kwargs: Any) -> Iterator[Any]:
            produced = finished = False
            tail = StreamTail(self, messages, kwargs.get("response_format"))
            for _attempt in range(2):
                try:
                    for chunk in super()._stream(
                        messages, stop, run_manager, **self._fallback_kwargs(kwargs)
                    ):
                        produced, finished = True, finished or _finishes(chunk)
                        tail.saw(chunk)
                        yield chunk
                    if produced and (last := tail.chunk()) is not None:
                        yield last
                    break
                except InhouseError as exc:
                    if produced:
                        self._raise_broken_stream(exc)
                    if not self._falls_back(exc, kwargs):
                        raise
            if not produced:  # ask once more without streaming, to learn why
                self._generate(messages, stop, None, **_probe_kwargs(kwargs))
                raise self._empty_stream()
            if not finished:
                raise self._unfinished_stream()

        async def _astream(self, messages: list, stop: Any = None, run_manager: Any = None,
                           **kwargs: Any) -> AsyncIterator[Any]:
            produced = finished = False
            tail = StreamTail(self, messages, kwargs.get("response_format"))
            for _attempt in range(2):
                try:
                    async for chunk in super()._astream(
                        messages, stop, run_manager, **self._fallback_kwargs(kwargs)
                    ):
                        produced, finished = True, finished or _finishes(chunk)
                        tail.saw(chunk)
                        yield chunk
                    if produced and (last := tail.chunk()) is not None:
                        yield last
                    break
                except InhouseError as exc:
                    if produced:
                        self._raise_broken_stream(exc)
                    if not self._falls_back(exc, kwargs):
                        raise
            if not produced:
                await self._agenerate(messages, stop, None, **_probe_kwargs(kwargs))
                raise self._empty_stream()
            if not finished:
                raise self._unfinished_stream()

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
    class InhouseOpenAI(OpenAIErrors, EstimatedTokens, base):  # type: ignore[misc, valid-type]
        """Completion-style `OpenAI` for local servers, with clear errors and no tiktoken."""

        inhouse_section: str = "llm"

        def _stream(self, prompt: str, stop: Any = None, run_manager: Any = None,
                    **kwargs: Any) -> Iterator[Any]:
            produced = finished = False
            try:
                for chunk in super()._stream(prompt, stop, run_manager, **kwargs):
                    produced, finished = True, finished or _finishes(chunk)
                    yield chunk
            except InhouseError as exc:
                if produced:
                    self._raise_broken_stream(exc)
                raise
            if not produced:
                self._generate([prompt], stop, None, **_probe_kwargs(kwargs))
                raise self._empty_stream()
            if not finished:
                raise self._unfinished_stream()

        async def _astream(self, prompt: str, stop: Any = None, run_manager: Any = None,
                           **kwargs: Any) -> AsyncIterator[Any]:
            produced = finished = False
            try:
                async for chunk in super()._astream(prompt, stop, run_manager, **kwargs):
                    produced, finished = True, finished or _finishes(chunk)
                    yield chunk
            except InhouseError as exc:
                if produced:
                    self._raise_broken_stream(exc)
                raise
            if not produced:
                await self._agenerate([prompt], stop, None, **_probe_kwargs(kwargs))
                raise self._empty_stream()
            if not finished:
                raise self._unfinished_stream()

        def get_token_ids(self, text: str) -> list[int]:
            if self.custom_get_token_ids is not None:
                return self.custom_get_token_ids(text)
            msg = "token ids are not available offline; use get_num_tokens() for an estimate"
            raise NotImplementedError(msg)

    return InhouseOpenAI


_classes: dict[str, type] = {}


def model_class(kind: str) -> type:
    """The inhouse subclass for `chat`, `llm` or `embeddings` (built on first use)."""
    if kind not in _classes:
        module = require("langchain_openai", "cloud", "langchain-openai")
        make = {"chat": _chat_class, "llm": _llm_class, "embeddings": embeddings_class}[kind]
        base = {"chat": "ChatOpenAI", "llm": "OpenAI", "embeddings": "OpenAIEmbeddings"}[kind]
        _classes[kind] = make(getattr(module, base))
    return _classes[kind]


# --- builders ----------------------------------------------------------------------------


def build_chat_model(section: ModelSection, settings: Settings) -> Any:
    """A `ChatOpenAI` subclass for the `llm` or `cloud` section."""
    cls = model_class("chat")
    stop = list(getattr(section, "stop", [])) or None
    params = {**connection_params(section), **sampling_params(section), "stop": stop}
    return construct(cls, section, params)


def build_llm(section: ModelSection, settings: Settings) -> Any:
    """A completion-style `OpenAI` subclass (the server's /v1/completions)."""
    cls = model_class("llm")
    # One prompt per request: llama_cpp.server answers a list of prompts with a 500.
    params = {**connection_params(section), **sampling_params(section), "batch_size": 1}
    stop = list(getattr(section, "stop", []))
    if stop:
        params["model_kwargs"] = {"stop": stop}
    return construct(cls, section, params)


def build_embeddings(section: ModelSection, settings: Settings) -> Any:
    """An `OpenAIEmbeddings` subclass that sends raw text and never touches tiktoken."""
    cls = model_class("embeddings")
    params = {
        **connection_params(section),
        "check_embedding_ctx_length": False,  # no tokenising, so no tiktoken download
        "tiktoken_enabled": False,
        "chunk_size": getattr(section, "batch_size", 64),
        "normalize": getattr(section, "normalize", True),
    }
    return construct(cls, section, params)


def constrain(model: Any, schema: dict[str, Any]) -> Any:
    """`model` bound to answer JSON matching `schema`: ``response_format`` of type
    ``json_schema`` (a server that rejects it is asked again with llama_cpp.server's
    ``json_object`` form; see `JsonObjectFallback`)."""
    return model.bind(response_format=json_schema_format(schema))


def probe(section: ModelSection, settings: Settings) -> str:
    """The server answers `/models` and lists the configured model."""
    import httpx

    name, base_url = section_name(section), resolve_base_url(section)
    api_key, model = resolve_api_key(section), require_model(section)
    try:
        names = list_models(base_url, api_key, timeout=min(section.timeout, 10.0))
    except httpx.HTTPStatusError as exc:
        status = exc.response.status_code
        if status in (401, 403):
            msg = f"the server at {base_url} rejected {name}.api_key ({status})"
            raise ConfigError(msg + f"; set a valid key in {env_var(name, 'api_key')}") from exc
        msg = f"the server at {base_url} answered {status} for GET /models; check {name}.base_url"
        raise ProviderUnavailableError(msg) from exc
    except (httpx.HTTPError, ValueError) as exc:
        msg = f"cannot reach the OpenAI-compatible server at {base_url} ({one_line(exc, 120)})"
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
    constrain=constrain,
    token_counting="estimate",
)
