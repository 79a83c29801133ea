"""Hugging Face provider on the real SmolLM2-135M-Instruct (via transformers) and MiniLM."""

from __future__ import annotations

import asyncio
import copy
import logging
import math
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel, BaseLLM
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from inhouse import chat_model, embeddings, llm, load_settings
from inhouse.errors import (
    ConfigError,
    ContextWindowExceededError,
    MissingExtraError,
    ModelNotFoundError,
)
from inhouse.providers import _hf_pipeline as hf
from inhouse.providers import _shared
from inhouse.providers.huggingface import PROVIDER

pytestmark = pytest.mark.integration

QUESTION = "What is the capital of France? Answer in one word."


def greedy(**llm: object) -> Any:
    return load_settings("huggingface", llm={"temperature": 0.0, "max_tokens": 12, **llm})


@pytest.fixture(scope="module")
def model() -> BaseChatModel:
    """The one chat model every test shares (loading takes about 20 s)."""
    return chat_model(greedy())


@pytest.fixture(scope="module")
def answer(model: BaseChatModel) -> str:
    """The greedy answer to QUESTION, computed once."""
    return str(model.invoke(QUESTION).content)


# --- the LangChain surface


def test_provider_is_registered_with_its_extra() -> None:
    assert PROVIDER.name == "huggingface" and PROVIDER.extra == "huggingface"
    assert PROVIDER.chat_model and PROVIDER.llm and PROVIDER.embeddings


def test_invoke_answers_without_echo(model: BaseChatModel, answer: str) -> None:
    from langchain_huggingface import ChatHuggingFace, HuggingFacePipeline

    assert isinstance(model, ChatHuggingFace) and isinstance(model.llm, HuggingFacePipeline)
    assert "paris" in answer.lower()
    assert QUESTION not in answer and "<|im_start|>" not in answer and "assistant" not in answer


def test_stream_yields_pieces_that_join_to_the_invoke_answer(
    model: BaseChatModel, answer: str
) -> None:
    chunks = [str(c.content) for c in model.stream(QUESTION)]
    assert len([c for c in chunks if c]) > 1
    assert "".join(chunks) == answer  # greedy: same tokens, so the same text


def test_batch(model: BaseChatModel, answer: str) -> None:
    replies = model.batch([QUESTION, "Say the word hello."])
    assert str(replies[0].content) == answer
    assert str(replies[1].content).strip()


async def test_ainvoke_and_astream(model: BaseChatModel, answer: str) -> None:
    reply = await model.ainvoke(QUESTION)
    assert str(reply.content) == answer
    stamps: list[float] = []
    parts: list[str] = []
    async for chunk in model.astream(QUESTION):
        stamps.append(time.perf_counter())
        parts.append(str(chunk.content))
    assert len([p for p in parts if p]) > 1 and "".join(parts) == answer
    assert stamps[-1] - stamps[0] > 0.01  # chunks arrive over time, not as one blob


def test_usage_and_max_tokens(model: BaseChatModel) -> None:
    reply = model.invoke("Write a long poem about the sea.", max_tokens=4)
    assert isinstance(reply, AIMessage)
    assert reply.usage_metadata is not None
    assert reply.usage_metadata["output_tokens"] == 4
    assert reply.usage_metadata["input_tokens"] == model.get_num_tokens_from_messages(
        [HumanMessage("Write a long poem about the sea.")]
    )


def test_system_message_and_history_reach_the_template(model: BaseChatModel) -> None:
    messages = [SystemMessage("You are terse."), HumanMessage("Hi"), AIMessage("Hello.")]
    prompt = model._to_chat_prompt(messages)  # an AI message last is allowed here
    assert "<|im_start|>system\nYou are terse.<|im_end|>" in prompt
    assert prompt.endswith("<|im_start|>assistant\n")
    assert "You are a helpful AI assistant named SmolLM" not in prompt


def test_completion_model_does_not_echo_and_counts_tokens_exactly(model: BaseChatModel) -> None:
    completion = llm(greedy(max_tokens=6))
    assert isinstance(completion, BaseLLM)
    assert completion.pipeline is model.llm.pipeline  # shared, not reloaded
    prompt = "The capital of France is"
    text = completion.invoke(prompt)
    assert text.strip() and not text.startswith(prompt) and "paris" in text.lower()
    tokenizer = completion.pipeline.tokenizer
    assert completion.get_num_tokens(prompt) == len(tokenizer.encode(prompt)) == 5


async def test_completion_model_async() -> None:
    completion = llm(greedy(max_tokens=6))
    prompt = "The capital of France is"
    expected = completion.invoke(prompt)
    assert await completion.ainvoke(prompt) == expected
    parts = [p async for p in completion.astream(prompt)]
    assert len(parts) > 1 and "".join(parts) == expected


# --- pitfalls


def test_stop_is_honoured_by_invoke_and_stream() -> None:
    completion = llm(greedy(max_tokens=16))
    prompt = "Count: one, two, three,"
    free = completion.invoke(prompt)
    assert " five" in free  # the model goes on past four without a stop
    stopped = completion.invoke(prompt, stop=[" five"])
    assert stopped == free[: free.index(" five")]
    assert "".join(completion.stream(prompt, stop=[" five"])) == stopped
    result = completion.generate([prompt], stop=[" five"]).generations[0][0]
    assert result.generation_info["completion_tokens"] < 16  # it stopped generating early


def test_stop_from_settings_and_chat_stop(model: BaseChatModel, answer: str) -> None:
    word = answer.split()[2]
    cut = answer[: answer.index(word)]
    assert str(model.invoke(QUESTION, stop=[word]).content) == cut
    assert "".join(str(c.content) for c in model.stream(QUESTION, stop=[word])) == cut
    configured = chat_model(greedy(stop=[word]))
    assert str(configured.invoke(QUESTION).content) == cut


def test_stop_cutter_holds_back_partial_stop_strings() -> None:
    cutter = hf.StopCutter(["\nUser:"])
    assert cutter.feed("Hello") == ("Hello", False)
    assert cutter.feed(" there\nUs") == (" there", False)
    assert cutter.feed("ually") == ("\nUsually", False)
    assert cutter.feed("!\nUser: next") == ("!", True)


def test_sampling_settings_reach_generate(model: BaseChatModel) -> None:
    pipe = model.llm.pipeline
    greedy_kwargs = hf._generate_kwargs(pipe, hf.GenParams("m", 100, max_tokens=8), 10)
    assert greedy_kwargs["max_new_tokens"] == 8
    params = hf.GenParams("m", 100, max_tokens=8, temperature=0.0)
    assert hf._generate_kwargs(pipe, params, 10)["do_sample"] is False
    params = hf.GenParams("m", 100, max_tokens=500, temperature=0.7, top_p=0.5)
    sampled = hf._generate_kwargs(pipe, params, 10)
    assert sampled["do_sample"] is True and sampled["temperature"] == 0.7
    assert sampled["top_p"] == 0.5
    assert sampled["max_new_tokens"] == 90  # never past the context window


def test_seed_makes_sampling_repeatable(model: BaseChatModel) -> None:
    hot = chat_model(greedy(temperature=1.5, seed=7, max_tokens=8))
    prompt = "Tell me a random word."
    assert hot.invoke(prompt).content == hot.invoke(prompt).content


def test_greedy_is_deterministic(model: BaseChatModel, answer: str) -> None:
    assert str(model.invoke(QUESTION).content) == answer


def test_model_is_loaded_once(model: BaseChatModel) -> None:
    again = chat_model(greedy(temperature=0.7, context_length=512))
    assert again.llm.pipeline is model.llm.pipeline
    assert again.tokenizer is model.llm.pipeline.tokenizer  # never fetched from a hub
    keys = [k for k in _shared.loaded_keys() if k[0] == "huggingface"]
    assert keys and all(_shared.load_counts[k] == 1 for k in keys)


def test_concurrent_requests_get_correct_answers(model: BaseChatModel, answer: str) -> None:
    questions = [QUESTION, "Say the word hello.", "What is 2 + 2?"]
    expected = [answer] + [str(model.invoke(q).content) for q in questions[1:]]
    with ThreadPoolExecutor(max_workers=3) as pool:
        got = list(pool.map(lambda q: str(model.invoke(q).content), questions))
    assert got == expected  # greedy, so identical: nothing interleaved or corrupted

    async def gathered() -> list[str]:
        replies = await asyncio.gather(*(model.ainvoke(q) for q in questions))
        return [str(r.content) for r in replies]

    assert asyncio.run(gathered()) == expected


def test_prompt_longer_than_context_is_a_clear_error(model: BaseChatModel) -> None:
    small = chat_model(greedy(context_length=64))
    assert small.context_length == 64 and model.context_length == 8192
    with pytest.raises(ContextWindowExceededError) as info:
        small.invoke("word " * 100)
    assert "context window of 64" in str(info.value) and "smollm2" in str(info.value)
    assert info.value.prompt_tokens > 64
    with pytest.raises(ContextWindowExceededError):
        list(small.stream("word " * 100))
    with pytest.raises(ContextWindowExceededError, match="8192"):
        model.invoke("word " * 9000)  # the model's own window, from the GGUF


def test_context_window_defaults_to_the_model_capped() -> None:
    assert llm(greedy(max_default_context=2048)).context_length == 2048


def test_missing_chat_template_falls_back_to_plain_format(
    model: BaseChatModel, caplog: pytest.LogCaptureFixture
) -> None:
    bare = copy.copy(model.tokenizer)
    bare.chat_template = None
    with caplog.at_level(logging.WARNING, logger="inhouse"):
        plain = type(model)(llm=model.llm, tokenizer=bare, model_id="bare", max_tokens=12)
    assert "has no chat template" in caplog.text
    prompt = plain._to_chat_prompt([SystemMessage("Be brief."), HumanMessage(QUESTION)])
    assert prompt == f"System: Be brief.\nUser: {QUESTION}\nAssistant:"
    assert plain._llm_args(None, {})["stop"] == list(hf.PLAIN_STOPS)  # no invented turns
    reply = plain.invoke(QUESTION)  # SmolLM2 often just ends its turn here; no crash
    assert isinstance(reply.content, str) and "User:" not in reply.content


def test_stream_raises_when_generation_fails(model: BaseChatModel, answer: str) -> None:
    from transformers import LogitsProcessor, LogitsProcessorList

    class Boom(LogitsProcessor):
        def __init__(self) -> None:
            self.calls = 0

        def __call__(self, input_ids: Any, scores: Any) -> Any:
            self.calls += 1
            if self.calls > 3:
                raise RuntimeError("boom in generate")
            return scores

    pieces: list[str] = []
    kwargs = {"pipeline_kwargs": {"logits_processor": LogitsProcessorList([Boom()])}}
    started = time.perf_counter()
    with pytest.raises(RuntimeError, match="boom in generate"):
        for chunk in model.stream(QUESTION, **kwargs):
            pieces.append(str(chunk.content))
    assert time.perf_counter() - started < 30  # raised, did not hang
    assert str(model.invoke(QUESTION).content) == answer  # the model lock was released


def test_closing_a_stream_early_stops_generation(model: BaseChatModel, answer: str) -> None:
    import threading

    completion = llm(greedy(max_tokens=2000))
    endless = {"pipeline_kwargs": {"min_new_tokens": 2000}}  # minutes of work if not stopped
    stream = completion.stream("Tell me a very long story.", **endless)
    assert next(stream)
    stream.close()
    started = time.perf_counter()
    for worker in [t for t in threading.enumerate() if t.name == "inhouse-hf-generate"]:
        worker.join(timeout=30)
        assert not worker.is_alive()
    assert time.perf_counter() - started < 30
    assert str(model.invoke(QUESTION).content) == answer  # and the lock is free again


# --- errors a user can cause


def test_unknown_model_name() -> None:
    with pytest.raises(ModelNotFoundError, match="inhouse models"):
        chat_model(greedy(model="no-such-model-7b"))


def test_embedding_folder_is_refused_as_llm(minilm_dir: Path) -> None:
    with pytest.raises(ConfigError, match="gguf, transformers"):
        chat_model(greedy(model=str(minilm_dir)))


def test_corrupt_model_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + b"\x00" * 64)
    with pytest.raises((ConfigError, ModelNotFoundError), match=r"broken\.gguf"):
        llm(greedy(model=str(bad)))


def test_missing_extra_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "transformers", None)  # makes `import transformers` fail
    with pytest.raises(MissingExtraError, match=r"pip install 'inhouse\[huggingface\]'"):
        chat_model(greedy(model="some-other-model"))


# --- embeddings


def embedding_settings(**section: object) -> Any:
    return load_settings(embeddings={"provider": "huggingface", **section})


@pytest.fixture(scope="module")
def minilm() -> Any:
    return embeddings(embedding_settings())


def test_embeddings_are_normalised_384_dim_and_meaningful(minilm: Any) -> None:
    from langchain_huggingface import HuggingFaceEmbeddings

    assert isinstance(minilm, HuggingFaceEmbeddings)
    cat, kitten, tax = minilm.embed_documents(
        ["A cat sits on the mat.", "A kitten is sitting on a rug.", "Quarterly tax filing rules."]
    )
    assert len(cat) == 384
    assert math.isclose(math.fsum(x * x for x in cat), 1.0, rel_tol=1e-4)

    def cos(a: list[float], b: list[float]) -> float:
        return math.fsum(x * y for x, y in zip(a, b, strict=True))

    assert cos(cat, kitten) > cos(cat, tax) + 0.2
    assert minilm.embed_query("A cat sits on the mat.") == pytest.approx(cat, abs=1e-5)


def test_embeddings_are_shared_and_thread_safe(minilm: Any) -> None:
    assert embeddings(embedding_settings()) is minilm
    texts = [f"sentence number {i}" for i in range(8)]
    expected = minilm.embed_documents(texts)
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(minilm.embed_query, texts))
    for one, many in zip(got, expected, strict=True):
        assert one == pytest.approx(many, abs=1e-5)


def test_embeddings_settings_reach_sentence_transformers(minilm_dir: Path) -> None:
    raw = embeddings(embedding_settings(model=str(minilm_dir), normalize=False, batch_size=2))
    assert raw.encode_kwargs == {"normalize_embeddings": False, "batch_size": 2}
    assert raw.model_kwargs["local_files_only"] is True
    assert raw is not embeddings(embedding_settings())  # other settings, another object
    assert len(raw.embed_documents(["one", "two", "three"])) == 3  # MiniLM normalises itself


def test_gguf_is_refused_for_embeddings() -> None:
    with pytest.raises(ConfigError, match="sentence-transformers"):
        embeddings(embedding_settings(model="smollm2-135m-instruct"))
