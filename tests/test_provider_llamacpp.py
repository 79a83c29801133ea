"""llama.cpp provider on the real SmolLM2-135M-Instruct and gemma-3-270m models."""

from __future__ import annotations

import asyncio
import logging
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from langchain_core.language_models import BaseChatModel, BaseLLM

from inhouse import chat_model, embeddings, llm, load_settings
from inhouse.errors import (
    ConfigError,
    ContextWindowExceededError,
    MissingExtraError,
    ModelNotFoundError,
)
from inhouse.providers import _shared

pytestmark = pytest.mark.integration

QUESTION = "What is the capital of France? Answer in one word."


def greedy(**llm: object) -> object:
    return load_settings("llamacpp", llm={"temperature": 0.0, "max_tokens": 16, **llm})


@pytest.fixture(scope="module")
def model() -> BaseChatModel:
    return chat_model(greedy())


def test_chat_model_is_a_langchain_chat_model_over_community_class(model: BaseChatModel) -> None:
    from langchain_community.chat_models import ChatLlamaCpp

    assert isinstance(model, ChatLlamaCpp)
    assert "paris" in str(model.invoke(QUESTION).content).lower()


def test_stream_batch_and_async(model: BaseChatModel) -> None:
    chunks = [c.content for c in model.stream(QUESTION)]
    assert len(chunks) > 1
    assert "".join(chunks).strip() == str(model.invoke(QUESTION).content).strip()

    answers = model.batch([QUESTION, "Say the word hello."])
    assert len(answers) == 2 and all(a.content for a in answers)

    async def run() -> tuple[str, list[str]]:
        reply = await model.ainvoke(QUESTION)
        parts = [c.content async for c in model.astream(QUESTION)]
        return str(reply.content), parts

    reply, parts = asyncio.run(run())
    assert "paris" in reply.lower()
    assert len(parts) > 1 and "".join(parts).strip() == reply.strip()


def test_context_length_comes_from_the_model(model: BaseChatModel) -> None:
    assert model.context_length == 8192  # SmolLM2's own, not LangChain's 512
    capped = chat_model(greedy(max_default_context=2048))
    assert capped.context_length == 2048
    explicit = chat_model(greedy(context_length=1024))
    assert explicit.context_length == 1024


def test_rope_values_come_from_the_model(model: BaseChatModel) -> None:
    params = model.client.context_params
    assert params.rope_freq_base == 0.0  # 0 = take the GGUF's 100000, not LangChain's 10000
    assert params.rope_freq_scale == 0.0
    assert model.client.n_batch >= 512  # not LangChain's 8


def test_completion_model_does_not_echo_the_prompt() -> None:
    completion = llm(greedy())
    assert isinstance(completion, BaseLLM)
    prompt = "The capital of France is"
    text = completion.invoke(prompt)
    assert text.strip()
    assert not text.startswith(prompt)
    assert "paris" in text.lower()


def test_one_model_is_shared_and_loaded_once(model: BaseChatModel) -> None:
    again = chat_model(greedy())
    completion = llm(greedy(temperature=0.7))  # sampling settings do not reload weights
    assert again.client is model.client
    assert completion.client is model.client
    keys = [k for k in _shared.loaded_keys() if k[0] == "llamacpp" and k[1].endswith("Q4_1.gguf")]
    assert keys and all(_shared.load_counts[k] == 1 for k in keys)


def test_concurrent_requests_on_one_model_are_all_answered(model: BaseChatModel) -> None:
    # Each question has a word its answer must contain; interleaved or corrupted
    # generations on the shared model would lose it. (Exact text can differ between
    # runs because llama.cpp reuses the cached prompt prefix of the previous call.)
    cases = {QUESTION: "paris", "What is 2 + 2?": "4", "Say the word hello.": "hello"}
    questions = list(cases) * 3

    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda q: str(model.invoke(q).content), questions))
    for question, answer in zip(questions, got, strict=True):
        assert cases[question] in answer.lower(), (question, answer)

    async def many() -> list[str]:
        replies = await asyncio.gather(*(model.ainvoke(q) for q in questions))
        return [str(r.content) for r in replies]

    for question, answer in zip(questions, asyncio.run(many()), strict=True):
        assert cases[question] in answer.lower(), (question, answer)


def test_prompt_longer_than_context_is_a_clear_error() -> None:
    small = chat_model(greedy(context_length=256))
    with pytest.raises(ContextWindowExceededError) as info:
        small.invoke("word " * 600)
    message = str(info.value)
    assert "context window of 256" in message
    assert "SmolLM2-135M-Instruct.Q4_1.gguf" in message
    assert info.value.prompt_tokens > 256
    with pytest.raises(ContextWindowExceededError):
        list(small.stream("word " * 600))


def test_model_without_chat_template_is_detected(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="inhouse"):
        model = chat_model(greedy(model="gemma3-270m", max_tokens=12))
    assert "has no chat template" in caplog.text
    reply = model.invoke("What is the capital of France?")
    assert str(reply.content).strip()  # the llama-2 fallback answered with nothing


def test_token_counting_uses_the_models_tokenizer(model: BaseChatModel) -> None:
    assert model.get_num_tokens("hello world") == len(
        model.client.tokenize(b"hello world", add_bos=False, special=True)
    )


def test_llamacpp_embeddings() -> None:
    settings = load_settings(embeddings={"provider": "llamacpp", "model": "smollm2-135m-instruct"})
    model = embeddings(settings)
    vectors = model.embed_documents(["a cat", "a dog"])
    assert len(vectors) == 2 and len(vectors[0]) == 576
    assert model.embed_query("a cat") == pytest.approx(vectors[0], rel=1e-4)


# --- errors a user can cause


def test_unknown_model_name() -> None:
    with pytest.raises(ModelNotFoundError, match="inhouse models"):
        chat_model(greedy(model="no-such-model-7b"))


def test_missing_model_file(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match="not found"):
        chat_model(greedy(model=str(tmp_path / "missing.gguf")))


def test_corrupt_model_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + b"\x00" * 64)
    with pytest.raises((ConfigError, ModelNotFoundError), match=r"broken\.gguf"):
        chat_model(greedy(model=str(bad)))


def test_non_gguf_model_is_refused(minilm_dir: Path) -> None:
    with pytest.raises(ConfigError, match="llamacpp needs a GGUF model"):
        chat_model(greedy(model=str(minilm_dir)))


def test_missing_extra_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # makes `import llama_cpp` fail
    with pytest.raises(MissingExtraError) as info:
        chat_model(greedy(model="some-other-model"))
    assert "pip install 'inhouse[llamacpp]'" in str(info.value)
