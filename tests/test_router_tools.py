"""The router stays fail-closed with tools: tool-call arguments and tool results are part
of what it inspects, so a sensitive value there keeps the request local.

The live test puts a real OpenAI-compatible server (llama_cpp.server) behind the
recording proxy as "the cloud", with the cloud enabled and a complexity threshold of 0
(so harmless requests do go there), and checks that no sensitive value reached it."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from inhouse import load_settings
from inhouse.evaluate.router import EVAL_TERMS
from inhouse.router.hybrid import HybridRouter, request_text
from tests.conftest import REPO
from tests.support import tool_prompts
from tests.support.recording_proxy import RecordingProxy

pytestmark = pytest.mark.integration

HARMLESS = ["What did the tool say?", "Summarise the result.", "Thanks, what next?", "Go on."]


def rows() -> list[dict]:
    lines = (REPO / "data/router/prompts.jsonl").read_text().splitlines()
    return [json.loads(x) for x in lines]


def values(row: dict) -> list[str]:
    return [row["text"][e["start"] : e["end"]] for e in row["entities"]]


def conversation(where: str, text: str, question: str) -> list:
    """A tool-using chat whose only sensitive part is `text`, put in `where`."""
    if where == "tool_result":
        call = {"name": "search_products", "args": {"query": "lamp", "max_price": 20}, "id": "c1"}
        return [HumanMessage("Find me a lamp."), AIMessage("", tool_calls=[call]),
                ToolMessage(text, tool_call_id="c1"), HumanMessage(question)]  # fmt: skip
    if where == "tool_args":
        call = {
            "name": "send_email",
            "args": {"to": "x", "subject": "hi", "body": text},
            "id": "c1",
        }
        return [HumanMessage("Send the email."), AIMessage("", tool_calls=[call]),
                ToolMessage("sent", tool_call_id="c1"), HumanMessage(question)]  # fmt: skip
    function = {"name": "send_email", "arguments": json.dumps({"body": text})}
    return [
        {"role": "user", "content": "Send it."},
        {"role": "assistant", "content": None,
         "tool_calls": [{"id": "c1", "type": "function", "function": function}]},
        {"role": "tool", "tool_call_id": "c1", "content": "sent"},
        {"role": "user", "content": question},
    ]  # fmt: skip


def test_request_text_holds_tool_arguments_and_results() -> None:
    text, count = request_text(conversation("tool_args", "SSN 078-05-1120", "ok?"))
    assert "body: SSN 078-05-1120" in text and count == 4
    text, _ = request_text(conversation("openai_args", "card 4111 1111 1111 1111", "ok?"))
    assert "card 4111 1111 1111 1111" in text
    text, _ = request_text(conversation("tool_result", "IBAN DE89370400440532013000", "ok?"))
    assert "IBAN DE89370400440532013000" in text


def router_with_cloud(cloud_url: str) -> HybridRouter:
    return HybridRouter.from_settings(
        load_settings(
            llm={"temperature": 0, "seed": 0, "max_tokens": 8},
            cloud={"provider": "openai", "model": "smollm2", "base_url": cloud_url,
                   "api_key": "test-key", "max_tokens": 8, "max_retries": 0, "timeout": 60},
            router={"enabled": True, "complexity_threshold": 0.0, "custom_terms": EVAL_TERMS},
        )
    )  # fmt: skip


@pytest.fixture(scope="module")
def detected_rows() -> list[dict]:
    """Sensitive rows the router flags when they are the whole prompt (its recall on the
    labelled set is measured elsewhere; here: a tool turn hides nothing it would see)."""
    router = router_with_cloud("http://127.0.0.1:9/v1")  # decisions only: never called
    sample = random.Random(11).sample([r for r in rows() if r["sensitive"]], 120)
    return [r for r in sample if router.route(r["text"]).sensitive]


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_sensitive_value_anywhere_in_the_tool_turns_keeps_it_local(detected_rows, data) -> None:
    router = _ROUTER.get("r") or _ROUTER.setdefault("r", router_with_cloud("http://127.0.0.1:9/v1"))
    row = data.draw(st.sampled_from(detected_rows))
    where = data.draw(st.sampled_from(["tool_result", "tool_args", "openai_args"]))
    question = data.draw(st.sampled_from(HARMLESS))
    decision = router.route(conversation(where, row["text"], question))
    assert decision.sensitive and decision.target == "local", (row["id"], where)


_ROUTER: dict[str, HybridRouter] = {}


def test_no_sensitive_tool_value_reaches_the_cloud(llama_server, detected_rows) -> None:
    with RecordingProxy(llama_server.base_url) as proxy:
        router = router_with_cloud(proxy.base_url).bind_tools(tool_prompts.TOOLS)
        sample = detected_rows[:12]
        for i, row in enumerate(sample):
            where = ["tool_result", "tool_args"][i % 2]
            reply = router.invoke(conversation(where, row["text"], "Summarise the result."))
            route = reply.response_metadata["route"]
            assert route["target"] == "local" and "sensitive" in route["rules"], row["id"]
        for row in sample[:3]:  # streaming too
            list(router.stream(conversation("tool_result", row["text"], "Go on.")))
        received = proxy.received()
        for row in sample:
            for value in values(row):
                assert value not in received, f"{row['id']}: a value reached the cloud"
        harmless = router.invoke(conversation("tool_result", "3 lamps under 20 dollars", "Go on."))
        assert harmless.response_metadata["route"]["target"] == "cloud"
        assert '"tools"' in received + proxy.received()  # the tools went with it
