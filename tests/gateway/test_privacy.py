"""No sensitive value reaches the cloud through any gateway endpoint.

"The cloud" is a real OpenAI-compatible server (llama_cpp.server) behind a loopback proxy
that records every request body; the gateway runs with the cloud enabled and a
complexity threshold of 0, so every harmless request may go there (a leak test proves
nothing otherwise). Sensitive prompts from the router's labelled set go through chat,
streaming, ``n`` > 1, completions, ``kb:`` models and the cloud model named explicitly.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator

import httpx
import pytest

from inhouse.evaluate.router import EVAL_TERMS
from tests.conftest import REPO
from tests.support.gateway import RunningGateway, run_gateway
from tests.support.recording_proxy import RecordingProxy

pytestmark = pytest.mark.integration

CLOUD_MODEL = "smollm2"  # the llama_cpp.server alias


def labelled(n: int) -> list[dict]:
    rows = [json.loads(x) for x in (REPO / "data/router/prompts.jsonl").read_text().splitlines()]
    return random.Random(5).sample([r for r in rows if r["sensitive"]], n)


def values(row: dict) -> list[str]:
    return [row["text"][e["start"] : e["end"]] for e in row["entities"]]


@pytest.fixture(scope="module")
def cloud(llama_server) -> Iterator[RecordingProxy]:
    with RecordingProxy(llama_server.base_url) as proxy:
        yield proxy


def settings_for(proxy: RecordingProxy, on_sensitive: str = "local") -> dict:
    return {
        "llm": {"temperature": 0.0, "seed": 0, "max_tokens": 6},
        "cloud": {"provider": "openai", "model": CLOUD_MODEL, "base_url": proxy.base_url,
                  "api_key": "test-key", "max_tokens": 6, "max_retries": 0, "timeout": 60},
        "router": {"enabled": True, "complexity_threshold": 0.0, "custom_terms": EVAL_TERMS},
        "server": {"on_sensitive_cloud": on_sensitive},
    }  # fmt: skip


@pytest.fixture(scope="module")
def gateway(cloud, tmp_path_factory) -> Iterator[RunningGateway]:
    with run_gateway(tmp_path_factory.mktemp("gw-privacy"), settings_for(cloud),
                     kbs=("docs",)) as running:  # fmt: skip
        yield running


def chat(gateway: RunningGateway, model: str, text: str, **extra) -> httpx.Response:
    body = {"model": model, "messages": [{"role": "system", "content": "Be brief."},
                                         {"role": "user", "content": text}], **extra}
    return httpx.post(f"{gateway.v1}/chat/completions", json=body, timeout=120)


def streamed(gateway: RunningGateway, model: str, text: str) -> httpx.Response:
    body = {"model": model, "stream": True, "messages": [{"role": "user", "content": text}]}
    with httpx.stream("POST", f"{gateway.v1}/chat/completions", json=body, timeout=120) as r:
        r.read()
        return r


def test_harmless_requests_do_reach_the_cloud(gateway, cloud) -> None:
    before = len(cloud.bodies)
    for response in (chat(gateway, "auto", "Explain why the sky is blue."),
                     chat(gateway, CLOUD_MODEL, "Name a prime number."),
                     streamed(gateway, "auto", "Explain how tides work.")):  # fmt: skip
        assert response.status_code == 200 and response.headers["x-inhouse-route"] == "cloud"
    assert len(cloud.bodies) >= before + 3  # the recording path works


def test_no_sensitive_value_reaches_the_cloud_through_any_endpoint(gateway, cloud) -> None:
    rows = labelled(36)
    for i, row in enumerate(rows):
        text = row["text"]
        way = i % 6
        if way == 0:
            response = chat(gateway, "auto", text)
        elif way == 1:
            response = streamed(gateway, "auto", text)
        elif way == 2:
            response = chat(gateway, "auto", text, n=2)
        elif way == 3:
            response = chat(gateway, CLOUD_MODEL, text)  # named explicitly: served locally
        elif way == 4:
            response = chat(gateway, "kb:docs", text)
        else:
            response = httpx.post(f"{gateway.v1}/completions", timeout=120,
                                  json={"model": "auto", "prompt": text, "max_tokens": 4})
        assert response.status_code == 200, (row["id"], response.text)
        assert response.headers["x-inhouse-route"] == "local", row["id"]
        if way != 4:
            assert "sensitive" in response.headers["x-inhouse-rules"], row["id"]
    received = cloud.received()
    for row in rows:
        for value in values(row):
            assert value not in received, f"{row['id']}: a value reached the cloud"


def test_the_headers_count_every_type_found(gateway) -> None:
    # the router stops at the first hit to decide; the gateway asks for all of them, so
    # that x-inhouse-entities ("types and counts") and a 403's message are complete
    text = "Mail jane.doe@example.com, bob@example.org: SSN 078-05-1120, card 4111111111111111"
    response = chat(gateway, "auto", text)
    assert response.headers["x-inhouse-route"] == "local"
    counts = dict(p.split("=") for p in response.headers["x-inhouse-entities"].split(","))
    assert counts["email"] == "2" and counts["ssn"] == "1" and counts["card"] == "1"


def test_history_and_system_prompt_count(gateway, cloud) -> None:
    row = labelled(1)[0]
    before = len(cloud.bodies)
    body = {"model": "auto", "messages": [
        {"role": "system", "content": f"Customer record: {row['text']}"},
        {"role": "user", "content": "Summarise the ticket."},
        {"role": "assistant", "content": "Sure."},
        {"role": "user", "content": "Now explain step by step."}]}  # fmt: skip
    response = httpx.post(f"{gateway.v1}/chat/completions", json=body, timeout=120)
    assert response.headers["x-inhouse-route"] == "local"
    assert len(cloud.bodies) == before


def test_reject_mode_refuses_a_sensitive_request_for_the_cloud(cloud, tmp_path) -> None:
    row = labelled(1)[0]
    with run_gateway(tmp_path, settings_for(cloud, on_sensitive="reject")) as gateway:
        before = len(cloud.bodies)
        response = chat(gateway, CLOUD_MODEL, row["text"])
        assert response.status_code == 403
        error = response.json()["error"]
        assert error["code"] == "sensitive_request" and "not sent to the cloud" in error["message"]
        assert all(v not in error["message"] for v in values(row))
        assert len(cloud.bodies) == before
        assert chat(gateway, "auto", row["text"]).headers["x-inhouse-route"] == "local"


def test_a_failing_cloud_falls_back_to_local(gateway, cloud) -> None:
    cloud.fail_with = 500
    try:
        response = chat(gateway, "auto", "Explain why the sky is blue.")
        stream = streamed(gateway, "auto", "Explain why the sea is salty.")
    finally:
        cloud.fail_with = None
    for r in (response, stream):
        assert r.status_code == 200 and r.headers["x-inhouse-route"] == "local"
        assert "fallback" in r.headers["x-inhouse-rules"]


TOOL = {"type": "function", "function": {
    "name": "lookup_customer", "description": "Look a customer up by name.",
    "parameters": {"type": "object", "properties": {"query": {"type": "string"}},
                   "required": ["query"]}}}  # fmt: skip


def tool_turns(result: str, argument: str) -> list[dict]:
    call = {
        "id": "call_1",
        "type": "function",
        "function": {"name": "lookup_customer", "arguments": json.dumps({"query": argument})},
    }
    return [{"role": "user", "content": "Look the customer up and explain step by step."},
            {"role": "assistant", "content": None, "tool_calls": [call]},
            {"role": "tool", "tool_call_id": "call_1", "content": result},
            {"role": "user", "content": "Now summarise it."}]  # fmt: skip


def test_no_sensitive_value_reaches_the_cloud_through_tools(gateway, cloud) -> None:
    before = len(cloud.bodies)
    harmless = {"model": "auto", "messages": tool_turns("no such customer", "Acme"),
                "tools": [TOOL]}  # fmt: skip
    response = httpx.post(f"{gateway.v1}/chat/completions", json=harmless, timeout=120)
    assert response.status_code == 200 and response.headers["x-inhouse-route"] == "cloud"
    assert len(cloud.bodies) > before and '"tools"' in cloud.bodies[-1]  # tools go there
    rows = labelled(12)
    for i, row in enumerate(rows):
        result, argument = (row["text"], "Acme") if i % 2 else ("found", row["text"])
        body = {"model": "auto", "messages": tool_turns(result, argument), "tools": [TOOL],
                "stream": i % 3 == 0}  # fmt: skip
        response = httpx.post(f"{gateway.v1}/chat/completions", json=body, timeout=120)
        assert response.status_code == 200, (row["id"], response.text)
        assert response.headers["x-inhouse-route"] == "local", row["id"]
    received = cloud.received()
    for row in rows:
        for value in values(row):
            assert value not in received, f"{row['id']}: a value reached the cloud"
