"""`HybridRouter`: a chat-model-shaped Runnable that sends each request local or cloud.

    >>> router = HybridRouter.from_settings(load_settings("hybrid"))     # doctest: +SKIP
    >>> reply = router.invoke("Summarise: John Smith, SSN 078-05-1120")  # doctest: +SKIP
    >>> reply.response_metadata["route"]["target"]                        # doctest: +SKIP
    'local'
    >>> router.invoke(question, config={"metadata": {"sensitive": True}})  # doctest: +SKIP
    >>> router.invoke(question, config={"metadata": {"kb": "legal"}})      # doctest: +SKIP

It takes what a chat model takes (a string, messages, a prompt value) and returns what
it returns. Every call is decided by `inhouse.router.policy.decide` on the full text the
request would send, written to the audit log, and attached to the reply as
``response_metadata["route"]``.

Fail-closed, by construction: the cloud model is reached in exactly one place,
`_Route.models`, which yields it only when ``decision.target == "cloud"``, and a
decision targets the cloud only when no rule 1 (sensitive) fired. Every call style
(invoke, stream, batch and their async forms) goes through it. A failing cloud call
falls back to local; a failing local call is an error, never a reason to try the cloud.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from langchain_core.messages import BaseMessage, BaseMessageChunk
from langchain_core.prompt_values import PromptValue
from langchain_core.runnables import RunnableConfig, RunnableSerializable
from langchain_core.runnables.config import get_config_list, get_executor_for_config
from pydantic import ConfigDict, Field

from inhouse.errors import ConfigError, ProviderUnavailableError
from inhouse.router.audit import AuditLog
from inhouse.router.detectors import DetectorConfig, warm_up
from inhouse.router.policy import RouteDecision, decide, detector_config
from inhouse.settings.schema import RouterSettings
from inhouse.tokens import estimate_tokens


def request_text(value: Any) -> tuple[str, int]:
    """Everything a request would send, as one text, and how many messages it holds."""
    if isinstance(value, str):
        return value, 1
    if isinstance(value, PromptValue):
        value = value.to_messages()
    if isinstance(value, dict) and "messages" in value:
        value = value["messages"]
    if isinstance(value, Sequence):
        parts = [_message_text(m) for m in value]
        return "\n".join(parts), len(parts)
    return str(value), 1


def _message_text(message: Any) -> str:
    """A message's text, with the arguments of its tool calls (a tool result is the
    content of a `ToolMessage`): a sensitive value there keeps the request local."""
    calls: list[Any] = []
    if isinstance(message, BaseMessage):
        content = message.content
        calls = [*getattr(message, "tool_calls", []), *getattr(message, "invalid_tool_calls", [])]
        calls += message.additional_kwargs.get("tool_calls") or []
    elif isinstance(message, dict):
        content = message.get("content", "")
        calls = list(message.get("tool_calls") or [])
    elif isinstance(message, tuple | list) and len(message) == 2:
        content = message[1]
    else:
        content = message
    if isinstance(content, list):  # content blocks
        content = "\n".join(_block_text(b) for b in content)
    return "\n".join([str(content or ""), *(_call_text(c) for c in calls)]).rstrip("\n")


def _block_text(block: Any) -> str:
    if not isinstance(block, dict):
        return str(block)
    if block.get("type") in ("tool_call", "tool_use", "function_call"):
        return _call_text(block)
    return str(block.get("text", ""))


def _call_text(call: Any) -> str:
    """A tool call's name and argument values as plain text (any of LangChain's or
    OpenAI's forms; JSON arguments are decoded, so the detectors see the values as
    written, not escaped)."""
    if not isinstance(call, dict):
        return str(call)
    function = call.get("function") if isinstance(call.get("function"), dict) else {}
    name = call.get("name") or function.get("name") or ""
    args = call.get("args", call.get("input", function.get("arguments", "")))
    if isinstance(args, str):
        with contextlib.suppress(json.JSONDecodeError):
            args = json.loads(args)
    return "\n".join([str(name), *_values(args)]).strip()


def _values(value: Any, key: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _values(v, str(k))
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _values(v, key)
    elif value is not None:
        yield f"{key}: {value}" if key else str(value)


def _hints(config: RunnableConfig | None) -> tuple[bool, list[str]]:
    metadata = (config or {}).get("metadata") or {}
    kbs = metadata.get("kb") or []
    return bool(metadata.get("sensitive")), [kbs] if isinstance(kbs, str) else list(kbs)


class HybridRouter(RunnableSerializable[Any, BaseMessage]):
    """Route each request to the local or the cloud chat model (see the module doc)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    local: Any = Field(description="The local chat model.")
    cloud: Any = Field(default=None, description="The cloud chat model, or None.")
    policy: RouterSettings = Field(default_factory=RouterSettings)
    detectors: DetectorConfig | None = None
    similarity: Any = None
    audit: AuditLog = Field(default_factory=lambda: AuditLog(None))
    all_hits: bool = Field(
        default=False,
        description="List every sensitive hit in the decision (and the audit log); by"
        " default the detectors stop at the first that fires, which is all the route needs.",
    )

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> HybridRouter:
        """Local and cloud models from the factory, policy and audit log from settings."""
        from inhouse.factory import chat_model, cloud_model

        policy = settings.router
        path = policy.audit_log or Path(settings.data_dir) / "router_audit.jsonl"
        similarity = None
        if policy.complex_examples and policy.simple_examples:
            from inhouse.factory import embeddings
            from inhouse.router.complexity import Similarity

            similarity = Similarity(
                embeddings(settings), policy.complex_examples, policy.simple_examples
            )
        detectors = detector_config(policy)
        try:  # load phone metadata (and the NER model, if the cloud may be used) now
            warm_up(detectors, ner=policy.enabled)
        except LookupError as e:
            raise ConfigError(f"router.ner_model: {e}") from None
        values = {
            "local": chat_model(settings),
            "cloud": cloud_model(settings) if policy.enabled else None,
            "policy": policy,
            "detectors": detectors,
            "similarity": similarity,
            "audit": AuditLog(path),
        }
        return cls(**{**values, **overrides})

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> HybridRouter:
        """This router with `tools` bound to both models (``tool_choice`` and the rest go
        to each model's own `bind_tools`). The decision still reads the whole request,
        tool-call arguments and tool results included."""
        return self._on_both(lambda model: model.bind_tools(tools, **kwargs))

    def with_structured_output(self, schema: Any, **kwargs: Any) -> HybridRouter:
        """The router over both models' `with_structured_output(schema, **kwargs)`.

        Each request is still decided, audited and kept local by the same rules on its
        full text; only the answer changes shape (a pydantic object or a dict, or
        ``{"raw", "parsed", "parsing_error"}`` with ``include_raw=True``, whose ``raw``
        message carries ``response_metadata["route"]``).

            >>> router.with_structured_output(Invoice).invoke(text).total  # doctest: +SKIP
        """
        return self._on_both(lambda model: model.with_structured_output(schema, **kwargs))

    def _on_both(self, change: Callable[[Any], Any]) -> HybridRouter:
        """A copy of this router with `change` applied to the local and the cloud model."""
        cloud = None if self.cloud is None else change(self.cloud)
        return self.model_copy(update={"local": change(self.local), "cloud": cloud})

    # -- deciding ------------------------------------------------------------------------

    def route(
        self, value: Any, config: RunnableConfig | None = None, *, bulk: bool = False
    ) -> RouteDecision:
        """The decision for one request, without calling any model."""
        text, _ = request_text(value)
        sensitive, kbs = _hints(config)
        return decide(
            text, self.policy, cloud_available=self.cloud is not None, sensitive=sensitive,
            kbs=kbs, bulk=bulk, detectors=self.detectors, similarity=self.similarity,
            all_hits=self.all_hits,
        )  # fmt: skip

    def _bulk(self, inputs: Sequence[Any]) -> bool:
        if len(inputs) >= self.policy.bulk_batch_size:
            return True
        tokens = sum(estimate_tokens(request_text(x)[0]) for x in inputs)
        return tokens > self.policy.bulk_tokens

    def _record(self, value: Any, decision: RouteDecision) -> dict[str, Any]:
        text, messages = request_text(value)
        self.audit.write(text, messages, decision)
        return decision.as_dict()

    # -- calling -------------------------------------------------------------------------
    # Every call style goes through `_Route` (the one place the cloud is called, only for
    # a cloud decision) driven by `_drive` (sync) or `_adrive` (async); invoke is a
    # stream of one reply.

    def _call(self, value: Any, config: RunnableConfig, *, bulk: bool = False) -> BaseMessage:
        replies = self._drive(value, config, lambda m: iter([m.invoke(value, config)]), bulk)
        try:
            return next(replies)
        finally:
            replies.close()

    async def _acall(self, value: Any, config: RunnableConfig, *, bulk: bool = False) -> Any:
        async def one(model: Any) -> AsyncIterator[Any]:
            yield await model.ainvoke(value, config)

        replies = self._adrive(value, config, one, bulk)
        try:
            return await anext(replies)
        finally:
            await replies.aclose()

    def _drive(
        self, value: Any, config: RunnableConfig, call: Callable[[Any], Iterator[Any]],
        bulk: bool = False,
    ) -> Iterator[Any]:  # fmt: skip
        route = _Route(self, value, config, bulk)
        for model in route.models():
            try:
                for chunk in call(model):
                    yield route.stamped(chunk)
                return
            except Exception as e:
                route.failed(e)

    async def _adrive(
        self, value: Any, config: RunnableConfig, call: Callable[[Any], AsyncIterator[Any]],
        bulk: bool = False,
    ) -> AsyncIterator[Any]:  # fmt: skip
        route = _Route(self, value, config, bulk)
        for model in route.models():
            try:
                async for chunk in call(model):
                    yield route.stamped(chunk)
                return
            except Exception as e:
                route.failed(e)

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Any:
        return self._call_with_config(self._call, input, config, **kwargs)

    async def ainvoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Any:
        return await self._acall_with_config(self._acall, input, config, **kwargs)

    def batch(
        self,
        inputs: list[Any],
        config: RunnableConfig | list[RunnableConfig] | None = None,
        *,
        return_exceptions: bool = False,
        **kwargs: Any,
    ) -> list[Any]:
        if not inputs:
            return []
        bulk = self._bulk(inputs)
        configs = get_config_list(config, len(inputs))

        def one(pair: tuple[Any, RunnableConfig]) -> Any:
            value, conf = pair
            try:
                return self._call_with_config(
                    functools.partial(self._call, bulk=bulk), value, conf, **kwargs
                )
            except Exception as e:
                if return_exceptions:
                    return e
                raise

        with get_executor_for_config(configs[0]) as executor:
            return list(executor.map(one, list(zip(inputs, configs, strict=True))))

    async def abatch(
        self,
        inputs: list[Any],
        config: RunnableConfig | list[RunnableConfig] | None = None,
        *,
        return_exceptions: bool = False,
        **kwargs: Any,
    ) -> list[Any]:
        if not inputs:
            return []
        bulk = self._bulk(inputs)
        configs = get_config_list(config, len(inputs))
        calls = [
            self._acall_with_config(
                functools.partial(self._acall, bulk=bulk), value, conf, **kwargs
            )
            for value, conf in zip(inputs, configs, strict=True)
        ]
        return list(await asyncio.gather(*calls, return_exceptions=return_exceptions))

    def stream(
        self, input: Any, config: RunnableConfig | None = None, **kwargs: Any
    ) -> Iterator[Any]:
        yield from self._transform_stream_with_config(iter([input]), self._stream, config, **kwargs)

    def _stream(
        self, inputs: Iterator[Any], run_manager: Any, config: RunnableConfig
    ) -> Iterator[Any]:
        for value in inputs:
            yield from self._drive(value, config, lambda m, v=value: m.stream(v, config))

    async def astream(
        self, input: Any, config: RunnableConfig | None = None, **kwargs: Any
    ) -> AsyncIterator[Any]:
        async def inputs() -> AsyncIterator[Any]:
            yield input

        async for chunk in self._atransform_stream_with_config(
            inputs(), self._astream, config, **kwargs
        ):
            yield chunk

    async def _astream(
        self, inputs: AsyncIterator[Any], run_manager: Any, config: RunnableConfig
    ) -> AsyncIterator[Any]:
        async for value in inputs:
            async for chunk in self._adrive(value, config, lambda m, v=value: m.astream(v, config)):
                yield chunk


class _Route:
    """One request's fail-closed branch, for every call style.

    `models` yields the cloud model only for a cloud decision (no sensitive rule fired),
    then the local one; `failed` turns a failure into a fallback to local (a cloud that
    failed before any output) or the error to raise (a cloud that failed mid-answer, or
    the local model, which is never a reason to try the cloud). `stamped` records the
    decision in the audit log with the first chunk and attaches it to every reply.
    """

    def __init__(self, router: HybridRouter, value: Any, config: RunnableConfig, bulk: bool):
        self.router, self.value = router, value
        self.decision = router.route(value, config, bulk=bulk)
        self.target: str | None = None
        self.started = False
        self.route: dict[str, Any] | None = None

    def models(self) -> Iterator[Any]:
        if self.decision.target == "cloud":
            self.target = "cloud"
            yield self.router.cloud
            # reached only after `failed` chose to fall back
        self.target, self.started = "local", False
        yield self.router.local

    def stamped(self, chunk: Any) -> Any:
        if not self.started:
            self.started = True
            self.route = self.router._record(self.value, self.decision)
        return _stamped(chunk, self.route or {})

    def failed(self, error: Exception) -> None:
        if self.target == "cloud":
            self.decision = _after_cloud_error(self.decision, error, started=self.started)
            return
        raise _local_failed(error, self.decision) from error


def _stamped(reply: Any, route: dict[str, Any]) -> Any:
    """The reply with the decision in its response_metadata (a copy; never mutated); a
    structured reply with its raw message (``include_raw``) gets it on that message."""
    if isinstance(reply, BaseMessage | BaseMessageChunk):
        metadata = {**(reply.response_metadata or {}), "route": route}
        return reply.model_copy(update={"response_metadata": metadata})
    if isinstance(reply, dict) and isinstance(reply.get("raw"), BaseMessage):
        return {**reply, "raw": _stamped(reply["raw"], route)}
    return reply


def _after_cloud_error(
    decision: RouteDecision, error: BaseException, *, started: bool
) -> RouteDecision:
    """The local decision to fall back on after the cloud failed, or the error to raise
    when part of its answer was already streamed (say so rather than repeat it)."""
    if started:
        raise ProviderUnavailableError(
            f"the cloud model failed mid-answer ({_reason(error)})"
        ) from error
    return decision.falling_back(type(error).__name__)


def _reason(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {text}"[:200]


def _local_failed(error: BaseException, decision: RouteDecision) -> ProviderUnavailableError:
    why = (
        "this request is sensitive, so it was not sent to the cloud"
        if decision.sensitive
        else "requests are not moved to the cloud when the local model fails"
    )
    return ProviderUnavailableError(
        f"the local model failed ({_reason(error)}); {why}; check it with `inhouse doctor`"
    )
