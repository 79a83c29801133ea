"""`inhouse chat` (the REPL, driven through stdin) and `inhouse extract`."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from inhouse import load_settings
from inhouse.chains.history import session_history
from tests.support.cli import run

FAST = {"INHOUSE_LLM__MAX_TOKENS": "12", "INHOUSE_LLM__TEMPERATURE": "0"}


def repl(*lines: str, args: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "inhouse", "chat", *args],
        input="".join(f"{line}\n" for line in lines),
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **FAST},
    )


@pytest.mark.integration
def test_repl_history_persists_and_resets() -> None:
    done = repl("Hello there, I am Kim.", "/history", "/exit", args=("--session", "kim"))
    assert done.returncode == 0, done.stderr
    assert "you: Hello there, I am Kim." in done.stdout

    again = repl("/history", "/reset", "/history", "/nonsense", args=("--session", "kim"))
    assert again.returncode == 0, again.stderr  # EOF ends the session
    before, _, after = again.stdout.partition("cleared")
    assert "you: Hello there, I am Kim." in before  # survived the restart
    assert "(no history)" in after
    assert "Commands: /reset, /history, /profile NAME, /exit" in after


@pytest.mark.integration
@pytest.mark.slow
def test_repl_profile_switch_keeps_history() -> None:
    done = repl(
        "Hi, I am Lee.",
        "/profile nosuch",
        "/profile huggingface",
        "And now?",
        "/history",
        "/exit",
        args=("--session", "lee"),
    )
    assert done.returncode == 0, done.stderr
    assert "unknown profile 'nosuch'" in done.stderr  # reported, the session goes on
    assert "profile huggingface: huggingface" in done.stdout
    shown = done.stdout.rpartition("profile huggingface")[2]
    assert "you: Hi, I am Lee." in shown and "you: And now?" in shown
    messages = session_history(load_settings(env_file=None), "lee").messages
    assert [m.type for m in messages] == ["human", "ai", "human", "ai"]


@pytest.mark.integration
def test_once_streams_without_touching_history(capsys, monkeypatch) -> None:
    for name, value in FAST.items():
        monkeypatch.setenv(name, value)
    code, out, _ = run(capsys, "chat", "--once", "Say hi.")
    assert code == 0 and out.strip()
    assert session_history(load_settings(env_file=None)).messages == []
    code, out, _ = run(capsys, "chat", "--once", "Say hi.", "--session", "s")
    assert code == 0 and out.strip()
    assert len(session_history(load_settings(env_file=None), "s").messages) == 2


@pytest.mark.integration
def test_extract_prints_json(capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Mail Ann Lee: ann@example.com"))
    code, out, err = run(capsys, "extract", "--chain", "contact", "-")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"people", "emails", "phones", "organizations"}


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["extract", "--chain", "chat", "-"], "is not an extract chain; use one of:"),
        (["extract", "--chain", "nope", "-"], "unknown chain 'nope'"),
        (["extract", "missing-file.txt"], "cannot read missing-file.txt"),
    ],
)
def test_extract_errors_are_one_line(capsys, argv, expected) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert expected in err
    assert len(err.strip().splitlines()) == 1
