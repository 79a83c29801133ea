"""The router's targets on the labelled set (data/router), the Presidio evaluation
format, and `inhouse eval router`: with the cloud enabled and the complexity threshold
at 0, no prompt with a pattern-type value leaks, few with names or addresses do, and
few harmless prompts stay local."""

from __future__ import annotations

import json

from inhouse.evaluate.router import PATTERN_TYPES, evaluate_router, load_dataset, load_prompts
from inhouse.settings.schema import RouterSettings
from tests.conftest import REPO
from tests.support.cli import run


def test_labelled_set_meets_the_targets() -> None:
    items = load_prompts(REPO / "data/router/prompts.jsonl")
    report = evaluate_router(items, RouterSettings())
    assert report["setting"]["complexity_threshold"] == 0.0
    assert report["prompts"] >= 3000 and report["sensitive"] >= 2000
    caught = report["prompts_caught"]
    assert caught["pattern"]["caught"] == 1.0, report["leaked_ids"]  # TARGETS.md: 0 leaks
    assert caught["name_address"]["caught"] >= 0.95  # measured 0.973 (README)
    assert report["false_sensitive_rate"] <= 0.05  # TARGETS.md: kept local by mistake
    assert report["complexity_agreement"] >= 0.85  # measured 0.94 on 2026-11-30
    for kind, row in report["per_type"].items():
        floor = 0.95 if kind in PATTERN_TYPES else 0.85
        assert row["recall"] is None or row["recall"] >= floor, kind
        assert row["precision"] is None or row["precision"] >= 0.85, kind


PRESIDIO_SAMPLES = [
    {"full_text": "Hi, my name is Oskari Virtanen and my card 4111 1111 1111 1111 is lost.",
     "spans": [{"entity_type": "PERSON", "entity_value": "Oskari Virtanen",
                "start_position": 15, "end_position": 30},
               {"entity_type": "CREDIT_CARD", "entity_value": "4111 1111 1111 1111",
                "start_position": 43, "end_position": 62}]},
    {"full_text": "I'm travelling to Canada next week.",
     "spans": [{"entity_type": "GPE", "entity_value": "Canada", "start_position": 18,
                "end_position": 24}]},
    {"full_text": "What are my options?", "spans": []},
]  # fmt: skip


def test_presidio_format_is_read_and_mapped(tmp_path) -> None:
    path = tmp_path / "samples.json"
    path.write_text(json.dumps(PRESIDIO_SAMPLES), encoding="utf-8")
    items = load_dataset(path)
    assert [i["sensitive"] for i in items] == [True, False, False]
    assert [e["type"] for e in items[0]["entities"]] == ["name", "card"]
    assert items[1]["ignored"] == ["GPE"]  # a country alone is no personal data here
    report = evaluate_router(items, RouterSettings())
    assert report["leaks"] == 0 and report["ignored_types"] == {"GPE": 1}
    assert report["per_type"]["card"]["recall"] == 1.0


def test_a_file_in_neither_format_is_one_clear_error(capsys, tmp_path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('[{"text": "no full_text here"}]', encoding="utf-8")
    code, _, err = run(capsys, "eval", "router", "--dataset", str(path))
    assert code == 2 and "full_text" in err and "Traceback" not in err


def test_eval_router_cli(capsys, tmp_path) -> None:
    path = tmp_path / "samples.json"
    path.write_text(json.dumps(PRESIDIO_SAMPLES), encoding="utf-8")
    code, out, err = run(capsys, "eval", "router", "--dataset", str(path))
    assert code == 0, err
    assert "complexity threshold 0.00" in out and "leaks" in out and "recall" in out
    assert "caught pattern" in out and "latency" in out and "GPE 1" in out
    code, out, err = run(capsys, "eval", "router", "--data", str(path), "--json")
    assert code == 0 and json.loads(out)["setting"]["cloud"] == "enabled and available"
