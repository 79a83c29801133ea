"""The router's targets on the labelled set (data/router): 0 leaks, few false alarms."""

from __future__ import annotations

from inhouse.evaluate.router import evaluate_router, load_prompts
from inhouse.settings.schema import RouterSettings
from tests.conftest import REPO
from tests.support.cli import run


def test_labelled_set_meets_the_targets() -> None:
    items = load_prompts(REPO / "data/router/prompts.jsonl")
    report = evaluate_router(items, RouterSettings())
    assert report["prompts"] >= 2000 and report["sensitive"] >= 1000
    assert report["leaks"] == 0, report["leaked_ids"]
    assert report["false_sensitive_rate"] <= 0.05  # TARGETS.md: kept local by mistake
    assert report["complexity_agreement"] >= 0.85  # measured 0.94 on 2026-11-30
    for kind, row in report["per_type"].items():
        assert row["recall"] is None or row["recall"] >= 0.95, kind
        assert row["precision"] is None or row["precision"] >= 0.95, kind


def test_eval_router_cli(capsys) -> None:
    code, out, err = run(capsys, "eval", "router", "--data",
                         str(REPO / "data/router/prompts.jsonl"))  # fmt: skip
    assert code == 0, err
    assert "leaks" in out and "recall" in out and "latency_ms_p50" in out
