"""`inhouse eval extract`: schema-valid rate and accuracy, constrained vs prompt-only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from inhouse.cli.output import console, err_console

eval_app = typer.Typer(help="Measure chains on labelled data.", no_args_is_help=True)


def _tables(reports: list[Any]) -> list[Any]:
    """A summary (one row per provider and mode) and per-field accuracy (one row per field).

    Two narrow tables rather than one wide one, so they read in an 80-column terminal.
    """
    from rich.table import Table

    summary = Table(title="extraction: schema-valid rate, exact matches, speed")
    for column in ("provider", "mode", "cases", "valid", "exact", "mean field", "s/case"):
        summary.add_column(column, justify="left" if column in ("provider", "mode") else "right")
    fields = Table(title="field accuracy")
    fields.add_column("field")
    for r in reports:
        row = r.as_dict()
        accuracy = row["field_accuracy"]
        mean = sum(accuracy.values()) / len(accuracy) if accuracy else 0.0
        summary.add_row(
            r.provider, row["mode"], str(r.cases), f"{r.valid_rate:.2f}", f"{r.exact_rate:.2f}",
            f"{mean:.2f}", f"{row['seconds_per_case']:.1f}",
        )  # fmt: skip
        fields.add_column(f"{r.provider}\n{row['mode']}", justify="right")
    for name in dict.fromkeys(k for r in reports for k in r.field_accuracy):
        fields.add_row(name, *(f"{r.field_accuracy.get(name, 0.0):.2f}" for r in reports))
    return [summary, fields]


MODES = {"both": (True, False), "constrained": (True,), "prompt-only": (False,)}


@eval_app.command("extract")
def extract(
    ctx: typer.Context,
    provider: Annotated[
        list[str] | None,
        typer.Option("--provider", help="Provider to measure (repeat); default: the configured."),
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="At most N cases per chain.")] = None,
    manifest: Annotated[
        Path, typer.Option("--manifest", help="The labelled set's manifest.jsonl.")
    ] = Path("data/extraction/manifest.jsonl"),
    mode: Annotated[
        str, typer.Option("--mode", help="both, constrained, or prompt-only.")
    ] = "both",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Run the extract chains on a labelled set, with and without constrained decoding."""
    from inhouse.errors import ConfigError
    from inhouse.evaluate.extract import evaluate, load_cases

    if mode not in MODES:
        msg = f"--mode {mode!r} is not one of: {', '.join(MODES)}"
        raise ConfigError(msg)

    settings = ctx.obj.settings()
    cases = load_cases(manifest, limit)
    providers = provider or [settings.llm.provider]
    with err_console.status("evaluating") as status:
        reports = evaluate(
            settings,
            providers,
            cases=cases,
            modes=MODES[mode],
            progress=lambda cid: status.update(cid),
        )
    if as_json:
        console.print_json(json.dumps([r.as_dict() for r in reports]))
    else:
        for table in _tables(reports):
            console.print(table)


@eval_app.command("retrieval")
def retrieval(
    ctx: typer.Context,
    beir: Annotated[Path, typer.Option("--beir", help="A BEIR-format folder.")],
    kb: Annotated[
        str | None,
        typer.Option("--kb", help="Knowledge base for the corpus (default: beir-FOLDER)."),
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="At most N queries.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """nDCG@10, Recall@100 and MRR@10 of BM25, dense and hybrid retrieval on a BEIR set."""
    from rich.table import Table

    from inhouse.evaluate import retrieval as beir_eval
    from inhouse.rag.kb import KnowledgeBase

    data = beir_eval.load(beir.expanduser())
    knowledge = KnowledgeBase.open(kb or f"beir-{data.name}", ctx.obj.settings())
    with err_console.status(f"ingesting {data.corpus}") as status:
        done = [0]

        def progress(kind: str, n: int) -> None:
            if kind == "chunks":
                done[0] += n
                status.update(f"ingesting {data.corpus}: {done[0]} chunks")

        knowledge.add_texts(beir_eval.corpus_items(data), progress=progress)
        results = beir_eval.evaluate(knowledge, data, limit=limit, progress=status.update)
    if as_json:
        console.print_json(json.dumps(results))
        return
    config = knowledge.config
    table = Table(title=f"{data.name}: {min(limit or 10**9, len(data.queries))} queries")
    for column in ("retriever", "nDCG@10", "Recall@100", "MRR@10", "ms/query"):
        table.add_column(column, justify="left" if column == "retriever" else "right")
    for mode, row in results.items():
        table.add_row(
            mode,
            *(f"{row[k]:.3f}" for k in ("ndcg@10", "recall@100", "mrr@10")),
            f"{row['ms_per_query']:.1f}",
        )
    console.print(table)
    console.print(
        f"BM25: bm25s, k1={config.bm25_k1}, b={config.bm25_b}, stemmer={config.stemmer},"
        f" stopwords={config.stopwords}; fusion: {config.fusion}"
        f" (rrf_k={config.rrf_k}, weights dense {config.dense_weight} / bm25"
        f" {config.bm25_weight}); chunks of {config.chunk_size} tokens",
        highlight=False,
    )


@eval_app.command("rag")
def rag(
    ctx: typer.Context,
    kb: Annotated[str, typer.Option("--kb", help="Knowledge base holding the corpus.")] = "demo",
    qa: Annotated[Path, typer.Option("--qa", help="The QA set (JSON lines).")] = Path(
        "data/qa/rag.jsonl"
    ),
    k: Annotated[int | None, typer.Option("-k", help="Passages retrieved.")] = None,
    answers: Annotated[
        bool, typer.Option("--answers", help="Also generate answers (slow) and score them.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Source hit rate at k and correct refusals on a QA set with expected sources."""
    from inhouse.evaluate.rag import evaluate_qa, load_qa
    from inhouse.rag.kb import KnowledgeBase

    settings = ctx.obj.settings()
    knowledge = KnowledgeBase.open(kb, settings, create=False)
    with err_console.status("evaluating"):
        report = evaluate_qa(knowledge, load_qa(qa), k=k, answers=answers)
    if as_json:
        console.print_json(json.dumps(report))
        return
    for key, value in report.items():
        if not isinstance(value, list):
            console.print(f"{key:>28}  {value}", highlight=False)


@eval_app.command("router")
def router(
    ctx: typer.Context,
    data: Annotated[
        Path,
        typer.Option(
            "--dataset", "--data",
            help="Labelled prompts: our JSON lines, or a Presidio-format JSON list.",
        ),
    ] = Path("data/router/prompts.jsonl"),
    threshold: Annotated[
        float,
        typer.Option("--threshold", min=0.0, max=1.0,
                     help="Complexity threshold for the run (0: every prompt may go out)."),
    ] = 0.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:  # fmt: skip
    """Per entity type: recall, precision; prompts caught and leaked; harmless prompts
    kept local; latency. The cloud is enabled, the complexity threshold 0 by default."""
    from rich.table import Table

    from inhouse.evaluate.router import evaluate_router, load_dataset

    report = evaluate_router(load_dataset(data), ctx.obj.settings().router,
                             complexity_threshold=threshold)  # fmt: skip
    if as_json:
        console.print_json(json.dumps(report))
        return
    setting = report["setting"]
    console.print(
        f"cloud {setting['cloud']}, complexity threshold {setting['complexity_threshold']:.2f}"
        f" (every prompt the detectors pass may go out), NER: {setting['ner_model']}",
        highlight=False,
    )
    table = Table(title=f"router on {report['prompts']} prompts", show_edge=False)
    for column in ("entity", "entities", "recall", "hits", "precision"):
        table.add_column(column, justify="left" if column == "entity" else "right")
    for kind, row in report["per_type"].items():
        table.add_row(kind, str(row["entities"]), _fraction(row["recall"]), str(row["hits"]),
                      _fraction(row["precision"]))  # fmt: skip
    console.print(table)
    for group, row in report["prompts_caught"].items():
        console.print(f"{'caught ' + group:>28}  {_fraction(row['caught'])} of {row['prompts']}",
                      highlight=False)  # fmt: skip
    console.print(f"{'leaks':>28}  {report['leaks']}", highlight=False)
    for group, row in report["harmless"].items():
        console.print(
            f"{'kept local ' + group:>28}  {_fraction(row['kept_local'])} of {row['prompts']}"
            f" ({_fraction(row['kept_local_by_names_or_addresses'])} by names or addresses)",
            highlight=False,
        )
    by = report.get("harmless_kept_local_by_detector") or {}
    if by:
        found = ", ".join(f"{name} {row['prompts']}" for name, row in by.items())
        console.print(f"{'harmless kept local by':>28}  {found} (detector: prompts)",
                      highlight=False)  # fmt: skip
    for group, row in report["latency_ms"].items():
        console.print(f"{'latency ' + group:>28}  p50 {row['p50']:.2f} ms, p95 {row['p95']:.2f}"
                      f" ms ({row['decisions']} decisions)", highlight=False)  # fmt: skip
    for key in ("complexity_agreement", "latency_ms_p50", "latency_ms_p95"):
        console.print(f"{key:>28}  {report[key]}", highlight=False)
    if report["ignored_types"]:
        ignored = ", ".join(f"{k} {v}" for k, v in report["ignored_types"].items())
        console.print(f"{'spans left out':>28}  {ignored}", highlight=False)


def _fraction(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def register(app: typer.Typer) -> None:
    app.add_typer(eval_app, name="eval")
