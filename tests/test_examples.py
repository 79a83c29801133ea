"""Every script in examples/ runs, and the same three lines work for all four providers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = [pytest.mark.integration, pytest.mark.slow]

EXAMPLES = REPO / "examples"


def run_example(name: str, *args: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "INHOUSE_LLM__TEMPERATURE": "0", **(env or {})},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    return result.stdout


def test_langchain_app() -> None:
    out = run_example("langchain_app.py", "What is the capital of France?")
    assert "paris" in out.lower()


def test_streaming() -> None:
    out = run_example("streaming.py")
    last = out.strip().splitlines()[-1]
    assert last.startswith("[streamed ")
    counts = [int(word) for word in last.strip("[]").split() if word.isdigit()]
    assert len(counts) == 2 and all(count > 1 for count in counts)


def test_runtime_switch_between_two_in_process_providers() -> None:
    out = run_example("runtime_switch.py", "llamacpp", "huggingface", "llamacpp")
    lines = [line for line in out.splitlines() if line.split(":")[0] in {"llamacpp", "huggingface"}]
    assert [line.split(":")[0] for line in lines] == ["llamacpp", "huggingface", "llamacpp"]
    assert all(line.split(":", 1)[1].strip() for line in lines)


@pytest.mark.parametrize("provider", ["llamacpp", "huggingface", "ollama", "openai"])
def test_same_three_lines_for_every_provider(provider: str, request: pytest.FixtureRequest) -> None:
    env = {"INHOUSE_PROFILE": provider, "INHOUSE_LLM__MAX_TOKENS": "12"}
    if provider == "ollama":
        env["INHOUSE_LLM__BASE_URL"] = request.getfixturevalue("ollama_server")
    if provider == "openai":
        server = request.getfixturevalue("llama_server")
        env["INHOUSE_LLM__BASE_URL"] = server.base_url
        env["INHOUSE_LLM__MODEL"] = server.model
    out = run_example("switch_provider.py", env=env)
    name, cls, reply = out.strip().splitlines()[-1].split(": ", 2)
    assert name == provider
    expected = {
        "llamacpp": "ChatLlamaCpp",
        "huggingface": "ChatHuggingFace",
        "ollama": "ChatOllama",
        "openai": "ChatOpenAI",
    }[provider]
    assert expected in cls
    assert reply.strip()


def test_examples_are_all_tested() -> None:
    tested = {
        "langchain_app.py", "streaming.py", "runtime_switch.py", "switch_provider.py",
        "private_docs.py", "agent.py",
    }  # fmt: skip
    assert {p.name for p in Path(EXAMPLES).glob("*.py")} == tested


def test_agent() -> None:
    out = run_example("agent.py")
    lines = out.strip().splitlines()
    assert any(line.startswith("call: order_status(") for line in lines), out
    assert lines[-1].startswith("answer:"), out


def test_private_docs(tmp_path: Path) -> None:
    out = run_example(
        "private_docs.py", str(REPO / "data/corpus"), "What is the minimum length for a password?",
        env={"INHOUSE_DATA_DIR": str(tmp_path / "data")},
    )  # fmt: skip
    assert "22 added" in out
    assert "information-security-policy.pdf, page 2" in out
