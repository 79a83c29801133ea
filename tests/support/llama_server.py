"""A real `python -m llama_cpp.server` on loopback, serving SmolLM2, for provider tests.

Use it from a test module (or list this module in `pytest_plugins`)::

    from tests.support.llama_server import llama_server  # noqa: F401

    def test_hello(llama_server):
        settings = load_settings("openai", llm=llama_server.llm)

The server serves one model under the alias ``smollm2`` with a 2,048-token context, for
chat, completions and embeddings (``--embedding true`` plus mean pooling, since SmolLM2's
GGUF names no pooling and llama_cpp.server would otherwise return one vector per token).
It starts in about a second. Quirks of llama_cpp.server worth knowing:

- an unknown model name is not an error: the request is served by the default model;
- ``response_format`` accepts only ``text`` and ``json_object`` (a ``json_schema`` type is
  a 500); ``{"type": "json_object", "schema": {...}}`` is enforced with a grammar;
- a prompt over the context is a 400 ``context_length_exceeded`` without streaming, but
  with streaming the server answers 200 and ends the stream without a chunk;
- it interrupts a running stream when another request arrives, unless started with
  ``--interrupt_requests false`` (done here, so `batch` and streams can overlap);
- it honours ``max_tokens`` but ignores ``max_completion_tokens``;
- tools: with the model's own template (the default) only a named ``tool_choice`` makes
  a call (under a grammar from that tool's schema); ``auto`` and ``required`` answer in
  text. With ``--chat_format chatml-function-calling`` (`llama_server_tools`) ``auto``
  lets the model choose between text and a call too, but ``required`` fails (the
  handler asserts ``auto``), so LangChain's ``tool_choice="any"`` does not work there.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ALIAS = "smollm2"
N_CTX = 2048
START_TIMEOUT_S = 60.0


@dataclass
class LlamaServer:
    """A running server: where it listens, which model alias it serves, its log."""

    base_url: str
    model: str
    n_ctx: int
    log: Path
    start_seconds: float
    api_key: str | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def llm(self) -> dict[str, Any]:
        """Overrides for `load_settings(..., llm=...)` (or `embeddings=`) that use this server."""
        values: dict[str, Any] = {"base_url": self.base_url, "model": self.model}
        if self.api_key:
            values["api_key"] = self.api_key
        return values

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _command(
    gguf: Path, port: int, api_key: str | None, chat_format: str | None = None
) -> list[str]:
    from inhouse.models.gguf_meta import read_gguf_metadata

    arch = read_gguf_metadata(gguf).architecture or "llama"
    command = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(gguf),
        "--model_alias", ALIAS,
        "--host", "127.0.0.1",
        "--port", str(port),
        "--n_ctx", str(N_CTX),
        "--verbose", "false",
        "--interrupt_requests", "false",
        "--embedding", "true",
        "--kv_overrides", f"{arch}.pooling_type=int:1",
    ]  # fmt: skip
    if api_key:
        command += ["--api_key", api_key]
    if chat_format:
        command += ["--chat_format", chat_format]
    return command


def _wait_until_ready(server: LlamaServer, timeout: float) -> None:
    import httpx

    assert server.process is not None
    headers = {"Authorization": f"Bearer {server.api_key}"} if server.api_key else {}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(
                f"llama_cpp.server exited with code {server.process.returncode} before it"
                f" answered; its log:\n{server.log_tail()}"
            )
        with contextlib.suppress(httpx.HTTPError):
            response = httpx.get(f"{server.base_url}/models", headers=headers, timeout=2.0)
            if response.status_code == 200:
                return
        time.sleep(0.05)
    pytest.fail(
        f"llama_cpp.server did not answer {server.base_url}/models within {timeout:.0f} s;"
        f" its log:\n{server.log_tail()}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextlib.contextmanager
def run_llama_server(
    gguf: Path, log_dir: Path, *, api_key: str | None = None, chat_format: str | None = None
) -> Iterator[LlamaServer]:
    """Start llama_cpp.server on a free loopback port, wait for it, stop it afterwards."""
    try:
        import llama_cpp.server.app  # noqa: F401  (needs the [server] extra: fastapi, uvicorn)
    except ImportError as exc:
        pytest.skip(f"llama_cpp.server is not installed ({exc}); pip install 'inhouse[dev]'")
    port = free_port()
    log = log_dir / f"llama_server_{port}.log"
    server = LlamaServer(
        base_url=f"http://127.0.0.1:{port}/v1", model=ALIAS, n_ctx=N_CTX, log=log,
        start_seconds=0.0, api_key=api_key,
    )  # fmt: skip
    started = time.monotonic()
    with log.open("wb") as sink:
        server.process = subprocess.Popen(
            _command(gguf, port, api_key, chat_format),
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "HF_HUB_OFFLINE": "1"},
        )
    try:
        _wait_until_ready(server, START_TIMEOUT_S)
        server.start_seconds = time.monotonic() - started
        yield server
    finally:
        _stop(server.process)


@pytest.fixture(scope="session")
def llama_server(
    smollm2_gguf: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LlamaServer]:
    """llama_cpp.server with SmolLM2 under the alias `smollm2`, no API key."""
    with run_llama_server(smollm2_gguf, tmp_path_factory.mktemp("llama_server")) as server:
        yield server


@pytest.fixture(scope="session")
def llama_server_with_key(
    smollm2_gguf: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LlamaServer]:
    """The same server, but every request needs `server.api_key` (a random token)."""
    key = "sk-test-" + secrets.token_hex(8)
    log_dir = tmp_path_factory.mktemp("llama_server_key")
    with run_llama_server(smollm2_gguf, log_dir, api_key=key) as server:
        yield server


@pytest.fixture(scope="session")
def llama_server_tools(
    smollm2_gguf: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LlamaServer]:
    """The same server with ``--chat_format chatml-function-calling`` (tools under auto)."""
    log_dir = tmp_path_factory.mktemp("llama_server_tools")
    with run_llama_server(smollm2_gguf, log_dir, chat_format="chatml-function-calling") as server:
        yield server
