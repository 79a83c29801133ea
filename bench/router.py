"""Router decision latency: `inhouse.router.policy.decide` on 2,000-character prompts.

    .venv/bin/python bench/router.py [--quick] [--runs N]

Prompts: texts of data/router/prompts.jsonl concatenated (blank line between) and cut
to exactly 2,000 characters; half from the prompts labelled sensitive (each built
prompt holds several secrets: emails, cards, IBANs, IDs, keys, ...), half from the
non-sensitive ones. 100 distinct prompts of each kind (quick: 20), cycled to N runs
(1,000; quick: 200), sensitive and non-sensitive alternating. Settings: the default
router policy with the cloud enabled (`load_settings(router={"enabled": True})`), the
detector configuration built once, as `HybridRouter` does, `cloud_available=True`, no
embedding-similarity hint (the default: no complexity examples configured).
`inhouse.router.detectors.warm_up()` runs first, then 20 untimed decisions.

Target: p50 <= 2 ms (over all runs).
"""

from __future__ import annotations

import json
import time
from collections import Counter

from _common import ROOT, median, parser, pct, pyplot, table, verdict, write

LENGTH = 2000


def build_prompts(rows: list[dict], count: int) -> list[str]:
    """`count` prompts of LENGTH characters, each from consecutive texts of `rows`."""
    prompts, i = [], 0
    while len(prompts) < count:
        parts: list[str] = []
        while sum(len(p) + 2 for p in parts) < LENGTH:
            parts.append(rows[i % len(rows)]["text"])
            i += 1
        prompts.append("\n\n".join(parts)[:LENGTH])
    return prompts


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--runs", type=int, default=None, help="decisions timed (1000; quick 200)")
    args = p.parse_args()
    runs = args.runs or (200 if args.quick else 1000)
    distinct = 20 if args.quick else 100

    from inhouse import load_settings
    from inhouse.router.detectors import warm_up
    from inhouse.router.policy import decide, detector_config

    rows = [json.loads(line) for line in (ROOT / "data/router/prompts.jsonl").open()]
    secret = build_prompts([r for r in rows if r["sensitive"]], distinct)
    plain = build_prompts([r for r in rows if not r["sensitive"]], distinct)
    policy = load_settings(router={"enabled": True}).router
    detectors = detector_config(policy)
    warm_up(detectors)
    for text in secret[:10] + plain[:10]:
        decide(text, policy, cloud_available=True, detectors=detectors)

    times: dict[str, list[float]] = {"with secrets": [], "without secrets": []}
    outcomes: dict[str, Counter] = {k: Counter() for k in times}
    for n in range(runs):
        kind = "with secrets" if n % 2 == 0 else "without secrets"
        text = (secret if n % 2 == 0 else plain)[(n // 2) % distinct]
        start = time.perf_counter()
        decision = decide(text, policy, cloud_available=True, detectors=detectors)
        times[kind].append((time.perf_counter() - start) * 1000)
        outcomes[kind][f"{decision.target} ({'+'.join(decision.rules)})"] += 1

    every = times["with secrets"] + times["without secrets"]
    ok = median(every) <= 2
    rows_ = [
        [kind, len(v), median(v), pct(v, 95), pct(v, 99), max(v), "", ""]
        for kind, v in times.items()
    ]
    rows_.append(
        [
            "all",
            len(every),
            median(every),
            pct(every, 95),
            pct(every, 99),
            max(every),
            "p50 <= 2 ms",
            verdict(ok),
        ]
    )
    decided = "; ".join(
        f"{kind}: " + ", ".join(f"{n} {what}" for what, n in c.most_common())
        for kind, c in outcomes.items()
    )
    md = f"""`decide(text, policy, cloud_available=True, detectors=...)` on {LENGTH}-character
prompts ({distinct} distinct of each kind, {runs} runs alternating), ms per decision.

{table(["prompts", "runs", "p50 ms", "p95 ms", "p99 ms", "max ms", "target", "verdict"], rows_)}

- Decisions: {decided}.
- Throughput at the median: {1000 / median(every):,.0f} decisions per second on one core
  (RouteLLM's matrix-factorisation router: 155/s; Presidio ~7 ms per sample).
"""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.hist(
        [times["with secrets"], times["without secrets"]], bins=40, label=list(times), stacked=True
    )
    ax.axvline(2, color="red", ls="--", label="p50 target 2 ms")
    ax.axvline(median(every), color="black", label=f"p50 {median(every):.2f} ms")
    ax.set(xlabel="ms per decision", ylabel="runs", title=f"router decide(), {LENGTH} chars")
    ax.legend()
    write(
        "router",
        md,
        {
            "runs": runs,
            "p50_ms": median(every),
            "p95_ms": pct(every, 95),
            "by_kind": {k: {"p50_ms": median(v), "p95_ms": pct(v, 95)} for k, v in times.items()},
            "outcomes": {k: dict(c) for k, c in outcomes.items()},
            "targets_met": {"p50": ok},
        },
        fig,
    )


if __name__ == "__main__":
    main()
