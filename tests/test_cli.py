"""The `inhouse` command: clear one-line errors with exit 2, settings display, chat."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import run


def run_process(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "inhouse", *argv],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def test_config_show_lists_values_and_sources(capsys, monkeypatch) -> None:
    monkeypatch.setenv("INHOUSE_LLM__MAX_TOKENS", "77")
    monkeypatch.setenv("INHOUSE_CLOUD__API_KEY", "sk-should-not-show")
    code, out, _ = run(capsys, "--profile", "hybrid", "config", "show", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["llm"]["max_tokens"] == {"value": 77, "source": "env INHOUSE_LLM__MAX_TOKENS"}
    assert data["cloud"]["model"]["source"].startswith("profile hybrid")
    assert data["cloud"]["api_key"]["value"] == "********"
    assert "sk-should-not-show" not in out

    code, out, _ = run(capsys, "config", "show")
    assert code == 0
    assert "llm.provider" in out and "profile default" in out


def test_config_profiles(capsys) -> None:
    code, out, _ = run(capsys, "config", "profiles")
    assert code == 0
    assert {"default", "ollama", "llamacpp", "huggingface", "hybrid"} <= set(out.split())


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        (["config", "show"], {"INHOUSE_LLM__PROVIDER": "olama"}, "llm.provider = 'olama'"),
        (["config", "show"], {"INHOUSE_LLM__CONTEXT_LENGTH": "-1"}, "llm.context_length"),
        (["config", "show"], {"INHOUSE_LLM__MODLE": "x"}, "did you mean llm.model?"),
        (["--profile", "nope", "config", "show"], {}, "unknown profile 'nope'"),
        (["chat", "--once", "hi"], {"INHOUSE_LLM__MODEL": "nope-7b"}, "inhouse models"),
    ],
)
def test_user_errors_are_one_line_and_exit_2(capsys, monkeypatch, argv, env, expected) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert expected in err
    assert "Traceback" not in err + out
    assert len(err.strip().splitlines()) == 1


def test_bad_config_from_the_real_entry_point(tmp_path: Path) -> None:
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "bad.toml").write_text("[llm]\nmax_tokens = 'many'\n")
    folder = str(tmp_path / "cfg")
    result = run_process("--config-dir", folder, "--profile", "bad", "config", "show")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "llm.max_tokens = 'many'" in result.stderr
    assert str(tmp_path / "cfg" / "bad.toml") in result.stderr


def test_usage_error_exits_2(capsys) -> None:
    code, _, err = run(capsys, "chat", "--no-such-flag")
    assert code == 2
    assert "No such option" in err


@pytest.mark.integration
def test_chat_once_streams_an_answer() -> None:
    result = run_process(
        "chat", "--once", "What is the capital of France?",
        env={"INHOUSE_LLM__TEMPERATURE": "0", "INHOUSE_LLM__MAX_TOKENS": "16"},
    )
    assert result.returncode == 0, result.stderr
    assert "paris" in result.stdout.lower()
    assert "Traceback" not in result.stderr


@pytest.mark.integration
def test_models_lists_the_bundled_models(capsys) -> None:
    code, out, _ = run(capsys, "models", "--json")
    assert code == 0
    names = {row["name"] for row in json.loads(out)}
    assert {"smollm2-135m-instruct", "gemma3-270m", "all-minilm-l6-v2"} <= names


@pytest.mark.integration
def test_doctor_passes_for_working_providers_and_fails_otherwise(capsys, monkeypatch) -> None:
    monkeypatch.setenv("INHOUSE_LLM__MAX_TOKENS", "4")
    code, out, _ = run(capsys, "doctor")
    assert code == 0, out
    assert "generates" in out and "embeds" in out and "FAIL" not in out

    monkeypatch.setenv("INHOUSE_LLM__MODEL", "missing-model-1b")
    code, out, _ = run(capsys, "doctor")
    assert code == 1
    assert "FAIL" in out and "missing-model-1b" in out
