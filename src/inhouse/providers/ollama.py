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

This module holds the LangChain classes, the builders and the probe; the helpers are
`_ollama_fixes` (what the chat and completion classes share), `_ollama_http` (/api/tags,
/api/show context lengths, per-loop clients) and `_ollama_errors`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from inhouse.errors import ConfigError, InhouseError, ModelNotFoundError
from inhouse.providers._ollama_errors import raise_translated, translate
from inhouse.providers._ollama_fixes import OllamaFixes
from inhouse.providers._ollama_http import (
    DEFAULT_BASE_URL,
    cached_window,
    client_for_this_loop,
    context_from_show,
    forget_windows,
    remember_window,
    same_model,
    server_models,
)
from inhouse.providers._structured import SchemaJsonMode
from inhouse.providers._support import require, secret, section_name
from inhouse.providers._tools import ToolCalling
from inhouse.providers.registry import Provider

if TYPE_CHECKING:
    from inhouse.settings.schema import ModelSection, Settings

__all__ = [  # the public names, some defined in the private helper modules
    "DEFAULT_BASE_URL", "OLLAMA_OPTIONS", "PROVIDER", "build_chat_model", "build_embeddings",
    "build_llm", "cached_window", "context_from_show", "forget_windows", "probe",
    "remember_window", "server_models", "setting_name", "translate",
]  # fmt: skip

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



# --- the LangChain classes --------------------------------------------------------------


def _chat_class(base: type) -> type:
    from pydantic import Field, PrivateAttr

    class InhouseChatOllama(ToolCalling, SchemaJsonMode, OllamaFixes, base):  # type: ignore[misc, valid-type]
        """`ChatOllama` with clear errors, a right-sized ``num_ctx`` and merged options.

        Tools: "auto" is Ollama's native ``tools``; a forced ``tool_choice`` ("any", a
        name), which Ollama lacks, is decoded under the tools' schema through ``format``
        (`inhouse.providers._tools`)."""

        native_auto_tools: ClassVar[bool] = True
        repeat_tool_calls: bool = True

        max_default_context: int = 8192
        section_name: str = "llm"
        extra_options: dict[str, Any] = Field(default_factory=dict)
        _loop: Any = PrivateAttr(default=None)
        constrain_json: ClassVar[Any] = staticmethod(constrain)

        def _get_ls_params(self, stop: Any = None, **kwargs: Any) -> Any:
            params = super()._get_ls_params(stop=stop, **kwargs)
            params["ls_model_name"] = kwargs.get("model") or self.model  # a per-call model
            return params

        def _chat_params(self, messages: Any, stop: Any = None, **kwargs: Any) -> dict:
            call_options = kwargs.pop("options", None)
            params = super()._chat_params(messages, None, **kwargs)
            params["options"] = self._options(params.get("options"), call_options, stop)
            texts = [str(m.get("content") or "") for m in params["messages"]]
            self._check_fits(texts, params["options"])
            return params

        def _tool_decoding(self, schema: dict[str, Any]) -> dict[str, Any]:
            return {"format": schema}

        def _create_chat_stream(self, messages: Any, stop: Any = None, **kwargs: Any) -> Any:
            yield from self._until_done(super()._create_chat_stream(messages, stop, **kwargs))

        async def _acreate_chat_stream(
            self, messages: Any, stop: Any = None, **kwargs: Any
        ) -> AsyncIterator[Any]:
            client_for_this_loop(self)
            await self._awindow()
            parts = super()._acreate_chat_stream(messages, stop, **kwargs)
            async for part in self._auntil_done(parts):
                yield part

    return InhouseChatOllama


def _llm_class(base: type) -> type:
    from pydantic import Field, PrivateAttr
    from pydantic.json_schema import JsonSchemaValue

    class InhouseOllamaLLM(OllamaFixes, base):  # type: ignore[misc, valid-type]
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
            client_for_this_loop(self)
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
                raise_translated(self._fail(exc), exc)
            return vectors

        async def aembed_documents(self, texts: list[str]) -> list[list[float]]:
            vectors: list[list[float]] = []
            client_for_this_loop(self)
            try:
                for start in range(0, len(texts), self.batch_size):
                    batch = texts[start : start + self.batch_size]
                    vectors += await super().aembed_documents(batch)
            except Exception as exc:
                raise_translated(self._fail(exc), exc)
            return vectors

    return InhouseOllamaEmbeddings


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


setting_name = section_name


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


def constrain(model: Any, schema: dict[str, Any]) -> Any:
    """`model` bound to answer JSON matching `schema`: Ollama's ``format`` takes the
    schema, and the server enforces it with a grammar."""
    return model.bind(format=schema)


def probe(section: ModelSection, settings: Settings) -> str:
    """The server answers and has the section's model; a one-line detail for the doctor."""
    url = (section.base_url or DEFAULT_BASE_URL).rstrip("/")
    models = server_models(url, min(section.timeout, 10.0), setting=setting_name(section))
    if not any(same_model(section.model, m) for m in models):
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
    constrain=constrain,
    token_counting="estimate",
)
