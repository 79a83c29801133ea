"""JSON-lines inputs (labelled sets, BEIR files, request files): one clear error each."""

from __future__ import annotations

from pathlib import Path

import pytest

from inhouse.errors import ConfigError
from inhouse.evaluate.rag import load_qa
from inhouse.evaluate.router import load_prompts
from inhouse.jsonl import read_jsonl
from tests.support.cli import run


def test_rows_come_with_their_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text('{"a": 1}\n\n  \n{"a": 2}\n')
    assert list(read_jsonl(path, "the set", "fix it")) == [(1, {"a": 1}), (4, {"a": 2})]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"a": 1}\n{"a": 2,,}\n', r"set\.jsonl:2: not valid JSON \(Expecting .*\); fix it$"),
        (b'{"a": "caf\xe9"}\n', r"cannot read the set .*set\.jsonl: not UTF-8 text; fix it$"),
        (None, r"cannot read the set .*set\.jsonl \(No such file or directory\); fix it$"),
    ],
)
def test_a_broken_file_is_one_error_naming_it(
    tmp_path: Path, content: bytes | None, expected: str
) -> None:
    path = tmp_path / "set.jsonl"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ConfigError, match=expected):
        list(read_jsonl(path, "the set", "fix it"))


def test_the_loaders_name_the_line_and_the_format(tmp_path: Path) -> None:
    qa = tmp_path / "qa.jsonl"
    qa.write_text('{"id": "q1", "question": "Why?"}\n{"id": "q2"}\n')
    with pytest.raises(ConfigError, match=r"qa\.jsonl:2: not a QA item .*'question'"):
        load_qa(qa)
    with pytest.raises(ConfigError, match=r"cannot read the router set .*; pass --dataset FILE"):
        load_prompts(tmp_path / "missing.jsonl")


def test_cli_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    requests = tmp_path / "requests.jsonl"
    requests.write_text('{"text": "hello"}\n{"prompt": "no text key"}\n')
    code, _, err = run(capsys, "route", "--json", "--file", str(requests))
    assert code == 2 and "requests.jsonl:2: expected" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    prompts = tmp_path / "prompts.jsonl"
    prompts.write_text("not json\n")
    code, _, err = run(capsys, "eval", "router", "--data", str(prompts))
    assert code == 2 and "prompts.jsonl:1: not valid JSON" in err, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
