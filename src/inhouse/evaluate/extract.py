"""Evaluate extraction on a labelled set: constrained decoding against the prompt-only baseline.

The set is a ``manifest.jsonl`` (default ``data/extraction/manifest.jsonl``), one case a
line: ``{"id": "invoice/007", "chain": "extract_invoice", "text": "invoice/007.txt",
"gold": "invoice/007.json", "tags": [...]}`` with paths relative to the manifest's folder.
Each chain's schema, system prompt, template and examples come from its chain spec.

Example:
    >>> from inhouse import load_settings
    >>> reports = evaluate(load_settings(), ["llamacpp"], limit=4)  # doctest: +SKIP
    >>> reports[0].valid_rate, reports[1].valid_rate  # doctest: +SKIP
    (1.0, 0.25)
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inhouse.errors import ConfigError
from inhouse.evaluate.scoring import score_fields
from inhouse.extract.errors import ExtractionError
from inhouse.extract.schema import Schema

DEFAULT_MANIFEST = Path("data/extraction/manifest.jsonl")


@dataclass(frozen=True)
class Case:
    """One labelled text."""

    id: str
    chain: str
    text: str
    gold: dict[str, Any]
    tags: tuple[str, ...] = ()


@dataclass
class Report:
    """Results of one provider in one mode (constrained or the prompt-only baseline)."""

    provider: str
    constrained: bool
    cases: int = 0
    valid: int = 0
    exact: int = 0
    seconds: float = 0.0
    field_totals: dict[str, float] = field(default_factory=dict)
    field_counts: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    @property
    def valid_rate(self) -> float:
        return self.valid / self.cases if self.cases else 0.0

    @property
    def exact_rate(self) -> float:
        return self.exact / self.cases if self.cases else 0.0

    @property
    def field_accuracy(self) -> dict[str, float]:
        return {k: self.field_totals[k] / self.field_counts[k] for k in self.field_totals}

    def add(self, case_id: str, scores: dict[str, float], valid: bool, seconds: float) -> None:
        self.cases += 1
        self.valid += valid
        self.exact += valid and all(s == 1.0 for s in scores.values())
        self.seconds += seconds
        if not valid:
            self.failures.append(case_id)
        for name, value in scores.items():
            self.field_totals[name] = self.field_totals.get(name, 0.0) + value
            self.field_counts[name] = self.field_counts.get(name, 0) + 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "mode": "constrained" if self.constrained else "prompt-only",
            "cases": self.cases,
            "valid_rate": self.valid_rate,
            "exact_rate": self.exact_rate,
            "field_accuracy": self.field_accuracy,
            "seconds_per_case": self.seconds / self.cases if self.cases else 0.0,
            "invalid": self.failures,
        }


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        msg = f"cannot read {path}: {exc}; check the evaluation set"
        raise ConfigError(msg) from exc


def load_cases(manifest: Path = DEFAULT_MANIFEST, limit: int | None = None) -> list[Case]:
    """The cases of a manifest, at most `limit` per chain (in file order)."""
    try:
        lines = manifest.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        msg = f"cannot read the evaluation manifest {manifest}: {exc.strerror}; pass --manifest"
        raise ConfigError(msg) from exc
    root, cases, per_chain = manifest.parent, [], {}
    for line in filter(str.strip, lines):
        row = json.loads(line)
        if limit is not None and per_chain.get(row["chain"], 0) >= limit:
            continue
        per_chain[row["chain"]] = per_chain.get(row["chain"], 0) + 1
        text = (root / row["text"]).read_text(encoding="utf-8")
        gold = _read_json(root / row["gold"])
        cases.append(Case(row["id"], row["chain"], text, gold, tuple(row.get("tags", ()))))
    return cases


def _chain_for(settings: Any, chain: str, provider: str, constrained: bool) -> Any:
    from inhouse.chains import load_chain
    from inhouse.factory import settings_for_provider

    return load_chain(chain, settings_for_provider(settings, provider), constrained=constrained)


def run_case(chain: Any, case: Case, schema_of: Callable[[str], Schema]) -> tuple[dict, bool]:
    """Field scores of one case, and whether the output was schema-valid."""
    try:
        result = chain.invoke({"text": case.text})
    except ExtractionError:
        return score_fields(None, case.gold), False
    return score_fields(schema_of(case.chain).dump(result), case.gold), True


def evaluate(
    settings: Any,
    providers: Sequence[str],
    *,
    cases: Sequence[Case] | None = None,
    limit: int | None = None,
    modes: Sequence[bool] = (True, False),
    progress: Callable[[str], None] | None = None,
) -> list[Report]:
    """One `Report` per provider and mode (constrained first, then the baseline)."""
    from inhouse.chains import find_spec

    cases = list(cases if cases is not None else load_cases(limit=limit))

    def schema_of(chain: str) -> Schema:
        return Schema.of(find_spec(chain, settings).output_schema)

    reports = []
    for provider in providers:
        for constrained in modes:
            report = Report(provider, constrained)
            chains = {
                name: _chain_for(settings, name, provider, constrained)
                for name in dict.fromkeys(c.chain for c in cases)
            }
            for case in cases:
                started = time.perf_counter()
                scores, valid = run_case(chains[case.chain], case, schema_of)
                report.add(case.id, scores, valid, time.perf_counter() - started)
                if progress:
                    progress(case.id)
            reports.append(report)
    return reports
