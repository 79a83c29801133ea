"""Structured output on OpenAI-compatible servers that reject ``json_schema``.

llama_cpp.server refuses ``response_format={"type": "json_schema", ...}`` but enforces
``{"type": "json_object", "schema": ...}`` with a grammar; the chat model asks again in
that form, and fills ``parsed`` as the OpenAI client would so pydantic output works.

Example:
    >>> fmt = {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}}
    >>> as_json_object(fmt)
    {'type': 'json_object', 'schema': {'type': 'object'}}
"""

from __future__ import annotations

from typing import Any

from inhouse.errors import InhouseError
from inhouse.providers._openai_errors import server_message
from inhouse.providers._support import usage_metadata


def is_json_schema(response_format: Any) -> bool:
    """True when `response_format` goes to the server as ``json_schema``."""
    if isinstance(response_format, type):
        return True  # a pydantic class: the client sends it as `json_schema`
    return isinstance(response_format, dict) and response_format.get("type") == "json_schema"


def as_json_object(response_format: Any) -> dict[str, Any]:
    """`json_schema` format -> ``{"type": "json_object", "schema": ...}`` (llama.cpp's form)."""
    if isinstance(response_format, type):
        schema = response_format.model_json_schema()
    else:
        schema = response_format["json_schema"].get("schema", {})
    return {"type": "json_object", "schema": schema}


def rejects_json_schema(exc: BaseException, kwargs: dict[str, Any]) -> bool:
    """True when `exc` is the server refusing the call's ``json_schema`` response format."""
    import openai

    if not isinstance(exc, openai.APIStatusError) or exc.status_code not in (400, 422, 500):
        return False
    text = server_message(exc)
    return is_json_schema(kwargs.get("response_format")) and "json_object" in text


def cut_off_result(model: Any, exc: BaseException) -> Any | None:
    """The reply a `LengthFinishReasonError` carries, as a normal result, or None.

    With ``response_format`` the OpenAI client parses the reply itself and raises when it
    was cut at max_tokens, throwing the text away. Callers such as the extraction
    engine can still use a cut reply (keep its complete part, or repair it), so hand it
    back with ``finish_reason="length"`` instead.
    """
    completion = getattr(exc, "completion", None)
    if type(exc).__name__ != "LengthFinishReasonError" or completion is None:
        return None
    return model._create_chat_result(completion)


def attach_parsed(result: Any, response_format: Any) -> Any:
    """Fill `parsed` as the OpenAI client would, so pydantic structured output works."""
    if not isinstance(response_format, type):
        return result
    for generation in result.generations:
        message = generation.message
        if message.additional_kwargs.get("parsed") is not None:
            continue
        try:
            message.additional_kwargs["parsed"] = response_format.model_validate_json(
                message.content
            )
        except (ValueError, TypeError):
            continue
    return result


class JsonObjectFallback:
    """Mixin for the chat class: after one ``json_schema`` rejection, send json_object.

    The chat class declares the pydantic field ``json_object_fallback: bool = False``:
    an annotation here would be taken for a field of every class that uses the mixin.
    """

    def _fallback_kwargs(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """The call's arguments, in json_object form once the server rejected json_schema."""
        response_format = kwargs.get("response_format")
        if self.json_object_fallback and is_json_schema(response_format):
            return {**kwargs, "response_format": as_json_object(response_format)}
        return kwargs

    def _falls_back(self, exc: InhouseError, kwargs: dict[str, Any]) -> bool:
        """True (once) when the server just rejected a `json_schema` response format."""
        if self.json_object_fallback or not rejects_json_schema(exc.__cause__, kwargs):
            return False
        self.json_object_fallback = True
        return True


class StreamTail:
    """What a stream from a local server lacks, sent as one last empty chunk.

    - usage: llama_cpp.server (and others) ignore ``stream_options``, so a stream that
      carried no usage gets a local estimate (`inhouse.tokens`), marked
      ``response_metadata["usage_estimated"]``;
    - ``parsed``: the OpenAI client parses a pydantic ``response_format`` itself, but not
      after the json_object fallback; the text is parsed here instead.
    """

    def __init__(self, model: Any, messages: list[Any], response_format: Any) -> None:
        self.model, self.messages, self.response_format = model, messages, response_format
        self.pieces: list[str] = []
        self.has_usage = self.has_parsed = False

    def saw(self, chunk: Any) -> None:
        message = chunk.message
        self.pieces.append(message.text)
        self.has_usage = self.has_usage or bool(message.usage_metadata)
        self.has_parsed = self.has_parsed or message.additional_kwargs.get("parsed") is not None

    def chunk(self) -> Any | None:
        from langchain_core.messages import AIMessageChunk
        from langchain_core.outputs import ChatGenerationChunk

        fields: dict[str, Any] = {}
        if not self.has_usage:
            given = self.model.get_num_tokens_from_messages(self.messages)
            answer = self.model.get_num_tokens("".join(self.pieces))
            fields["usage_metadata"] = usage_metadata(given, answer)
            fields["response_metadata"] = {"usage_estimated": True}
        if isinstance(self.response_format, type) and not self.has_parsed:
            try:
                parsed = self.response_format.model_validate_json("".join(self.pieces))
            except (ValueError, TypeError):
                parsed = None
            if parsed is not None:
                fields["additional_kwargs"] = {"parsed": parsed}
        if not fields:
            return None
        last = AIMessageChunk(content="", chunk_position="last", **fields)
        return ChatGenerationChunk(message=last)
