"""The OpenAI wire format: request bodies in, LangChain messages out, and back.

Only what inhouse serves is modelled; unknown fields are ignored (clients such as Open
WebUI send many), but a known field of the wrong type is an error naming it.

Example:
    >>> request = ChatRequest.model_validate(
    ...     {"model": "auto", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 8})
    >>> [type(m).__name__ for m in to_messages(request.messages)], request.max_new_tokens
    (['HumanMessage'], 8)
"""

from __future__ import annotations

import base64
import json
import struct
import time
import uuid
from typing import Any, Literal

from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from pydantic import BaseModel, ConfigDict, Field, model_validator

from inhouse.gateway.errors import GatewayError


class _Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


class FunctionCall(_Body):
    name: str
    arguments: str = "{}"


class ToolCall(_Body):
    id: str = ""
    type: Literal["function"] = "function"
    function: FunctionCall


class Message(_Body):
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[dict[str, Any]] | None = None
    name: str | None = None
    tool_calls: list[ToolCall] | None = None
    tool_call_id: str | None = None


class StreamOptions(_Body):
    include_usage: bool = False


class Generation(_Body):
    """Sampling parameters shared by chat and completions."""

    model: str = Field(min_length=1)
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, gt=0, le=1)
    max_tokens: int | None = Field(default=None, gt=0)
    max_completion_tokens: int | None = Field(default=None, gt=0)
    stop: str | list[str] | None = None
    seed: int | None = None
    n: int = Field(default=1, ge=1, le=16)
    stream: bool = False
    stream_options: StreamOptions | None = None
    user: str | None = None

    @property
    def max_new_tokens(self) -> int | None:
        return self.max_completion_tokens or self.max_tokens

    @property
    def stops(self) -> list[str]:
        if self.stop is None:
            return []
        return [self.stop] if isinstance(self.stop, str) else list(self.stop)

    @property
    def include_usage(self) -> bool:
        return bool(self.stream_options and self.stream_options.include_usage)

    def sampling(self) -> tuple[tuple[str, Any], ...]:
        """The parameters that change the model, as a hashable key."""
        values = {
            "temperature": self.temperature,
            "top_p": self.top_p,
            "max_tokens": self.max_new_tokens,
            "stop": tuple(self.stops) or None,
            "seed": self.seed,
        }
        return tuple((k, v) for k, v in values.items() if v is not None)


class ChatRequest(Generation):
    messages: list[Message] = Field(min_length=1)
    response_format: dict[str, Any] | None = None
    tools: list[dict[str, Any]] | None = None
    tool_choice: str | dict[str, Any] | None = None

    @model_validator(mode="after")
    def _formats(self) -> ChatRequest:
        kind = (self.response_format or {}).get("type", "text")
        if kind not in ("text", "json_object", "json_schema"):
            msg = f"response_format.type {kind!r}: use text, json_object or json_schema"
            raise ValueError(msg)
        if kind == "json_schema" and not isinstance(
            (self.response_format.get("json_schema") or {}).get("schema"), dict
        ):
            msg = "response_format.json_schema.schema must be a JSON schema object"
            raise ValueError(msg)
        return self

    @property
    def json_schema(self) -> dict[str, Any] | None:
        """The schema the answer must match, if any (``{"type": "object"}`` for json_object)."""
        kind = (self.response_format or {}).get("type", "text")
        if kind == "json_object":
            return {"type": "object"}
        if kind == "json_schema":
            return dict(self.response_format["json_schema"]["schema"])
        return None


class CompletionRequest(Generation):
    prompt: str | list[str]
    echo: bool = False
    suffix: str | None = None

    @property
    def prompts(self) -> list[str]:
        return [self.prompt] if isinstance(self.prompt, str) else list(self.prompt)


class EmbeddingRequest(_Body):
    model: str = Field(min_length=1)
    input: str | list[str]
    encoding_format: Literal["float", "base64"] = "float"
    dimensions: int | None = None

    @property
    def texts(self) -> list[str]:
        return [self.input] if isinstance(self.input, str) else list(self.input)


class RouteRequest(_Body):
    """``POST /v1/route``: a text or messages to decide on, without calling a model."""

    text: str | None = None
    messages: list[Message] | None = None

    @model_validator(mode="after")
    def _one(self) -> RouteRequest:
        if (self.text is None) == (self.messages is None):
            raise ValueError("give either text or messages")
        return self

    def as_messages(self) -> list[Message]:
        return self.messages or [Message(role="user", content=self.text)]


# -- messages ---------------------------------------------------------------------------


def _text(content: str | list[dict[str, Any]] | None, where: str) -> str:
    if content is None or isinstance(content, str):
        return content or ""
    parts = []
    for part in content:
        if part.get("type") != "text":
            msg = (
                f"{where}: content parts of type {part.get('type')!r} are not supported by"
                " the local models; send text"
            )
            raise GatewayError(400, msg, param="messages")
        parts.append(str(part.get("text", "")))
    return "".join(parts)


def to_messages(messages: list[Message]) -> list[BaseMessage]:
    """LangChain messages for an OpenAI ``messages`` list (tool calls and results kept)."""
    out: list[BaseMessage] = []
    for i, m in enumerate(messages):
        text = _text(m.content, f"messages[{i}]")
        if m.role in ("system", "developer"):
            out.append(SystemMessage(text))
        elif m.role == "user":
            out.append(HumanMessage(text, name=m.name) if m.name else HumanMessage(text))
        elif m.role == "assistant":
            calls = [_tool_call(c, i) for c in m.tool_calls or []]
            out.append(AIMessage(text, tool_calls=calls))
        else:
            if not m.tool_call_id:
                msg = f"messages[{i}]: a tool message needs tool_call_id"
                raise GatewayError(400, msg, param="messages")
            out.append(ToolMessage(text, tool_call_id=m.tool_call_id))
    return out


def _tool_call(call: ToolCall, i: int) -> dict[str, Any]:
    try:
        args = json.loads(call.function.arguments or "{}")
    except json.JSONDecodeError:
        msg = f"messages[{i}]: tool call {call.function.name!r} has arguments that are not JSON"
        raise GatewayError(400, msg, param="messages") from None
    return {"name": call.function.name, "args": args, "id": call.id or new_id("call")}


# -- responses --------------------------------------------------------------------------


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:24]}"


def tool_calls_of(message: Any) -> list[dict[str, Any]]:
    calls = getattr(message, "tool_calls", None) or []
    return [
        {
            "id": c.get("id") or new_id("call"),
            "type": "function",
            "function": {"name": c["name"], "arguments": json.dumps(c.get("args") or {})},
        }
        for c in calls
    ]


def finish_reason(message: Any) -> str:
    if getattr(message, "tool_calls", None):
        return "tool_calls"
    meta = getattr(message, "response_metadata", None) or {}
    reason = meta.get("finish_reason") or meta.get("done_reason") or "stop"
    return "length" if reason in ("length", "max_tokens") else "stop"


def usage(prompt_tokens: int, completion_tokens: int) -> dict[str, int]:
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


def chat_completion(
    rid: str, model: str, choices: list[dict[str, Any]], use: dict[str, int], **extra: Any
) -> dict[str, Any]:
    return {
        "id": rid,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": choices,
        "usage": use,
        **extra,
    }


def chat_chunk(
    rid: str, model: str, choices: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    return {
        "id": rid,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": choices,
        **extra,
    }


def embedding_data(vectors: list[list[float]], encoding: str) -> list[dict[str, Any]]:
    def encoded(vector: list[float]) -> Any:
        if encoding == "base64":
            return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode("ascii")
        return vector

    return [
        {"object": "embedding", "index": i, "embedding": encoded(v)} for i, v in enumerate(vectors)
    ]
