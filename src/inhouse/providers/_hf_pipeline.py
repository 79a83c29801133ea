"""The transformers side of the huggingface provider: load, count, generate, stream.

Plain functions over a transformers text-generation pipeline, so the LangChain classes in
`inhouse.providers.huggingface` stay thin. Everything here fixes a pitfall of
`HuggingFacePipeline` (DESIGN.md):

- only the new tokens are decoded, so the prompt is never echoed;
- `stop` strings end generation early (transformers `stop_strings`) and the text is cut
  at the first one, in `generate` and `stream` alike;
- a prompt longer than the context window raises `ContextWindowExceededError` before
  any work is done;
- one lock per loaded model is held around `model.generate`;
- a stream whose generation thread fails raises that error instead of hanging;
- `GenParams.json_schema` constrains generation to a JSON schema with an xgrammar logits
  processor (the grammar is compiled once per model and schema).

Example:
    >>> pipe = load_pipeline(Path("SmolLM2.gguf"), "gguf")  # doctest: +SKIP
    >>> params = GenParams(model="smollm2", context_length=8192, max_tokens=16)
    >>> generate(pipe, "The capital of France is", params).text  # doctest: +SKIP
    ' Paris.'
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inhouse.errors import ConfigError, ContextWindowExceededError
from inhouse.providers._shared import lock_for, shared

log = logging.getLogger(__name__)

PLAIN_STOPS = ("\nUser:", "\nSystem:")
"""Stop strings added when a model without a chat template gets the plain format."""


def prepare_environment() -> None:
    """Call before importing torch, transformers or huggingface_hub (each reads these once).

    Hub downloads are forbidden. OpenMP threads sleep instead of spinning while they wait:
    with the default spinning, generation on a busy machine (other processes on the same
    cores) ran 5 to 10 times slower here; set OMP_WAIT_POLICY yourself to choose otherwise.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    if "torch" not in sys.modules:
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


@dataclass(frozen=True)
class GenParams:
    """Everything one generation call needs besides the prompt."""

    model: str
    context_length: int
    max_tokens: int = 512
    temperature: float = 0.2
    top_p: float = 0.95
    seed: int | None = None
    stop: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Further `model.generate` keyword arguments (from `llm.options.generate`)."""
    json_schema: str | None = None
    """A JSON Schema (as JSON text) the output must match, enforced with xgrammar."""


@dataclass(frozen=True)
class Completion:
    text: str
    prompt_tokens: int
    completion_tokens: int
    finish_reason: str


# -- loading ------------------------------------------------------------------------------


@contextlib.contextmanager
def quiet_progress() -> Iterator[None]:
    """No tqdm bars while loading (transformers and its GGUF converter draw their own)."""
    from transformers import modeling_gguf_pytorch_utils as gguf_utils
    from transformers.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    original = gguf_utils.tqdm
    hf_logging.disable_progress_bar()
    gguf_utils.tqdm = functools.partial(original, disable=True)
    try:
        yield
    finally:
        gguf_utils.tqdm = original
        if was_enabled:
            hf_logging.enable_progress_bar()


def _from_pretrained(path: Path, fmt: str, load: Mapping[str, Any]) -> tuple[Any, Any]:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if fmt == "gguf":
        folder, kwargs = str(path.parent), {"gguf_file": path.name, "local_files_only": True}
    else:
        folder, kwargs = str(path), {"local_files_only": True}
    tokenizer = AutoTokenizer.from_pretrained(folder, **kwargs)
    model = AutoModelForCausalLM.from_pretrained(folder, **kwargs, **load)
    model.eval()
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token_id = tokenizer.eos_token_id
    return model, tokenizer


def load_pipeline(path: Path, fmt: str, load: Mapping[str, Any] | None = None) -> Any:
    """The shared text-generation pipeline for a GGUF file or a transformers folder.

    Loaded from local files only, once per process and load parameters.
    """
    load = dict(load or {})
    key = ("huggingface", str(path.resolve()), fmt, repr(sorted(load.items())))

    def build() -> Any:
        from transformers import pipeline

        try:
            with quiet_progress():
                model, tokenizer = _from_pretrained(path, fmt, load)
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            msg = (
                f"transformers could not load {path}: {exc}; check the model with"
                " `inhouse models`, or use provider llamacpp for GGUF files"
            )
            raise ConfigError(msg) from exc
        return pipeline("text-generation", model=model, tokenizer=tokenizer)

    return shared(key, build)


def model_context_length(pipe: Any) -> int | None:
    """The model's own context window (a GGUF's context length lands here too)."""
    config = pipe.model.config
    for name in ("max_position_embeddings", "n_positions", "max_seq_len"):
        value = getattr(config, name, None)
        if isinstance(value, int) and value > 0:
            return value
    return None


# -- tokens -------------------------------------------------------------------------------


def token_ids(tokenizer: Any, text: str) -> list[int]:
    """Exact token ids of `text` as the model sees it inside a prompt (no BOS added)."""
    return list(tokenizer(text, add_special_tokens=False)["input_ids"])


def _inputs(pipe: Any, prompt: str, params: GenParams) -> dict[str, Any]:
    encoded = pipe.tokenizer(prompt, return_tensors="pt", add_special_tokens=False)
    prompt_tokens = int(encoded["input_ids"].shape[1])
    if prompt_tokens >= params.context_length:
        raise ContextWindowExceededError(params.model, prompt_tokens, params.context_length)
    return {k: v.to(pipe.model.device) for k, v in encoded.items()}


def _generate_kwargs(pipe: Any, params: GenParams, prompt_tokens: int) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "max_new_tokens": max(1, min(params.max_tokens, params.context_length - prompt_tokens)),
        "pad_token_id": pipe.tokenizer.pad_token_id,
    }
    if params.temperature > 0:
        kwargs.update(do_sample=True, temperature=params.temperature, top_p=params.top_p)
    else:
        kwargs["do_sample"] = False  # temperature 0 means greedy
    if params.stop:
        kwargs.update(stop_strings=list(params.stop), tokenizer=pipe.tokenizer)
    kwargs.update(params.extra)
    if params.json_schema is not None:
        from transformers import LogitsProcessorList

        processors = LogitsProcessorList(kwargs.get("logits_processor") or [])
        processors.append(json_schema_processor(pipe, params.json_schema))
        kwargs["logits_processor"] = processors
    return kwargs


# -- constrained decoding -----------------------------------------------------------------


def schema_text(response_format: Any) -> str | None:
    """The JSON Schema of an OpenAI-style `response_format`, as canonical JSON text.

    Takes ``{"type": "json_schema", "json_schema": {"schema": ...}}``, llama.cpp's
    ``{"type": "json_object", "schema": ...}``, or a pydantic class; None for no format.

    >>> schema_text({"type": "json_object", "schema": {"type": "object"}})
    '{"type": "object"}'
    """
    import json

    if response_format is None:
        return None
    if isinstance(response_format, type) and hasattr(response_format, "model_json_schema"):
        return json.dumps(response_format.model_json_schema())
    if isinstance(response_format, dict):
        if response_format.get("type") == "json_schema":
            return json.dumps(response_format.get("json_schema", {}).get("schema", {}))
        if response_format.get("type") == "json_object":
            return json.dumps(response_format.get("schema") or {"type": "object"})
    msg = (
        f"unsupported response_format {response_format!r}; use a pydantic class or"
        " {'type': 'json_schema', 'json_schema': {'schema': ...}}"
    )
    raise ConfigError(msg)


def _grammar_compiler(pipe: Any) -> Any:
    def build() -> Any:
        try:
            import xgrammar
        except ImportError as exc:
            from inhouse.errors import MissingExtraError

            raise MissingExtraError("xgrammar", "huggingface", exc) from exc
        vocab = pipe.model.get_output_embeddings().weight.shape[0]
        info = xgrammar.TokenizerInfo.from_huggingface(pipe.tokenizer, vocab_size=vocab)
        return xgrammar.GrammarCompiler(info)

    return shared(("huggingface-grammar", id(pipe.model)), build)


def _compiled(pipe: Any, schema: str) -> Any:
    compiler = _grammar_compiler(pipe)
    key = ("huggingface-json-schema", id(pipe.model), schema)
    # Whitespace between JSON tokens bounded as in llama.cpp's grammars (`[ \t]{0,20}`):
    # unbounded, a small model can fill its whole answer with newlines inside an object.
    return shared(key, lambda: compiler.compile_json_schema(schema, max_whitespace_cnt=20))


def json_schema_processor(pipe: Any, schema: str) -> Any:
    """A fresh xgrammar logits processor (one per `generate` call) for `schema`."""
    from xgrammar.contrib.hf import LogitsProcessor

    try:
        compiled = _compiled(pipe, schema)
    except (RuntimeError, ValueError) as exc:
        msg = f"xgrammar cannot compile the JSON schema: {exc}; simplify the schema"
        raise ConfigError(msg) from exc
    return LogitsProcessor(compiled)


def _run_generate(pipe: Any, inputs: dict[str, Any], params: GenParams, **more: Any) -> Any:
    import torch

    prompt_tokens = int(inputs["input_ids"].shape[1])
    kwargs = _generate_kwargs(pipe, params, prompt_tokens)
    if "stopping_criteria" in kwargs and "stopping_criteria" in more:  # keep the caller's too
        more["stopping_criteria"].extend(kwargs.pop("stopping_criteria"))
    kwargs.update(more)
    with lock_for(pipe.model), torch.inference_mode():
        if params.seed is not None and kwargs.get("do_sample"):
            torch.manual_seed(params.seed)
        return pipe.model.generate(**inputs, **kwargs)


# -- stop strings -------------------------------------------------------------------------


def cut_at_stop(text: str, stop: Sequence[str]) -> tuple[str, bool]:
    """`text` up to the first stop string, and whether one was found."""
    hits = [i for i in (text.find(s) for s in stop if s) if i >= 0]
    return (text[: min(hits)], True) if hits else (text, False)


class StopCutter:
    """Streams text through, holding back only what could be the start of a stop string.

    >>> cutter = StopCutter(["\\nUser:"])
    >>> cutter.feed("Hi!\\nUs"), cutter.feed("er: more")
    (('Hi!', False), ('', True))
    """

    def __init__(self, stop: Sequence[str]) -> None:
        self.stop = [s for s in stop if s]
        self.buffer = ""

    def feed(self, piece: str) -> tuple[str, bool]:
        """Text safe to emit now, and whether a stop string ended the stream."""
        self.buffer += piece
        text, stopped = cut_at_stop(self.buffer, self.stop)
        if stopped:
            self.buffer = ""
            return text, True
        split = len(self.buffer) - self._held_back()
        emit, self.buffer = self.buffer[:split], self.buffer[split:]
        return emit, False

    def flush(self) -> str:
        text, self.buffer = self.buffer, ""
        return text

    def _held_back(self) -> int:
        longest = max((len(s) for s in self.stop), default=0)
        for size in range(min(len(self.buffer), longest), 0, -1):
            tail = self.buffer[-size:]
            if any(s.startswith(tail) for s in self.stop):
                return size
        return 0


# -- generation ---------------------------------------------------------------------------


def generate(pipe: Any, prompt: str, params: GenParams) -> Completion:
    """Generate one completion of `prompt` (never including the prompt)."""
    inputs = _inputs(pipe, prompt, params)
    prompt_tokens = int(inputs["input_ids"].shape[1])
    output = _run_generate(pipe, inputs, params)
    new_tokens = output[0][prompt_tokens:]
    raw = pipe.tokenizer.decode(new_tokens, skip_special_tokens=True)
    text, stopped = cut_at_stop(raw, params.stop)
    eos = _ends_with_eos(pipe, new_tokens)
    budget = min(params.max_tokens, params.context_length - prompt_tokens)
    finish = "stop" if stopped or eos or len(new_tokens) < budget else "length"
    return Completion(text, prompt_tokens, len(new_tokens), finish)


def _ends_with_eos(pipe: Any, tokens: Any) -> bool:
    eos = pipe.model.generation_config.eos_token_id
    eos_ids = set(eos if isinstance(eos, list) else [eos]) - {None}
    return len(tokens) > 0 and int(tokens[-1]) in eos_ids


def _cancel_criterion(cancel: threading.Event, length: list[int]) -> Any:
    """Stops generation once `cancel` is set; keeps the sequence length in `length[0]`."""
    import torch
    from transformers import StoppingCriteria

    class Cancelled(StoppingCriteria):
        def __call__(self, input_ids: Any, scores: Any, **_: Any) -> Any:
            length[0] = int(input_ids.shape[1])
            return torch.full((input_ids.shape[0],), cancel.is_set(), dtype=torch.bool)

    return Cancelled()


def stream(
    pipe: Any, prompt: str, params: GenParams, usage: dict[str, int] | None = None
) -> Iterator[str]:
    """Yield the completion of `prompt` piece by piece as the model produces it.

    Generation runs in a worker thread; an error there is raised here once the pieces
    produced before it are consumed. Closing the iterator early stops generation.
    A `usage` dict gets ``prompt_tokens`` and ``completion_tokens`` as the stream ends.
    """
    from transformers import StoppingCriteriaList, TextIteratorStreamer

    inputs = _inputs(pipe, prompt, params)  # a context overflow raises before any thread
    prompt_tokens = int(inputs["input_ids"].shape[1])
    length = [prompt_tokens]
    streamer = TextIteratorStreamer(pipe.tokenizer, skip_prompt=True, skip_special_tokens=True)
    cancel = threading.Event()
    errors: list[BaseException] = []

    def work() -> None:
        try:
            criteria = StoppingCriteriaList([_cancel_criterion(cancel, length)])
            _run_generate(pipe, inputs, params, streamer=streamer, stopping_criteria=criteria)
        except BaseException as exc:  # handed to the consumer below
            errors.append(exc)
        finally:
            streamer.text_queue.put(streamer.stop_signal)  # the consumer never waits forever

    worker = threading.Thread(target=work, name="inhouse-hf-generate", daemon=True)
    worker.start()
    cutter = StopCutter(params.stop)
    try:
        for piece in streamer:
            text, stopped = cutter.feed(piece)
            if text:
                yield text
            if stopped:
                return
        worker.join()
        if errors:
            raise errors[0]
        if tail := cutter.flush():
            yield tail
    finally:
        cancel.set()
        if usage is not None:
            usage.update(prompt_tokens=prompt_tokens, completion_tokens=length[0] - prompt_tokens)


def plain_chat_prompt(messages: Sequence[tuple[str, str]]) -> str:
    """A "User:/Assistant:" transcript for models without a chat template.

    >>> plain_chat_prompt([("system", "Be brief."), ("user", "Hi")])
    'System: Be brief.\\nUser: Hi\\nAssistant:'
    """
    lines = [f"{role.capitalize()}: {content}" for role, content in messages]
    return "\n".join([*lines, "Assistant:"])
