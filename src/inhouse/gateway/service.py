"""The gateway's logic, without HTTP: who may call what, and how each request is served.

`Gateway` turns an OpenAI request into a call through the hybrid router (every path:
chat, completions, streaming, tools, ``n`` > 1, ``kb:`` models and the cloud model named
explicitly), so the router's fail-closed decision, audit log and fallback apply to all
of them. Models:

- ``auto``: the router decides;
- the local model's name (`llm.model`): always local;
- the cloud model's name (`cloud.model`, listed when the cloud is configured and
  `router.enabled`): the cloud unless the request is sensitive, which is then served
  locally (``server.on_sensitive_cloud = "local"``) or refused with 403 (``"reject"``);
- ``kb:NAME``: the rag chain over that knowledge base, answering with citations.

Generation runs in worker threads (never on the event loop), one at a time on the local
model, first come first served (`FifoGate`); a stream stops as soon as its client goes.

Example:
    >>> gateway = Gateway(load_settings())                               # doctest: +SKIP
    >>> gateway.model_ids(gateway.grant_for(None))                      # doctest: +SKIP
    ['auto', 'smollm2-135m-instruct', 'kb:demo']
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.messages import BaseMessage, HumanMessage
from langchain_core.retrievers import BaseRetriever

from inhouse.chains import load_chain
from inhouse.factory import chat_model, cloud_model, embeddings, llm
from inhouse.gateway import protocol as wire
from inhouse.gateway.errors import GatewayError, unknown_model
from inhouse.gateway.keys import OPEN, Grant, KeyStore
from inhouse.gateway.metrics import Metrics
from inhouse.gateway.queue import _STOP, Cancelled, FifoGate, Gated, QueueFull
from inhouse.providers.registry import get_provider
from inhouse.rag.kb import KnowledgeBase
from inhouse.router.audit import AuditLog
from inhouse.router.detectors import warm_up
from inhouse.router.hybrid import HybridRouter, request_text
from inhouse.router.policy import RouteDecision, detector_config
from inhouse.settings import Settings
from inhouse.tokens import count_message_tokens, count_tokens

Kind = Literal["auto", "local", "cloud", "kb"]
KB_PREFIX = "kb:"
MODEL_CACHE = 16


@dataclass(frozen=True)
class Target:
    """What a request's ``model`` names."""

    kind: Kind
    model: str
    kb: str | None = None


@dataclass
class Served:
    """What serving one request produced, besides its body: the router's decision."""

    route: dict[str, Any] = field(default_factory=dict)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    stopped: bool = False
    """The generation stopped early (its client went away, or its time was up)."""
    queue_seconds: float = 0.0
    """Time spent waiting for the local model."""

    def headers(self) -> dict[str, str]:
        """The decision as response headers: types and counts of entities, never values."""
        counts: dict[str, int] = {}
        for hit in self.route.get("hits", []):
            counts[hit["type"]] = counts.get(hit["type"], 0) + 1
        return {
            "x-inhouse-route": str(self.route.get("target", "local")),
            "x-inhouse-rules": ",".join(self.route.get("rules", [])),
            "x-inhouse-entities": ",".join(f"{k}={v}" for k, v in sorted(counts.items())),
            "x-inhouse-decision-ms": f"{float(self.route.get('ms', 0.0)):.3f}",
            "x-inhouse-queue-ms": f"{self.queue_seconds * 1000:.1f}",
        }


class _Locked(BaseRetriever):
    """A knowledge base's retriever, one query at a time (its manifest connection and
    BM25 index are shared by every request)."""

    inner: Any
    lock: Any

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        with self.lock:
            return self.inner.invoke(query, {"callbacks": run_manager.get_child()})


class _Lru(OrderedDict):
    def get_or_build(self, key: Any, build: Callable[[], Any]) -> Any:
        if key in self:
            self.move_to_end(key)
            return self[key]
        value = self[key] = build()
        while len(self) > MODEL_CACHE:
            self.popitem(last=False)
        return value


class Gateway:
    """Everything `inhouse serve` answers, for one set of settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        server = settings.server
        self.keys = KeyStore(server.keys_file or Path(settings.data_dir) / "keys.sqlite3")
        self.metrics = Metrics()
        self.gate = FifoGate(server.max_queue)
        self.detectors = detector_config(settings.router)
        warm_up(self.detectors, ner=bool(settings.router.enabled and settings.cloud.enabled))
        self.audit = AuditLog(
            settings.router.audit_log or Path(settings.data_dir) / "router_audit.jsonl"
        )
        self.cloud_listed = bool(settings.router.enabled and settings.cloud.enabled)
        self._lock = threading.Lock()
        self._models = _Lru()
        self._kbs: dict[str, tuple[KnowledgeBase, threading.RLock]] = {}

    # -- who may call what ---------------------------------------------------------------

    def grant_for(self, authorization: str | None) -> Grant:
        """The caller's grant: open while no key exists, else the key's (401 otherwise)."""
        if not self.keys.any_keys():
            return OPEN
        scheme, _, key = (authorization or "").partition(" ")
        grant = self.keys.authenticate(key.strip()) if scheme.lower() == "bearer" else None
        if grant is None:
            what = "no API key" if not authorization else "an invalid or revoked API key"
            raise GatewayError(
                401,
                f"this gateway needs an API key and the request carried {what}; send"
                " `Authorization: Bearer KEY` (keys come from `inhouse keys create`)",
                code="invalid_api_key",
            )
        return grant

    def readable_kbs(self, grant: Grant) -> list[str]:
        return [n for n in KnowledgeBase.names(self.settings) if grant.can_read(n)]

    def model_ids(self, grant: Grant) -> list[str]:
        ids = []
        if grant.can_use("auto"):
            ids.append("auto")
        if grant.can_use("local"):
            ids.append(self.settings.llm.model)
        if self.cloud_listed and grant.can_use("cloud"):
            ids.append(self.settings.cloud.model)
        if grant.can_use("auto"):
            ids += [f"{KB_PREFIX}{n}" for n in self.readable_kbs(grant)]
        return ids

    def resolve(self, model: str, grant: Grant) -> Target:
        """The target a model id names, if the grant allows it (404 as if unknown if not)."""
        if model.startswith(KB_PREFIX):
            name = model[len(KB_PREFIX) :]
            if grant.can_use("auto") and name in self.readable_kbs(grant):
                return Target("kb", model, name)
        elif model == "auto" and grant.can_use("auto"):
            return Target("auto", model)
        elif model == self.settings.llm.model and grant.can_use("local"):
            return Target("local", model)
        elif self.cloud_listed and model == self.settings.cloud.model and grant.can_use("cloud"):
            return Target("cloud", model)
        raise unknown_model(model)

    def check_capacity(self) -> None:
        """503 with Retry-After when the local model's queue is full."""
        self.metrics.queue_depth.set(self.gate.waiting)
        if self.gate.full:
            raise _busy(self.gate.waiting)

    # -- models --------------------------------------------------------------------------

    def _tuned(self, sampling: tuple[tuple[str, Any], ...]) -> Settings:
        if not sampling:
            return self.settings
        copy = self.settings.model_copy(deep=True)
        for key, value in sampling:
            setattr(copy.llm, key, list(value) if key == "stop" else value)
            if key in ("temperature", "max_tokens"):
                setattr(copy.cloud, key, value)
        return copy

    def local_chat(self, sampling: tuple = ()) -> Any:
        return self._models.get_or_build(
            ("chat", sampling), lambda: chat_model(self._tuned(sampling))
        )

    def local_completion(self, sampling: tuple = ()) -> Any:
        return self._models.get_or_build(("llm", sampling), lambda: llm(self._tuned(sampling)))

    def cloud_chat(self, sampling: tuple = ()) -> Any:
        def build() -> Any:
            model = cloud_model(self._tuned(sampling))
            extra = {k: v for k, v in sampling if k in ("top_p", "seed", "stop")}
            if "stop" in extra:
                extra["stop"] = list(extra["stop"])
            return model.bind(**extra) if model is not None and extra else model

        return self._models.get_or_build(("cloud", sampling), build)

    def embedder(self) -> Any:
        return self._models.get_or_build(("embeddings",), lambda: embeddings(self.settings))

    def _gated(self, model: Any, served: Served | None = None) -> Gated:
        def waited(seconds: float) -> None:
            self.metrics.queue_wait.observe(seconds)
            if served is not None:
                served.queue_seconds += seconds

        return Gated(model, self.gate, waited)

    def router(
        self, target: Target, request: wire.ChatRequest, served: Served | None = None
    ) -> HybridRouter:
        """The router for one chat request: its models bound as the request asks."""
        sampling = request.sampling()
        local = _shaped(self.local_chat(sampling), self.settings.llm.provider, request)
        cloud = None
        policy = self.settings.router
        if target.kind in ("auto", "kb", "cloud") and self.cloud_listed:
            cloud = self.cloud_chat(sampling)
            cloud = _shaped(cloud, self.settings.cloud.provider, request) if cloud else None
        if target.kind == "cloud":
            policy = policy.model_copy(update={"complexity_threshold": 0.0, "enabled": True})
        return HybridRouter(
            local=self._gated(local, served), cloud=cloud, policy=policy, detectors=self.detectors,
            audit=self.audit, all_hits=True,
        )  # fmt: skip

    def knowledge_base(self, name: str) -> tuple[KnowledgeBase, threading.RLock]:
        with self._lock:
            if name not in self._kbs:
                self._kbs[name] = (
                    KnowledgeBase.open(name, self.settings, create=True),
                    threading.RLock(),
                )
            return self._kbs[name]

    # -- chat ----------------------------------------------------------------------------

    def _prepare(
        self, request: wire.ChatRequest, grant: Grant, served: Served
    ) -> tuple[Target, HybridRouter, list[BaseMessage]]:
        target = self.resolve(request.model, grant)
        if target.kind == "kb" and (request.tools or request.json_schema):
            msg = f"{request.model}: knowledge-base models answer in text; drop tools and"
            raise GatewayError(400, f"{msg} response_format", param="model")
        messages = wire.to_messages(request.messages)
        router = self.router(target, request, served)
        if target.kind == "cloud" and self.settings.server.on_sensitive_cloud == "reject":
            decision = router.route(messages)
            if decision.sensitive:
                raise _refused(decision)
        return target, router, messages

    def chat(
        self, request: wire.ChatRequest, grant: Grant, should_stop: Callable[[], bool]
    ) -> tuple[dict[str, Any], Served]:
        """A whole chat completion (``stream: false``)."""
        served = Served()
        target, router, messages = self._prepare(request, grant, served)
        config = stop_config(should_stop)
        if target.kind == "kb":
            return self._kb_answer(target, router, messages, request, config, served)
        choices = []
        for index in range(request.n):
            reply = router.invoke(messages, config)
            served.route = served.route or reply.response_metadata.get("route", {})
            served.completion_tokens += _completion_tokens(reply, self.local_chat())
            message: dict[str, Any] = {"role": "assistant", "content": _text(reply) or None}
            calls = wire.tool_calls_of(reply)
            if calls:
                message["tool_calls"] = calls
            choices.append({"index": index, "message": message,
                            "finish_reason": wire.finish_reason(reply), "logprobs": None})
        served.prompt_tokens = _prompt_tokens(reply, self.local_chat(), messages)
        body = wire.chat_completion(
            wire.new_id("chatcmpl"), request.model, choices,
            wire.usage(served.prompt_tokens, served.completion_tokens),
        )  # fmt: skip
        return body, served

    def chat_stream(
        self,
        request: wire.ChatRequest,
        grant: Grant,
        should_stop: Callable[[], bool],
        served: Served,
    ) -> Iterator[dict[str, Any]]:
        """The chunks of a streamed chat completion; `served.route` is set before the
        first one is yielded (so the headers can carry it)."""
        target, router, messages = self._prepare(request, grant, served)
        config = stop_config(should_stop)
        emit = _Chunks(wire.new_id("chatcmpl"), request.model)
        if target.kind == "kb":
            yield from self._kb_stream(target, router, messages, request, config, served, emit)
            return
        last: Any = None
        for index in range(request.n):
            text, last = "", None
            for chunk in router.stream(messages, config):
                if should_stop():
                    served.stopped = True
                    served.completion_tokens += count_tokens(self.local_chat(), text)
                    return
                first, last = last is None, chunk if last is None else last + chunk
                served.route = served.route or chunk.response_metadata.get("route", {})
                piece = _text(chunk)
                if first or (piece and not getattr(chunk, "tool_call_chunks", None)):
                    text += piece
                    yield emit.delta(index, {"content": piece}, first=first)
            calls = wire.tool_calls_of(last)
            if calls:
                yield emit.delta(index, {"tool_calls": [{**c, "index": i}
                                                        for i, c in enumerate(calls)]})  # fmt: skip
            served.completion_tokens += _completion_tokens(last, self.local_chat(), text)
            yield emit.finish(index, wire.finish_reason(last))
        served.prompt_tokens = _prompt_tokens(last, self.local_chat(), messages)
        if request.include_usage:
            yield emit.usage(served)

    # -- knowledge bases as models -------------------------------------------------------

    def _rag(self, target: Target, router: HybridRouter, request: wire.ChatRequest) -> Any:
        kb, lock = self.knowledge_base(str(target.kb))
        retriever = _Locked(inner=kb.retriever(), lock=lock)
        return load_chain("rag", self._tuned(request.sampling()), retriever=retriever,
                          model=router)  # fmt: skip

    def _kb_answer(
        self, target: Target, router: HybridRouter, messages: list[BaseMessage],
        request: wire.ChatRequest, config: dict[str, Any], served: Served,
    ) -> tuple[dict[str, Any], Served]:  # fmt: skip
        question = _question(messages)
        answer = self._rag(target, router, request).invoke({"question": question}, config)
        served.route = answer.route or _no_model_route()
        served.prompt_tokens = count_tokens(self.local_chat(), question)
        served.completion_tokens = count_tokens(self.local_chat(), answer.text)
        choice = {"index": 0, "message": {"role": "assistant", "content": answer.text},
                  "finish_reason": "stop", "logprobs": None}  # fmt: skip
        body = wire.chat_completion(
            wire.new_id("chatcmpl"), request.model, [choice],
            wire.usage(served.prompt_tokens, served.completion_tokens), **_kb_fields(answer),
        )  # fmt: skip
        return body, served

    def _kb_stream(
        self, target: Target, router: HybridRouter, messages: list[BaseMessage],
        request: wire.ChatRequest, config: dict[str, Any], served: Served, emit: _Chunks,
    ) -> Iterator[dict[str, Any]]:  # fmt: skip
        question = _question(messages)
        held, text, first = None, "", True
        for piece in self._rag(target, router, request).stream({"question": question}, config):
            if first and not (piece.text or piece.refused or piece.route):
                held = piece  # the sources: sent with the model's first piece and its route
                continue
            if first:
                served.route = piece.route or _no_model_route()
            text += piece.text
            extra = _kb_fields(held or piece) if first else {}
            yield emit.delta(0, {"content": piece.text}, first=first, **extra)
            first = False
            if should_stop_of(config)():
                served.stopped = True
                served.completion_tokens = count_tokens(self.local_chat(), text)
                return
        served.prompt_tokens = count_tokens(self.local_chat(), question)
        served.completion_tokens = count_tokens(self.local_chat(), text)
        yield emit.finish(0, "stop")
        if request.include_usage:
            yield emit.usage(served)

    # -- legacy completions and embeddings -----------------------------------------------

    def completion_model(
        self, request: wire.CompletionRequest, grant: Grant, served: Served | None = None
    ) -> Any:
        """The completion model: always local (the legacy endpoint serves editors); the
        decision is still made, audited and reported, so a sensitive prompt says so."""
        target = self.resolve(request.model, grant)
        if target.kind not in ("auto", "local"):
            msg = f"{request.model}: /v1/completions serves `auto` and the local model only"
            raise GatewayError(400, msg, param="model")
        return self._gated(self.local_completion(request.sampling()), served)

    def completion_route(self, prompt: str) -> dict[str, Any]:
        router = HybridRouter(local=None, cloud=None, policy=self.settings.router,
                              detectors=self.detectors, audit=self.audit,
                              all_hits=True)  # fmt: skip
        decision = router.route(prompt)
        self.audit.write(prompt, 1, decision)
        return decision.as_dict()

    def embed(self, request: wire.EmbeddingRequest, grant: Grant) -> dict[str, Any]:
        if not grant.can_use("local"):
            raise unknown_model(request.model)
        texts = request.texts
        if not texts or any(not isinstance(t, str) for t in texts):
            raise GatewayError(400, "input must be a string or a list of strings", param="input")
        vectors = self.embedder().embed_documents(texts)
        used = sum(count_tokens(None, t) for t in texts)
        return {"object": "list", "data": wire.embedding_data(vectors, request.encoding_format),
                "model": request.model, "usage": {"prompt_tokens": used, "total_tokens": used}}

    def dry_route(self, messages: list[BaseMessage], grant: Grant) -> dict[str, Any]:
        """The decision `auto` would make for these messages, without calling a model or
        writing the audit log: target, rules, entity types with counts and spans."""
        if not grant.can_use("auto"):
            raise unknown_model("auto")
        router = HybridRouter(local=None, cloud=True if self.cloud_listed else None,
                              policy=self.settings.router, detectors=self.detectors,
                              audit=self.audit, all_hits=True)  # fmt: skip
        decision = router.route(messages).as_dict()
        counts: dict[str, int] = {}
        for hit in decision["hits"]:
            counts[hit["type"]] = counts.get(hit["type"], 0) + 1
        return {**decision, "entities": counts, "stays_local": decision["target"] == "local",
                "cloud_available": self.cloud_listed}  # fmt: skip

    def passage(self, kb: str, chunk_id: str, grant: Grant) -> dict[str, Any]:
        """One passage of a knowledge base the caller may read (404 otherwise)."""
        if not grant.can_read(kb) or kb not in KnowledgeBase.names(self.settings):
            raise unknown_model(f"{KB_PREFIX}{kb}")
        knowledge, lock = self.knowledge_base(kb)
        with lock:
            found = knowledge.manifest.chunks([chunk_id]).get(chunk_id)
        if found is None:
            raise GatewayError(404, f"no passage {chunk_id!r} in {kb!r}", param="chunk_id")
        meta = found.metadata
        return {"object": "kb.passage", "kb": kb, "id": found.id, "text": found.text,
                "source": meta.get("source", ""), "page": meta.get("page"),
                "title": meta.get("title", ""), "section": meta.get("section", "")}  # fmt: skip

    def count(self, text: str) -> int:
        """Tokens `text` takes for the local model."""
        return count_tokens(self.local_chat(), text)

    # -- documents -----------------------------------------------------------------------

    def kb_list(self, grant: Grant) -> list[dict[str, Any]]:
        rows = []
        for name in self.readable_kbs(grant):
            knowledge, lock = self.knowledge_base(name)
            with lock:
                files, chunks = knowledge.manifest.counts()
            rows.append({"id": name, "object": "knowledge_base", "model": f"{KB_PREFIX}{name}",
                         "files": files, "chunks": chunks, "writable": grant.can_write(name)})
        return rows

    def upload_folder(self, kb: str) -> Path:
        return Path(self.settings.data_dir) / "uploads" / kb

    def ingest_files(self, kb: str, files: list[tuple[str, bytes]], grant: Grant) -> Any:
        if not grant.can_write(kb):
            raise GatewayError(404, f"no knowledge base {kb!r} you may write to", param="kb")
        folder = self.upload_folder(kb)
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, data in files:
            path = folder / _safe_name(name)
            path.write_bytes(data)
            paths.append(path)
        knowledge, lock = self.knowledge_base(kb)
        with lock:
            return knowledge.ingest(paths)

    def remove_file(self, kb: str, path: str, grant: Grant) -> list[str]:
        if not grant.can_write(kb) or kb not in KnowledgeBase.names(self.settings):
            raise GatewayError(404, f"no knowledge base {kb!r} you may write to", param="kb")
        knowledge, lock = self.knowledge_base(kb)
        candidates = [path, str(self.upload_folder(kb) / _safe_name(path))]
        with lock:
            removed = knowledge.remove(candidates)
        if not removed:
            raise GatewayError(404, f"{path!r} is not in knowledge base {kb!r}", param="path")
        uploaded = self.upload_folder(kb) / _safe_name(path)
        if str(uploaded.absolute()) in removed:
            uploaded.unlink(missing_ok=True)
        return removed


# -- helpers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Chunks:
    """Builds the chunks of one streamed completion."""

    rid: str
    model: str

    def delta(
        self, index: int, delta: dict[str, Any], *, first: bool = False, **extra: Any
    ) -> dict[str, Any]:
        if first:
            delta = {"role": "assistant", **delta}
        choice = {"index": index, "delta": delta, "finish_reason": None}
        return wire.chat_chunk(self.rid, self.model, [choice], **extra)

    def finish(self, index: int, reason: str) -> dict[str, Any]:
        choice = {"index": index, "delta": {}, "finish_reason": reason}
        return wire.chat_chunk(self.rid, self.model, [choice])

    def usage(self, served: Served) -> dict[str, Any]:
        use = wire.usage(served.prompt_tokens, served.completion_tokens)
        return wire.chat_chunk(self.rid, self.model, [], usage=use)


def stop_config(should_stop: Callable[[], bool]) -> dict[str, Any]:
    """A call's config carrying its should-stop flag (read by `Gated` while it waits)."""
    return {"configurable": {_STOP: should_stop}}


def should_stop_of(config: dict[str, Any]) -> Callable[[], bool]:
    return config["configurable"][_STOP]


def _shaped(model: Any, provider: str, request: wire.ChatRequest) -> Any:
    """`model` bound for the request: its tools, or its provider's constrained decoding."""
    if request.tools and request.tool_choice != "none":
        choice = request.tool_choice
        if isinstance(choice, dict):
            choice = (choice.get("function") or {}).get("name") or choice.get("name")
        try:
            return model.bind_tools(request.tools, tool_choice=choice)
        except (NotImplementedError, TypeError, ValueError) as exc:
            msg = f"the {provider} model cannot take these tools ({exc})"
            raise GatewayError(400, msg, param="tools") from exc
    schema = request.json_schema
    if schema is not None:
        binder = get_provider(provider).constrain
        if binder is None:
            msg = f"provider {provider!r} has no constrained decoding for response_format"
            raise GatewayError(400, msg, param="response_format")
        return binder(model, schema)
    return model


def _text(message: Any) -> str:
    content = getattr(message, "content", "")
    if isinstance(content, str):
        return content
    return "".join(b.get("text", "") for b in content if isinstance(b, dict))


def _prompt_tokens(reply: Any, local: Any, messages: list[BaseMessage]) -> int:
    used = getattr(reply, "usage_metadata", None) or {}
    return int(used.get("input_tokens") or count_message_tokens(local, messages))


def _completion_tokens(reply: Any, local: Any, text: str | None = None) -> int:
    used = getattr(reply, "usage_metadata", None) or {}
    return int(used.get("output_tokens") or count_tokens(local, text or _text(reply)))


def _question(messages: list[BaseMessage]) -> str:
    for message in reversed(messages):
        if isinstance(message, HumanMessage):
            return request_text([message])[0]
    raise GatewayError(400, "a knowledge-base model needs a user message", param="messages")


def _kb_fields(answer: Any) -> dict[str, Any]:
    sources = list(getattr(answer, "sources", []) or [])
    return {
        "citations": [_citation(s) for s in sources],
        "inhouse_sources": [s.model_dump() for s in sources],
    }


def _citation(source: Any) -> str:
    return f"{source.source} (page {source.page})" if source.page else source.source


def _no_model_route() -> dict[str, Any]:
    return {"target": "local", "rules": ["kb_refusal"], "hits": [], "ms": 0.0}


def _safe_name(name: str) -> str:
    base = Path(name.replace("\\", "/")).name.strip()
    if not base or base in (".", "..") or base.startswith("."):
        msg = f"file name {name!r}: give a plain file name such as notes.md"
        raise GatewayError(400, msg, param="file")
    return base


def _busy(waiting: int) -> GatewayError:
    return GatewayError(
        503,
        f"the local model is busy ({waiting} requests waiting); retry shortly",
        code="queue_full",
        headers={"Retry-After": "2"},
    )


def _refused(decision: RouteDecision) -> GatewayError:
    kinds = sorted({h.type for h in decision.hits}) or ["a sensitive hint or context"]
    return GatewayError(
        403,
        f"this request carries sensitive data ({', '.join(kinds)}), so it was not sent to"
        " the cloud model; use `auto` or the local model",
        param="model",
        code="sensitive_request",
    )


def translate_serving_error(error: BaseException) -> BaseException:
    """Queue states raised inside the model call, as the gateway reports them."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, QueueFull):
            return _busy(0)
        if isinstance(cause, Cancelled):
            return GatewayError(408, str(cause), code="cancelled")
        cause = cause.__cause__ or cause.__context__
    return error

