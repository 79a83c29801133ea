"""Run every speed benchmark, then print (and save) one summary against the targets.

    .venv/bin/python bench/run_all.py [--quick] [--only chat,router]
    make bench

Each benchmark runs in its own process and writes bench/results/<name>.md, .png and
.json; the summary goes to bench/results/summary.md and, after a full run (not
--quick, not --only), replaces the "Today's numbers" block of bench/README.md.
Exit status 1 when a benchmark failed (a missed target is reported, not a failure).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from typing import Any

from _common import RESULTS, ROOT, machine, parser, table

BENCHMARKS = ["chat", "ingest", "retrieval", "router", "gateway"]
README = ROOT / "bench" / "README.md"
START, END = "<!-- summary:start -->", "<!-- summary:end -->"


def ok(flag: Any) -> str:
    return "met" if flag else "**missed**"


def summary(results: dict[str, dict[str, Any]]) -> str:
    rows = []
    if c := results.get("chat"):
        rows.append(
            [
                "chat chain total time / raw llama.cpp",
                f"{c['ratio']:.3f}",
                "<= 1.03",
                ok(c["targets_met"]["ratio"]),
            ]
        )
        rows.append(
            [
                "chat chain first token - raw",
                f"{c['ttft_delta_ms']:+.1f} ms",
                "<= +10 ms",
                ok(c["targets_met"]["ttft"]),
            ]
        )
    if g := results.get("ingest"):
        rows.append(
            [
                f"ingestion throughput / raw encode ({g['chunks']} chunks)",
                f"{g['ratio']:.3f} ({g['ingest_chunks_per_s']:.1f} vs"
                f" {g['raw_chunks_per_s']:.1f} chunks/s)",
                ">= 0.85",
                ok(g["targets_met"]["throughput"]),
            ]
        )
        rows.append(
            [
                "re-ingest unchanged / first ingest",
                f"{g['reingest_ratio']:.4f}",
                "<= 0.02",
                ok(g["targets_met"]["reingest"]),
            ]
        )
    if r := results.get("retrieval"):
        a = r["arguana"]
        if "skipped" in a:
            rows.append(["hybrid retrieval, ArguAna", "skipped", "p50 <= 20 ms", "n/a"])
        else:
            short, full = a["latency"]["short"], a["latency"]["full"]
            from _common import median, pct

            rows.append(
                [
                    f"hybrid retrieval p50 / p95, ArguAna ({a['chunks']} chunks), 12-word queries",
                    f"{median(short):.1f} / {pct(short, 95):.1f} ms",
                    "<= 20 / <= 50 ms",
                    f"{ok(r['targets_met']['arguana_p50'])} /"
                    f" {ok(r['targets_met']['arguana_p95'])}",
                ]
            )
            rows.append(
                [
                    f"the same, whole ArguAna queries (median {a['words_full']:.0f} words)",
                    f"{median(full):.1f} / {pct(full, 95):.1f} ms",
                    "(no target)",
                    "",
                ]
            )
        small, big = min(r["sizes"]), max(r["sizes"])
        rows.append(
            [
                f"retrieval p50 at {big:,} / at {small:,} chunks (synthetic)",
                f"{r['growth']:.2f}",
                "<= 3",
                ok(r["targets_met"]["scaling"]),
            ]
        )
    if t := results.get("router"):
        rows.append(
            [
                "router decide(), 2,000 characters, NER skipped, p50 / p95",
                f"{t['p50_ms_ner_skipped']:.2f} / {t['p95_ms_ner_skipped']:.2f} ms",
                "p50 <= 2 ms",
                ok(t["targets_met"]["p50_ner_skipped"]),
            ]
        )
        rows.append(
            [
                "router decide(), 2,000 characters, NER run, p50 / p95",
                f"{t['p50_ms_ner_run']:.2f} / {t['p95_ms_ner_run']:.2f} ms",
                "p50 <= 15 ms",
                ok(t["targets_met"]["p50_ner_run"]),
            ]
        )
    if w := results.get("gateway"):
        met = w["targets_met"]
        rows += [
            ["gateway total time / raw llama_cpp.server", f"{w['ratio']:.3f}", "<= 1.05",
             ok(met["total"])],
            ["gateway first token - raw", f"{w['first_token_delta_ms']:+.1f} ms", "<= +5 ms",
             ok(met["first_token"])],
            ["second turn / first, 1,000-token shared prefix (first token)",
             f"{w['prefix_ratio']:.3f}", "<= 0.3", ok(met["prefix"])],
            [f"{w['clients']} concurrent streaming clients: errors; queue wait p50 / p95",
             f"{w['errors']}; {w['queue_wait_ms']['p50'] / 1000:.1f} /"
             f" {w['queue_wait_ms']['p95'] / 1000:.1f} s", "0 errors", ok(met["load"])],
        ]  # fmt: skip
    return table(["what", "measured", "target", "verdict"], rows)


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--only", help="comma-separated subset of " + ",".join(BENCHMARKS))
    args = p.parse_args()
    names = args.only.split(",") if args.only else BENCHMARKS
    failed, seconds = [], {}
    before = {
        n: (RESULTS / f"{n}.json").stat().st_mtime if (RESULTS / f"{n}.json").exists() else 0
        for n in names
    }
    for name in names:
        cmd = [sys.executable, str(ROOT / "bench" / f"{name}.py")]
        cmd += ["--quick"] if args.quick else []
        print(f"\n===== {name} =====", flush=True)
        start = time.perf_counter()
        done = subprocess.run(cmd, cwd=ROOT / "bench")
        seconds[name] = time.perf_counter() - start
        fresh = (RESULTS / f"{name}.json").exists() and (
            (RESULTS / f"{name}.json").stat().st_mtime > before[name]
        )
        if done.returncode or not fresh:
            failed.append(name)
    results = {n: json.loads((RESULTS / f"{n}.json").read_text()) for n in names if n not in failed}
    stamp = time.strftime("%Y-%m-%d", time.gmtime())
    took = ", ".join(f"{n} {s:.0f} s" for n, s in seconds.items())
    text = (
        f"Run of {stamp}{' (--quick)' if args.quick else ''}; {machine()}; took {took}.\n\n"
        f"{summary(results)}\n"
    )
    if failed:
        text += f"\nFailed: {', '.join(failed)}.\n"
    (RESULTS / "summary.md").write_text(f"# Summary\n\n{text}")
    print(f"\n===== summary =====\n\n{text}")
    if not args.quick and not args.only and not failed and README.exists():
        readme = README.read_text()
        block = f"{START}\n{text}{END}"
        README.write_text(re.sub(f"{START}.*?{END}", lambda _m: block, readme, flags=re.S))
        print(f"updated {README.relative_to(ROOT)}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
