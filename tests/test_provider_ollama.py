"""Ollama provider against an Ollama-compatible loopback server on real models.

The server (tests/support/ollama_server.py) runs SmolLM2-135M-Instruct under llama.cpp
and all-MiniLM-L6-v2 under sentence-transformers behind Ollama's HTTP API. The tests at
the end run against a real `ollama serve` when one is reachable and
INHOUSE_TEST_OLLAMA_MODEL names a pulled model.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import socket
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from langchain_core.language_models import BaseChatModel, BaseLLM
from langchain_core.messages import HumanMessage

from inhouse import chat_model, embeddings, llm, load_settings
from inhouse.errors import (
    ConfigError,
    ContextWindowExceededError,
    ModelNotFoundError,
    ProviderUnavailableError,
)
from inhouse.providers import ollama as provider
from inhouse.tokens import estimate_tokens, min_tokens
from tests.support.flags import flag
from tests.support.ollama_server import CHAT_MODEL, EMBED_MODEL, recent_requests

pytestmark = pytest.mark.integration

HELLO = "Say the word hello."
PERSON = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
    "required": ["name", "age"],
}
LIVE_MODEL = flag("INHOUSE_TEST_OLLAMA_MODEL")


def ollama(url: str, *, embed: dict[str, Any] | None = None, **llm_settings: Any) -> Any:
    """Settings for the ollama profile at `url`: greedy, short answers."""
    section = {"base_url": url, "temperature": 0.0, "max_tokens": 12, **llm_settings}
    return load_settings("ollama", llm=section, embeddings={"base_url": url, **(embed or {})})


def post(url: str, json: dict[str, Any]) -> httpx.Response:
    """A raw request to the server; generous timeout, as the CPU may be shared."""
    return httpx.post(url, json=json, timeout=120)


async def _collect(parts: Any) -> list[Any]:
    return [part async for part in parts]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def api_calls(url: str) -> list[str]:
    return [r["path"] for r in recent_requests(url)]


@pytest.fixture(scope="module")
def model(ollama_server: str) -> BaseChatModel:
    return chat_model(ollama(ollama_server))


@pytest.fixture(autouse=True)
def fresh_windows() -> None:
    provider.forget_windows()


# --- it works ---------------------------------------------------------------------------


def test_chat_model_is_a_chat_ollama_that_answers(model: BaseChatModel) -> None:
    from langchain_ollama import ChatOllama

    assert isinstance(model, ChatOllama)
    reply = model.invoke(HELLO)
    assert "hello" in str(reply.content).lower()
    assert reply.response_metadata["model_name"] == CHAT_MODEL
    assert reply.response_metadata["done_reason"] in ("stop", "length")
    assert reply.usage_metadata and reply.usage_metadata["input_tokens"] > 10


def test_settings_reach_the_request(ollama_server: str, ollama_fault: Callable) -> None:
    settings = ollama(
        ollama_server,
        top_p=0.5,
        seed=7,
        max_tokens=5,
        stop=["\n\n"],
        options={"keep_alive": "1m", "top_k": 20, "min_p": 0.05},
    )
    model = chat_model(settings)
    model.invoke(HELLO, stop=["###"])  # settings' and the call's stops are merged
    chat = next(r for r in recent_requests(ollama_server) if r["path"] == "/api/chat")
    assert chat["keep_alive"] == "1m"
    assert chat["options"] == {
        "temperature": 0.0,
        "top_p": 0.5,
        "seed": 7,
        "num_predict": 5,
        "top_k": 20,
        "min_p": 0.05,
        "stop": ["\n\n", "###"],
        "num_ctx": 8192,
    }


def test_stream_batch_and_async(model: BaseChatModel) -> None:
    reply = str(model.invoke(HELLO).content)
    chunks = [str(c.content) for c in model.stream(HELLO)]
    assert len([c for c in chunks if c]) > 1
    assert "".join(chunks) == reply

    answers = model.batch([HELLO, "What is 2+2? Answer with a number."])
    assert len(answers) == 2 and all(a.content for a in answers)

    async def run() -> tuple[str, list[str]]:
        answer = await model.ainvoke(HELLO)
        parts = [str(c.content) async for c in model.astream(HELLO)]
        return str(answer.content), parts

    answer, parts = asyncio.run(run())
    assert answer == reply
    assert len([p for p in parts if p]) > 1 and "".join(parts) == reply
    assert asyncio.run(model.ainvoke(HELLO)).content == reply  # a second event loop


def test_completion_llm(ollama_server: str) -> None:
    from langchain_ollama import OllamaLLM

    model = llm(ollama(ollama_server))
    assert isinstance(model, OllamaLLM) and isinstance(model, BaseLLM)
    text = model.invoke(HELLO)
    assert "hello" in text.lower()
    chunks = list(model.stream(HELLO))
    assert len(chunks) > 1 and "".join(chunks) == text
    result = model.generate([HELLO])
    info = result.generations[0][0].generation_info or {}
    assert info["done_reason"] in ("stop", "length")
    assert asyncio.run(model.ainvoke(HELLO)) == text
    assert "".join(asyncio.run(_collect(model.astream(HELLO)))) == text


def test_json_schema_format_gives_valid_json(ollama_server: str) -> None:
    prompt = "John Smith is 42 years old. Give his name and age as JSON."
    settings = ollama(ollama_server, max_tokens=40)

    structured = chat_model(settings).with_structured_output(PERSON, method="json_schema")
    person = structured.invoke(prompt)
    assert set(person) == {"name", "age"} and isinstance(person["age"], int)

    json_mode = chat_model(settings).bind(format="json").invoke(prompt)
    assert isinstance(json.loads(str(json_mode.content)), dict)

    # OllamaLLM's own `format` field takes only "json"; ours takes a schema as well.
    completion = llm(ollama(ollama_server, max_tokens=40, options={"format": PERSON}))
    assert set(json.loads(completion.invoke(prompt))) == {"name", "age"}


def test_embeddings_all_minilm(ollama_server: str, ollama_fault: Callable) -> None:
    from langchain_ollama import OllamaEmbeddings

    emb = embeddings(ollama(ollama_server, embed={"batch_size": 2}))
    assert isinstance(emb, OllamaEmbeddings)
    texts = ["a cat sat on the mat", "a kitten sat on the rug", "quarterly tax filing", "x", "y"]
    vectors = emb.embed_documents(texts)
    assert len(vectors) == 5 and all(len(v) == 384 for v in vectors)
    assert math.isclose(sum(x * x for x in vectors[0]), 1.0, rel_tol=1e-3)

    def cosine(a: list[float], b: list[float]) -> float:
        return sum(x * y for x, y in zip(a, b, strict=True))

    assert cosine(vectors[0], vectors[1]) > cosine(vectors[0], vectors[2]) + 0.2
    assert api_calls(ollama_server).count("/api/embed") == 3  # batches of 2
    for _ in range(2):  # each asyncio.run() is a new event loop
        query = asyncio.run(emb.aembed_query("a cat sat on the mat"))
        assert cosine(query, vectors[0]) > 0.99


# --- the context window -----------------------------------------------------------------


def test_num_ctx_comes_from_api_show_lazily_and_is_cached(
    ollama_server: str, ollama_fault: Callable
) -> None:
    capped = chat_model(ollama(ollama_server, max_default_context=1024))
    assert api_calls(ollama_server) == []  # building makes no request
    capped.invoke(HELLO)
    assert api_calls(ollama_server) == ["/api/show", "/api/chat"]
    assert recent_requests(ollama_server)[-1]["options"]["num_ctx"] == 1024

    chat_model(ollama(ollama_server)).invoke(HELLO)  # same server and model: cached
    assert api_calls(ollama_server) == ["/api/show", "/api/chat", "/api/chat"]
    assert recent_requests(ollama_server)[-1]["options"]["num_ctx"] == 8192  # model's own


def test_async_first_use_reads_the_window_too(ollama_server: str, ollama_fault: Callable) -> None:
    model = chat_model(ollama(ollama_server, max_default_context=2048))
    asyncio.run(model.ainvoke(HELLO))
    assert api_calls(ollama_server) == ["/api/show", "/api/chat"]
    assert recent_requests(ollama_server)[-1]["options"]["num_ctx"] == 2048


def test_context_length_setting_is_sent_without_asking(
    ollama_server: str, ollama_fault: Callable
) -> None:
    llm(ollama(ollama_server, context_length=512)).invoke(HELLO)
    assert api_calls(ollama_server) == ["/api/generate"]
    assert recent_requests(ollama_server)[-1]["options"]["num_ctx"] == 512


def test_prompt_clearly_too_long_fails_before_sending(
    ollama_server: str, ollama_fault: Callable
) -> None:
    long_prompt = "Please summarise the following notes. " + "The meeting ran long. " * 60
    for build in (chat_model, llm):
        model = build(ollama(ollama_server, context_length=128))
        with pytest.raises(ContextWindowExceededError, match=r"context window of 128"):
            model.invoke(long_prompt)
    assert api_calls(ollama_server) == []


def test_the_token_lower_bound_holds_for_the_real_tokenizer(
    ollama_server: str, ollama_fault: Callable
) -> None:
    texts = [
        "The quick brown fox jumps over the lazy dog. " * 5,
        "def add(a: int, b: int) -> int:\n    return a + b  # sum\n" * 3,
        "Zusammenarbeitsvereinbarung, Rechtsschutzversicherungsgesellschaften; 1234567.",
        "東京都の天気は晴れです。明日は雨が降るでしょう。",
    ]
    for text in texts:
        reply = post(
            f"{ollama_server}/api/generate",
            json={"model": CHAT_MODEL, "prompt": text, "raw": True, "stream": False,
                  "options": {"num_predict": 1}},
        ).json()  # fmt: skip
        assert min_tokens(text) <= reply["prompt_eval_count"], text


def test_the_server_truncates_silently_like_ollama(ollama_server: str) -> None:
    """Why every request carries num_ctx: without it, long prompts lose their start."""
    prompt = "The meeting ran long and nobody took notes. " * 20
    body = {"model": CHAT_MODEL, "prompt": prompt, "raw": True, "stream": False}
    full = post(f"{ollama_server}/api/generate", json={**body, "options": {"num_predict": 1}})
    cut = post(
        f"{ollama_server}/api/generate", json={**body, "options": {"num_predict": 1, "num_ctx": 64}}
    )
    assert full.json()["prompt_eval_count"] > 64
    assert cut.json()["prompt_eval_count"] == 32 and cut.json()["done"] is True


def test_server_speaks_ollamas_api(ollama_server: str) -> None:
    assert httpx.get(ollama_server, timeout=60).text == "Ollama is running"
    assert httpx.get(f"{ollama_server}/api/version", timeout=60).json()["version"]
    show = post(f"{ollama_server}/api/show", json={"model": CHAT_MODEL}).json()
    assert show["model_info"]["general.architecture"] == "llama"
    assert show["model_info"]["llama.context_length"] == 8192
    assert {"modelfile", "parameters", "template", "details"} <= set(show)
    missing = post(f"{ollama_server}/api/chat", json={"model": "x", "messages": []})
    assert missing.status_code == 404
    assert missing.json() == {"error": 'model "x" not found, try pulling it first'}
    bad = post(f"{ollama_server}/api/chat", json={"messages": []})
    assert bad.status_code == 400 and bad.json() == {"error": "model is required"}
    lines = post(
        f"{ollama_server}/api/chat",
        json={"model": CHAT_MODEL, "messages": [{"role": "user", "content": "Count to 20."}],
              "options": {"num_predict": 3, "temperature": 0}},
    ).text.splitlines()  # fmt: skip
    final = json.loads(lines[-1])
    assert len(lines) > 1 and not json.loads(lines[0])["done"]
    assert final["done"] and final["done_reason"] == "length" and final["eval_count"] == 3
    assert {"total_duration", "load_duration", "prompt_eval_duration", "eval_duration"} <= set(
        final
    )


def test_get_num_tokens_is_a_local_estimate(model: BaseChatModel) -> None:
    text = "The quick brown fox jumps over the lazy dog."
    assert model.get_num_tokens(text) == estimate_tokens(text) == 11
    assert model.get_num_tokens_from_messages([HumanMessage("hello there")]) > 2
    with pytest.raises(NotImplementedError, match="no tokenizer endpoint"):
        model.get_token_ids("hello")


# --- errors -----------------------------------------------------------------------------


def test_server_down_is_provider_unavailable_on_every_path() -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    settings = ollama(url, context_length=512)
    expected = rf"cannot reach Ollama at {url}; start it with `ollama serve` or set llm\.base_url"
    model = chat_model(settings)
    calls: list[Callable[[], Any]] = [
        lambda: model.invoke(HELLO),
        lambda: list(model.stream(HELLO)),
        lambda: asyncio.run(model.ainvoke(HELLO)),
        lambda: llm(settings).invoke(HELLO),
        lambda: chat_model(ollama(url)).invoke(HELLO),  # fails at /api/show
    ]
    for call in calls:
        with pytest.raises(ProviderUnavailableError, match=expected):
            call()
    with pytest.raises(ProviderUnavailableError, match=r"or set embeddings\.base_url"):
        embeddings(settings).embed_query("hi")


def test_unknown_model_says_ollama_pull(ollama_server: str) -> None:
    expected = (
        rf"model 'nope:1b' is not pulled on the Ollama server at {ollama_server}; "
        r"run `ollama pull nope:1b`"
    )
    with pytest.raises(ModelNotFoundError, match=expected):
        chat_model(ollama(ollama_server, model="nope:1b")).invoke(HELLO)  # via /api/show
    with pytest.raises(ModelNotFoundError, match=expected):
        list(llm(ollama(ollama_server, model="nope:1b", context_length=256)).stream(HELLO))
    with pytest.raises(ModelNotFoundError, match="run `ollama pull nope:1b`"):
        embeddings(ollama(ollama_server, embed={"model": "nope:1b"})).embed_query("hi")


def test_server_error_carries_the_servers_text(ollama_server: str, ollama_fault: Callable) -> None:
    model = chat_model(ollama(ollama_server, context_length=512))
    ollama_fault("status", status=500, error="CUDA error: out of memory")
    with pytest.raises(
        ProviderUnavailableError,
        match=r"answered with an error for model 'smollm2:135m': CUDA error: out of memory "
        r"\(HTTP 500\)",
    ):
        model.invoke(HELLO)
    ollama_fault("status", status=503, error="server busy", path="/api/embed")
    with pytest.raises(ProviderUnavailableError, match=r"server busy \(HTTP 503\)"):
        embeddings(ollama(ollama_server)).embed_documents(["hi"])


def test_bad_request_from_the_server(ollama_server: str) -> None:
    reasoning = chat_model(ollama(ollama_server, context_length=512, options={"reasoning": True}))
    with pytest.raises(ProviderUnavailableError, match="does not support thinking"):
        reasoning.invoke(HELLO)


def test_malformed_json(ollama_server: str, ollama_fault: Callable) -> None:
    model = chat_model(ollama(ollama_server, context_length=512))
    expected = "sent a response that is not Ollama's .*check that llm.base_url"
    ollama_fault("malformed")
    with pytest.raises(ProviderUnavailableError, match=expected):
        model.invoke(HELLO)
    ollama_fault("malformed", path="/api/embed")
    with pytest.raises(ProviderUnavailableError, match="sent a response that is not Ollama's"):
        embeddings(ollama(ollama_server)).embed_query("hi")


def test_connection_dropped_mid_stream(ollama_server: str, ollama_fault: Callable) -> None:
    model = chat_model(ollama(ollama_server, context_length=512))
    ollama_fault("drop", after=2)
    received: list[str] = []
    with pytest.raises(ProviderUnavailableError, match="broke before the response was complete"):
        for chunk in model.stream(HELLO):
            received.append(str(chunk.content))
    assert len(received) == 2  # what came before the drop was delivered
    ollama_fault("drop", path="/api/embed")
    with pytest.raises(ProviderUnavailableError, match="broke before the response was complete"):
        embeddings(ollama(ollama_server)).embed_query("hi")


def test_timeout_names_the_setting(ollama_server: str, ollama_fault: Callable) -> None:
    ollama_fault("delay", seconds=1.5)
    model = chat_model(ollama(ollama_server, context_length=512, timeout=0.3))
    with pytest.raises(
        ProviderUnavailableError,
        match=r"did not answer within 0\.3 s; raise llm\.timeout \(INHOUSE_LLM__TIMEOUT\)",
    ):
        model.invoke(HELLO)
    ollama_fault("delay", seconds=1.5, path="/api/embed")
    slow = embeddings(ollama(ollama_server, embed={"timeout": 0.3}))
    with pytest.raises(ProviderUnavailableError, match=r"raise embeddings\.timeout"):
        slow.embed_query("hi")


def test_base_url_with_a_path_is_explained(ollama_server: str) -> None:
    model = chat_model(ollama(f"{ollama_server}/v1", context_length=512))
    with pytest.raises(ProviderUnavailableError, match=r"404 page not found.*without a path"):
        model.invoke(HELLO)


def test_options_typo_is_a_config_error(ollama_server: str) -> None:
    with pytest.raises(ConfigError, match=r"llm\.options\.temprature is neither"):
        chat_model(ollama(ollama_server, options={"temprature": 0.1}))
    with pytest.raises(ConfigError, match="validate_model_on_init makes a network call"):
        chat_model(ollama(ollama_server, options={"validate_model_on_init": True}))


# --- doctor -----------------------------------------------------------------------------


def test_server_models_and_probe(ollama_server: str) -> None:
    assert provider.server_models(ollama_server) == [CHAT_MODEL, f"{EMBED_MODEL}:latest"]
    settings = ollama(ollama_server)
    assert CHAT_MODEL in provider.probe(settings.llm, settings)
    assert "all-minilm" in provider.probe(settings.embeddings, settings)

    missing = ollama(ollama_server, model="llama3.2")
    with pytest.raises(ModelNotFoundError, match=r"run `ollama pull llama3\.2` \(it has: "):
        provider.probe(missing.llm, missing)
    down = ollama(f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(ProviderUnavailableError, match=r"set embeddings\.base_url"):
        provider.probe(down.embeddings, down)


# --- a real `ollama serve` ----------------------------------------------------------------


def _live_url() -> str:
    host = os.environ.get("OLLAMA_HOST", "127.0.0.1:11434")
    host = host if "://" in host else f"http://{host}"
    return host if host.rsplit(":", 1)[-1].isdigit() else f"{host}:11434"


@pytest.fixture(scope="module")
def live_url() -> str:
    if not LIVE_MODEL:
        pytest.skip("set INHOUSE_TEST_OLLAMA_MODEL to a pulled model to run against Ollama")
    url = _live_url()
    try:
        httpx.get(f"{url}/api/version", timeout=2.0).raise_for_status()
    except Exception as exc:
        pytest.skip(f"no Ollama server at {url}: {exc}")
    return url


@pytest.mark.ollama_live
@pytest.mark.enable_socket
def test_live_chat_stream_and_probe(live_url: str) -> None:
    settings = ollama(live_url, model=LIVE_MODEL, max_tokens=16)
    assert LIVE_MODEL in provider.probe(settings.llm, settings)
    model = chat_model(settings)
    assert str(model.invoke(HELLO).content).strip()
    assert len([c for c in model.stream(HELLO) if c.content]) > 1
    assert llm(settings).invoke(HELLO).strip()


@pytest.mark.ollama_live
@pytest.mark.enable_socket
def test_live_errors(live_url: str) -> None:
    missing = "inhouse-no-such-model:0b"
    with pytest.raises(ModelNotFoundError, match=f"run `ollama pull {missing}`"):
        chat_model(ollama(live_url, model=missing)).invoke(HELLO)
    settings = ollama(live_url, model=LIVE_MODEL, context_length=64)
    with pytest.raises(ContextWindowExceededError):
        chat_model(settings).invoke("word " * 500)
