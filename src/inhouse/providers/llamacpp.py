"""llama.cpp in process (llama-cpp-python through langchain-community).

Fixes the integration's pitfalls (DESIGN.md):

- the context window comes from the model (capped by `max_default_context`), not 512;
- rope values are 0, so the GGUF's own values apply;
- `n_batch` is llama.cpp's 512, not 8; `verbose` is off;
- one `Llama` per model and load parameters per process, guarded by a lock, because a
  `Llama` is not thread-safe;
- a GGUF without a chat template gets a plain User/Assistant format and a warning,
  instead of a silent llama-2 fallback that answers with nothing;
- "Requested tokens exceed context window" becomes `ContextWindowExceededError`;
- token counting uses the model's own tokenizer, never a downloaded GPT-2 one;
- `llm.prompt_cache_mb` keeps processed prompt states in RAM (`LlamaRAMCache`), so
  interleaved conversations each reuse their own prefix;
- `usage_metadata` and ``response_metadata["model_name"]`` on `invoke` and on the last
  chunk of a stream (llama-cpp-python reports no usage when streaming);
- `with_structured_output` decodes under a JSON-schema grammar (`_structured`) instead
  of forcing a tool call the model may not make; `bind_tools` decodes calls under the
  tools' schemas (`_tools`).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import model_validator

from inhouse.errors import ConfigError, ContextWindowExceededError, InhouseError
from inhouse.providers._shared import lock_for, shared
from inhouse.providers._structured import StructuredOutput
from inhouse.providers._support import TranslatesErrors, require, usage_metadata
from inhouse.providers._tools import ToolCalling
from inhouse.providers.registry import Provider
from inhouse.tokens import TokenCounting

if TYPE_CHECKING:
    from inhouse.settings.schema import ModelSection, Settings

log = logging.getLogger(__name__)

PLAIN_CHAT_FORMAT = "inhouse-plain"
TOKEN_COUNTING: TokenCounting = "tokenizer"
"""The model's own tokenizer (`Llama.tokenize`), exact and offline."""
_CONTEXT_RE = re.compile(r"Requested tokens \((\d+)\) exceed context window of (\d+)")


def _imports() -> tuple[Any, Any, Any]:
    require("llama_cpp", "llamacpp", "llama-cpp-python")
    chat = require("langchain_community.chat_models.llamacpp", "llamacpp", "langchain-community")
    llms = require("langchain_community.llms.llamacpp", "llamacpp", "langchain-community")
    emb = require("langchain_community.embeddings.llamacpp", "llamacpp", "langchain-community")
    return chat, llms, emb


def _register_plain_format() -> None:
    from llama_cpp import llama_chat_format as lcf

    def plain(messages: list[dict[str, Any]], **_: Any) -> Any:
        names = {"system": "System", "user": "User", "assistant": "Assistant"}
        lines = [f"{names.get(m['role'], m['role'])}: {m.get('content') or ''}" for m in messages]
        return lcf.ChatFormatterResponse(
            prompt="\n".join(lines) + "\nAssistant:", stop=["\nUser:", "\nSystem:"]
        )

    handler = lcf.chat_formatter_to_chat_completion_handler(plain)
    lcf.LlamaChatCompletionHandlerRegistry().register_chat_completion_handler(
        PLAIN_CHAT_FORMAT, handler, overwrite=True
    )


def _model_path(section: ModelSection, settings: Settings) -> Path:
    from inhouse.models.catalog import resolve

    info = resolve(section.model, settings.models)
    if info.format != "gguf":
        msg = (
            f"llamacpp needs a GGUF model, but {section.model!r} is a {info.format} model at"
            f" {info.path}; pick a .gguf (see `inhouse models`) or use provider huggingface"
        )
        raise ConfigError(msg)
    return info.path


def _load_params(section: ModelSection, path: Path, *, embedding: bool) -> dict[str, Any]:
    from inhouse.models.gguf_meta import read_gguf_metadata

    meta = read_gguf_metadata(path)
    cap = getattr(section, "max_default_context", 8192)
    n_ctx = section.context_length or min(meta.context_length or cap, cap)
    chat_format = getattr(section, "chat_format", None)
    if not embedding and chat_format is None and not meta.chat_template:
        chat_format = PLAIN_CHAT_FORMAT
    return {
        "n_ctx": n_ctx,
        "n_batch": min(512, n_ctx),
        "n_threads": section.threads or os.cpu_count() or 1,
        "n_gpu_layers": section.gpu_layers,
        "rope_freq_base": 0.0,
        "rope_freq_scale": 0.0,
        "chat_format": chat_format,
        "embedding": embedding,
        "verbose": False,
        **section.options.get("load", {}),
    }


def load_llama(section: ModelSection, settings: Settings, *, embedding: bool = False) -> Any:
    """The shared `llama_cpp.Llama` for a section: loaded once per process and parameters."""
    path = _model_path(section, settings)
    params = _load_params(section, path, embedding=embedding)
    cache_mb = 0 if embedding else getattr(section, "prompt_cache_mb", 0)
    key = (
        "llamacpp",
        str(path.resolve()),
        tuple(sorted(params.items(), key=lambda kv: kv[0])),
        cache_mb,
    )

    def load() -> Any:
        from llama_cpp import Llama

        if params["chat_format"] == PLAIN_CHAT_FORMAT:
            log.warning(
                "model %s has no chat template; using a plain 'User:/Assistant:' format"
                " (set llm.chat_format to choose another, or use the completion model llm())",
                path.name,
            )
            _register_plain_format()
        try:
            llama = Llama(str(path), **params)
        except (ValueError, RuntimeError, OSError) as exc:
            msg = f"llama.cpp could not load {path}: {exc}; check the file with `inhouse models`"
            raise ConfigError(msg) from exc
        if cache_mb:
            from llama_cpp import LlamaRAMCache

            # Saved after each answer, keyed by its tokens; a later prompt that shares the
            # longest prefix with a saved state loads it instead of evaluating the prefix.
            llama.set_cache(LlamaRAMCache(capacity_bytes=cache_mb << 20))
        return llama

    return shared(key, load)


def _translate(model_name: str, exc: BaseException) -> InhouseError | None:
    match = _CONTEXT_RE.search(str(exc))
    if match:
        return ContextWindowExceededError(model_name, int(match[1]), int(match[2]))
    return None


class ChatUsage:
    """Mixin for the chat class: usage and the model name on replies and streams."""

    def _model_label(self) -> str:
        return self.model_name or Path(self.model_path).name  # type: ignore[attr-defined]

    def _create_chat_result(self, response: dict[str, Any]) -> Any:
        result = super()._create_chat_result(response)  # type: ignore[misc]
        usage = response.get("usage") or {}
        for generation in result.generations:
            message = generation.message
            message.response_metadata = {
                **message.response_metadata,
                "model_name": self._model_label(),
            }
            if usage:
                tokens = usage_metadata(usage["prompt_tokens"], usage["completion_tokens"])
                message.usage_metadata = tokens
        return result

    def _stream(
        self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any
    ) -> Iterator[Any]:
        """The model's chunks, then one empty chunk with the usage and the model name.

        llama.cpp reports no usage when streaming: the prompt's length is what a no-op
        logits processor sees at the first token, the answer's is its text tokenised.
        """
        from langchain_core.messages import AIMessageChunk
        from langchain_core.outputs import ChatGenerationChunk
        from llama_cpp import LogitsProcessorList

        seen: list[int] = []

        def note_prompt(input_ids: Any, scores: Any) -> Any:
            if not seen:
                seen.append(len(input_ids))
            return scores

        given = kwargs.get("logits_processor") or []
        kwargs["logits_processor"] = LogitsProcessorList([*given, note_prompt])
        pieces: list[str] = []
        for chunk in super()._stream(messages, stop, run_manager, **kwargs):  # type: ignore[misc]
            pieces.append(chunk.text)
            yield chunk
        output = len(self.get_token_ids("".join(pieces))) if pieces else 0  # type: ignore[attr-defined]
        last = AIMessageChunk(
            content="",
            usage_metadata=usage_metadata(seen[0] if seen else 0, output),
            response_metadata={"model_name": self._model_label()},
            chunk_position="last",
        )
        yield ChatGenerationChunk(message=last)


def _guarded_class(base: type, kind: str) -> type:
    """A subclass of a langchain-community llama.cpp class that takes a shared client."""
    chat = (ToolCalling, StructuredOutput, ChatUsage)
    mixins: tuple[type, ...] = chat if kind == "chat" else ()

    class Guarded(*mixins, TranslatesErrors, base):  # type: ignore[misc, valid-type]
        token_counting: ClassVar[TokenCounting] = TOKEN_COUNTING
        constrain_json: ClassVar[Any] = staticmethod(constrain)
        seed: int = -1
        repeat_tool_calls: bool = False
        """Offer a tool again after it was called this turn (`inhouse.providers._tools`)."""
        model_name: str = ""
        """The model's catalog name, for ``response_metadata["model_name"]`` (default: the
        file name)."""
        # A class default, not an argument: LangChain's stream() treats an explicitly set
        # `streaming=False` as "never stream". invoke() must not route through _stream,
        # which takes the model lock itself.
        streaming: bool = False

        @model_validator(mode="after")
        def validate_environment(self) -> Any:
            # Replaces the parent validator of the same name, which would load a second
            # Llama. LlamaCpp's is a "before" validator (it gets a dict), ChatLlamaCpp's an
            # "after" one (it gets the model): pydantic keeps the parent's mode.
            client = self.get("client") if isinstance(self, dict) else self.client
            if client is None:
                msg = "build llama.cpp models with inhouse.chat_model()/llm(), not directly"
                raise ConfigError(msg)
            return self

        @property
        def _default_params(self) -> dict[str, Any]:
            params = dict(super()._default_params)
            if self.seed >= 0:
                params["seed"] = self.seed
            return params

        def _translate_error(self, exc: BaseException) -> InhouseError | None:
            return _translate(Path(self.model_path).name, exc)

        def _tool_decoding(self, schema: dict[str, Any]) -> dict[str, Any]:
            return {"grammar": json_grammar(schema)}

        def _generate(self, *args: Any, **kwargs: Any) -> Any:
            with lock_for(self.client):
                return super()._generate(*args, **kwargs)

        def _stream(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
            with lock_for(self.client):
                yield from super()._stream(*args, **kwargs)

        async def _astream(
            self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any
        ) -> AsyncIterator[Any]:
            """Stream from one worker thread per request, not one executor call per token.

            LangChain's default runs each `next()` of `_stream` in the shared executor. With
            more concurrent streams than executor threads, the threads all wait for the
            model lock while the stream holding it waits for a free thread: a deadlock.
            """
            async for chunk in _threaded(self._stream, messages, stop, **kwargs):
                if run_manager is not None:
                    text = getattr(chunk, "text", "")
                    await run_manager.on_llm_new_token(text, chunk=chunk)
                yield chunk

        def get_token_ids(self, text: str) -> list[int]:
            return self.client.tokenize(text.encode("utf-8"), add_bos=False, special=True)

        def get_num_tokens(self, text: str) -> int:
            return len(self.get_token_ids(text))

        @property
        def context_length(self) -> int:
            return int(self.client.n_ctx())

    Guarded.__name__ = Guarded.__qualname__ = f"Inhouse{base.__name__}"
    Guarded.__doc__ = f"{base.__name__} over a shared, locked llama.cpp model ({kind})."
    return Guarded


async def _threaded(stream: Any, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
    """Run a sync generator in its own thread and hand its items to the event loop."""
    import asyncio
    import threading

    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()

    def produce() -> None:
        try:
            for item in stream(*args, **kwargs):
                loop.call_soon_threadsafe(queue.put_nowait, ("item", item))
        except BaseException as exc:  # handed to the consumer, raised there
            loop.call_soon_threadsafe(queue.put_nowait, ("error", exc))
        else:
            loop.call_soon_threadsafe(queue.put_nowait, ("done", None))

    threading.Thread(target=produce, name="llama-stream", daemon=True).start()
    while True:
        kind, value = await queue.get()
        if kind == "error":
            raise value
        if kind == "done":
            return
        yield value


_classes: dict[str, type] = {}


def _class(name: str) -> type:
    if name not in _classes:
        chat, llms, _ = _imports()
        base = {"chat": chat.ChatLlamaCpp, "llm": llms.LlamaCpp}[name]
        _classes[name] = _guarded_class(base, name)
    return _classes[name]


def _common(section: ModelSection, settings: Settings) -> dict[str, Any]:
    _imports()  # a missing extra is reported before anything else
    client = load_llama(section, settings)
    seed = getattr(section, "seed", None)
    return {
        "client": client,
        "model_path": client.model_path,
        "model_name": section.model,
        "n_ctx": client.n_ctx(),
        "temperature": getattr(section, "temperature", 0.2),
        "top_p": getattr(section, "top_p", 0.95),
        "max_tokens": getattr(section, "max_tokens", 512),
        "stop": list(getattr(section, "stop", [])) or None,
        "seed": -1 if seed is None else seed,
        "verbose": False,
        **section.options.get("generate", {}),
    }


def build_chat_model(section: ModelSection, settings: Settings) -> Any:
    """A `ChatLlamaCpp` over the shared model."""
    return _class("chat")(**_common(section, settings))


def build_llm(section: ModelSection, settings: Settings) -> Any:
    """A completion-style `LlamaCpp` over the shared model."""
    return _class("llm")(**_common(section, settings), echo=False)


def build_embeddings(section: ModelSection, settings: Settings) -> Any:
    """`LlamaCppEmbeddings` over a shared embedding-mode model (mean-pooled, locked)."""
    _, _, emb = _imports()
    client = load_llama(section, settings, embedding=True)

    class LockedEmbeddings(emb.LlamaCppEmbeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            with lock_for(self.client):
                return [emb.LlamaCppEmbeddings.embed_query(self, t) for t in texts]

        def embed_query(self, text: str) -> list[float]:
            with lock_for(self.client):
                return emb.LlamaCppEmbeddings.embed_query(self, text)

    return LockedEmbeddings(client=client, model_path=client.model_path, verbose=False)


def json_gbnf(schema: str) -> str:
    """The llama.cpp grammar (GBNF) for a JSON schema given as text.

    llama-cpp-python's Python converter allows raw control characters (a newline) inside
    strings, which JSON forbids: a small model then runs on inside a string until
    ``max_tokens`` and the JSON never closes. Here, as in llama.cpp's C++ converter,
    they are not allowed."""
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    gbnf = json_schema_to_gbnf(schema)
    return gbnf.replace('char ::= [^"\\\\]', 'char ::= [^"\\\\\\x7F\\x00-\\x1F]')


def json_grammar(schema: dict[str, Any]) -> Any:
    """A `LlamaGrammar` for `schema` (`json_gbnf`), built once per schema."""
    import json

    from llama_cpp import LlamaGrammar

    text = json.dumps(schema)
    return shared(
        ("llamacpp-grammar", text), lambda: LlamaGrammar.from_string(json_gbnf(text), verbose=False)
    )


def constrain(model: Any, schema: dict[str, Any]) -> Any:
    """`model` bound to answer JSON matching `schema`: `create_chat_completion` turns
    ``response_format={"type": "json_object", "schema": ...}`` into a grammar."""
    return model.bind(response_format={"type": "json_object", "schema": schema})


def probe(section: ModelSection, settings: Settings) -> str:
    """The model file exists and is a readable GGUF."""
    from inhouse.models.gguf_meta import read_gguf_metadata

    path = _model_path(section, settings)
    meta = read_gguf_metadata(path)
    return f"{path} ({meta.architecture}, context {meta.context_length})"


PROVIDER = Provider(
    name="llamacpp",
    extra="llamacpp",
    description="llama.cpp in process (GGUF files)",
    chat_model=build_chat_model,
    llm=build_llm,
    embeddings=build_embeddings,
    probe=probe,
    constrain=constrain,
    token_counting=TOKEN_COUNTING,
)
