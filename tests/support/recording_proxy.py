"""A loopback HTTP proxy that records every request body and can misbehave on purpose.

Put it in front of a real OpenAI-compatible server (llama_cpp.server) and point the
cloud model's `base_url` at it: `bodies` then holds exactly what "the cloud" received,
so a test can assert that no sensitive value ever reached it. Responses are passed
through as they arrive, with chunked transfer encoding as uvicorn sends them.

`inject(mode, ...)` makes the next requests fail the way real endpoints do (the body is
still recorded first):

- ``status``: answer ``status`` with an OpenAI-style error body, and ``Retry-After``
  when ``retry_after`` is given (a rate limit, a 500);
- ``hang``: say nothing for ``seconds``, then close the connection;
- ``malformed``: a 200 whose body is not JSON (for a stream, an event that is not);
- ``drop``: forward, but cut the connection after ``after`` streamed events, without the
  final chunk of the chunked encoding (a crashed server or a broken network);
- ``eof``: as ``drop``, but end the body cleanly (a proxy that closes the stream early):
  the client sees a stream that simply stops, without a finish reason or ``[DONE]``;
- ``error-event``: after ``after`` events, an SSE ``data: {"error": ...}`` event and the
  end of the body (how llama_cpp.server and vLLM report a failure inside a 200 stream).

`fail_with = STATUS` is shorthand for a ``status`` fault on every request.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

_EVENT_END = re.compile(rb"\r?\n\r?\n")
_HOP = ("content-length", "transfer-encoding", "connection", "content-encoding")


@dataclass
class ProxyFault:
    mode: str
    times: int = 1
    status: int = 500
    retry_after: str | None = None
    seconds: float = 1.0
    after: int = 2


class RecordingProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.bodies: list[str] = []
        self.fail_with: int | None = None
        self.faults: list[ProxyFault] = []
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._handle(b"")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self._handle(self.rfile.read(length))

            def _handle(self, body: bytes) -> None:
                self.close_connection = True
                with proxy._lock:
                    proxy.bodies.append(body.decode("utf-8", "replace"))
                fault = proxy._take_fault()
                streaming = _wants_stream(body)
                if fault is None or fault.mode in ("drop", "eof", "error-event"):
                    self._forward(body, fault, streaming)
                elif fault.mode == "status":
                    self._error(fault)
                elif fault.mode == "hang":
                    time.sleep(fault.seconds)
                elif fault.mode == "malformed":
                    self._malformed(streaming)
                else:
                    raise ValueError(f"unknown fault mode {fault.mode!r}")

            def _error(self, fault: ProxyFault) -> None:
                payload = json.dumps(
                    {"error": {"message": "injected failure", "type": "server_error"}}
                ).encode()
                self.send_response(fault.status)
                self.send_header("Content-Type", "application/json")
                if fault.retry_after is not None:
                    self.send_header("Retry-After", fault.retry_after)
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(payload)

            def _malformed(self, streaming: bool) -> None:
                if streaming:
                    kind, payload = "text/event-stream", b'data: {"id": "x", "choices": [<\n\n'
                else:
                    kind, payload = "application/json", b'{"id": "x", "choices": [<not json>'
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(payload)

            def _forward(self, body: bytes, fault: ProxyFault | None, streaming: bool) -> None:
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("host", *_HOP)}  # fmt: skip
                url = proxy.upstream + self.path.removeprefix("/v1")
                with httpx.Client(timeout=120) as client, client.stream(
                    self.command, url, content=body, headers=headers
                ) as reply:
                    self.send_response(reply.status_code)
                    for key, value in reply.headers.items():
                        if key.lower() not in _HOP:
                            self.send_header(key, value)
                    self.send_header("Transfer-Encoding", "chunked")
                    self.send_header("Connection", "close")
                    self.end_headers()
                    if fault is None:
                        for part in reply.iter_bytes():
                            self._chunk(part)
                    elif streaming:  # exactly `after` whole events, then the fault
                        for event in list(_events(reply.iter_bytes()))[: fault.after]:
                            self._chunk(event)
                        if fault.mode == "error-event":
                            error = {"error": {"message": "injected failure", "code": 500}}
                            self._chunk(b"data: " + json.dumps(error).encode() + b"\n\n")
                    if fault is None or fault.mode != "drop":
                        self._chunk(b"")  # the last chunk: the body ends cleanly

            def _chunk(self, data: bytes) -> None:
                self.wfile.write(f"{len(data):X}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def inject(self, mode: str, **params: Any) -> None:
        """Make the next `times` requests (default 1) fail in `mode` (see the module doc)."""
        with self._lock:
            self.faults.append(ProxyFault(mode, **params))

    def _take_fault(self) -> ProxyFault | None:
        with self._lock:
            if self.fail_with is not None:
                return ProxyFault("status", status=self.fail_with, retry_after="0")
            if not self.faults:
                return None
            fault = self.faults[0]
            fault.times -= 1
            if fault.times <= 0:
                self.faults.pop(0)
            return fault

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> RecordingProxy:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def received(self) -> str:
        with self._lock:
            return "\n".join(self.bodies)


def _events(parts: Iterator[bytes]) -> Iterator[bytes]:
    """Whole server-sent events (each with its blank-line end) from arbitrary reads."""
    buffer = b""
    for part in parts:
        buffer += part
        while (found := _EVENT_END.search(buffer)) is not None:
            yield buffer[: found.end()]
            buffer = buffer[found.end() :]


def _wants_stream(body: bytes) -> bool:
    try:
        return bool(json.loads(body or b"{}").get("stream"))
    except (ValueError, AttributeError):
        return False
