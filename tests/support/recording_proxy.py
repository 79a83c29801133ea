"""A loopback HTTP proxy that records every request body before forwarding it.

Put it in front of a real OpenAI-compatible server (llama_cpp.server) and point the
cloud model's `base_url` at it: `bodies` then holds exactly what "the cloud" received,
so a test can assert that no sensitive value ever reached it. Streaming responses are
passed through as they arrive. `fail_with` makes it answer an error status instead of
forwarding (a cloud that is down or rate-limited), still recording the body.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx


class RecordingProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.bodies: list[str] = []
        self.fail_with: int | None = None
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._forward(b"")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self._forward(self.rfile.read(length))

            def _forward(self, body: bytes) -> None:
                with proxy._lock:
                    proxy.bodies.append(body.decode("utf-8", "replace"))
                if proxy.fail_with is not None:
                    payload = b'{"error": {"message": "injected failure", "type": "server_error"}}'
                    self.send_response(proxy.fail_with)
                    self.send_header("Content-Type", "application/json")
                    if proxy.fail_with == 429:
                        self.send_header("Retry-After", "0")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                skip = ("host", "content-length", "connection")
                headers = {k: v for k, v in self.headers.items() if k.lower() not in skip}
                url = proxy.upstream + self.path.removeprefix("/v1")
                with httpx.Client(timeout=120) as client, client.stream(
                    self.command, url, content=body, headers=headers
                ) as reply:
                    self.send_response(reply.status_code)
                    for key, value in reply.headers.items():
                        if key.lower() not in ("content-length", "transfer-encoding",
                                               "connection", "content-encoding"):  # fmt: skip
                            self.send_header(key, value)
                    self.send_header("Connection", "close")
                    self.end_headers()
                    for part in reply.iter_raw():
                        self.wfile.write(part)
                        self.wfile.flush()
                self.close_connection = True

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

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
