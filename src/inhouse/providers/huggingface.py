"""Hugging Face in process: a transformers pipeline and sentence-transformers embeddings.

Example:
    >>> from inhouse import load_settings, chat_model, embeddings
    >>> settings = load_settings(llm={"provider": "huggingface"})
    >>> chat_model(settings).invoke("Say hi").content  # doctest: +SKIP
    >>> embeddings(settings).embed_query("hello")[:3]  # doctest: +SKIP

Models load from local files only (GGUF files through transformers' GGUF loader, or
transformers folders), once per process. Fixes the integration's pitfalls (DESIGN.md):
no prompt echo; `stop` honoured by invoke and stream; `ainvoke`/`astream` work (the sync
path runs in a thread, streaming chunk by chunk); `max_tokens`, `temperature` (0 is
greedy), `top_p` and `seed` reach `generate`; the tokenizer is passed to
`ChatHuggingFace` (never fetched from the hub); a tokenizer without a chat template gets
a plain User/Assistant format and a warning; an oversized prompt raises
`ContextWindowExceededError`; one lock per loaded model; token counts are exact.
A bound ``response_format`` (a JSON schema, as for OpenAI) reaches the pipeline:
generation is constrained to it with an xgrammar logits processor; `bind_tools` works
through it (`inhouse.providers._tools`).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from inhouse.errors import ConfigError, InhouseError
from inhouse.providers import _hf_pipeline as hf
from inhouse.providers._shared import lock_for, shared
from inhouse.providers._structured import StructuredOutput
from inhouse.providers._support import (
    TranslatesErrors,
    json_schema_format,
    require,
    usage_metadata,
)
from inhouse.providers._tools import ToolCalling
from inhouse.providers.registry import Provider
from inhouse.tokens import TokenCounting

if TYPE_CHECKING:
    from inhouse.settings.schema import ModelSection, Settings

log = logging.getLogger(__name__)

EXTRA = "huggingface"
TOKEN_COUNTING: TokenCounting = "tokenizer"
"""The model's own tokenizer, exact and offline."""
_GEN_KEYS = ("max_tokens", "temperature", "top_p", "seed")


def _imports() -> Any:
    hf.prepare_environment()
    require("torch", EXTRA)
    require("transformers", EXTRA)
    return require("langchain_huggingface", EXTRA, "langchain-huggingface")


def _resolve(section: ModelSection, settings: Settings, allowed: tuple[str, ...]) -> Any:
    from inhouse.models.catalog import resolve

    info = resolve(section.model, settings.models)
    if info.format not in allowed:
        msg = (
            f"provider huggingface cannot use {section.model!r} ({info.format} at {info.path})"
            f" here; it needs one of: {', '.join(allowed)} (see `inhouse models`)"
        )
        raise ConfigError(msg)
    return info


def _translate(model: str, exc: BaseException, options: bool = False) -> InhouseError | None:
    """A ValueError from `generate` is a bad setting (most often in llm.options.generate)."""
    if isinstance(exc, ValueError) and (options or "generat" in str(exc).lower()):
        msg = (
            f"transformers rejected the generation settings for {model!r}: {exc}; check llm.options"
        )
        return ConfigError(msg)
    return None


# -- LangChain classes (built on first use: langchain_huggingface is an optional extra) ---


def _llm_class(base: type) -> type:
    from langchain_core.outputs import Generation, GenerationChunk, LLMResult
    from pydantic import Field

    class PipelineLLM(base):  # type: ignore[misc, valid-type]
        token_counting: ClassVar[TokenCounting] = TOKEN_COUNTING
        temperature: float = 0.2
        top_p: float = 0.95
        max_tokens: int = 512
        seed: int | None = None
        stop: list[str] | None = None
        context_length: int = 8192
        generate_kwargs: dict[str, Any] = Field(default_factory=dict)

        def gen_params(self, stop: list[str] | None, kwargs: dict[str, Any]) -> hf.GenParams:
            """Call kwargs over the model's own fields."""
            values = {
                k: kwargs[k] if kwargs.get(k) is not None else getattr(self, k) for k in _GEN_KEYS
            }
            extra = {**self.generate_kwargs, **(kwargs.get("pipeline_kwargs") or {})}
            return hf.GenParams(
                model=str(self.model_id),
                context_length=self.context_length,
                stop=tuple(stop if stop is not None else self.stop or ()),
                extra=extra,
                json_schema=hf.schema_text(kwargs.get("response_format")),
                **values,
            )

        def _generate(
            self,
            prompts: list[str],
            stop: list[str] | None = None,
            run_manager: Any = None,
            **kwargs: Any,
        ) -> LLMResult:
            params = self.gen_params(stop, kwargs)
            generations = []
            for prompt in prompts:
                done = hf.generate(self.pipeline, prompt, params)
                info = {
                    "finish_reason": done.finish_reason,
                    "prompt_tokens": done.prompt_tokens,
                    "completion_tokens": done.completion_tokens,
                }
                generations.append([Generation(text=done.text, generation_info=info)])
            return LLMResult(generations=generations, llm_output={"model_name": self.model_id})

        def _stream(
            self,
            prompt: str,
            stop: list[str] | None = None,
            run_manager: Any = None,
            **kwargs: Any,
        ) -> Iterator[GenerationChunk]:
            """The completion piece by piece; a ``usage`` dict in the call's arguments
            gets the token counts when the stream ends."""
            usage = kwargs.pop("usage", None)
            params = self.gen_params(stop, kwargs)
            for text in hf.stream(self.pipeline, prompt, params, usage):
                chunk = GenerationChunk(text=text)
                if run_manager:
                    run_manager.on_llm_new_token(text, chunk=chunk)
                yield chunk

        def get_token_ids(self, text: str) -> list[int]:
            return hf.token_ids(self.pipeline.tokenizer, text)

        def get_num_tokens(self, text: str) -> int:
            return len(self.get_token_ids(text))

        @property
        def _llm_type(self) -> str:
            return "inhouse_huggingface_pipeline"

    class InhouseHuggingFacePipeline(TranslatesErrors, PipelineLLM):
        """HuggingFacePipeline over a shared, locked local model: no echo, stop, async."""

        def _translate_error(self, exc: BaseException) -> InhouseError | None:
            return _translate(str(self.model_id), exc, bool(self.generate_kwargs))

    InhouseHuggingFacePipeline.__qualname__ = InhouseHuggingFacePipeline.__name__
    return InhouseHuggingFacePipeline


def _message_pair(message: Any) -> tuple[str, str]:
    roles = {"human": "user", "ai": "assistant", "system": "system", "tool": "tool"}
    role = getattr(message, "role", None) if message.type == "chat" else roles.get(message.type)
    return role or "user", message.text


def _chat_class(base: type) -> type:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.language_models.chat_models import generate_from_stream
    from langchain_core.messages import AIMessageChunk
    from langchain_core.outputs import ChatGenerationChunk, ChatResult
    from langchain_core.runnables.config import run_in_executor
    from pydantic import model_validator

    class PipelineChat(base):  # type: ignore[misc, valid-type]
        token_counting: ClassVar[TokenCounting] = TOKEN_COUNTING

        @model_validator(mode="after")
        def _warn_without_template(self) -> Any:
            if not self.has_chat_template:
                log.warning(
                    "model %s has no chat template; using a plain 'User:/Assistant:' format"
                    " (use the completion model llm() for base models)",
                    self.model_id,
                )
            return self

        @property
        def has_chat_template(self) -> bool:
            return bool(getattr(self.tokenizer, "chat_template", None))

        @property
        def context_length(self) -> int:
            return int(self.llm.context_length)

        def _to_chat_prompt(self, messages: list[Any]) -> str:
            if not messages:
                msg = "a chat model needs at least one message"
                raise ConfigError(msg)
            pairs = [_message_pair(m) for m in messages]
            if not self.has_chat_template:
                return hf.plain_chat_prompt(pairs)
            dicts = [{"role": role, "content": content} for role, content in pairs]
            return self.tokenizer.apply_chat_template(
                dicts, tokenize=False, add_generation_prompt=True
            )

        def _llm_args(self, stop: list[str] | None, kwargs: dict[str, Any]) -> dict[str, Any]:
            own = {k: getattr(self, k) for k in _GEN_KEYS if getattr(self, k) is not None}
            stops = list(stop if stop is not None else self.stop or [])
            if not self.has_chat_template:
                stops += [s for s in hf.PLAIN_STOPS if s not in stops]
            return {"stop": stops or None, **own, **kwargs}

        def _generate(
            self,
            messages: list[Any],
            stop: list[str] | None = None,
            run_manager: Any = None,
            stream: bool | None = None,
            **kwargs: Any,
        ) -> ChatResult:
            if stream if stream is not None else self.streaming:
                return generate_from_stream(self._stream(messages, stop, run_manager, **kwargs))
            args = self._llm_args(stop, kwargs)
            result = self.llm._generate([self._to_chat_prompt(messages)], **args)
            return self._to_chat_result(result)

        def _to_chat_result(self, llm_result: Any) -> ChatResult:
            chat = base._to_chat_result(llm_result)
            for generation in chat.generations:
                info = generation.generation_info or {}
                message = generation.message
                message.response_metadata = {
                    **message.response_metadata,
                    "model_name": str(self.model_id),
                }
                if "prompt_tokens" in info:
                    message.usage_metadata = usage_metadata(
                        info["prompt_tokens"], info["completion_tokens"]
                    )
            return chat

        def _stream(
            self,
            messages: list[Any],
            stop: list[str] | None = None,
            run_manager: Any = None,
            **kwargs: Any,
        ) -> Iterator[ChatGenerationChunk]:
            kwargs.pop("stream_usage", None)
            usage: dict[str, int] = {}
            args = self._llm_args(stop, {**kwargs, "usage": usage})
            for piece in self.llm._stream(self._to_chat_prompt(messages), **args):
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece.text))
                if run_manager:
                    run_manager.on_llm_new_token(piece.text, chunk=chunk)
                yield chunk
            last = AIMessageChunk(  # the usage, and the model name, once per stream
                content="",
                usage_metadata=usage_metadata(usage["prompt_tokens"], usage["completion_tokens"]),
                response_metadata={"model_name": str(self.model_id)},
                chunk_position="last",
            )
            yield ChatGenerationChunk(message=last)

        async def _agenerate(
            self,
            messages: list[Any],
            stop: list[str] | None = None,
            run_manager: Any = None,
            **kwargs: Any,
        ) -> ChatResult:
            sync_manager = run_manager.get_sync() if run_manager else None
            return await run_in_executor(
                None, self._generate, messages, stop, sync_manager, **kwargs
            )

        async def _astream(
            self,
            messages: list[Any],
            stop: list[str] | None = None,
            run_manager: Any = None,
            **kwargs: Any,
        ) -> AsyncIterator[Any]:
            # BaseChatModel's default: each chunk of the sync stream is fetched in a thread.
            async for chunk in BaseChatModel._astream(self, messages, stop, run_manager, **kwargs):
                yield chunk

        def get_token_ids(self, text: str) -> list[int]:
            return self.llm.get_token_ids(text)

        def get_num_tokens(self, text: str) -> int:
            return self.llm.get_num_tokens(text)

        def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> Any:
            params = super()._get_ls_params(stop=stop, **kwargs)
            params["ls_model_name"] = kwargs.get("model") or str(self.model_id)
            return params

        def get_num_tokens_from_messages(self, messages: list[Any], tools: Any = None) -> int:
            """Exact: the tokens of the prompt these messages become."""
            return self.llm.get_num_tokens(self._to_chat_prompt(list(messages)))

        @property
        def _llm_type(self) -> str:
            return "inhouse_chat_huggingface"

    class InhouseChatHuggingFace(ToolCalling, StructuredOutput, TranslatesErrors, PipelineChat):
        """ChatHuggingFace over the local pipeline LLM, with its tokenizer passed in; tool
        calling and structured output by constrained decoding (`inhouse.providers._tools`,
        `inhouse.providers._structured`)."""

        repeat_tool_calls: bool = False

        constrain_json: ClassVar[Any] = staticmethod(constrain)

        def _translate_error(self, exc: BaseException) -> InhouseError | None:
            return _translate(str(self.model_id), exc)

    InhouseChatHuggingFace.__qualname__ = InhouseChatHuggingFace.__name__
    return InhouseChatHuggingFace


def _embeddings_class(base: type) -> type:
    class InhouseHuggingFaceEmbeddings(base):  # type: ignore[misc, valid-type]
        """HuggingFaceEmbeddings with one lock per loaded model (tokenizers are not
        thread-safe)."""

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            with lock_for(self._client):
                return base.embed_documents(self, texts)

        def embed_query(self, text: str) -> list[float]:
            with lock_for(self._client):
                return base.embed_query(self, text)

    InhouseHuggingFaceEmbeddings.__qualname__ = InhouseHuggingFaceEmbeddings.__name__
    return InhouseHuggingFaceEmbeddings


_classes: dict[str, type] = {}


def _class(name: str) -> type:
    lc = _imports()  # every call: a missing extra is reported before anything else
    if name not in _classes:
        makers = {
            "llm": (_llm_class, lc.HuggingFacePipeline),
            "chat": (_chat_class, lc.ChatHuggingFace),
            "embeddings": (_embeddings_class, lc.HuggingFaceEmbeddings),
        }
        make, base = makers[name]
        _classes[name] = make(base)
    return _classes[name]


# -- builders -----------------------------------------------------------------------------


def _set_threads(section: ModelSection) -> None:
    if section.threads:
        import torch

        torch.set_num_threads(section.threads)  # process-wide, like the setting says


def build_llm(section: ModelSection, settings: Settings) -> Any:
    """A `HuggingFacePipeline` over the shared local model (loaded on first use)."""
    cls = _class("llm")
    info = _resolve(section, settings, ("gguf", "transformers"))
    _set_threads(section)
    pipe = hf.load_pipeline(Path(info.path), info.format, section.options.get("load", {}))
    own = hf.model_context_length(pipe)
    cap = getattr(section, "max_default_context", 8192)
    seed = getattr(section, "seed", None)
    return cls(
        pipeline=pipe,
        model_id=info.name,
        context_length=section.context_length or min(own or cap, cap),
        temperature=getattr(section, "temperature", 0.2),
        top_p=getattr(section, "top_p", 0.95),
        max_tokens=getattr(section, "max_tokens", 512),
        seed=seed,
        stop=list(getattr(section, "stop", [])) or None,
        generate_kwargs=dict(section.options.get("generate", {})),
    )


def build_chat_model(section: ModelSection, settings: Settings) -> Any:
    """A `ChatHuggingFace` over `build_llm`'s model, with the model's own tokenizer."""
    llm = build_llm(section, settings)
    return _class("chat")(
        llm=llm,
        tokenizer=llm.pipeline.tokenizer,
        model_id=llm.model_id,
        temperature=llm.temperature,
        top_p=llm.top_p,
        max_tokens=llm.max_tokens,
        seed=llm.seed,
        stop_sequences=llm.stop,
    )


def build_embeddings(section: ModelSection, settings: Settings) -> Any:
    """sentence-transformers embeddings over a local folder, shared per process."""
    cls = _class("embeddings")
    require("sentence_transformers", EXTRA, "sentence-transformers")
    path = Path(_resolve(section, settings, ("sentence-transformers", "transformers")).path)
    model_kwargs = {
        "device": getattr(section, "device", "cpu"),
        "local_files_only": True,
        **section.options.get("load", {}),
    }
    encode_kwargs = {
        "normalize_embeddings": getattr(section, "normalize", True),
        "batch_size": getattr(section, "batch_size", 64),
        **section.options.get("encode", {}),
    }
    key = (
        "huggingface-embeddings",
        str(path.resolve()),
        repr(sorted(model_kwargs.items())),
        repr(sorted(encode_kwargs.items())),
    )

    def load() -> Any:
        _set_threads(section)
        try:
            with hf.quiet_progress():
                return cls(
                    model_name=str(path), model_kwargs=model_kwargs, encode_kwargs=encode_kwargs
                )
        except (OSError, ValueError, RuntimeError) as exc:
            msg = (
                f"sentence-transformers could not load {path}: {exc}; check the folder"
                " with `inhouse models`"
            )
            raise ConfigError(msg) from exc

    return shared(key, load)


def constrain(model: Any, schema: dict[str, Any]) -> Any:
    """`model` bound to answer JSON matching `schema`: the bound ``response_format`` (as
    for OpenAI) becomes an xgrammar logits processor for ``model.generate``."""
    return model.bind(response_format=json_schema_format(schema))


def probe(section: ModelSection, settings: Settings) -> str:
    """The model resolves to a local file or folder transformers can read."""
    info = _resolve(section, settings, ("gguf", "transformers", "sentence-transformers"))
    return f"{info.path} ({info.format})"


PROVIDER = Provider(
    name="huggingface",
    extra=EXTRA,
    description="transformers / sentence-transformers in process (local files only)",
    chat_model=build_chat_model,
    llm=build_llm,
    embeddings=build_embeddings,
    probe=probe,
    constrain=constrain,
    token_counting=TOKEN_COUNTING,
)
