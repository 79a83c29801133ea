"""An Ollama-compatible HTTP server for tests, backed by real models.

It follows Ollama's published API (docs/api.md in ollama/ollama) closely enough for the
`ollama` client and langchain-ollama: NDJSON streaming with chunked transfer encoding,
final lines with ``done_reason`` and nanosecond timings, ``options``, ``format`` ("json"
or a JSON schema, enforced with a llama.cpp grammar), ``keep_alive``, and Ollama's error
bodies and status codes (404 ``model "x" not found, try pulling it first``, 400 for bad
requests).

Models served:

- ``smollm2:135m``: SmolLM2-135M-Instruct (GGUF) under llama.cpp, for chat and generate;
- ``all-minilm``: all-MiniLM-L6-v2 under sentence-transformers, for embed (384
  dimensions, L2-normalised like Ollama's).

Like Ollama, the model runs with the request's ``num_ctx`` (default 4096, at most the
GGUF's 8192) and a prompt longer than that is silently truncated (first ``num_keep``
tokens plus the most recent ones), which ``prompt_eval_count`` reveals.

Test hooks (not part of Ollama's API):

- ``POST /__test__/fault`` ``{"mode": ..., "path": "/api/chat", "times": 1, ...}``:
  the next matching request fails on purpose. Modes: ``status`` (``status`` code,
  ``error`` text, ``retry_after`` header), ``malformed`` (200 with a body that is not
  JSON), ``drop`` (close the connection after ``after`` streamed lines, or before any
  response), ``delay`` (sleep ``seconds`` first). ``DELETE /__test__/fault`` clears them.
- ``GET /__test__/requests``: the bodies of the most recent ``/api/*`` requests.

Example:
    >>> server = OllamaTestServer(gguf_path, embed_dir).start()  # doctest: +SKIP
    >>> httpx.get(server.url + "/api/tags").json()["models"][0]["name"]  # doctest: +SKIP
    'smollm2:135m'
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import random
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

CHAT_MODEL = "smollm2:135m"
EMBED_MODEL = "all-minilm"
VERSION = "0.12.6"
DEFAULT_NUM_CTX = 4096
DEFAULT_NUM_KEEP = 4
STOP_STRINGS = ["<|im_start|>", "<|im_end|>"]
GO_TEMPLATE = (
    "{{- range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n"
    "{{ end }}<|im_start|>assistant\n"
)

_INT_OPTIONS = {
    "num_keep", "seed", "num_predict", "top_k", "repeat_last_n", "mirostat", "num_ctx",
    "num_batch", "num_gpu", "main_gpu", "num_thread",
}  # fmt: skip
_FLOAT_OPTIONS = {
    "top_p", "min_p", "typical_p", "tfs_z", "temperature", "repeat_penalty",
    "presence_penalty", "frequency_penalty", "mirostat_tau", "mirostat_eta",
}  # fmt: skip
_BOOL_OPTIONS = {
    "numa", "low_vram", "f16_kv", "logits_all", "vocab_only", "use_mmap", "use_mlock",
    "embedding_only", "penalize_newline",
}  # fmt: skip
_STREAMING = ("/api/chat", "/api/generate")
_DURATION = re.compile(r"^-?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$")


class RequestError(Exception):
    """An error answered as Ollama does: ``{"error": message}`` with a status code."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def not_found(name: str) -> RequestError:
    return RequestError(404, f"model {json.dumps(name)} not found, try pulling it first")


def now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


# --- models -----------------------------------------------------------------------------


def load_llama(path: Path, n_ctx: int) -> Any:
    """A quiet `llama_cpp.Llama`, closed cleanly when the test process exits."""
    import llama_cpp

    from inhouse.providers._shared import close_at_exit

    llama = llama_cpp.Llama(str(path), n_ctx=n_ctx, n_batch=512, verbose=False)
    close_at_exit(llama)
    return llama


@dataclass
class ChatModel:
    """SmolLM2 under llama.cpp, rendered with its own chat template, one request at a time."""

    path: Path
    llama: Any = None
    formatter: Any = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    grammars: dict[str, Any] = field(default_factory=dict)

    def load(self) -> ChatModel:
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        self.llama = load_llama(self.path, n_ctx=self.context_length)
        model = self.llama._model
        self.formatter = Jinja2ChatFormatter(
            self.llama.metadata["tokenizer.chat_template"],
            eos_token=model.token_get_text(self.llama.token_eos()),
            bos_token=model.token_get_text(self.llama.token_bos()),
        )
        return self

    @property
    def context_length(self) -> int:
        return 8192

    def model_info(self) -> dict[str, Any]:
        info: dict[str, Any] = {}
        for key, value in self.llama.metadata.items():
            if key.startswith("tokenizer.chat_template"):
                continue
            info[key] = _number(value)
        info["general.parameter_count"] = 134515008
        return info

    def tokens(self, messages: list[dict[str, Any]]) -> list[int]:
        prompt = self.formatter(messages=messages).prompt
        return self.llama.tokenize(prompt.encode("utf-8"), add_bos=False, special=True)

    def raw_tokens(self, text: str) -> list[int]:
        return self.llama.tokenize(text.encode("utf-8"), add_bos=False, special=True)

    def grammar(self, fmt: Any) -> Any:
        from llama_cpp import LlamaGrammar
        from llama_cpp.llama_grammar import JSON_GBNF

        if fmt in (None, ""):
            return None
        key = fmt if isinstance(fmt, str) else json.dumps(fmt)  # property order matters
        if key not in self.grammars:
            if fmt == "json":
                self.grammars[key] = LlamaGrammar.from_string(JSON_GBNF, verbose=False)
            elif isinstance(fmt, dict):
                try:
                    self.grammars[key] = LlamaGrammar.from_string(schema_gbnf(key), verbose=False)
                except Exception as exc:
                    raise RequestError(400, f"invalid JSON schema in format: {exc}") from exc
            else:
                msg = f'invalid format: {json.dumps(fmt)}; expected "json" or a valid JSON schema'
                raise RequestError(400, msg)
        return self.grammars[key]


def schema_gbnf(schema: str) -> str:
    """A JSON-schema grammar as Ollama builds it (llama.cpp's C++ converter).

    llama-cpp-python's Python port allows raw control characters inside strings; the C++
    converter Ollama uses does not, so this test server does not either.
    """
    from inhouse.providers.llamacpp import json_gbnf

    return json_gbnf(schema)


@dataclass
class EmbedModel:
    """all-MiniLM-L6-v2 under sentence-transformers, loaded on first use."""

    path: Path | None
    model: Any = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    context_length: int = 512

    def get(self) -> Any:
        with self.lock:
            if self.model is None:
                if self.path is None:
                    raise RequestError(500, "this test server has no embedding model")
                from sentence_transformers import SentenceTransformer

                self.model = SentenceTransformer(str(self.path), device="cpu")
                self.model.max_seq_length = self.context_length
            return self.model


def _number(value: str) -> Any:
    for kind in (int, float):
        with contextlib.suppress(ValueError):
            return kind(value)
    return value


# --- request parsing --------------------------------------------------------------------


def parse_options(raw: Any) -> dict[str, Any]:
    """Ollama's option checks: known keys with the right type; unknown keys are ignored."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise RequestError(400, "options must be an object")
    options: dict[str, Any] = {}
    for key, value in raw.items():
        if value is None:
            continue
        if key in _INT_OPTIONS or key in _FLOAT_OPTIONS:
            if isinstance(value, bool) or not isinstance(value, int | float):
                kind = "integer" if key in _INT_OPTIONS else "float"
                raise RequestError(400, f'option "{key}" must be of type {kind}')
            options[key] = int(value) if key in _INT_OPTIONS else float(value)
        elif key in _BOOL_OPTIONS:
            options[key] = bool(value)
        elif key == "stop":
            if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
                raise RequestError(400, 'option "stop" must be of type array of strings')
            options[key] = value
    return options


def check_keep_alive(value: Any) -> float | None:
    """Seconds from a number or a Go duration ("5m", "1h30m", "-1"); None when absent."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and (_DURATION.match(value) or re.match(r"^-?\d+$", value)):
        return 0.0 if value in ("0", "0s") else 1.0
    raise RequestError(400, f"time: invalid duration {json.dumps(str(value))}")


def model_name(body: dict[str, Any]) -> str:
    name = body.get("model") or body.get("name")
    if not name or not isinstance(name, str):
        raise RequestError(400, "model is required")
    return name


def canonical(name: str) -> str:
    return name if ":" in name else f"{name}:latest"


# --- faults -----------------------------------------------------------------------------


@dataclass
class Fault:
    mode: str
    path: str = "/api/"
    times: int = 1
    status: int = 500
    error: str = "something went wrong"
    after: int = 2
    seconds: float = 1.0
    retry_after: str | None = None


# --- the server -------------------------------------------------------------------------


class OllamaTestServer:
    """Serves the Ollama API on 127.0.0.1 at a free port, in a background thread."""

    def __init__(self, gguf_path: Path, embed_dir: Path | None = None) -> None:
        self.chat = ChatModel(Path(gguf_path))
        self.embed = EmbedModel(Path(embed_dir) if embed_dir else None)
        self.faults: list[Fault] = []
        self.requests: deque[dict[str, Any]] = deque(maxlen=50)
        self.started = time.time()
        self._lock = threading.Lock()
        self._busy = 0
        self._idle = threading.Condition()
        self._httpd: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the server is not running")
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> OllamaTestServer:
        self.chat.load()
        handler = type("Handler", (_Handler,), {"server_state": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self, drain_seconds: float = 60.0) -> None:
        """Stop serving, then wait for requests still being worked on.

        A handler thread left inside llama.cpp or torch while the interpreter exits gets
        killed mid-C++ and aborts the process ("terminate called without an active
        exception"); a client that timed out leaves exactly such a request behind.
        """
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        with self._idle:
            self._idle.wait_for(lambda: self._busy == 0, timeout=drain_seconds)

    @contextlib.contextmanager
    def working(self) -> Iterator[None]:
        """Mark one request as in progress (see `stop`)."""
        with self._idle:
            self._busy += 1
        try:
            yield
        finally:
            with self._idle:
                self._busy -= 1
                self._idle.notify_all()

    def add_fault(self, fault: Fault) -> None:
        with self._lock:
            self.faults.append(fault)

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    def take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if path.startswith(fault.path):
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                    return fault
        return None

    # --- model catalogue ---

    def models(self) -> dict[str, dict[str, Any]]:
        chat_size = self.chat.path.stat().st_size
        return {
            CHAT_MODEL: {
                "size": chat_size,
                "details": _details("llama", "134.52M", "Q4_1"),
                "capabilities": ["completion"],
            },
            canonical(EMBED_MODEL): {
                "size": 45_960_996,
                "details": _details("bert", "22.57M", "F16"),
                "capabilities": ["embedding"],
            },
        }

    def find(self, name: str) -> str:
        wanted = canonical(name)
        if wanted not in self.models():
            raise not_found(name)
        return wanted


def _details(family: str, size: str, quant: str) -> dict[str, Any]:
    return {
        "parent_model": "",
        "format": "gguf",
        "family": family,
        "families": [family],
        "parameter_size": size,
        "quantization_level": quant,
    }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_state: OllamaTestServer

    def log_message(self, format: str, *args: Any) -> None:
        return

    # --- plumbing ---

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, payload: Any) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json; charset=utf-8")

    def _text(self, status: int, text: str) -> None:
        self._send(status, text.encode(), "text/plain; charset=utf-8")

    def _start_stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def _chunk(self, payload: dict[str, Any] | bytes) -> None:
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode() + b"\n"
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _end_stream(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw.strip():
            raise RequestError(400, "missing request body")
        try:
            body = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise RequestError(400, f"invalid character in request body: {exc}") from exc
        if not isinstance(body, dict):
            raise RequestError(400, "request body must be a JSON object")
        return body

    # --- dispatch ---

    def do_HEAD(self) -> None:
        if self.path == "/":
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._text(404, "404 page not found")

    def do_GET(self) -> None:
        routes: dict[str, Callable[[], None]] = {
            "/": lambda: self._text(200, "Ollama is running"),
            "/api/version": lambda: self._json(200, {"version": VERSION}),
            "/api/tags": self._tags,
            "/__test__/requests": lambda: self._json(200, list(self.server_state.requests)),
        }
        self._dispatch(routes, None)

    def do_POST(self) -> None:
        routes: dict[str, Callable[..., None]] = {
            "/api/chat": self._chat,
            "/api/generate": self._generate,
            "/api/embed": self._embed,
            "/api/show": self._show,
            "/__test__/fault": self._add_fault,
        }
        self._dispatch(routes, "body")

    def do_DELETE(self) -> None:
        if self.path == "/__test__/fault":
            self.server_state.clear_faults()
            self.server_state.requests.clear()
            self._json(200, {})
        else:
            self._text(404, "404 page not found")

    def _dispatch(self, routes: dict[str, Callable[..., None]], body: str | None) -> None:
        route = routes.get(self.path)
        if route is None:
            self._text(404, "404 page not found")
            return
        with self.server_state.working():
            self._route(route, body)

    def _route(self, route: Callable[..., None], body: str | None) -> None:
        try:
            # The body is read first, always: an unread body would spoil the next request
            # on this keep-alive connection.
            payload = self._body() if body else None
            api = self.path.startswith("/api/")
            if api and payload is not None:
                self.server_state.requests.append({"path": self.path, **payload})
            fault = self.server_state.take_fault(self.path) if api else None
            if fault and self._apply_fault(fault):
                return
            args: list[Any] = [] if payload is None else [payload]
            if self.path in _STREAMING:
                args.append(fault)
            route(*args)
        except RequestError as exc:
            self._json(exc.status, {"error": exc.message})
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _apply_fault(self, fault: Fault) -> bool:
        """Apply a fault; True when the request is answered (or dropped) by it."""
        if fault.mode == "delay":
            time.sleep(fault.seconds)
            return False
        if fault.mode == "status":
            body = json.dumps({"error": fault.error}).encode()
            self.send_response(fault.status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            if fault.retry_after is not None:
                self.send_header("Retry-After", fault.retry_after)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return True
        if fault.mode == "malformed":
            self._send(200, b'{"model": "oops", "message": <not json>\n', "application/json")
            return True
        if fault.mode == "drop":
            if self.path in _STREAMING:
                return False  # dropped mid-stream by the generation loop
            self._drop()
            return True
        raise RequestError(400, f"unknown fault mode {fault.mode!r}")

    # --- test hooks ---

    def _add_fault(self, body: dict[str, Any]) -> None:
        known = set(Fault.__dataclass_fields__)
        self.server_state.add_fault(Fault(**{k: v for k, v in body.items() if k in known}))
        self._json(200, {})

    # --- endpoints ---

    def _tags(self) -> None:
        state = self.server_state
        models = [
            {
                "name": name,
                "model": name,
                "modified_at": now(),
                "size": entry["size"],
                "digest": hashlib.sha256(name.encode()).hexdigest(),
                "details": entry["details"],
            }
            for name, entry in state.models().items()
        ]
        self._json(200, {"models": models})

    def _show(self, body: dict[str, Any]) -> None:
        state = self.server_state
        name = model_name(body)
        wanted = canonical(name)
        if wanted not in state.models():
            raise RequestError(404, f"model '{name}' not found")
        entry = state.models()[wanted]
        source = state.chat.path if wanted == CHAT_MODEL else state.embed.path
        if wanted == CHAT_MODEL:
            info = state.chat.model_info()
            template = GO_TEMPLATE
            parameters = "\n".join(f'stop                           "{s}"' for s in STOP_STRINGS)
        else:
            info = {
                "general.architecture": "bert",
                "general.parameter_count": 22565376,
                "bert.context_length": state.embed.context_length,
                "bert.embedding_length": 384,
                "bert.block_count": 6,
            }
            template, parameters = "{{ .Prompt }}", "num_ctx                        256"
        self._json(
            200,
            {
                "modelfile": f'# Modelfile generated by "ollama show"\nFROM {source}\n'
                f'TEMPLATE """{template}"""\n',
                "parameters": parameters,
                "template": template,
                "details": entry["details"],
                "model_info": info,
                "capabilities": entry["capabilities"],
                "modified_at": now(),
            },
        )

    def _completion_model(self, body: dict[str, Any], what: str) -> str:
        state = self.server_state
        name = model_name(body)
        wanted = state.find(name)
        if wanted != CHAT_MODEL:
            raise RequestError(400, f'"{name}" does not support {what}')
        if body.get("think") not in (None, False):
            raise RequestError(400, f'"{name}" does not support thinking')
        if body.get("tools") and what != "chat":
            raise RequestError(400, f'"{name}" does not support tools')
        return name

    def _chat(self, body: dict[str, Any], fault: Fault | None) -> None:
        name = self._completion_model(body, "chat")
        options = parse_options(body.get("options"))
        keep_alive = check_keep_alive(body.get("keep_alive"))
        grammar = self.server_state.chat.grammar(body.get("format"))
        messages = body.get("messages") or []
        if not isinstance(messages, list) or not all(
            isinstance(m, dict) and isinstance(m.get("role"), str) for m in messages
        ):
            raise RequestError(400, "messages must be a list of objects with a role")
        if not messages:
            reason = "unload" if keep_alive == 0 else "load"
            done = {"message": {"role": "assistant", "content": ""}, "done_reason": reason}
            self._json(200, {"model": name, "created_at": now(), **done, "done": True})
            return
        plan = tool_plan(body.get("tools"))
        if plan is not None:
            if body.get("format"):
                raise RequestError(400, "format and tools cannot be used together here")
            turns = tool_turns(plan, messages)
            grammar = self.server_state.chat.grammar(plan.schema)
        else:
            turns = [{"role": m["role"], "content": m.get("content") or ""} for m in messages]
        tokens = self.server_state.chat.tokens(turns)
        self._run(name, tokens, options, grammar, body, fault, chat=True, tools=plan)

    def _generate(self, body: dict[str, Any], fault: Fault | None) -> None:
        name = self._completion_model(body, "generate")
        options = parse_options(body.get("options"))
        keep_alive = check_keep_alive(body.get("keep_alive"))
        grammar = self.server_state.chat.grammar(body.get("format"))
        prompt = body.get("prompt") or ""
        if not isinstance(prompt, str):
            raise RequestError(400, "prompt must be a string")
        if not prompt:
            reply: dict[str, Any] = {"model": name, "created_at": now(), "response": ""}
            if keep_alive == 0:
                reply["done_reason"] = "unload"
            self._json(200, {**reply, "done": True})
            return
        chat = self.server_state.chat
        if body.get("raw"):
            tokens = chat.raw_tokens(prompt)
        else:
            turns = [{"role": "user", "content": prompt}]
            if body.get("system"):
                turns.insert(0, {"role": "system", "content": body["system"]})
            tokens = list(body.get("context") or []) + chat.tokens(turns)
        self._run(name, tokens, options, grammar, body, fault, chat=False)

    def _run(
        self,
        name: str,
        tokens: list[int],
        options: dict[str, Any],
        grammar: Any,
        body: dict[str, Any],
        fault: Fault | None,
        *,
        chat: bool,
        tools: Any = None,
    ) -> None:
        """Generate and answer: NDJSON lines when streaming, one object otherwise.

        With tools, the answer is decoded whole (constrained JSON) and sent as one
        message: its content, or its ``tool_calls``, as Ollama sends a parsed call."""
        chat_model = self.server_state.chat
        start = time.perf_counter_ns()
        with chat_model.lock:
            tokens = fit(tokens, options, chat_model.context_length)
            parts = generate(chat_model, tokens, options, grammar)
            stream = body.get("stream", True) is not False
            if stream:
                self._start_stream()
            text: list[str] = []
            finished: Finished | None = None
            sent = 0
            try:
                for piece in parts:
                    if isinstance(piece, Finished):
                        finished = piece
                        break
                    text.append(piece)
                    if stream and piece and tools is None:
                        if fault and fault.mode == "drop" and sent >= fault.after:
                            break
                        self._chunk(_line(name, piece, chat, done=False))
                        sent += 1
            except OSError:  # the client went away
                raise
            except Exception as exc:  # report a failure inside the stream, like Ollama
                if not stream:
                    raise RequestError(500, str(exc)) from exc
                self._chunk({"error": str(exc)})
                self._end_stream()
                return
            finally:
                parts.close()
            if fault and fault.mode == "drop":
                self._drop()
                return
            if finished is None:
                raise RequestError(500, "generation ended without a result")
            if tools is not None:
                reply = tool_reply(tools, "".join(text))
                if stream:
                    self._chunk({**_line(name, "", chat, done=False), "message": reply})
                final = _line(name, "", chat, done=True)
                if not stream:
                    final["message"] = reply
            else:
                final = _line(name, "" if stream else "".join(text), chat, done=True)
            final.update(finished.stats(start))
            if not chat and not body.get("raw"):
                final["context"] = tokens + chat_model.raw_tokens("".join(text))
        if stream:
            self._chunk(final)
            self._end_stream()
        else:
            self._json(200, final)

    def _embed(self, body: dict[str, Any]) -> None:
        state = self.server_state
        name = model_name(body)
        if state.find(name) != canonical(EMBED_MODEL):
            raise RequestError(400, f'"{name}" does not support embeddings')
        check_keep_alive(body.get("keep_alive"))
        parse_options(body.get("options"))
        texts = body.get("input", [])
        texts = [texts] if isinstance(texts, str) else texts
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise RequestError(400, "invalid input type")
        start = time.perf_counter_ns()
        model = state.embed.get()
        load = time.perf_counter_ns() - start
        counts = [len(model.tokenizer(t)["input_ids"]) for t in texts]
        if body.get("truncate") is False and any(c > state.embed.context_length for c in counts):
            raise RequestError(400, "the input length exceeds the context length")
        with state.embed.lock:
            vectors = model.encode(texts, normalize_embeddings=True).tolist() if texts else []
        dims = body.get("dimensions")
        if dims:
            vectors = [_renormalise(v[: int(dims)]) for v in vectors]
        self._json(
            200,
            {
                "model": name,
                "embeddings": vectors,
                "total_duration": time.perf_counter_ns() - start,
                "load_duration": load,
                "prompt_eval_count": sum(min(c, state.embed.context_length) for c in counts),
            },
        )


def tool_plan(tools: Any) -> Any:
    """The tools of a chat request as inhouse's constrained-decoding plan ("auto": Ollama
    has no tool_choice), or None without tools."""
    from inhouse.errors import ConfigError
    from inhouse.providers._tools import ToolPlan

    if not tools:
        return None
    if not isinstance(tools, list) or not all(isinstance(t, dict) for t in tools):
        raise RequestError(400, "tools must be a list of objects")
    try:
        return ToolPlan.take({"tools": tools, "tool_choice": "auto"})
    except (ConfigError, KeyError, ValueError) as exc:
        raise RequestError(400, f"invalid tools: {exc}") from exc


def tool_turns(plan: Any, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The chat with the tools described and tool turns in inhouse's plain format
    (SmolLM2's template has no tool role)."""
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

    kinds = {"system": SystemMessage, "user": HumanMessage}
    history: list[Any] = []
    for m in messages:
        content = m.get("content") or ""
        if m["role"] == "assistant":
            calls = [
                {"name": c["function"]["name"], "args": c["function"].get("arguments") or {},
                 "id": f"call_{i}"}
                for i, c in enumerate(m.get("tool_calls") or [])
            ]  # fmt: skip
            history.append(AIMessage(content, tool_calls=calls))
        elif m["role"] == "tool":
            name = m.get("tool_name") or m.get("name")
            history.append(ToolMessage(content, tool_call_id="-", name=name))
        else:
            history.append(kinds.get(m["role"], HumanMessage)(content))
    roles = {"system": "system", "human": "user", "ai": "assistant"}
    return [{"role": roles[x.type], "content": x.text} for x in plan.messages(history)]


def tool_reply(plan: Any, text: str) -> dict[str, Any]:
    """The assistant message Ollama sends for a decoded answer: text or tool calls."""
    content, calls, _ = plan.parse(text)
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if calls:
        message["tool_calls"] = [
            {"function": {"index": i, "name": c["name"], "arguments": c["args"]}}
            for i, c in enumerate(calls)
        ]
    return message


def _renormalise(vector: list[float]) -> list[float]:
    norm = sum(x * x for x in vector) ** 0.5 or 1.0
    return [x / norm for x in vector]


def _line(name: str, text: str, chat: bool, *, done: bool) -> dict[str, Any]:
    line: dict[str, Any] = {"model": name, "created_at": now()}
    if chat:
        line["message"] = {"role": "assistant", "content": text}
    else:
        line["response"] = text
    line["done"] = done
    return line


# --- generation -------------------------------------------------------------------------


@dataclass
class Finished:
    """The end of a generation: why it stopped and its counts, for the final line."""

    reason: str
    prompt_tokens: int
    output_tokens: int
    prompt_ns: int
    eval_ns: int

    def stats(self, start_ns: int) -> dict[str, Any]:
        return {
            "done_reason": self.reason,
            "total_duration": time.perf_counter_ns() - start_ns,
            "load_duration": 1_000_000,
            "prompt_eval_count": self.prompt_tokens,
            "prompt_eval_duration": self.prompt_ns,
            "eval_count": self.output_tokens,
            "eval_duration": self.eval_ns,
        }


def fit(tokens: list[int], options: dict[str, Any], loaded_ctx: int) -> list[int]:
    """Ollama's silent truncation: keep `num_keep` tokens and the most recent ones."""
    num_ctx = min(options.get("num_ctx", DEFAULT_NUM_CTX), loaded_ctx)
    if len(tokens) < num_ctx:
        return tokens
    keep = min(options.get("num_keep", DEFAULT_NUM_KEEP), num_ctx // 4)
    tail = num_ctx // 2 - keep
    return tokens[:keep] + tokens[-tail:]


def generate(
    model: ChatModel, tokens: list[int], options: dict[str, Any], grammar: Any
) -> Iterator[str | Finished]:
    """Yield text pieces, then one `Finished`."""
    num_ctx = min(options.get("num_ctx", DEFAULT_NUM_CTX), model.context_length)
    room = max(num_ctx - len(tokens), 1)
    wanted = options.get("num_predict", -1)
    seed = options.get("seed", -1)
    kwargs = {
        "max_tokens": min(wanted, room) if wanted > 0 else room,
        "temperature": options.get("temperature", 0.8),
        "top_p": options.get("top_p", 0.9),
        "top_k": options.get("top_k", 40),
        "min_p": options.get("min_p", 0.0),
        "repeat_penalty": options.get("repeat_penalty", 1.1),
        "presence_penalty": options.get("presence_penalty", 0.0),
        "frequency_penalty": options.get("frequency_penalty", 0.0),
        "stop": STOP_STRINGS + list(options.get("stop", [])),
        "seed": seed if seed >= 0 else random.randrange(2**31),
        "grammar": grammar,
        "stream": True,
    }
    if wanted == 0:
        yield Finished("length", len(tokens), 0, 0, 0)
        return
    start = time.perf_counter_ns()
    first: int | None = None
    count, reason = 0, "stop"
    for chunk in model.llama.create_completion(tokens, **kwargs):
        first = first or time.perf_counter_ns()
        choice = chunk["choices"][0]
        if choice["text"]:
            count += 1
            yield choice["text"]
        reason = choice.get("finish_reason") or reason
    end = time.perf_counter_ns()
    prompt_ns = (first or end) - start
    yield Finished(reason, len(tokens), count, prompt_ns, end - (first or end))


# --- pytest glue ------------------------------------------------------------------------

_server: OllamaTestServer | None = None
_server_lock = threading.Lock()


def shared_server(gguf_path: Path, embed_dir: Path | None) -> OllamaTestServer:
    """One server per test process, however many modules ask for it."""
    global _server
    with _server_lock:
        if _server is None:
            _server = OllamaTestServer(gguf_path, embed_dir).start()
            atexit.register(_server.stop)
        return _server


def inject_fault(base_url: str, mode: str, **params: Any) -> None:
    """Make the next matching request fail (see the module docstring for modes)."""
    httpx.post(
        f"{base_url}/__test__/fault", json={"mode": mode, **params}, timeout=30
    ).raise_for_status()


def clear_faults(base_url: str) -> None:
    httpx.delete(f"{base_url}/__test__/fault", timeout=30).raise_for_status()


def recent_requests(base_url: str) -> list[dict[str, Any]]:
    """The bodies of the most recent /api/* requests, oldest first."""
    return httpx.get(f"{base_url}/__test__/requests", timeout=30).json()


@pytest.fixture(scope="session")
def ollama_server(smollm2_gguf: Path, minilm_dir: Path) -> str:
    """Base URL of an Ollama-compatible server on SmolLM2 and all-MiniLM-L6-v2."""
    return shared_server(smollm2_gguf, minilm_dir).url


@pytest.fixture
def ollama_fault(ollama_server: str) -> Iterator[Callable[..., None]]:
    """Inject faults into `ollama_server`; every fault and the request log is cleared after."""
    clear_faults(ollama_server)
    yield lambda mode, **params: inject_fault(ollama_server, mode, **params)
    clear_faults(ollama_server)
