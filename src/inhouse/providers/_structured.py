"""`with_structured_output` on native constrained decoding, for the in-process chat models.

LangChain's default (and `ChatLlamaCpp`'s) forces a tool call and hopes the model names
the right tool; a 135M model does not. Here every method decodes under the provider's own
constraint (a llama.cpp grammar, an xgrammar logits processor), so the reply is valid JSON
by construction:

- ``json_schema`` (the default): constrained to the schema, bounded by
  `inhouse.jsontext.strict` (every key written, lists and free text capped);
- ``json_mode``: constrained to a JSON object: any object without a schema, and the
  schema's own shape when one is given (asked for JSON with two named keys, SmolLM2
  nests one inside the other; the reply is parsed into the schema either way);
- ``function_calling``: decoded like ``json_schema``, then shaped as LangChain expects
  from a tool-calling model: an `AIMessage` whose one tool call is named after the
  schema (streamed as ``tool_call_chunks``). It does not need `bind_tools`.

The reply is parsed like extraction parses it (`inhouse.jsontext`): the first JSON
object, and when that does not validate (a reply cut at ``max_tokens``), the longest
complete part that does. The result is what LangChain returns: a pydantic instance for a
pydantic class, a dict otherwise, or ``{"raw", "parsed", "parsing_error"}`` with
``include_raw=True``.

Example:
    >>> from pydantic import BaseModel
    >>> class Person(BaseModel):
    ...     name: str
    >>> Target.of(Person).parse('{"name": "Ann", "age": 3')
    Person(name='Ann')
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, ClassVar

from inhouse.errors import ConfigError
from inhouse.jsontext import MAX_STRING, InvalidOutput, candidates, parse_json, strict
from inhouse.providers._tools import new_call_id

METHODS = ("json_schema", "json_mode", "function_calling")
TOOL_KWARG = "inhouse_structured_tool"
"""A bound call argument: shape the reply as a call of this tool (function_calling)."""
MIN_STRING = 24
"""The shortest bound a free-text string gets however small ``max_tokens`` is."""


def _free_strings(node: Any) -> int:
    """How many free-text string fields a schema has (each place counts once)."""
    if isinstance(node, list):
        return sum(_free_strings(v) for v in node)
    if not isinstance(node, dict):
        return 0
    own = node.get("type") == "string" and not {"enum", "const", "format", "pattern"} & set(node)
    return (
        int(own)
        + sum(_free_strings(v) for k, v in node.items() if k != "$defs")
        + sum(_free_strings(v) for v in (node.get("$defs") or {}).values())
    )


def _is_pydantic_class(schema: Any) -> bool:
    from langchain_core.utils.pydantic import is_basemodel_subclass

    return isinstance(schema, type) and is_basemodel_subclass(schema)


@dataclass(frozen=True)
class Target:
    """What a structured reply is parsed into: a pydantic class, or a dict for a schema."""

    name: str
    json_schema: dict[str, Any]
    model: type | None = None

    @classmethod
    def of(cls, schema: Any) -> Target:
        from langchain_core.utils.function_calling import (
            convert_to_json_schema,
            convert_to_openai_tool,
        )

        try:
            json_schema = convert_to_json_schema(schema)
            name = convert_to_openai_tool(schema)["function"]["name"]
        except (ValueError, TypeError, KeyError) as exc:
            msg = (
                f"with_structured_output needs a pydantic class, a TypedDict or a JSON"
                f" schema with a title, got {schema!r} ({exc})"
            )
            raise ConfigError(msg) from exc
        return cls(name, json_schema, schema if _is_pydantic_class(schema) else None)

    def constraint(self, max_tokens: int | None = None) -> dict[str, Any]:
        """The schema constrained decoding gets: every key written, lengths bounded.

        A small model cut off at `max_tokens` leaves the later keys unwritten, so each
        free-text string gets an equal share of about 1.5 characters per token.
        """
        strings = _free_strings(self.json_schema)
        share = MAX_STRING
        if max_tokens and strings:
            share = max(MIN_STRING, min(MAX_STRING, max_tokens * 3 // 2 // strings))
        return strict(self.json_schema, max_string=share)

    def validate(self, value: Any) -> Any:
        """`value` as the target type, or ValueError."""
        if not isinstance(value, dict):
            raise InvalidOutput(f"expected a JSON object, got {type(value).__name__}")
        if self.model is not None:
            validate = getattr(self.model, "model_validate", None) or self.model.parse_obj
            return validate(value)  # pydantic's ValidationError is a ValueError
        missing = [k for k in self.json_schema.get("required", []) if k not in value]
        if missing:
            raise InvalidOutput(f"{self.name}: missing {', '.join(missing)}")
        return value

    def parse(self, raw: str | dict[str, Any]) -> Any:
        """The reply as the target; a cut reply keeps its longest complete valid part."""
        from langchain_core.exceptions import OutputParserException

        text = raw if isinstance(raw, str) else ""
        try:
            return self.validate(raw if isinstance(raw, dict) else parse_json(raw))
        except (ValueError, TypeError) as exc:
            error = exc
        for value in candidates(text):
            try:
                return self.validate(value)
            except (ValueError, TypeError):
                continue
        msg = f"the reply is not a valid {self.name}: {_one_line(error)}"
        raise OutputParserException(msg, llm_output=text or str(raw)) from error

    def partial(self, raw: str | dict[str, Any] | None) -> Any:
        """What a stream has so far: a dict grows key by key; a pydantic object appears
        once it validates (as LangChain's parsers do). None: nothing to show yet."""
        from langchain_core.utils.json import parse_partial_json

        value = raw
        if isinstance(raw, str):
            try:
                value = parse_partial_json(raw[raw.find("{") :]) if "{" in raw else None
            except ValueError:
                value = None
        if not isinstance(value, dict):
            return None
        if self.model is None:
            return value
        try:
            return self.validate(value)
        except (ValueError, TypeError):
            return None


ANY_OBJECT = Target("json", {"type": "object"})
"""json_mode without a schema: any JSON object, returned as a dict."""


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


def _payload(generation: Any) -> str | dict[str, Any] | None:
    """The JSON a generation carries: its tool call's arguments, or its text."""
    message = getattr(generation, "message", None)
    if message is not None:
        calls = getattr(message, "tool_calls", None) or []
        if calls:
            return calls[0]["args"]
        invalid = getattr(message, "invalid_tool_calls", None) or []
        if invalid:
            return invalid[0].get("args") or ""
    return generation.text


def _parser_class() -> type:
    from langchain_core.output_parsers.transform import BaseCumulativeTransformOutputParser
    from pydantic import SkipValidation

    class StructuredOutputParser(BaseCumulativeTransformOutputParser[Any]):
        """Parses a constrained reply into a `Target`, streaming partial results."""

        target: SkipValidation[Any]

        def parse_result(self, result: list[Any], *, partial: bool = False) -> Any:
            payload = _payload(result[0])
            if partial:
                return self.target.partial(payload)
            return self.target.parse(payload if payload is not None else "")

        def parse(self, text: str) -> Any:
            return self.target.parse(text)

        @property
        def _type(self) -> str:
            return "inhouse_structured_output"

    return StructuredOutputParser


_PARSER: list[type] = []


def output_parser(target: Target) -> Any:
    """A LangChain output parser for `target` (the class is built on first use)."""
    if not _PARSER:
        _PARSER.append(_parser_class())
    return _PARSER[0](target=target)


def with_parser(llm: Any, parser: Any, include_raw: bool) -> Any:
    """`llm | parser`, or LangChain's ``{"raw", "parsed", "parsing_error"}`` form."""
    if not include_raw:
        return llm | parser
    from langchain_core.runnables import RunnableMap, RunnablePassthrough

    parsed = RunnablePassthrough.assign(
        parsed=itemgetter("raw") | parser, parsing_error=lambda _: None
    )
    nothing = RunnablePassthrough.assign(parsed=lambda _: None)
    return RunnableMap(raw=llm) | parsed.with_fallbacks([nothing], exception_key="parsing_error")


def check_method(method: str, schema: Any, kwargs: dict[str, Any]) -> None:
    if kwargs:
        msg = f"with_structured_output got unsupported arguments {sorted(kwargs)}"
        raise ConfigError(msg)
    if method not in METHODS:
        msg = f"with_structured_output method {method!r} is unknown; use one of: {METHODS}"
        raise ConfigError(msg)
    if schema is None and method != "json_mode":
        msg = (
            f"with_structured_output(method={method!r}) needs a schema (a pydantic class,"
            " a TypedDict or a JSON schema); only json_mode works without one"
        )
        raise ConfigError(msg)


# -- the reply as a tool call (function_calling) ------------------------------------------


def _arguments(text: str) -> dict[str, Any] | None:
    try:
        value = parse_json(text)
    except InvalidOutput:
        value = next(candidates(text), None)
    return value if isinstance(value, dict) else None


def as_tool_call(message: Any, tool: dict[str, str]) -> Any:
    """A constrained reply as an `AIMessage` calling `tool` with the JSON as arguments."""
    from langchain_core.messages import AIMessage
    from langchain_core.messages.tool import invalid_tool_call, tool_call

    text = message.text
    args = _arguments(text)
    calls, invalid = [], []
    if args is None:
        error = "the reply is not a JSON object"
        invalid.append(invalid_tool_call(name=tool["name"], args=text, id=tool["id"], error=error))
    else:
        calls.append(tool_call(name=tool["name"], args=args, id=tool["id"]))
    return AIMessage(
        content="",
        tool_calls=calls,
        invalid_tool_calls=invalid,
        id=message.id,
        usage_metadata=message.usage_metadata,
        response_metadata=message.response_metadata,
    )


def as_tool_call_chunk(chunk: Any, tool: dict[str, str], first: bool) -> Any:
    """A streamed piece of the reply as a piece of the tool call's arguments."""
    from langchain_core.messages import AIMessageChunk
    from langchain_core.messages.tool import tool_call_chunk

    message = chunk.message
    piece = tool_call_chunk(
        name=tool["name"] if first else None,
        args=message.text,
        id=tool["id"] if first else None,
        index=0,
    )
    chunk.message = AIMessageChunk(
        content="",
        tool_call_chunks=[piece],
        id=message.id,
        usage_metadata=message.usage_metadata,
        response_metadata=message.response_metadata,
        chunk_position=message.chunk_position,
    )
    return chunk


class StructuredOutput:
    """Mixin for chat model classes with native constrained decoding.

    The class sets ``constrain_json`` to its provider module's ``constrain(model,
    schema)``. Put the mixin before the LangChain base: it wraps `_generate` and
    `_stream` to shape function-calling replies as tool calls.
    """

    constrain_json: ClassVar[Callable[[Any, dict[str, Any]], Any]]

    def with_structured_output(
        self,
        schema: Any = None,
        *,
        method: str = "json_schema",
        include_raw: bool = False,
        strict: bool | None = None,
        **kwargs: Any,
    ) -> Any:
        """A runnable that answers `schema` (see the module doc for the methods).

        ``strict`` is accepted for compatibility: decoding is constrained either way.
        """
        check_method(method, schema, kwargs)
        target = ANY_OBJECT if schema is None else Target.of(schema)
        max_tokens = getattr(self, "max_tokens", None)
        grammar = target.constraint(max_tokens if isinstance(max_tokens, int) else None)
        extra: dict[str, Any] = {
            "ls_structured_output_format": {
                "kwargs": {"method": method, "strict": strict},
                "schema": target.json_schema,
            }
        }
        if method == "function_calling":
            extra[TOOL_KWARG] = {"name": target.name}
        llm = type(self).constrain_json(self, grammar).bind(**extra)
        return with_parser(llm, output_parser(target), include_raw)

    @staticmethod
    def _tool(kwargs: dict[str, Any]) -> dict[str, str] | None:
        tool = kwargs.pop(TOOL_KWARG, None)
        if tool is None:
            return None
        return {"name": tool["name"], "id": new_call_id()}

    def _generate(self, *args: Any, **kwargs: Any) -> Any:
        tool = self._tool(kwargs)
        result = super()._generate(*args, **kwargs)  # type: ignore[misc]
        if tool is not None:
            for generation in result.generations:
                generation.message = as_tool_call(generation.message, tool)
        return result

    async def _agenerate(self, *args: Any, **kwargs: Any) -> Any:
        tool = self._tool(kwargs)
        result = await super()._agenerate(*args, **kwargs)  # type: ignore[misc]
        if tool is not None:
            for generation in result.generations:
                generation.message = as_tool_call(generation.message, tool)
        return result

    def _stream(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        tool = self._tool(kwargs)
        first = True
        for chunk in super()._stream(*args, **kwargs):  # type: ignore[misc]
            if tool is not None:
                chunk = as_tool_call_chunk(chunk, tool, first)
                first = False
            yield chunk

    async def _astream(self, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        tool = self._tool(kwargs)
        first = True
        async for chunk in super()._astream(*args, **kwargs):  # type: ignore[misc]
            if tool is not None:
                chunk = as_tool_call_chunk(chunk, tool, first)
                first = False
            yield chunk


class SchemaJsonMode:
    """Mixin for chat classes with their own `with_structured_output` (Ollama, OpenAI).

    - ``json_mode`` with a schema decodes under that schema, as on the in-process models:
      asked for JSON with two named keys, SmolLM2 in plain JSON mode nests one inside the
      other; the reply is parsed into the schema either way, so constraining to it only
      removes failures;
    - a pydantic v1 class (which langchain-openai sends as a forced tool call) decodes
      under its JSON schema through the class's ``constrain_json`` and is parsed here.
    """

    constrain_json: ClassVar[Callable[[Any, dict[str, Any]], Any]]

    def with_structured_output(
        self, schema: Any = None, *, method: str = "json_schema", **kwargs: Any
    ) -> Any:
        if method == "json_mode" and schema is not None:
            method = "json_schema"
        if method == "json_schema" and _is_pydantic_v1_class(schema):
            include_raw = kwargs.pop("include_raw", False)
            kwargs.pop("strict", None)
            check_method(method, schema, kwargs)
            target = Target.of(schema)
            llm = type(self).constrain_json(self, target.constraint()).bind(
                ls_structured_output_format={"kwargs": {"method": method}, "schema": schema}
            )
            return with_parser(llm, output_parser(target), include_raw)
        return super().with_structured_output(schema, method=method, **kwargs)  # type: ignore[misc]


def _is_pydantic_v1_class(schema: Any) -> bool:
    from pydantic import v1

    return isinstance(schema, type) and issubclass(schema, v1.BaseModel)
