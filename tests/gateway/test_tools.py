"""Tools through `inhouse serve`: ``tools``/``tool_choice`` go through the local model's
`bind_tools` (constrained decoding), replies carry OpenAI ``tool_calls`` with
``finish_reason: "tool_calls"``, plain and streamed, and tool results in the history are
accepted. Clients: the `openai` SDK and LangChain's ``ChatOpenAI(...).bind_tools``."""

from __future__ import annotations

import json
from collections.abc import Iterator

import jsonschema
import pytest

from tests.support import tool_prompts
from tests.support.gateway import RunningGateway, run_gateway

pytestmark = pytest.mark.integration

SETTINGS = {"llm": {"temperature": 0.0, "seed": 0, "max_tokens": 128}}
SCHEMAS = tool_prompts.schemas()
TOOLS = [{"type": "function", "function": {"name": n, "description": f"the {n} tool",
                                           "parameters": s}}
         for n, s in SCHEMAS.items()]  # fmt: skip


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningGateway]:
    with run_gateway(tmp_path_factory.mktemp("gw-tools"), SETTINGS) as running:
        yield running


def sdk(gateway: RunningGateway):
    from openai import OpenAI

    return OpenAI(base_url=gateway.v1, api_key="unused", max_retries=0)


def check_call(name: str, arguments: str) -> None:
    assert name in SCHEMAS, name
    jsonschema.validate(json.loads(arguments), SCHEMAS[name])


def test_openai_sdk_tool_calls_plain_named_and_streamed(gateway: RunningGateway) -> None:
    client = sdk(gateway)
    ask = [{"role": "user", "content": "Set a timer for 10 minutes for the tea."}]
    reply = client.chat.completions.create(
        model="auto", messages=ask, tools=TOOLS, tool_choice="required"
    )
    choice = reply.choices[0]
    assert choice.finish_reason == "tool_calls" and choice.message.tool_calls
    for call in choice.message.tool_calls:
        assert call.id and call.type == "function"
        check_call(call.function.name, call.function.arguments)
    named = client.chat.completions.create(
        model="auto", messages=ask, tools=TOOLS,
        tool_choice={"type": "function", "function": {"name": "get_weather"}},
    )  # fmt: skip
    assert [c.function.name for c in named.choices[0].message.tool_calls] == ["get_weather"]
    calls: dict[int, dict] = {}
    finish = None
    for chunk in client.chat.completions.create(
        model="auto", messages=ask, tools=TOOLS, tool_choice="required", stream=True
    ):
        for delta in chunk.choices[0].delta.tool_calls or [] if chunk.choices else []:
            entry = calls.setdefault(delta.index, {"name": "", "arguments": ""})
            entry["name"] += delta.function.name or ""
            entry["arguments"] += delta.function.arguments or ""
        if chunk.choices and chunk.choices[0].finish_reason:
            finish = chunk.choices[0].finish_reason
    assert finish == "tool_calls" and calls
    for entry in calls.values():
        check_call(entry["name"], entry["arguments"])


def test_tool_results_in_the_history_are_accepted(gateway: RunningGateway) -> None:
    history = [
        {"role": "user", "content": "What's the weather in Oslo?"},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_1", "type": "function",
             "function": {"name": "get_weather", "arguments": '{"city": "Oslo"}'}}]},
        {"role": "tool", "tool_call_id": "call_1", "content": "sunny, 21 degrees"},
    ]  # fmt: skip
    reply = sdk(gateway).chat.completions.create(model="auto", messages=history, tools=TOOLS[:1])
    choice = reply.choices[0]
    # get_weather was called this turn, so under auto the model answers in text
    assert choice.finish_reason in ("stop", "length") and choice.message.content


def test_langchain_chat_openai_bind_tools(gateway: RunningGateway) -> None:
    from langchain_openai import ChatOpenAI

    model = ChatOpenAI(base_url=gateway.v1, api_key="unused", model="auto", max_retries=0)
    bound = model.bind_tools(tool_prompts.TOOLS, tool_choice="any")
    reply = bound.invoke("Email ana@example.com about lunch on Friday.")
    assert reply.tool_calls
    for call in reply.tool_calls:
        check_call(call["name"], json.dumps(call["args"]))
    whole = None
    for chunk in bound.stream("How warm is it in Lima?"):
        whole = chunk if whole is None else whole + chunk
    assert whole is not None and whole.tool_calls
    named = model.bind_tools(tool_prompts.TOOLS, tool_choice="convert_currency")
    assert [c["name"] for c in named.invoke("5 EUR in USD?").tool_calls] == ["convert_currency"]
