"""`inhouse serve`: the FastAPI app. Thin routes over `inhouse.gateway.Gateway`.

Every error is OpenAI-style JSON (``{"error": {"message", "type", "param", "code"}}``)
with a 4xx status for what the caller can fix; a 500 never carries a traceback.

Example:
    >>> from fastapi.testclient import TestClient                      # doctest: +SKIP
    >>> client = TestClient(create_app(load_settings()))                # doctest: +SKIP
    >>> client.get("/v1/models").json()["data"][0]["id"]                # doctest: +SKIP
    'auto'
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool

from inhouse.gateway import protocol as wire
from inhouse.gateway.errors import GatewayError, error_for
from inhouse.gateway.keys import Grant
from inhouse.gateway.metrics import CONTENT_TYPE
from inhouse.gateway.service import Gateway, Served, stop_config, translate_serving_error
from inhouse.settings import Settings

log = logging.getLogger("inhouse.server")

STATIC = Path(__file__).parent / "static"
PAGE_HEADERS = {
    # Everything the page loads comes from the gateway; no inline script, no CDN.
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self';"
    " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none';"
    " form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


class _Static(StaticFiles):
    """The page's files, with the page's security headers."""

    async def get_response(self, path: str, scope: Any) -> Response:
        response = await super().get_response(path, scope)
        response.headers.update(PAGE_HEADERS)
        return response


def create_app(settings: Settings, gateway: Gateway | None = None) -> FastAPI:
    """The gateway's ASGI app for `settings`."""
    gateway = gateway or Gateway(settings)
    app = FastAPI(title="inhouse", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.gateway = gateway
    limit = int(settings.server.max_body_mb * 1024 * 1024)
    timeout = settings.server.request_timeout

    if settings.server.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        exposed = ["x-inhouse-route", "x-inhouse-rules", "x-inhouse-entities",
                   "x-inhouse-decision-ms", "x-inhouse-queue-ms"]  # fmt: skip
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.server.cors_origins, allow_methods=["*"],
            allow_headers=["*"], expose_headers=exposed,
        )  # fmt: skip

    @app.exception_handler(GatewayError)
    async def _gateway_error(request: Request, exc: GatewayError) -> JSONResponse:
        return _error_response(gateway, request, exc)

    @app.exception_handler(Exception)
    async def _any_error(request: Request, exc: Exception) -> JSONResponse:
        error = error_for(translate_serving_error(exc))
        if error.status >= 500:
            log.error("%s %s failed: %s", request.method, request.url.path, type(exc).__name__,
                      exc_info=exc)  # fmt: skip
        return _error_response(gateway, request, error)

    async def body_of(request: Request, model: type[BaseModel]) -> Any:
        size = int(request.headers.get("content-length") or 0)
        if size > limit:
            raise _too_large(limit)
        raw = await request.body()
        if len(raw) > limit:
            raise _too_large(limit)
        try:
            data = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise GatewayError(400, f"the request body is not valid JSON ({exc})") from None
        if not isinstance(data, dict):
            raise GatewayError(400, "the request body must be a JSON object")
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise _invalid(exc) from None

    def grant_of(request: Request) -> Grant:
        grant = gateway.grant_for(request.headers.get("authorization"))
        request.state.key = grant.name
        return grant

    # -- the page and plain routes ----------------------------------------------------

    app.mount("/static", _Static(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    async def page() -> Response:
        return FileResponse(STATIC / "index.html", headers=PAGE_HEADERS)

    @app.get("/health")
    async def health() -> dict[str, Any]:
        return {"status": "ok", "local_model": settings.llm.model, "pid": os.getpid(),
                "queue": gateway.gate.waiting, "busy": gateway.gate.busy}  # fmt: skip

    @app.get("/metrics")
    async def metrics() -> Response:
        gateway.metrics.queue_depth.set(gateway.gate.waiting)
        return Response(gateway.metrics.render(), media_type=CONTENT_TYPE)

    @app.get("/v1/models")
    async def models(request: Request) -> dict[str, Any]:
        grant = grant_of(request)
        ids = await run_in_threadpool(gateway.model_ids, grant)
        data = [{"id": i, "object": "model", "created": 0, "owned_by": "inhouse"} for i in ids]
        return {"object": "list", "data": data}

    # -- generation -------------------------------------------------------------------

    @app.post("/v1/chat/completions")
    async def chat(request: Request) -> Response:
        started = time.perf_counter()
        chat_request = await body_of(request, wire.ChatRequest)
        request.state.model = chat_request.model
        grant = grant_of(request)
        gateway.check_capacity()
        if chat_request.stream:
            served = Served()

            def produce(should_stop: Callable[[], bool]) -> Iterator[dict[str, Any]]:
                return gateway.chat_stream(chat_request, grant, should_stop, served)

            return await _streamed(gateway, request, produce, served, started, timeout)
        stop = _Stop(timeout)
        try:
            body, served = await run_in_threadpool(gateway.chat, chat_request, grant, stop)
        finally:
            stop.set()
        return _finished(gateway, request, body, served, started)

    @app.post("/v1/completions")
    async def completions(request: Request) -> Response:
        started = time.perf_counter()
        completion = await body_of(request, wire.CompletionRequest)
        request.state.model = completion.model
        grant = grant_of(request)
        gateway.check_capacity()
        served = Served()
        model = gateway.completion_model(completion, grant, served)
        served.route = await run_in_threadpool(gateway.completion_route,
                                               "\n".join(completion.prompts))  # fmt: skip
        rid = wire.new_id("cmpl")
        if completion.stream:

            def produce(should_stop: Callable[[], bool]) -> Iterator[dict[str, Any]]:
                config = stop_config(should_stop)
                for i, prompt in enumerate(completion.prompts * completion.n):
                    for piece in model.stream(prompt, config):
                        if should_stop():
                            served.stopped = True
                            return
                        yield _text_chunk(rid, completion.model, i, str(piece), None)
                    yield _text_chunk(rid, completion.model, i, "", "stop")

            return await _streamed(gateway, request, produce, served, started, timeout)
        stop = _Stop(timeout)
        config = stop_config(stop)
        try:
            texts = [await run_in_threadpool(model.invoke, p, config)
                     for p in completion.prompts * completion.n]  # fmt: skip
        finally:
            stop.set()
        choices = [{"index": i, "text": (p + t) if completion.echo else t, "logprobs": None,
                    "finish_reason": "stop"}
                   for i, (p, t) in enumerate(zip(completion.prompts * completion.n, texts,
                                                  strict=True))]  # fmt: skip
        used = wire.usage(
            sum(gateway.count(p) for p in completion.prompts), sum(gateway.count(t) for t in texts)
        )
        body = {"id": rid, "object": "text_completion", "created": int(time.time()),
                "model": completion.model, "choices": choices, "usage": used}  # fmt: skip
        served.prompt_tokens, served.completion_tokens = used["prompt_tokens"], used[
            "completion_tokens"]  # fmt: skip
        return _finished(gateway, request, body, served, started)

    @app.post("/v1/embeddings")
    async def embed(request: Request) -> Response:
        started = time.perf_counter()
        embedding = await body_of(request, wire.EmbeddingRequest)
        request.state.model = embedding.model
        grant = grant_of(request)
        body = await run_in_threadpool(gateway.embed, embedding, grant)
        served = Served(route={"target": "local", "rules": ["embeddings"], "hits": [], "ms": 0})
        return _finished(gateway, request, body, served, started)

    @app.post("/v1/route")
    async def route(request: Request) -> dict[str, Any]:
        asked = await body_of(request, wire.RouteRequest)
        grant = grant_of(request)
        messages = wire.to_messages(asked.as_messages())
        return await run_in_threadpool(gateway.dry_route, messages, grant)

    # -- documents --------------------------------------------------------------------

    @app.get("/v1/kb")
    async def knowledge_bases(request: Request) -> dict[str, Any]:
        grant = grant_of(request)
        rows = await run_in_threadpool(gateway.kb_list, grant)
        return {"object": "list", "data": rows}

    @app.post("/v1/kb/{name}/files")
    async def upload(name: str, request: Request) -> Response:
        grant = grant_of(request)
        if int(request.headers.get("content-length") or 0) > limit:
            raise _too_large(limit)
        form = await request.form(max_part_size=limit)
        files = []
        for value in form.getlist("file") + form.getlist("files"):
            if hasattr(value, "read"):
                files.append((value.filename or "upload", await value.read()))
        if not files:
            msg = "send the documents as multipart form data in field `file` (repeatable)"
            raise GatewayError(400, msg, param="file")
        report = await run_in_threadpool(gateway.ingest_files, name, files, grant)
        return JSONResponse(_report(name, report))

    @app.get("/v1/kb/{name}/passages/{chunk_id}")
    async def passage(name: str, chunk_id: str, request: Request) -> dict[str, Any]:
        grant = grant_of(request)
        return await run_in_threadpool(gateway.passage, name, chunk_id, grant)

    @app.delete("/v1/kb/{name}/files/{path:path}")
    async def remove(name: str, path: str, request: Request) -> Response:
        grant = grant_of(request)
        removed = await run_in_threadpool(gateway.remove_file, name, path, grant)
        return JSONResponse({"object": "kb.files.deleted", "kb": name, "removed": removed})

    return app


# -- responses ---------------------------------------------------------------------------


class _Stop:
    """A request's should-stop flag: set when its client has gone or its time is up."""

    def __init__(self, timeout: float) -> None:
        self.deadline = time.monotonic() + timeout
        self.event = threading.Event()

    def set(self) -> None:
        self.event.set()

    def __call__(self) -> bool:
        return self.event.is_set() or time.monotonic() > self.deadline


def _error_response(gateway: Gateway, request: Request, error: GatewayError) -> JSONResponse:
    model = getattr(request.state, "model", None)
    key = getattr(request.state, "key", "-")
    if request.url.path.startswith("/v1/"):
        gateway.metrics.request(_label(gateway, model), "none", [], error.status, key)
    return JSONResponse(error.body(), status_code=error.status, headers=error.headers)


def _label(gateway: Gateway, model: str | None) -> str:
    """A metrics label for a model id: known ids as they are, anything else `other`."""
    if model in ("auto", gateway.settings.llm.model, gateway.settings.cloud.model):
        return str(model)
    return "kb" if model and model.startswith("kb:") else "other"


def _record(gateway: Gateway, request: Request, served: Served, status: int, seconds: float):
    model = _label(gateway, getattr(request.state, "model", None))
    route = served.route
    gateway.metrics.request(model, str(route.get("target", "local")), route.get("rules", []),
                            status, getattr(request.state, "key", "-"))  # fmt: skip
    gateway.metrics.decision.observe(float(route.get("ms", 0.0)) / 1000)
    gateway.metrics.total.observe(seconds)


def _count_tokens(gateway: Gateway, served: Served) -> None:
    gateway.metrics.tokens.labels(direction="in").inc(served.prompt_tokens)
    gateway.metrics.tokens.labels(direction="out").inc(served.completion_tokens)
    if served.stopped:
        gateway.metrics.cancelled.inc()


def _finished(
    gateway: Gateway, request: Request, body: dict[str, Any], served: Served, started: float
) -> JSONResponse:
    _record(gateway, request, served, 200, time.perf_counter() - started)
    _count_tokens(gateway, served)
    return JSONResponse(body, headers=served.headers())


async def _streamed(
    gateway: Gateway,
    request: Request,
    produce: Callable[[Callable[[], bool]], Iterator[dict[str, Any]]],
    served: Served,
    started: float,
    timeout: float,
) -> Response:
    """Run `produce` in a worker thread and stream its chunks as server-sent events.

    The headers carry the router's decision, so they go out with the first chunk; a
    client that goes away stops the generation (the worker sees `should_stop`)."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
    stop = _Stop(timeout)

    def put(kind: str, value: Any) -> None:
        try:
            loop.call_soon_threadsafe(queue.put_nowait, (kind, value))
        except RuntimeError:  # the loop has closed: nobody is listening any more
            stop.set()

    def work() -> None:
        try:
            for item in produce(stop):
                put("item", item)
        except BaseException as exc:  # handed to the event loop, raised or reported there
            put("error", exc)
        else:
            put("done", None)
        finally:
            _count_tokens(gateway, served)  # here: only the worker knows what it generated

    threading.Thread(target=work, name="inhouse-stream", daemon=True).start()
    kind, first = await _first(queue, request, stop)
    if kind == "error":
        stop.set()
        raise first
    gateway.metrics.first_token.observe(time.perf_counter() - started)

    async def events() -> AsyncIterator[str]:
        status = 499  # nginx's "client closed request", unless the stream ends
        try:
            if kind == "item":
                yield _sse(first)
            while kind == "item":
                step, value = await queue.get()
                if step == "item":
                    yield _sse(value)
                    continue
                status = 200
                if step == "error":
                    error = error_for(translate_serving_error(value))
                    status = error.status
                    yield _sse(error.body())
                break
            if kind != "item":
                status = 200
            yield "data: [DONE]\n\n"
        finally:
            stop.set()
            _record(gateway, request, served, status, time.perf_counter() - started)

    headers = {**served.headers(), "Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)


async def _first(queue: asyncio.Queue, request: Request, stop: _Stop) -> tuple[str, Any]:
    """The first item of a stream, watching for the client leaving while it waits (in the
    queue for the local model, say)."""
    while True:
        try:
            return await asyncio.wait_for(queue.get(), timeout=0.25)
        except TimeoutError:
            if await request.is_disconnected() or stop():
                stop.set()
                return "error", GatewayError(408, "the client went away", code="cancelled")


def _sse(data: dict[str, Any]) -> str:
    return f"data: {json.dumps(data, separators=(',', ':'))}\n\n"


def _text_chunk(rid: str, model: str, index: int, text: str, finish: str | None) -> dict:
    choice = {"index": index, "text": text, "logprobs": None, "finish_reason": finish}
    return {"id": rid, "object": "text_completion", "created": int(time.time()), "model": model,
            "choices": [choice]}  # fmt: skip


def _report(name: str, report: Any) -> dict[str, Any]:
    return {
        "object": "kb.ingest_report",
        "kb": name,
        "added": report.added,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "skipped": [{"path": p, "reason": r} for p, r in report.skipped],
        "chunks": report.chunks,
        "seconds": round(report.seconds, 3),
    }


def _too_large(limit: int) -> GatewayError:
    return GatewayError(
        413, f"the request body is over {limit // (1024 * 1024)} MB (server.max_body_mb)"
    )


def _invalid(exc: ValidationError) -> GatewayError:
    problems = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error["loc"]) or "body"
        problems.append(f"{where}: {error['msg']}")
    first = exc.errors()[0]["loc"] if exc.errors() else ()
    return GatewayError(422, "invalid request: " + "; ".join(problems),
                        param=".".join(str(p) for p in first) or None)  # fmt: skip
