"""A real `inhouse serve` on loopback, started as its own process, for gateway tests.

    with run_gateway(tmp_path, {"llm": {"max_tokens": 16}}) as gateway:
        httpx.get(f"{gateway.url}/v1/models")

The settings are written as a profile (``gw.toml``) in a fresh config folder; the data
folder is the gateway's own (``gateway.data_dir``), so keys and knowledge bases made
there are the ones it serves. `seed_kb` ingests documents before the server starts.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.llama_server import free_port

START_TIMEOUT_S = 90.0
DOCS = {
    "handbook.md": "# Staff handbook\n\nThe office opens at 8:30 and closes at 18:00.\n\n"
    "## Passwords\n\nA password must be at least 14 characters long and is changed every"
    " 180 days.\n\n## Travel\n\nTrain journeys over four hours may be booked in first class.",
    "parking.md": "# Parking\n\nThe garage under building B has 40 spaces for staff. Visitors"
    " park on level -1 and register at the front desk.",
}


@dataclass
class RunningGateway:
    url: str
    data_dir: Path
    config_dir: Path
    log: Path
    keys: dict[str, str] = field(default_factory=dict)
    """Key name -> the key, for the keys made before the server started."""
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def v1(self) -> str:
        return f"{self.url}/v1"

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run `inhouse` with the gateway's settings (config folder, profile, data folder)."""
        return cli(self.config_dir, self.data_dir, *args, check=check)


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value)


def write_profile(config_dir: Path, sections: dict[str, dict[str, Any]]) -> None:
    config_dir.mkdir(parents=True, exist_ok=True)
    lines = []
    for section, values in sections.items():
        lines.append(f"[{section}]")
        lines += [f"{k} = {_toml(v)}" for k, v in values.items()]
    (config_dir / "gw.toml").write_text("\n".join(lines) + "\n")


def env_for(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INHOUSE_")}
    return {**env, "INHOUSE_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1",
            "INHOUSE_MODELS__OLLAMA_DIR": str(data_dir / "no-ollama"),
            "INHOUSE_MODELS__HF_CACHE": str(data_dir / "no-hf-cache")}  # fmt: skip


def cli(
    config_dir: Path, data_dir: Path, *args: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "inhouse", "--config-dir", str(config_dir), "--profile",
               "gw", *args]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, env=env_for(data_dir),
                          timeout=300)  # fmt: skip
    if check and done.returncode != 0:
        pytest.fail(f"inhouse {' '.join(args)} exited {done.returncode}: {done.stderr[-2000:]}")
    return done


def seed_kb(config_dir: Path, data_dir: Path, name: str, docs: dict[str, str] = DOCS) -> Path:
    folder = data_dir.parent / f"docs-{name}"
    folder.mkdir(parents=True, exist_ok=True)
    for file, text in docs.items():
        (folder / file).write_text(text)
    cli(config_dir, data_dir, "ingest", str(folder), "--kb", name)
    return folder


@contextlib.contextmanager
def run_gateway(
    root: Path,
    sections: dict[str, dict[str, Any]] | None = None,
    *,
    kbs: tuple[str, ...] = (),
    keys: tuple[tuple[str, ...], ...] = (),
    docs: dict[str, str] = DOCS,
    folders: dict[str, list[Path]] | None = None,
) -> Iterator[RunningGateway]:
    """Start `inhouse serve` on a free port under `root`; `kbs` are seeded with `docs` and
    `keys` (argument lists for `inhouse keys create`) made before it starts; `folders`
    maps more knowledge bases to folders ingested as they are."""
    port = free_port()
    data_dir, config_dir = root / "data", root / "config"
    sections = {**(sections or {})}
    sections["server"] = {**sections.get("server", {}), "port": port}
    write_profile(config_dir, sections)
    for kb in kbs:
        seed_kb(config_dir, data_dir, kb, docs)
    for kb, paths in (folders or {}).items():
        cli(config_dir, data_dir, "ingest", *map(str, paths), "--kb", kb)
    gateway = RunningGateway(f"http://127.0.0.1:{port}", data_dir, config_dir, root / "serve.log")
    for args in keys:
        gateway.keys[args[0]] = gateway.cli("keys", "create", *args).stdout.strip()
    command = [sys.executable, "-m", "inhouse", "--config-dir", str(config_dir), "--profile",
               "gw", "serve"]  # fmt: skip
    with gateway.log.open("wb") as sink:
        gateway.process = subprocess.Popen(
            command, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env=env_for(data_dir),
        )  # fmt: skip
    try:
        _wait(gateway)
        yield gateway
    finally:
        _stop(gateway.process)


def _wait(gateway: RunningGateway) -> None:
    assert gateway.process is not None
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if gateway.process.poll() is not None:
            pytest.fail(f"inhouse serve exited {gateway.process.returncode}:\n{gateway.log_tail()}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{gateway.url}/health", timeout=2.0).status_code == 200:
                return
        time.sleep(0.1)
    waited = f"{START_TIMEOUT_S:.0f} s"
    pytest.fail(f"inhouse serve did not answer within {waited}:\n{gateway.log_tail()}")


def _stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
