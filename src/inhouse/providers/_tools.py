"""Tool calling for in-process models, by constrained JSON decoding.

Models run in process (llama.cpp, transformers) have no native tool calling that works
on small models. `ToolCalling` gives their chat classes `bind_tools` the LangChain way:

1. the tools are described in the system prompt (name, description, JSON schema of the
   arguments) with the one answer format the model may use;
2. generation is constrained to a JSON schema built from the tools' schemas (the
   provider's own constrained decoding: a llama.cpp grammar, an xgrammar logits
   processor), so even a 135M model emits a call to a tool that exists, with arguments
   valid for that tool's schema;
3. the JSON is parsed into ``AIMessage.tool_calls`` with ids (content empty for a call).

The answer format, one JSON object:

- a call: ``{"name": "get_weather", "arguments": {"city": "Paris"}}``;
- several calls (``parallel_tool_calls=True``): ``{"tool_calls": [call, ...]}``;
- a plain answer (``tool_choice`` None or ``"auto"`` only): ``{"answer": "text"}``.

Free-text argument strings are at most `STRING_LIMIT` (160) characters under the
grammar, so a call always closes within a few hundred tokens.

``tool_choice``: None or ``"auto"`` (answer or call), ``"any"``/``"required"``/True (a
call to one of the tools), a tool's name or ``{"type": "function", "function": {"name":
...}}`` (a call to that tool), ``"none"`` (no tools: plain generation).

History in the documented plain format (most small models' chat templates have no tool
role): an ``AIMessage`` with tool calls becomes an assistant turn holding the call JSON
above, and a ``ToolMessage`` becomes a user turn ``Result of NAME (call ID): CONTENT``.

A tool already called since the last user message is not offered again under ``"auto"``
(``repeat_tool_calls=False``, the default here): the agent loop of a small model then
always ends, with a plain answer once every tool has been used. Set the model's
``repeat_tool_calls`` to True to offer every tool on every turn.

Example:
    >>> schema = call_schema([{"name": "add", "parameters": {"type": "object"}}], "any")
    >>> schema["properties"]["name"]
    {'const': 'add'}
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from functools import reduce
from typing import Any, ClassVar

from inhouse.errors import ConfigError

log = logging.getLogger(__name__)

TOOL_KWARGS = ("tools", "tool_choice", "parallel_tool_calls")
_ANY = ("any", "required")


# -- tools and the choice -----------------------------------------------------------------


def functions(tools: Sequence[Any]) -> list[dict[str, Any]]:
    """OpenAI function descriptions (name, description, parameters) of `tools`.

    Takes what LangChain's ``bind_tools`` takes: `BaseTool`s, functions, pydantic
    classes, TypedDicts, or OpenAI tool dicts.

    Two tools of one name are one tool, the first given (as a class and its JSON schema
    often are); which one the model would call could not be told apart in its answer.
    """
    from langchain_core.utils.function_calling import convert_to_openai_tool

    out: dict[str, dict[str, Any]] = {}
    for tool in tools:
        spec = convert_to_openai_tool(tool)
        function = dict(spec.get("function") or spec)
        function.setdefault("parameters", {"type": "object", "properties": {}})
        out.setdefault(function["name"], function)
    return list(out.values())


def normalise_choice(choice: Any, names: Sequence[str]) -> str | None:
    """``"auto"``, ``"any"``, ``"none"`` or a tool name, from any LangChain/OpenAI form."""
    if choice is None or choice == "auto":
        return "auto"
    if choice is True or choice in _ANY:
        return "any"
    if choice == "none" or choice is False:
        return "none"
    if isinstance(choice, dict):
        choice = (choice.get("function") or {}).get("name") or choice.get("name")
    if isinstance(choice, str) and choice in names:
        return choice
    msg = (
        f"tool_choice {choice!r} names no bound tool; use 'auto', 'any', 'none' or one of:"
        f" {', '.join(names)}"
    )
    raise ConfigError(msg)


# -- the schema the model answers in ------------------------------------------------------


STRING_LIMIT = 160
"""The most characters of an argument string without its own ``maxLength``: a small
model can run on inside a string until ``max_tokens`` and never close the JSON."""


def capped(schema: Any, limit: int = STRING_LIMIT) -> Any:
    """`schema` with ``maxLength: limit`` on every free-text string (one that has no
    ``maxLength``, ``enum``, ``const``, ``pattern`` or ``format`` of its own)."""
    if isinstance(schema, list):
        return [capped(s, limit) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: capped(v, limit) if isinstance(v, dict | list) else v for k, v in schema.items()}
    free = not any(k in schema for k in ("maxLength", "enum", "const", "pattern", "format"))
    if schema.get("type") == "string" and free:
        out["maxLength"] = limit
    return out


def _one_call(function: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    parameters = capped(dict(function.get("parameters") or {"type": "object"}))
    defs.update(parameters.pop("$defs", {}))
    return {
        "type": "object",
        "properties": {"name": {"const": function["name"]}, "arguments": parameters},
        "required": ["name", "arguments"],
        "additionalProperties": False,
    }


ANSWER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"answer": {"type": "string"}},
    "required": ["answer"],
    "additionalProperties": False,
}


def call_schema(
    tools: Sequence[dict[str, Any]], choice: str, *, parallel: bool = False
) -> dict[str, Any]:
    """The JSON schema of every answer `choice` allows over `tools` (OpenAI functions)."""
    defs: dict[str, Any] = {}
    offered = [t for t in tools if choice in ("auto", "any") or t["name"] == choice]
    calls = [_one_call(t, defs) for t in offered]
    call = calls[0] if len(calls) == 1 else {"anyOf": calls}
    if parallel:
        call = {
            "type": "object",
            "properties": {"tool_calls": {"type": "array", "items": call, "minItems": 1}},
            "required": ["tool_calls"],
            "additionalProperties": False,
        }
    schema = {"anyOf": [ANSWER_SCHEMA, call]} if choice == "auto" and calls else call
    if not calls:
        schema = ANSWER_SCHEMA
    return {**schema, "$defs": defs} if defs else schema


def describe_tools(tools: Sequence[dict[str, Any]], choice: str, parallel: bool) -> str:
    lines = ["You can call these tools:"]
    for tool in tools:
        if choice not in ("auto", "any") and tool["name"] != choice:
            continue
        description = (tool.get("description") or "").strip()
        parameters = json.dumps(tool.get("parameters") or {}, separators=(",", ":"))
        lines.append(f"- {tool['name']}: {description} Arguments (JSON schema): {parameters}")
    call = '{"name": TOOL_NAME, "arguments": {...}}'
    if parallel:
        call = '{"tool_calls": [' + call + ", ...]}"
    if choice == "auto":
        lines.append(
            f"Answer with one JSON object: {call} to call a tool, or"
            ' {"answer": "your reply"} to reply to the user.'
        )
    else:
        lines.append(f"Answer with one JSON object that calls a tool: {call}")
    return "\n".join(lines)


# -- history in the plain format ----------------------------------------------------------


def call_text(calls: Sequence[dict[str, Any]], *, parallel: bool) -> str:
    """Tool calls as the model writes them (the history of earlier turns)."""
    wire = [{"name": c["name"], "arguments": c.get("args") or {}} for c in calls]
    if parallel or len(wire) > 1:
        return json.dumps({"tool_calls": wire})
    return json.dumps(wire[0])


def plain_history(messages: Sequence[Any], *, parallel: bool = False) -> list[Any]:
    """`messages` with tool calls and tool results as plain assistant and user turns."""
    from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

    names: dict[str, str] = {}
    out: list[Any] = []
    for message in messages:
        if isinstance(message, AIMessage) and message.tool_calls:
            for call in message.tool_calls:
                names[call.get("id") or ""] = call["name"]
            out.append(AIMessage(call_text(message.tool_calls, parallel=parallel)))
        elif isinstance(message, ToolMessage):
            name = message.name or names.get(message.tool_call_id, "a tool")
            text = f"Result of {name} (call {message.tool_call_id}): {message.text}"
            out.append(HumanMessage(text))
        else:
            out.append(message)
    return out


def called_this_turn(messages: Sequence[Any]) -> set[str]:
    """Names of the tools called since the last user message."""
    from langchain_core.messages import AIMessage, HumanMessage

    called: set[str] = set()
    for message in reversed(messages):
        if isinstance(message, HumanMessage):
            break
        if isinstance(message, AIMessage):
            called.update(c["name"] for c in message.tool_calls)
    return called


# -- one request's plan --------------------------------------------------------------------


@dataclass(frozen=True)
class ToolPlan:
    """What one call with bound tools asks for: the tools, the choice, parallel calls."""

    tools: tuple[dict[str, Any], ...]
    choice: str
    parallel: bool = False

    @classmethod
    def take(cls, kwargs: dict[str, Any]) -> ToolPlan | None:
        """The plan in a call's kwargs (removed from them), or None without tools."""
        tools = kwargs.pop("tools", None)
        choice = kwargs.pop("tool_choice", None)
        parallel = bool(kwargs.pop("parallel_tool_calls", False))
        if not tools:
            return None
        specs = functions(tools)
        choice = normalise_choice(choice, [t["name"] for t in specs])
        if choice == "none":
            return None
        return cls(tuple(specs), choice, parallel)

    def narrowed(self, messages: Sequence[Any], repeat: bool) -> ToolPlan:
        """Under "auto" without repeats, the tools not yet called this turn."""
        if repeat or self.choice != "auto":
            return self
        called = called_this_turn(messages)
        left = tuple(t for t in self.tools if t["name"] not in called)
        return ToolPlan(left, self.choice, self.parallel)

    @property
    def schema(self) -> dict[str, Any]:
        return call_schema(self.tools, self.choice, parallel=self.parallel)

    def messages(self, messages: Sequence[Any]) -> list[Any]:
        """The prompt: the tools described in the system message, history made plain."""
        from langchain_core.messages import SystemMessage

        plain = plain_history(messages, parallel=self.parallel)
        if not self.tools:
            return plain
        text = describe_tools(self.tools, self.choice, self.parallel)
        if plain and isinstance(plain[0], SystemMessage):
            return [SystemMessage(f"{plain[0].text}\n\n{text}"), *plain[1:]]
        return [SystemMessage(text), *plain]

    def parse(self, text: str) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
        """(content, tool calls, invalid tool calls) of what the model wrote."""
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            cut = _cut_answer(text)
            if cut is not None:  # a plain answer that ran into max_tokens
                return cut, [], []
            log.warning("the model's tool answer is not JSON (%s); kept as text", exc.msg)
            return text, [], [_invalid(text, f"not JSON: {exc.msg}")]
        if not isinstance(value, dict):
            return text, [], [_invalid(text, "not a JSON object")]
        if "answer" in value and "name" not in value:
            return str(value["answer"]), [], []
        raw = value.get("tool_calls") if "tool_calls" in value else [value]
        names = {t["name"] for t in self.tools}
        calls, invalid = [], []
        for item in raw if isinstance(raw, list) else []:
            if isinstance(item, dict) and item.get("name") in names:
                args = item.get("arguments")
                calls.append(_call(item["name"], args if isinstance(args, dict) else {}))
            else:
                invalid.append(_invalid(json.dumps(item), "not a call to a bound tool"))
        return "", calls, invalid


_CUT_ANSWER = re.compile(r'\s*\{\s*"answer"\s*:\s*"(.*)\Z', re.DOTALL)


def _cut_answer(text: str) -> str | None:
    """The text of ``{"answer": "...`` cut short (by ``max_tokens``), or None."""
    match = _CUT_ANSWER.match(text)
    if match is None:
        return None
    partial = match[1].rstrip("\\")
    try:
        return json.loads(f'"{partial}"')
    except json.JSONDecodeError:
        return partial


def new_call_id() -> str:
    """A fresh tool-call id, in OpenAI's form."""
    return f"call_{uuid.uuid4().hex[:24]}"


def _call(name: str, args: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "args": args, "id": new_call_id(), "type": "tool_call"}


def _invalid(text: str, error: str) -> dict[str, Any]:
    return {"name": None, "args": text, "id": new_call_id(), "error": error,
            "type": "invalid_tool_call"}  # fmt: skip


# -- the mixin ---------------------------------------------------------------------------


class ToolCalling:
    """Mixin for a chat class: `bind_tools` by constrained JSON decoding.

    Put it first in the bases. By default every call with tools is decoded under the
    tools' schema through a ``response_format`` keyword of the form ``{"type":
    "json_object", "schema": ...}``, which the class's `_generate` and `_stream` must
    honour (llamacpp and huggingface do). A class whose server has native tools but no
    ``tool_choice`` (Ollama) sets `native_auto_tools` (its "auto" calls send ``tools``
    as they are) and overrides `_tool_decoding` (how to ask for the schema). A class
    field ``repeat_tool_calls: bool`` (default False) is read if present (module doc).
    """

    native_auto_tools: ClassVar[bool] = False

    def bind_tools(
        self,
        tools: Sequence[Any],
        *,
        tool_choice: Any = None,
        parallel_tool_calls: bool = False,
        **kwargs: Any,
    ) -> Any:
        """This model with `tools` bound (see the module doc for `tool_choice`)."""
        specs = functions(tools)
        choice = normalise_choice(tool_choice, [t["name"] for t in specs])
        wire = [{"type": "function", "function": f} for f in specs]
        return self.bind(  # type: ignore[attr-defined]
            tools=wire, tool_choice=choice, parallel_tool_calls=parallel_tool_calls, **kwargs
        )

    def _tool_decoding(self, schema: dict[str, Any]) -> dict[str, Any]:
        """The call keywords that constrain the answer to `schema`."""
        return {"response_format": {"type": "json_object", "schema": schema}}

    def _with_tools(
        self, messages: list[Any], kwargs: dict[str, Any]
    ) -> tuple[ToolPlan | None, list[Any], dict[str, Any]]:
        """(the plan to parse the answer with, or None; messages; kwargs) for one call."""
        plan = ToolPlan.take(kwargs)
        if plan is None:  # tool turns in the history still need the plain format here
            return None, messages if self.native_auto_tools else plain_history(messages), kwargs
        plan = plan.narrowed(messages, bool(getattr(self, "repeat_tool_calls", False)))
        if self.native_auto_tools and plan.choice == "auto":
            if plan.tools:
                kwargs["tools"] = [{"type": "function", "function": t} for t in plan.tools]
            return None, messages, kwargs
        kwargs.update(self._tool_decoding(plan.schema))
        return plan, plan.messages(messages), kwargs

    def _generate(
        self, messages: list[Any], stop: Any = None, run_manager: Any = None, **kwargs: Any
    ) -> Any:
        plan, messages, kwargs = self._with_tools(messages, kwargs)
        result = super()._generate(messages, stop, run_manager, **kwargs)  # type: ignore[misc]
        return _result_with_calls(plan, result)

    async def _agenerate(
        self, messages: list[Any], stop: Any = None, run_manager: Any = None, **kwargs: Any
    ) -> Any:
        plan, messages, kwargs = self._with_tools(messages, kwargs)
        result = await super()._agenerate(messages, stop, run_manager, **kwargs)  # type: ignore[misc]
        return _result_with_calls(plan, result)

    def _stream(
        self, messages: list[Any], stop: Any = None, run_manager: Any = None, **kwargs: Any
    ) -> Iterator[Any]:
        plan, messages, kwargs = self._with_tools(messages, kwargs)
        if plan is None:
            yield from super()._stream(messages, stop, run_manager, **kwargs)  # type: ignore[misc]
            return
        # The JSON is parsed whole: it is one chunk, the last, holding the calls.
        chunks = list(super()._stream(messages, stop, None, **kwargs))  # type: ignore[misc]
        yield _final_chunk(plan, chunks)

    async def _astream(
        self, messages: list[Any], stop: Any = None, run_manager: Any = None, **kwargs: Any
    ) -> AsyncIterator[Any]:
        plan, messages, kwargs = self._with_tools(messages, kwargs)
        parts = super()._astream(messages, stop, None if plan else run_manager, **kwargs)  # type: ignore[misc]
        if plan is None:
            async for chunk in parts:
                yield chunk
            return
        yield _final_chunk(plan, [chunk async for chunk in parts])


def _result_with_calls(plan: ToolPlan | None, result: Any) -> Any:
    if plan is not None:
        for generation in result.generations:
            generation.message = _with_calls(plan, generation.message)
    return result


def _with_calls(plan: ToolPlan, message: Any) -> Any:
    from langchain_core.messages import AIMessage

    content, calls, invalid = plan.parse(message.text)
    metadata = dict(message.response_metadata or {})
    if calls:
        metadata["finish_reason"] = "tool_calls"
    return AIMessage(
        content=content, tool_calls=calls, invalid_tool_calls=invalid, id=message.id,
        usage_metadata=message.usage_metadata, response_metadata=metadata,
        additional_kwargs={},
    )  # fmt: skip


def _final_chunk(plan: ToolPlan, chunks: list[Any]) -> Any:
    from langchain_core.messages import AIMessageChunk
    from langchain_core.outputs import ChatGenerationChunk

    whole = reduce(lambda a, b: a + b, [c.message for c in chunks]) if chunks else None
    content, calls, invalid = plan.parse(whole.text if whole is not None else "")
    pieces = [
        {"name": c["name"], "args": json.dumps(c["args"]), "id": c["id"], "index": i,
         "type": "tool_call_chunk"}
        for i, c in enumerate(calls)
    ]  # fmt: skip
    metadata = dict(getattr(whole, "response_metadata", None) or {})
    if calls:
        metadata["finish_reason"] = "tool_calls"
    message = AIMessageChunk(
        content=content, tool_call_chunks=pieces, response_metadata=metadata,
        usage_metadata=getattr(whole, "usage_metadata", None),
        id=getattr(whole, "id", None),
    )  # fmt: skip
    if invalid:
        message.invalid_tool_calls = invalid
    return ChatGenerationChunk(message=message)
