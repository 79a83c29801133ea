"""OpenAI-compatible provider against a real `python -m llama_cpp.server` serving SmolLM2."""

from __future__ import annotations

import asyncio
import json
import math
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import pytest
from langchain_core.language_models import BaseChatModel, BaseLLM
from pydantic import BaseModel

from inhouse import chat_model, cloud_model, embeddings, llm, load_settings
from inhouse.errors import (
    ConfigError,
    ContextWindowExceededError,
    ModelNotFoundError,
    ProviderUnavailableError,
)
from inhouse.providers.openai import PROVIDER
from inhouse.tokens import estimate_tokens

if TYPE_CHECKING:
    from tests.support.llama_server import LlamaServer

pytestmark = pytest.mark.integration

QUESTION = "What is the capital of France? Answer in one word."
PERSON_SCHEMA = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
    "required": ["name", "age"],
}
PERSON_TEXT = "John Smith is 42 years old. Extract his name and age as JSON."
LONG_PROMPT = "word " * 3000  # about 3,000 tokens; the server's window is 2,048


def settings(server: LlamaServer | None = None, *, url: str | None = None, **sections: Any):
    """The `openai` profile pointed at `server` (or `url`), greedy and short."""
    where = dict(server.llm) if server else {"base_url": url, "model": "smollm2"}
    llm_section = {**where, "temperature": 0.0, "max_tokens": 16, **sections.pop("llm", {})}
    embedding_section = {"provider": "openai", **where, **sections.pop("embeddings", {})}
    return load_settings("openai", llm=llm_section, embeddings=embedding_section, **sections)


@pytest.fixture(scope="module")
def model(llama_server: LlamaServer) -> BaseChatModel:
    return chat_model(settings(llama_server))


def closed_url() -> str:
    from tests.support.llama_server import free_port

    return f"http://127.0.0.1:{free_port()}/v1"


# --- the happy path ----------------------------------------------------------------------


def test_server_starts_quickly(llama_server: LlamaServer) -> None:
    assert llama_server.base_url.startswith("http://127.0.0.1:")
    assert llama_server.start_seconds < 30


def test_chat_model_is_chat_openai(model: BaseChatModel) -> None:
    from langchain_openai import ChatOpenAI

    assert isinstance(model, ChatOpenAI)
    assert "paris" in str(model.invoke(QUESTION).content).lower()


def test_stream_and_batch(model: BaseChatModel) -> None:
    chunks = [str(c.content) for c in model.stream(QUESTION)]
    assert len([c for c in chunks if c]) > 1
    assert "".join(chunks).strip() == str(model.invoke(QUESTION).content).strip()
    answers = model.batch([QUESTION, "Say the word hello."])
    assert len(answers) == 2 and all(a.content for a in answers)


async def test_ainvoke_and_astream(model: BaseChatModel) -> None:
    reply = await model.ainvoke(QUESTION)
    assert "paris" in str(reply.content).lower()
    parts = [str(c.content) async for c in model.astream(QUESTION)]
    assert len([p for p in parts if p]) > 1
    assert "".join(parts).strip() == str(reply.content).strip()
    answers = await model.abatch([QUESTION, QUESTION])
    assert [a.content for a in answers] == [reply.content, reply.content]


def test_async_calls_survive_a_new_event_loop(llama_server: LlamaServer) -> None:
    # langchain-openai caches one AsyncClient per URL for the process; its pooled
    # connections belong to the loop that opened them ("Event loop is closed").
    s = settings(llama_server)
    model, embedder = chat_model(s), embeddings(s)
    for _ in range(2):
        assert "paris" in str(asyncio.run(model.ainvoke(QUESTION)).content).lower()
        assert len(asyncio.run(embedder.aembed_query("hello"))) == 576
    assert "paris" in str(asyncio.run(chat_model(s).ainvoke(QUESTION)).content).lower()


def test_max_tokens_reaches_the_server(llama_server: LlamaServer) -> None:
    # langchain-openai sends `max_completion_tokens`, which llama_cpp.server ignores.
    short = chat_model(settings(llama_server, llm={"max_tokens": 3}))
    reply = short.invoke("Count from one to twenty in words.")
    assert reply.response_metadata["token_usage"]["completion_tokens"] <= 3
    assert reply.response_metadata["finish_reason"] == "length"


def test_settings_map_onto_the_model(llama_server: LlamaServer) -> None:
    s = settings(
        llama_server,
        llm={"top_p": 0.5, "seed": 7, "stop": ["\n\n"], "timeout": 9,
             "options": {"frequency_penalty": 0.25}},
    )  # fmt: skip
    built = chat_model(s)
    assert (built.model_name, built.openai_api_base) == ("smollm2", llama_server.base_url)
    assert (built.temperature, built.max_tokens, built.top_p, built.seed) == (0.0, 16, 0.5, 7)
    assert built.stop == ["\n\n"] and built.request_timeout == 9 and built.max_retries == 1
    assert built.frequency_penalty == 0.25
    assert built.openai_api_key.get_secret_value() == "not-needed"


def test_bad_options_are_a_config_error(llama_server: LlamaServer) -> None:
    with pytest.raises(ConfigError, match=r"llm\.options"):
        chat_model(settings(llama_server, llm={"options": {"temperature": "hot"}}))


def test_completion_llm(llama_server: LlamaServer) -> None:
    from langchain_openai import OpenAI

    completion = llm(settings(llama_server, llm={"max_tokens": 8}))
    assert isinstance(completion, OpenAI) and isinstance(completion, BaseLLM)
    text = completion.invoke("The capital of France is")
    assert "paris" in text.lower() and not text.startswith("The capital")
    assert "".join(completion.stream("The capital of France is")) == text
    assert completion.batch(["The capital of France is"] * 2) == [text, text]


async def test_completion_llm_async(llama_server: LlamaServer) -> None:
    completion = llm(settings(llama_server, llm={"max_tokens": 8}))
    text = await completion.ainvoke("The capital of France is")
    assert "paris" in text.lower()
    assert "".join([t async for t in completion.astream("The capital of France is")]) == text


def test_embeddings(llama_server: LlamaServer) -> None:
    from langchain_openai import OpenAIEmbeddings

    embedder = embeddings(settings(llama_server))
    assert isinstance(embedder, OpenAIEmbeddings)
    assert embedder.check_embedding_ctx_length is False and embedder.tiktoken_enabled is False
    vectors = embedder.embed_documents(["a cat sat on the mat", "stock prices fell today"])
    query = embedder.embed_query("a cat sat on the mat")
    assert len(vectors) == 2 and len(query) == len(vectors[0]) == 576  # SmolLM2's width
    assert math.isclose(math.fsum(x * x for x in query), 1.0, rel_tol=1e-6)  # normalised
    assert query == pytest.approx(vectors[0], abs=1e-5)


async def test_embeddings_async(llama_server: LlamaServer) -> None:
    embedder = embeddings(settings(llama_server))
    sync = embedder.embed_query("hello there")
    assert await embedder.aembed_query("hello there") == pytest.approx(sync, abs=1e-5)
    assert len(await embedder.aembed_documents(["a", "b", "c"])) == 3


# --- structured output -------------------------------------------------------------------


def assert_person(data: Any) -> None:
    assert isinstance(data, dict) and set(data) == {"name", "age"}
    assert isinstance(data["name"], str) and type(data["age"]) is int
    assert "john" in data["name"].lower() and data["age"] == 42


def test_response_format_json_object_with_schema(model: BaseChatModel) -> None:
    constrained = model.bind(
        response_format={"type": "json_object", "schema": PERSON_SCHEMA}, max_tokens=60
    )
    assert_person(json.loads(str(constrained.invoke(PERSON_TEXT).content)))
    streamed = "".join(str(c.content) for c in constrained.stream(PERSON_TEXT))
    assert_person(json.loads(streamed))


async def test_a_reply_cut_at_max_tokens_is_returned_not_raised(model: BaseChatModel) -> None:
    # The OpenAI client raises LengthFinishReasonError (and drops the text) when a reply
    # with a response_format is cut; the extraction engine needs that text to salvage it.
    cut = model.bind(response_format={"type": "json_object", "schema": PERSON_SCHEMA},
                     max_tokens=4)  # fmt: skip
    for reply in (cut.invoke(PERSON_TEXT), await cut.ainvoke(PERSON_TEXT)):
        assert reply.response_metadata["finish_reason"] == "length"
        assert str(reply.content).startswith("{")


def test_with_structured_output_json_schema(llama_server: LlamaServer) -> None:
    # llama_cpp.server rejects `json_schema`; the provider retries with json_object+schema.
    fresh = chat_model(settings(llama_server, llm={"max_tokens": 60}))
    schema = {"title": "Person", "description": "A person.", **PERSON_SCHEMA}
    assert_person(fresh.with_structured_output(schema, method="json_schema").invoke(PERSON_TEXT))
    assert fresh.json_object_fallback is True

    class Person(BaseModel):
        name: str
        age: int

    person = fresh.with_structured_output(Person, method="json_schema").invoke(PERSON_TEXT)
    assert isinstance(person, Person) and person.age == 42


async def test_with_structured_output_json_schema_async(
    llama_server: LlamaServer,
) -> None:
    fresh = chat_model(settings(llama_server, llm={"max_tokens": 60}))
    structured = fresh.with_structured_output(
        {"title": "Person", "description": "A person.", **PERSON_SCHEMA}, method="json_schema"
    )
    parts = [part async for part in structured.astream(PERSON_TEXT)]  # falls back mid-stream
    assert fresh.json_object_fallback is True
    assert_person(parts[-1])
    assert_person(await structured.ainvoke(PERSON_TEXT))


# --- the cloud section -------------------------------------------------------------------


def test_cloud_model_is_none_without_cloud_model() -> None:
    assert cloud_model(settings(url=closed_url())) is None


def test_cloud_without_key_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"cloud\.api_key is not set.*INHOUSE_CLOUD__API_KEY"):
        cloud_model(settings(url=closed_url(), cloud={"model": "gpt-4o-mini"}))


def test_cloud_defaults_to_the_vendor_url_and_hides_the_key() -> None:
    cloud = cloud_model(
        settings(url=closed_url(), cloud={"model": "gpt-4o-mini", "api_key": "sk-secret-123"})
    )
    assert cloud is not None and cloud.openai_api_base == "https://api.openai.com/v1"
    assert cloud.max_retries == 1 and cloud.inhouse_section == "cloud"
    assert "sk-secret-123" not in repr(cloud) and "sk-secret-123" not in str(cloud.model_dump())


def test_cloud_on_a_server_that_checks_the_key(
    llama_server_with_key: LlamaServer,
) -> None:
    server = llama_server_with_key
    cloud = {"model": server.model, "base_url": server.base_url, "max_tokens": 8}
    good = cloud_model(settings(url=closed_url(), cloud={**cloud, "api_key": server.api_key}))
    assert good is not None and good.invoke(QUESTION).content

    wrong = cloud_model(settings(url=closed_url(), cloud={**cloud, "api_key": "sk-wrong-42"}))
    with pytest.raises(ConfigError, match=r"rejected cloud\.api_key \(401\)") as caught:
        wrong.invoke(QUESTION)
    assert "sk-wrong-42" not in str(caught.value) and server.api_key not in str(caught.value)

    keyless = chat_model(settings(server, llm={"api_key": None}))
    with pytest.raises(ConfigError, match=r"INHOUSE_LLM__API_KEY"):
        keyless.invoke(QUESTION)


# --- errors ------------------------------------------------------------------------------


def test_missing_base_url_is_a_config_error() -> None:
    s = load_settings("openai", llm={"base_url": None}, embeddings={"provider": "openai"})
    with pytest.raises(ConfigError, match=r"llm\.base_url is not set.*INHOUSE_LLM__BASE_URL"):
        chat_model(s)
    with pytest.raises(ConfigError, match=r"embeddings\.base_url is not set"):
        embeddings(s)


def test_server_down_is_provider_unavailable() -> None:
    url = closed_url()
    s = settings(url=url, llm={"options": {"max_retries": 0}})
    for call in (
        lambda: chat_model(s).invoke(QUESTION),
        lambda: list(chat_model(s).stream(QUESTION)),
        lambda: llm(s).invoke(QUESTION),
        lambda: embeddings(s).embed_query(QUESTION),
    ):
        with pytest.raises(ProviderUnavailableError, match=f"cannot reach .*{url}"):
            call()
    with pytest.raises(ProviderUnavailableError, match=f"cannot reach .*{url}"):
        PROVIDER.probe(s.llm, s)


async def test_server_down_async() -> None:
    url = closed_url()
    with pytest.raises(ProviderUnavailableError, match=url):
        await chat_model(settings(url=url)).ainvoke(QUESTION)
    with pytest.raises(ProviderUnavailableError, match=url):
        await embeddings(settings(url=url)).aembed_query(QUESTION)


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A loopback port that accepts connections and never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/v1"


def test_timeout_names_the_timeout(silent_server: str) -> None:
    slow = chat_model(settings(url=silent_server, llm={"timeout": 0.3}))
    with pytest.raises(ProviderUnavailableError, match=r"within 0\.3 s.*llm\.timeout"):
        slow.invoke(QUESTION)


def test_unknown_model_name_is_served_anyway_but_probe_finds_it(
    llama_server: LlamaServer,
) -> None:
    # llama_cpp.server answers any model name with its default model: no error to translate.
    s = settings(llama_server, llm={"model": "no-such-model"})
    assert chat_model(s).invoke(QUESTION).content
    with pytest.raises(ModelNotFoundError, match=r"'no-such-model' is not served.*smollm2"):
        PROVIDER.probe(s.llm, s)
    good = settings(llama_server)
    assert PROVIDER.probe(good.llm, good) == f"{llama_server.base_url} serves smollm2"


def test_wrong_path_is_model_not_found(llama_server: LlamaServer) -> None:
    root = llama_server.base_url.removesuffix("/v1")  # forgot the /v1: every route is a 404
    with pytest.raises(ModelNotFoundError, match=r"'smollm2' was not found.*ends in /v1"):
        chat_model(settings(url=root)).invoke(QUESTION)


def test_prompt_longer_than_context(model: BaseChatModel, llama_server: LlamaServer) -> None:
    with pytest.raises(ContextWindowExceededError) as caught:
        model.invoke(LONG_PROMPT)
    assert caught.value.context_length == 2048 and caught.value.prompt_tokens > 2048
    assert "'smollm2'" in str(caught.value)
    with pytest.raises(ContextWindowExceededError):  # the server sends an empty 200 stream
        list(model.stream(LONG_PROMPT))
    with pytest.raises(ContextWindowExceededError, match="2048"):
        llm(settings(llama_server)).invoke(LONG_PROMPT)
    with pytest.raises(ContextWindowExceededError, match="2048"):
        list(llm(settings(llama_server)).stream(LONG_PROMPT))


async def test_prompt_longer_than_context_async(model: BaseChatModel) -> None:
    with pytest.raises(ContextWindowExceededError):
        await model.ainvoke(LONG_PROMPT)
    with pytest.raises(ContextWindowExceededError):
        _ = [c async for c in model.astream(LONG_PROMPT)]


class _Canned(BaseHTTPRequestHandler):
    """Answers every POST with the status and JSON body set on the server."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        status, body = self.server.reply  # type: ignore[attr-defined]
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def canned() -> Iterator[ThreadingHTTPServer]:
    """A loopback HTTP server for error answers a real llama_cpp.server never gives."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Canned)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_rate_limit_and_other_server_formats(canned: ThreadingHTTPServer) -> None:
    url = f"http://127.0.0.1:{canned.server_address[1]}/v1"
    model = chat_model(settings(url=url, llm={"options": {"max_retries": 0}}))
    canned.reply = (429, {"error": {"message": "Rate limit reached", "type": "requests"}})
    with pytest.raises(ProviderUnavailableError, match=r"rate limiting.*llm\.options\.max_retries"):
        model.invoke(QUESTION)
    # llama-server (C++) reports the numbers as fields
    canned.reply = (400, {"error": {
        "code": 400, "type": "exceed_context_size_error", "n_prompt_tokens": 5000,
        "n_ctx": 4096, "message": "the request exceeds the available context size"}})  # fmt: skip
    with pytest.raises(ContextWindowExceededError) as caught:
        model.invoke(QUESTION)
    assert (caught.value.prompt_tokens, caught.value.context_length) == (5000, 4096)
    # OpenAI's own wording
    canned.reply = (400, {"error": {"code": "context_length_exceeded", "message": (
        "This model's maximum context length is 128000 tokens. However, your messages"
        " resulted in 130500 tokens. Please reduce the length of the messages.")}})  # fmt: skip
    with pytest.raises(ContextWindowExceededError) as caught:
        model.invoke(QUESTION)
    assert (caught.value.prompt_tokens, caught.value.context_length) == (130500, 128000)
    canned.reply = (400, {"error": {"message": "context length exceeded", "type": "x"}})
    with pytest.raises(ContextWindowExceededError, match="context length exceeded"):
        model.invoke(QUESTION)
    canned.reply = (503, {"error": {"message": "model is loading"}})
    with pytest.raises(ProviderUnavailableError, match=r"answered 503.*model is loading"):
        model.invoke(QUESTION)


# --- no downloads, no other hosts --------------------------------------------------------


def test_token_counts_are_local_estimates() -> None:
    from langchain_core.messages import HumanMessage, SystemMessage

    model = chat_model(settings(url=closed_url()))
    assert model.get_num_tokens("The capital of France is Paris.") == 8
    assert estimate_tokens("") == 0 and estimate_tokens("x" * 400) == 100
    messages = [SystemMessage("Be brief."), HumanMessage("The capital of France?")]
    assert 10 < model.get_num_tokens_from_messages(messages) < 30
    assert llm(settings(url=closed_url())).get_num_tokens("hello world") == 3
    with pytest.raises(NotImplementedError, match="get_num_tokens"):
        model.get_token_ids("hello")


def test_no_connection_but_to_the_base_url(
    llama_server: LlamaServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Any,
) -> None:
    from langchain_core.messages import HumanMessage

    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path / "empty-tiktoken-cache"))
    monkeypatch.setenv("OPENAI_API_KEY", "sk-must-not-be-used")
    monkeypatch.setenv("OPENAI_BASE_URL", "https://api.openai.com/v1")
    peers: list[Any] = []
    real_connect = socket.socket.connect

    def recording_connect(sock: socket.socket, address: Any) -> Any:
        peers.append(address)
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", recording_connect)
    s = settings(llama_server)
    model, completion, embedder = chat_model(s), llm(s), embeddings(s)
    model.get_num_tokens_from_messages([HumanMessage(QUESTION)])
    completion.get_num_tokens(QUESTION)
    assert model.invoke(QUESTION).content and completion.invoke("The capital of France is")
    assert list(model.stream(QUESTION)) and embedder.embed_documents(["a", "b"])
    port = int(llama_server.base_url.rsplit(":", 1)[1].split("/")[0])
    assert peers and {(host, p) for host, p, *_ in peers} == {("127.0.0.1", port)}


def test_what_counts_as_the_end_of_a_stream() -> None:
    from langchain_core.messages import AIMessageChunk
    from langchain_core.outputs import ChatGenerationChunk, GenerationChunk

    from inhouse.providers.openai import _finishes

    def chunk(info: dict | None = None, **message: Any) -> ChatGenerationChunk:
        return ChatGenerationChunk(message=AIMessageChunk(content="", **message),
                                   generation_info=info)  # fmt: skip

    assert _finishes(chunk({"finish_reason": "stop"}))  # Chat Completions
    assert _finishes(chunk({"finish_reason": "tool_calls"}))
    assert _finishes(chunk(chunk_position="last"))  # the Responses API's last chunk
    assert _finishes(GenerationChunk(text="", generation_info={"finish_reason": "length"}))
    assert not _finishes(chunk({"finish_reason": None}))
    assert not _finishes(chunk())
