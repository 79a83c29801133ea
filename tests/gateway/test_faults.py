"""The gateway under bad input, load and faults: OpenAI-style errors (never a 500 with a
traceback), a client that leaves mid-stream frees the model, a full queue answers 503
with Retry-After, and 32 concurrent streaming clients each get their own answer."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.reliability.test_concurrency import STEMS, TOPICS
from tests.support.gateway import RunningGateway, run_gateway

pytestmark = pytest.mark.integration

SETTINGS = {"llm": {"temperature": 0.0, "seed": 0, "max_tokens": 24},
            "server": {"max_queue": 40, "max_body_mb": 0.5}}  # fmt: skip
USER = [{"role": "user", "content": "hi"}]
STORY = [{"role": "user", "content": "Write a long story about a dragon who learns to cook."}]


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningGateway]:
    with run_gateway(tmp_path_factory.mktemp("gw-faults"), SETTINGS) as running:
        yield running


def post(gateway: RunningGateway, path: str, **kwargs) -> httpx.Response:
    return httpx.post(f"{gateway.v1}{path}", timeout=120, **kwargs)


BAD = [
    ("malformed json", {"content": b'{"model": "auto", "messages": ['}, 400, "not valid JSON"),
    ("not an object", {"json": ["auto"]}, 400, "must be a JSON object"),
    ("unknown model", {"json": {"model": "gpt-9", "messages": USER}}, 404, "gpt-9"),
    ("no messages", {"json": {"model": "auto"}}, 422, "messages"),
    ("empty messages", {"json": {"model": "auto", "messages": []}}, 422, "messages"),
    ("messages not a list", {"json": {"model": "auto", "messages": "hi"}}, 422, "messages"),
    ("bad role", {"json": {"model": "auto", "messages": [{"role": "bot", "content": "x"}]}},
     422, "messages.0.role"),
    ("temperature type", {"json": {"model": "auto", "messages": USER, "temperature": "hot"}},
     422, "temperature"),
    ("negative max_tokens", {"json": {"model": "auto", "messages": USER, "max_tokens": -1}},
     422, "max_tokens"),
    ("n zero", {"json": {"model": "auto", "messages": USER, "n": 0}}, 422, "n"),
    ("bad response_format", {"json": {"model": "auto", "messages": USER,
                                      "response_format": {"type": "xml"}}}, 422, "xml"),
    ("schema missing", {"json": {"model": "auto", "messages": USER,
                                 "response_format": {"type": "json_schema"}}}, 422, "schema"),
    ("image part", {"json": {"model": "auto", "messages": [{"role": "user", "content": [
        {"type": "image_url", "image_url": {"url": "data:,"}}]}]}}, 400, "image_url"),
    ("tool without id", {"json": {"model": "auto", "messages": [
        {"role": "tool", "content": "42"}]}}, 400, "tool_call_id"),
    ("body too large", {"json": {"model": "auto", "messages": [
        {"role": "user", "content": "x" * 600_000}]}}, 413, "max_body_mb"),
    ("prompt over the window", {"json": {"model": "auto", "messages": [
        {"role": "user", "content": "word " * 60_000}]}}, 413, "context window"),
]  # fmt: skip


@pytest.mark.parametrize("name,request_kwargs,status,words", BAD, ids=[b[0] for b in BAD])
def test_bad_requests_get_openai_style_errors(gateway, name, request_kwargs, status, words):
    response = post(gateway, "/chat/completions", **request_kwargs)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert words in error["message"] and "Traceback" not in error["message"]


@pytest.mark.parametrize("path,body,status", [
    ("/completions", {"model": "auto"}, 422),
    ("/completions", {"model": "kb:x", "prompt": "hi"}, 404),
    ("/embeddings", {"model": "local", "input": 3}, 422),
    ("/embeddings", {"model": "local"}, 422),
])  # fmt: skip
def test_other_endpoints_validate_too(gateway, path, body, status) -> None:
    response = post(gateway, path, json=body)
    assert response.status_code == status and "error" in response.json()


def _tokens_out(gateway: RunningGateway) -> float:
    text = httpx.get(f"{gateway.url}/metrics").text
    return float(re.search(r'inhouse_tokens_total\{direction="out"\} ([\d.e+]+)', text)[1])


def _cancelled(gateway: RunningGateway) -> float:
    text = httpx.get(f"{gateway.url}/metrics").text
    return float(re.search(r"inhouse_streams_cancelled_total ([\d.e+]+)", text)[1])


def _wait_for(condition, what: str, seconds: float = 60.0) -> None:
    """Synchronisation, not a speed check: wait for `condition`, failing after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_a_client_that_leaves_mid_stream_frees_the_model(gateway: RunningGateway) -> None:
    body = {"model": "auto", "messages": STORY, "max_tokens": 300, "stream": True}
    before = _tokens_out(gateway)
    whole = post(gateway, "/chat/completions", json={**body, "stream": False}).json()
    full = whole["usage"]["completion_tokens"]
    assert full > 150, full  # the control: left alone, this answer is long
    _wait_for(lambda: _tokens_out(gateway) >= before + full, "the control's tokens")
    before = _tokens_out(gateway)
    with httpx.stream("POST", f"{gateway.v1}/chat/completions", json=body, timeout=120) as r:
        for n, _line in enumerate(r.iter_lines()):
            if n >= 4:
                break  # leave after a few chunks
    _wait_for(lambda: _cancelled(gateway) >= 1, "the generation to stop")
    _wait_for(lambda: not httpx.get(f"{gateway.url}/health").json()["busy"], "the model")
    generated = _tokens_out(gateway) - before
    assert generated < full / 3, f"{generated} of {full} tokens were generated after all"
    after = post(gateway, "/chat/completions", json={"model": "auto", "messages": USER})
    assert after.status_code == 200


def test_a_full_queue_answers_503_with_retry_after(tmp_path) -> None:
    settings = {"llm": {"temperature": 0.0, "max_tokens": 400}, "server": {"max_queue": 1}}
    body = {"model": "auto", "messages": STORY, "stream": True}
    with run_gateway(tmp_path, settings) as gateway:
        health = f"{gateway.url}/health"
        done = threading.Event()

        def hold() -> None:
            with httpx.stream("POST", f"{gateway.v1}/chat/completions", json=body,
                              timeout=120) as r:  # fmt: skip
                for _ in r.iter_lines():
                    if done.is_set():
                        return

        threads = [threading.Thread(target=hold, daemon=True) for _ in range(2)]
        threads[0].start()
        _wait_for(lambda: httpx.get(health).json()["busy"], "the first stream")
        threads[1].start()
        _wait_for(lambda: httpx.get(health).json()["queue"] == 1, "one waiter")
        refused = post(gateway, "/chat/completions", json={**body, "stream": False})
        done.set()
        assert refused.status_code == 503, refused.text
        assert refused.headers["Retry-After"] and refused.json()["error"]["code"] == "queue_full"
        for thread in threads:
            thread.join(timeout=120)


def test_thirty_two_concurrent_streaming_clients(gateway: RunningGateway) -> None:
    prompts = [f"Write one sentence about {t}." for t in TOPICS] * 2

    def ask(i: int) -> tuple[int, str]:
        body = {"model": "auto", "stream": True, "messages": [{"role": "user",
                                                               "content": prompts[i]}]}
        text = ""
        with httpx.stream("POST", f"{gateway.v1}/chat/completions", json=body,
                          timeout=300) as r:  # fmt: skip
            assert r.status_code == 200, r.read()
            for line in r.iter_lines():
                if line.startswith("data: {"):
                    event = json.loads(line[6:])
                    assert "error" not in event, event
                    for choice in event["choices"]:
                        text += choice["delta"].get("content") or ""
        return i, text

    with ThreadPoolExecutor(32) as pool:
        answers = dict(pool.map(ask, range(32)))
    for i, text in answers.items():
        assert STEMS[i % 16] in text.lower(), f"answer {i} is not about {TOPICS[i % 16]}: {text!r}"
