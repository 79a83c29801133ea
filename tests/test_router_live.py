"""The router end to end: SmolLM2 through llama.cpp as the local model, and a real
OpenAI-compatible server (llama_cpp.server) as "the cloud", behind a loopback proxy that
records every request body. No sensitive value from the labelled set may reach it."""

from __future__ import annotations

import json
import random

import pytest

from inhouse import load_settings
from inhouse.evaluate.router import EVAL_TERMS
from inhouse.router.hybrid import HybridRouter
from tests.conftest import REPO
from tests.support.recording_proxy import RecordingProxy

pytestmark = pytest.mark.integration

COMPLEX = (
    " Explain step by step why this matters, compare two approaches, analyse the trade-offs"
    " and write a detailed report. What are the implications? How would you optimise it?"
)


def labelled(n_sensitive: int, n_safe: int) -> tuple[list[dict], list[dict]]:
    rows = [json.loads(x) for x in (REPO / "data/router/prompts.jsonl").read_text().splitlines()]
    rng = random.Random(3)
    sensitive = [r for r in rows if r["sensitive"]]
    safe = [r for r in rows if r["kind"] == "hard_negative"]
    return rng.sample(sensitive, n_sensitive), rng.sample(safe, n_safe)


@pytest.fixture
def cloud_proxy(llama_server):
    with RecordingProxy(llama_server.base_url) as proxy:
        yield proxy


def router_for(llama_server, proxy) -> HybridRouter:
    cloud = {**llama_server.llm, "base_url": proxy.base_url, "api_key": "test-key"}
    settings = load_settings(
        llm={"temperature": 0, "seed": 0, "max_tokens": 8},
        cloud={**cloud, "max_tokens": 8, "max_retries": 0, "timeout": 60},
        router={"enabled": True, "complexity_threshold": 0.5, "custom_terms": EVAL_TERMS},
    )
    return HybridRouter.from_settings(settings)


def test_no_sensitive_value_reaches_the_cloud_endpoint(llama_server, cloud_proxy) -> None:
    router = router_for(llama_server, cloud_proxy)
    sensitive, safe = labelled(40, 6)
    for row in sensitive:
        reply = router.invoke(row["text"] + COMPLEX)
        assert reply.response_metadata["route"]["target"] == "local", row["id"]
    for row in sensitive[:10]:  # the streaming and async paths too
        list(router.stream(row["text"] + COMPLEX))
    received = cloud_proxy.received()
    for row in sensitive:
        for entity in row["entities"]:
            value = row["text"][entity["start"] : entity["end"]]
            assert value not in received, f"{row['id']}: {entity['type']} reached the cloud"
    went = [router.invoke(row["text"] + COMPLEX) for row in safe]
    assert any(r.response_metadata["route"]["target"] == "cloud" for r in went)
    assert len(cloud_proxy.bodies) >= 1  # the recording path itself works


@pytest.mark.parametrize("status", [429, 500])
def test_a_failing_cloud_falls_back_to_local(llama_server, cloud_proxy, status) -> None:
    router = router_for(llama_server, cloud_proxy)
    cloud_proxy.fail_with = status
    reply = router.invoke("Hello." + COMPLEX)
    route = reply.response_metadata["route"]
    assert route["target"] == "local" and "fallback" in route["rules"] and reply.content
    sensitive, _ = labelled(5, 0)
    before = len(cloud_proxy.bodies)
    for row in sensitive:
        router.invoke(row["text"] + COMPLEX)
    assert len(cloud_proxy.bodies) == before  # sensitive ones never even try
