"""Real clients against a real `inhouse serve` on loopback: the openai SDK (sync, async,
streaming), LangChain's ChatOpenAI, inhouse's own openai provider, and raw HTTP."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import httpx
import pytest
from pydantic import BaseModel

from tests.support.gateway import RunningGateway, run_gateway

pytestmark = pytest.mark.integration

SETTINGS = {"llm": {"temperature": 0.0, "seed": 0, "max_tokens": 24}}
QUESTION = "How long must a password be?"


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningGateway]:
    with run_gateway(tmp_path_factory.mktemp("gw"), SETTINGS, kbs=("docs",)) as running:
        yield running


@pytest.fixture(scope="module")
def model_id(gateway: RunningGateway) -> str:
    ids = [m["id"] for m in httpx.get(f"{gateway.v1}/models").json()["data"]]
    assert ids[0] == "auto" and "kb:docs" in ids, ids
    return ids[1]  # the local model by name


def client(gateway: RunningGateway):
    from openai import OpenAI

    return OpenAI(base_url=gateway.v1, api_key="unused", max_retries=0)


def test_openai_sdk_chat_plain_and_streamed(gateway: RunningGateway, model_id: str) -> None:
    sdk = client(gateway)
    reply = sdk.chat.completions.create(
        model="auto", messages=[{"role": "user", "content": "Say hello."}]
    )
    assert reply.choices[0].message.content and reply.choices[0].finish_reason in ("stop", "length")
    assert reply.usage.prompt_tokens > 0 and reply.usage.completion_tokens > 0
    pieces, usage = [], None
    for chunk in sdk.chat.completions.create(
        model=model_id, messages=[{"role": "user", "content": "Count to three."}], stream=True,
        stream_options={"include_usage": True},
    ):  # fmt: skip
        if chunk.choices:
            pieces.append(chunk.choices[0].delta.content or "")
        if chunk.usage:
            usage = chunk.usage
    assert "".join(pieces).strip() and len(pieces) > 2
    assert usage is not None and usage.total_tokens == usage.prompt_tokens + usage.completion_tokens


def test_openai_sdk_async_and_parameters(gateway: RunningGateway) -> None:
    from openai import AsyncOpenAI

    async def run() -> list[str]:
        sdk = AsyncOpenAI(base_url=gateway.v1, api_key="unused", max_retries=0)
        one = await sdk.chat.completions.create(
            model="auto", messages=[{"role": "user", "content": "Name a colour."}],
            max_tokens=3, temperature=0, seed=1, stop=["\n"], top_p=0.9, n=2,
        )  # fmt: skip
        await sdk.close()
        return [c.message.content or "" for c in one.choices]

    answers = asyncio.run(run())
    assert len(answers) == 2 and all(len(a.split()) <= 3 for a in answers)
    assert answers[0] == answers[1]  # greedy with the same seed


def test_json_schema_and_json_object_are_valid(gateway: RunningGateway) -> None:
    schema = {"type": "object", "properties": {"city": {"type": "string"}},
              "required": ["city"], "additionalProperties": False}  # fmt: skip
    sdk = client(gateway)
    for response_format in (
        {"type": "json_schema", "json_schema": {"name": "place", "schema": schema}},
        {"type": "json_object"},
    ):
        reply = sdk.chat.completions.create(
            model="auto", response_format=response_format, max_tokens=40,
            messages=[{"role": "user", "content": "Where is the Eiffel Tower? Answer in JSON."}],
        )  # fmt: skip
        value = json.loads(reply.choices[0].message.content)
        assert isinstance(value, dict)
        if response_format["type"] == "json_schema":
            assert isinstance(value["city"], str)


class Place(BaseModel):
    city: str
    country: str


def test_langchain_chat_openai(gateway: RunningGateway) -> None:
    from langchain_openai import ChatOpenAI

    chat = ChatOpenAI(base_url=gateway.v1, api_key="unused", model="auto", max_retries=0,
                      max_tokens=24)  # fmt: skip
    assert chat.invoke("Say hi.").content
    assert "".join(c.content for c in chat.stream("Say hi.")).strip()
    place = chat.with_structured_output(Place, method="json_schema").invoke(
        "Paris is the capital of France. Give the city and country."
    )
    assert isinstance(place, Place) and place.city and place.country


def test_inhouse_openai_provider_against_the_gateway(gateway: RunningGateway) -> None:
    from inhouse import chat_model, embeddings, load_settings

    settings = load_settings("openai", llm={"base_url": gateway.v1, "model": "auto"},
                             embeddings={"provider": "openai", "base_url": gateway.v1,
                                         "model": "local"})  # fmt: skip
    model = chat_model(settings)
    assert model.invoke("Say hi.").content
    assert "".join(c.content for c in model.stream("Say hi.")).strip()
    vector = embeddings(settings).embed_query("hello")
    assert len(vector) == 384


def test_raw_http_headers_carry_the_decision(gateway: RunningGateway) -> None:
    body = {"model": "auto", "messages": [{"role": "user", "content":
            "Email jane.doe@example.com and call +44 20 7946 0958 about the plan."}]}  # fmt: skip
    response = httpx.post(f"{gateway.v1}/chat/completions", json=body, timeout=120)
    assert response.status_code == 200
    headers = response.headers
    assert headers["x-inhouse-route"] == "local" and "sensitive" in headers["x-inhouse-rules"]
    assert headers["x-inhouse-entities"] == "email=1,phone=1"
    assert float(headers["x-inhouse-decision-ms"]) >= 0
    assert "jane" not in json.dumps(dict(headers))


def test_embeddings_float_and_base64(gateway: RunningGateway) -> None:
    sdk = client(gateway)
    default = sdk.embeddings.create(model="local", input=["a cat", "a dog"])  # SDK asks base64
    assert len(default.data) == 2 and len(default.data[0].embedding) == 384
    floats = httpx.post(f"{gateway.v1}/embeddings", json={"model": "local", "input": "a cat",
                                                           "encoding_format": "float"}).json()
    assert floats["data"][0]["embedding"][:3] == pytest.approx(default.data[0].embedding[:3],
                                                               abs=1e-6)  # fmt: skip


def test_legacy_completions(gateway: RunningGateway) -> None:
    sdk = client(gateway)
    done = sdk.completions.create(model="auto", prompt="The capital of France is", max_tokens=4)
    assert done.choices[0].text and done.usage.completion_tokens > 0
    streamed = "".join(
        c.choices[0].text for c in sdk.completions.create(
            model="auto", prompt="One, two,", max_tokens=4, stream=True)
    )  # fmt: skip
    assert streamed


def test_knowledge_base_as_a_model(gateway: RunningGateway) -> None:
    body = {"model": "kb:docs", "messages": [{"role": "user", "content": QUESTION}]}
    answer = httpx.post(f"{gateway.v1}/chat/completions", json=body, timeout=120).json()
    sources = answer["inhouse_sources"]
    assert sources and sources[0]["source"].endswith("handbook.md")
    assert answer["citations"][0].endswith("handbook.md")
    assert {"source", "page", "snippet", "score", "cited"} <= set(sources[0])
    with httpx.stream("POST", f"{gateway.v1}/chat/completions", json={**body, "stream": True},
                      timeout=120) as response:  # fmt: skip
        assert response.headers["x-inhouse-route"] == "local"
        assert "kb_context" in response.headers["x-inhouse-rules"]
        events = [json.loads(line[6:]) for line in response.iter_lines()
                  if line.startswith("data: {")]  # fmt: skip
    assert events[0]["inhouse_sources"] and "inhouse_sources" not in events[1]
    refused = httpx.post(f"{gateway.v1}/chat/completions", timeout=120, json={
        "model": "kb:docs", "messages": [{"role": "user", "content": "Who won the 1998 World Cup?"}]
    }).json()  # fmt: skip
    assert refused["inhouse_sources"] == [] and "do not contain" in (
        refused["choices"][0]["message"]["content"])  # fmt: skip


def test_health_and_metrics(gateway: RunningGateway) -> None:
    assert httpx.get(f"{gateway.url}/health").json()["status"] == "ok"
    text = httpx.get(f"{gateway.url}/metrics").text
    assert 'inhouse_requests_total{key="open",model="auto",route="local",status="200"}' in text
    for name in ("inhouse_decision_seconds", "inhouse_queue_wait_seconds",
                 "inhouse_first_token_seconds", "inhouse_request_seconds", "inhouse_tokens_total",
                 "inhouse_queue_depth", "inhouse_sensitive_kept_local_total"):  # fmt: skip
        assert name in text, name
