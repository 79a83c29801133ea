"""Endpoint faults, as one matrix: an Ollama server and an OpenAI-compatible endpoint that
stop mid-stream, answer 500, answer 429 with Retry-After, hang past the timeout, or send
malformed JSON, each tried with invoke, stream, ainvoke and astream.

- Through the provider, every fault ends in one `ProviderUnavailableError` that names the
  server and the reason: no raw `httpx`/`openai`/`ollama` exception, no half answer
  passed off as whole.
- Through the router, a failing cloud falls back to the local model (or, once half an
  answer has been streamed, ends in the documented "failed mid-answer" error), and a
  failing local model is an error, never a reason to try the cloud.
- With every fault armed, no sensitive request reaches the cloud endpoint at all: the
  recording proxy in front of it sees no new request and none of the sensitive values.

The Ollama side is the Ollama-API test server (real SmolLM2 through llama.cpp); the
OpenAI side is a real llama_cpp.server behind a loopback proxy that injects the faults.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import time
from collections.abc import Callable
from typing import Any

import pytest

from inhouse import chat_model, llm, load_settings
from inhouse.errors import ProviderUnavailableError
from inhouse.evaluate.router import EVAL_TERMS
from inhouse.factory import cloud_model
from inhouse.router.hybrid import HybridRouter
from tests.conftest import REPO
from tests.support.cli import run
from tests.support.ollama_server import CHAT_MODEL
from tests.support.recording_proxy import RecordingProxy

pytestmark = pytest.mark.integration

CALLS = ["invoke", "stream", "ainvoke", "astream"]
TIMEOUT = 2  # seconds, for the "hang" faults (which last twice as long)
PATIENT = 60  # seconds, for every other call: a loaded machine must not fail a healthy one
SAFE = (
    "Explain step by step why caching matters, compare two approaches, analyse the"
    " trade-offs and write a detailed report. What are the implications? How would you"
    " optimise it?"
)

# fault name -> (Ollama test server fault, what the error says)
OLLAMA_FAULTS: dict[str, tuple[dict[str, Any], str]] = {
    "mid-stream": ({"mode": "drop", "after": 2}, "broke before the response was complete"),
    "500": (
        {"mode": "status", "status": 500, "error": "llama runner process has terminated"},
        r"llama runner process has terminated \(HTTP 500\)",
    ),
    "429": (
        {"mode": "status", "status": 429, "error": "too many requests", "retry_after": "1"},
        r"\(HTTP 429\); the server is busy or rate limiting, wait and retry",
    ),
    "hang": ({"mode": "delay", "seconds": 2 * TIMEOUT}, f"did not answer within {TIMEOUT} s"),
    "malformed": ({"mode": "malformed"}, "sent a response that is not Ollama's"),
}

# fault name -> (proxy fault, what the error says on invoke, and on a stream)
OPENAI_FAULTS: dict[str, tuple[dict[str, Any], str, str]] = {
    "mid-stream": (
        {"mode": "drop", "after": 2},
        "cannot reach the OpenAI-compatible server",  # no answer at all on invoke
        "broke before the response was complete",
    ),
    "early-eof": (
        {"mode": "eof", "after": 2},
        "sent a response that is not valid",
        r"before the answer was complete \(no finish_reason\)",
    ),
    "500": ({"mode": "status", "status": 500}, "answered 500", "answered 500"),
    "429": (
        {"mode": "status", "status": 429, "retry_after": "1"},
        r"rate limiting requests \(429\); it asks to retry after 1 s",
        r"rate limiting requests \(429\); it asks to retry after 1 s",
    ),
    "hang": (
        {"mode": "hang", "seconds": 2 * TIMEOUT},
        f"did not answer within {TIMEOUT} s",
        f"did not answer within {TIMEOUT} s",
    ),
    "malformed": (
        {"mode": "malformed"},
        "sent a response that is not valid",
        "sent a response that is not valid",
    ),
}


def call(model: Any, how: str, text: str) -> list[Any]:
    """The reply (as a one-item list) or the streamed chunks of one call."""
    if how == "invoke":
        return [model.invoke(text)]
    if how == "stream":
        return list(model.stream(text))
    if how == "ainvoke":
        return [asyncio.run(model.ainvoke(text))]

    async def chunks() -> list[Any]:
        return [chunk async for chunk in model.astream(text)]

    return asyncio.run(chunks())


def sensitive_prompts(n: int) -> list[dict[str, Any]]:
    lines = (REPO / "data/router/prompts.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    return random.Random(11).sample([r for r in rows if r["sensitive"]], n)


def values(row: dict[str, Any]) -> list[str]:
    return [row["text"][e["start"] : e["end"]] for e in row["entities"]]


@pytest.fixture
def proxy(llama_server: Any) -> Any:
    with RecordingProxy(llama_server.base_url) as recording:
        yield recording


def timeout(fault: str) -> int:
    return TIMEOUT if fault == "hang" else PATIENT


def cloud_settings(llama_server: Any, proxy: RecordingProxy, **cloud: Any) -> dict[str, Any]:
    return {
        **llama_server.llm, "base_url": proxy.base_url, "api_key": "test-key",
        "max_tokens": 8, "max_retries": 0, "timeout": PATIENT, **cloud,
    }  # fmt: skip


def ollama_llm(url: str, seconds: int = PATIENT) -> dict[str, Any]:
    return {
        "provider": "ollama", "model": CHAT_MODEL, "base_url": url, "context_length": 512,
        "timeout": seconds, "max_tokens": 8, "temperature": 0, "seed": 0,
    }  # fmt: skip


def single_line(error: BaseException) -> str:
    text = str(error)
    assert text and "\n" not in text and "Traceback" not in text, text
    return text


# --- through the providers ----------------------------------------------------------------


@pytest.mark.parametrize("how", CALLS)
@pytest.mark.parametrize("fault", list(OLLAMA_FAULTS))
def test_ollama_fault_is_one_clear_error(
    fault: str, how: str, ollama_server: str, ollama_fault: Callable[..., None]
) -> None:
    model = chat_model(load_settings(llm=ollama_llm(ollama_server, timeout(fault))))
    params, expected = OLLAMA_FAULTS[fault]
    ollama_fault(**{**params, "path": "/api/chat"})
    with pytest.raises(ProviderUnavailableError, match=expected) as caught:
        call(model, how, "Say hello.")
    assert ollama_server in single_line(caught.value)
    healthy = chat_model(load_settings(llm=ollama_llm(ollama_server)))
    assert call(healthy, how, "Say hello.")  # the fault was one request; the server recovers


@pytest.mark.parametrize("how", CALLS)
@pytest.mark.parametrize("fault", list(OPENAI_FAULTS))
def test_openai_endpoint_fault_is_one_clear_error(
    fault: str, how: str, llama_server: Any, proxy: RecordingProxy
) -> None:
    settings = cloud_settings(llama_server, proxy, timeout=timeout(fault))
    model = cloud_model(load_settings(cloud=settings))
    params, on_invoke, on_stream = OPENAI_FAULTS[fault]
    proxy.inject(**params)
    expected = on_stream if how.endswith("stream") else on_invoke
    with pytest.raises(ProviderUnavailableError, match=expected) as caught:
        call(model, how, "Say hello.")
    assert proxy.base_url in single_line(caught.value)
    healthy = cloud_model(load_settings(cloud=cloud_settings(llama_server, proxy)))
    assert call(healthy, how, "Say hello.")


@pytest.mark.parametrize("how", ["stream", "astream"])
@pytest.mark.parametrize("fault", list(OPENAI_FAULTS))
def test_openai_completion_stream_fault_is_one_clear_error(
    fault: str, how: str, llama_server: Any, proxy: RecordingProxy
) -> None:
    settings = cloud_settings(llama_server, proxy, provider="openai", timeout=timeout(fault))
    del settings["api_key"], settings["max_retries"]
    completion = llm(load_settings(llm={**settings, "options": {"max_retries": 0}}))
    params, _, expected = OPENAI_FAULTS[fault]
    proxy.inject(**params)
    with pytest.raises(ProviderUnavailableError, match=expected) as caught:
        call(completion, how, "Once upon a time")
    assert proxy.base_url in single_line(caught.value)


def test_openai_retry_after_is_honoured_when_retries_are_allowed(
    llama_server: Any, proxy: RecordingProxy
) -> None:
    model = cloud_model(load_settings(cloud=cloud_settings(llama_server, proxy, max_retries=1)))
    proxy.inject(mode="status", status=429, retry_after="1")
    started = time.monotonic()
    reply = model.invoke("Say hello.")
    assert reply.content and len(proxy.bodies) == 2  # refused once, then answered
    assert time.monotonic() - started >= 1.0  # after waiting as Retry-After asked


@pytest.mark.parametrize("how", ["stream", "astream"])
def test_an_error_event_inside_a_stream_is_one_clear_error(
    how: str, llama_server: Any, proxy: RecordingProxy
) -> None:
    model = cloud_model(load_settings(cloud=cloud_settings(llama_server, proxy)))
    proxy.inject(mode="error-event", after=2)
    expected = "reported an error in the middle of the answer .*: injected failure"
    with pytest.raises(ProviderUnavailableError, match=expected) as caught:
        call(model, how, "Say hello.")
    assert proxy.base_url in single_line(caught.value)


# --- through the router -------------------------------------------------------------------


@pytest.mark.parametrize("how", CALLS)
@pytest.mark.parametrize("fault", list(OPENAI_FAULTS))
def test_router_with_a_failing_cloud_falls_back_and_leaks_nothing(
    fault: str, how: str, llama_server: Any, proxy: RecordingProxy
) -> None:
    settings = load_settings(
        llm={"temperature": 0, "seed": 0, "max_tokens": 8},
        cloud=cloud_settings(llama_server, proxy, timeout=timeout(fault)),
        router={"enabled": True, "complexity_threshold": 0.5, "custom_terms": EVAL_TERMS},
    )
    router = HybridRouter.from_settings(settings)
    params = OPENAI_FAULTS[fault][0]
    proxy.inject(**params)
    streamed_half = how.endswith("stream") and params["mode"] in ("drop", "eof")
    if streamed_half:  # chunks were already out: the router says so rather than repeat
        with pytest.raises(ProviderUnavailableError, match="the cloud model failed mid-answer"):
            call(router, how, SAFE)
    else:
        route = call(router, how, SAFE)[0].response_metadata["route"]
        assert route["target"] == "local" and "fallback" in route["rules"], route
    assert len(proxy.bodies) == 1  # the safe request did go to the cloud first

    proxy.inject(**{**params, "times": 100})  # the cloud stays broken for what follows
    for row in sensitive_prompts(3):
        route = call(router, how, row["text"] + " " + SAFE)[0].response_metadata["route"]
        assert route["target"] == "local" and "sensitive" in route["rules"], row["id"]
    assert len(proxy.bodies) == 1  # not one sensitive request was even tried on the cloud
    received = proxy.received()
    assert not any(v in received for row in sensitive_prompts(3) for v in values(row))


@pytest.mark.parametrize("how", CALLS)
@pytest.mark.parametrize("fault", list(OLLAMA_FAULTS))
def test_router_with_a_failing_local_model_never_tries_the_cloud(
    fault: str,
    how: str,
    ollama_server: str,
    ollama_fault: Callable[..., None],
    llama_server: Any,
    proxy: RecordingProxy,
) -> None:
    settings = load_settings(
        llm=ollama_llm(ollama_server, timeout(fault)),
        cloud=cloud_settings(llama_server, proxy),
        router={"enabled": True, "custom_terms": EVAL_TERMS},
    )
    router = HybridRouter.from_settings(settings)
    [row] = sensitive_prompts(1)
    params, expected = OLLAMA_FAULTS[fault]
    ollama_fault(**{**params, "path": "/api/chat"})
    with pytest.raises(ProviderUnavailableError) as caught:
        call(router, how, row["text"] + " " + SAFE)
    message = single_line(caught.value)
    assert "the local model failed" in message and re.search(expected, message), message
    assert "this request is sensitive, so it was not sent to the cloud" in message
    assert proxy.bodies == []


def test_cli_ends_an_endpoint_fault_with_one_line_and_exit_2(
    ollama_server: str,
    ollama_fault: Callable[..., None],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for key, value in ollama_llm(ollama_server).items():
        monkeypatch.setenv(f"INHOUSE_LLM__{key.upper()}", str(value))
    ollama_fault(mode="drop", after=2, path="/api/chat")
    code, _, err = run(capsys, "chat", "--once", "Say hello.")
    assert code == 2, err
    assert "broke before the response was complete" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
