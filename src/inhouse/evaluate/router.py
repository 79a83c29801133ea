"""The router on a labelled set: recall and precision per entity type, prompts caught
and leaked, harmless prompts kept local, complexity agreement, latency.

Two formats are read (`load_dataset`): ours (data/router/prompts.jsonl: one JSON object
per line with `text`, `entities` of `type`, `start`, `end`, `sensitive`, `kind`), and
the Presidio evaluation format (a JSON list of samples with `full_text` and `spans` of
`entity_type`, `entity_value`, `start_position`, `end_position`, as in
microsoft/presidio-research), whose entity types are mapped to ours (`PRESIDIO_TYPES`;
the others, such as ORGANIZATION or a city alone, are no personal data here and are
left out, and counted in the report).

The evaluation is the worst case for leaks: the cloud is enabled and available, and the
complexity threshold is 0 unless told otherwise, so every prompt the detectors miss
would go out (and the NER model runs on every prompt the cheap detectors pass, as it
would for a request bound for the cloud).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from inhouse.errors import ConfigError
from inhouse.jsonl import read_jsonl
from inhouse.router import complexity
from inhouse.router.detectors import warm_up
from inhouse.router.policy import decide, detector_config
from inhouse.settings.schema import RouterSettings

EVAL_TERMS = ["Project Falcon", "Bluebird", "confidential"]
"""The custom terms the labelled set marks as `custom` (see data/router/README.md)."""

PRESIDIO_TYPES = {
    "PERSON": "name",
    "PER": "name",
    "NAME": "name",
    "FIRST_NAME": "name",
    "LAST_NAME": "name",
    "STREET_ADDRESS": "address",
    "ADDRESS": "address",
    "PHONE_NUMBER": "phone",
    "PHONE": "phone",
    "EMAIL_ADDRESS": "email",
    "EMAIL": "email",
    "CREDIT_CARD": "card",
    "IBAN_CODE": "iban",
    "IBAN": "iban",
    "US_SSN": "ssn",
    "IP_ADDRESS": "ip",
    "US_DRIVER_LICENSE": "national_id",
    "US_PASSPORT": "national_id",
    "US_ITIN": "national_id",
    "UK_NHS": "national_id",
    "UK_NINO": "national_id",
    "ES_NIF": "national_id",
    "ES_NIE": "national_id",
    "IT_FISCAL_CODE": "national_id",
    "IN_AADHAAR": "national_id",
    "IN_PAN": "national_id",
    "NATIONAL_ID": "national_id",
    "DATE_OF_BIRTH": "dob",
}
"""Presidio entity types and ours. Left out: locations alone (GPE, LOCATION, ZIP_CODE:
not personal data without a street), ORGANIZATION, TITLE, AGE, DATE_TIME (a date is a
birth date only in context), NRP, DOMAIN_NAME, URL."""

PATTERN_TYPES = ("email", "phone", "card", "iban", "ssn", "national_id", "ip", "dob",
                 "api_key", "private_key", "password", "custom")  # fmt: skip
"""The types a pattern or a checksum finds; the others (name, address) need cues or NER."""


def load_prompts(path: Path) -> list[dict[str, Any]]:
    return [row for _, row in read_jsonl(path, "the router set", "pass --dataset FILE")]


def load_dataset(path: Path) -> list[dict[str, Any]]:
    """Our JSON lines or a Presidio-format JSON list, as our items."""
    try:
        head = path.read_text(encoding="utf-8")[:4096].lstrip()
    except OSError as e:
        raise ConfigError(f"cannot read the router set {path}: {e.strerror}") from None
    if head.startswith("["):
        return load_presidio(path)
    return load_prompts(path)


def load_presidio(path: Path) -> list[dict[str, Any]]:
    """Samples of the Presidio evaluation format as our items (kind "presidio", or for
    a sample without entities the `metadata.kind` it names, such as "hard_negative");
    spans of types not in PRESIDIO_TYPES are kept under "ignored" (types only)."""
    expected = "a JSON list of samples with full_text and spans (the Presidio format)"
    try:
        samples = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ConfigError(f"{path}: not {expected}: {e}") from None
    items = []
    for n, sample in enumerate(samples if isinstance(samples, list) else [None]):
        if not isinstance(sample, dict) or not isinstance(sample.get("full_text"), str):
            raise ConfigError(f"{path}: sample {n}: expected {expected}")
        entities, ignored = [], []
        for span in sample.get("spans") or []:
            kind = PRESIDIO_TYPES.get(str(span.get("entity_type", "")).upper())
            if kind is None:
                ignored.append(str(span.get("entity_type")))
                continue
            entities.append(
                {"type": kind, "start": int(span["start_position"]),
                 "end": int(span["end_position"])}
            )  # fmt: skip
        meta = sample.get("metadata")
        kind = meta.get("kind") if isinstance(meta, dict) else None
        items.append({
            "id": f"s{n:05d}", "text": sample["full_text"], "entities": entities,
            "sensitive": bool(entities), "ignored": ignored,
            "kind": kind if isinstance(kind, str) and not entities else "presidio",
        })  # fmt: skip
    return items


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _rate(found: int, total: int) -> float | None:
    return round(found / total, 4) if total else None


def evaluate_router(
    items: list[dict[str, Any]], policy: RouterSettings, *, complexity_threshold: float = 0.0
) -> dict[str, Any]:
    """The report on `items` with the cloud enabled and available and the complexity
    threshold at `complexity_threshold` (0: every harmless prompt may go to the cloud)."""
    configured = policy.complexity_threshold
    policy = policy.model_copy(update={
        "enabled": True, "complexity_threshold": complexity_threshold,
        "custom_terms": sorted({*policy.custom_terms, *EVAL_TERMS}),
    })  # fmt: skip
    detectors = detector_config(policy)
    warm_up(detectors, ner=True)  # the first call would otherwise time a one-off load
    gold_n, gold_found, hit_n, hit_true = Counter(), Counter(), Counter(), Counter()
    prompts, caught, harmless, kept, kept_new = (
        Counter(),
        Counter(),
        Counter(),
        Counter(),
        Counter(),
    )
    leaks, agree, labelled, ignored = [], 0, 0, Counter()
    latencies: dict[str, list[float]] = {"all": [], "ner run": [], "ner skipped": []}
    kept_by: Counter = Counter()
    for item in items:
        # timed as the router decides (it stops at the first hit), then again for every hit
        fast = decide(item["text"], policy, cloud_available=True, detectors=detectors)
        latencies["all"].append(fast.ms)
        latencies["ner run" if fast.ner == "run" else "ner skipped"].append(fast.ms)
        decision = decide(
            item["text"], policy, cloud_available=True, detectors=detectors, all_hits=True
        )
        if decision.target != fast.target:  # pragma: no cover - a bug in the fast path
            msg = f"{item['id']}: the first-hit decision differs from the full one"
            raise RuntimeError(msg)
        ignored.update(item.get("ignored", ()))
        gold = [(e["type"], (e["start"], e["end"])) for e in item.get("entities", [])]
        spans = [((h.start, h.end), h.type) for h in decision.hits]
        for kind, span in gold:
            gold_n[kind] += 1
            gold_found[kind] += any(_overlaps(span, s) and t == kind for s, t in spans)
        for span, kind in spans:
            hit_n[kind] += 1
            hit_true[kind] += any(_overlaps(span, g) for _, g in gold)
        local = decision.target == "local"
        if item["sensitive"]:
            types = {kind for kind, _ in gold}
            group = "pattern" if types - {"name", "address"} else "name_address"
            for key in ("all", group):
                prompts[key] += 1
                caught[key] += local
            if not local:
                leaks.append(item["id"])
        else:
            kind = item.get("kind", "harmless")
            new_only = {h.type for h in decision.hits} <= {"name", "address"}
            for key in ("all", kind):
                harmless[key] += 1
                kept[key] += decision.sensitive
                kept_new[key] += decision.sensitive and bool(decision.hits) and new_only
            if decision.sensitive:
                kept_by.update({h.detector for h in decision.hits})
        if "complex" in item and item.get("kind") == "complexity":
            labelled += 1
            agree += (complexity.score(item["text"]) >= configured) == bool(item["complex"])
    types = sorted(set(gold_n) | set(hit_n))
    return {
        "prompts": len(items),
        "sensitive": prompts["all"],
        "setting": {
            "cloud": "enabled and available",
            "complexity_threshold": complexity_threshold,
            "sensitive_types": list(policy.sensitive_types),
            "ner_model": detectors.ner_model or "off",
        },
        "leaks": len(leaks),
        "leaked_ids": leaks,
        "prompts_caught": {
            k: {"prompts": prompts[k], "caught": _rate(caught[k], prompts[k])}
            for k in ("all", "pattern", "name_address")
            if prompts[k]
        },
        "harmless": {
            k: {
                "prompts": harmless[k],
                "kept_local": _rate(kept[k], harmless[k]),
                "kept_local_by_names_or_addresses": _rate(kept_new[k], harmless[k]),
            }
            for k in sorted(harmless)
        },
        "harmless_kept_local_by_detector": {
            k: {"prompts": n, "share": _rate(n, harmless["all"])} for k, n in kept_by.most_common()
        },
        "hard_negatives": harmless["hard_negative"],
        "false_sensitive_rate": _rate(kept["hard_negative"], harmless["hard_negative"]) or 0.0,
        "complexity_agreement": _rate(agree, labelled),
        "complexity_labelled": labelled,
        "latency_ms": {
            k: {
                "decisions": len(v),
                "p50": round(_percentile(v, 0.5), 3),
                "p95": round(_percentile(v, 0.95), 3),
            }
            for k, v in latencies.items()
            if v
        },
        "latency_ms_p50": round(_percentile(latencies["all"], 0.5), 3),
        "latency_ms_p95": round(_percentile(latencies["all"], 0.95), 3),
        "ignored_types": dict(ignored.most_common()),
        "per_type": {
            t: {
                "entities": gold_n[t],
                "recall": _rate(gold_found[t], gold_n[t]),
                "hits": hit_n[t],
                "precision": _rate(hit_true[t], hit_n[t]),
            }
            for t in types
        },
    }
