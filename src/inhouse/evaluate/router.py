"""The router on a labelled set (data/router/prompts.jsonl): recall and precision per
entity type, leaks, false alarms on hard negatives, complexity agreement, latency.

The evaluation is the worst case for leaks: the cloud is enabled and available, so any
sensitive prompt the detectors miss and the complexity rule likes would go out.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from inhouse.jsonl import read_jsonl
from inhouse.router.detectors import warm_up
from inhouse.router.policy import decide, detector_config
from inhouse.settings.schema import RouterSettings

EVAL_TERMS = ["Project Falcon", "Bluebird", "confidential"]
"""The custom terms the labelled set marks as `custom` (see data/router/README.md)."""


def load_prompts(path: Path) -> list[dict[str, Any]]:
    return [row for _, row in read_jsonl(path, "the router set", "pass --data FILE")]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def evaluate_router(items: list[dict[str, Any]], policy: RouterSettings) -> dict[str, Any]:
    policy = policy.model_copy(update={
        "enabled": True, "custom_terms": sorted({*policy.custom_terms, *EVAL_TERMS}),
    })  # fmt: skip
    warm_up(detector_config(policy))  # the first call would otherwise time a one-off load
    gold_n, gold_found, hit_n, hit_true = Counter(), Counter(), Counter(), Counter()
    leaks, false_alarms, negatives, agree, labelled = [], 0, 0, 0, 0
    latencies = []
    for item in items:
        decision = decide(item["text"], policy, cloud_available=True)
        latencies.append(decision.ms)
        gold = [(e["type"], (e["start"], e["end"])) for e in item.get("entities", [])]
        spans = [((h.start, h.end), h.type) for h in decision.hits]
        for kind, span in gold:
            gold_n[kind] += 1
            gold_found[kind] += any(_overlaps(span, s) for s, _ in spans)
        for span, kind in spans:
            hit_n[kind] += 1
            hit_true[kind] += any(_overlaps(span, g) for _, g in gold)
        if item["sensitive"] and decision.target == "cloud":
            leaks.append(item["id"])
        if item.get("kind") == "hard_negative":
            negatives += 1
            false_alarms += decision.sensitive
        if item.get("kind") == "complexity":
            labelled += 1
            agree += (decision.target == "cloud") == bool(item["complex"])
    types = sorted(set(gold_n) | set(hit_n))
    return {
        "prompts": len(items),
        "sensitive": sum(1 for i in items if i["sensitive"]),
        "leaks": len(leaks),
        "leaked_ids": leaks,
        "hard_negatives": negatives,
        "false_sensitive_rate": round(false_alarms / max(negatives, 1), 4),
        "complexity_agreement": round(agree / max(labelled, 1), 4),
        "complexity_labelled": labelled,
        "latency_ms_p50": round(_percentile(latencies, 0.5), 3),
        "latency_ms_p95": round(_percentile(latencies, 0.95), 3),
        "per_type": {
            t: {
                "entities": gold_n[t],
                "recall": round(gold_found[t] / gold_n[t], 4) if gold_n[t] else None,
                "hits": hit_n[t],
                "precision": round(hit_true[t] / hit_n[t], 4) if hit_n[t] else None,
            }
            for t in types
        },
    }
