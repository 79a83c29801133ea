"""`inhouse eval extract`: schema-valid rate and accuracy, constrained vs prompt-only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from inhouse.cli.output import console, err_console

eval_app = typer.Typer(help="Measure chains on labelled data.", no_args_is_help=True)


def _table(reports: list[Any]) -> Any:
    from rich.table import Table

    fields = list(dict.fromkeys(k for r in reports for k in r.field_accuracy))
    table = Table(title="extraction")
    for column in ("provider", "mode", "cases", "valid", "exact", *fields, "s/case"):
        table.add_column(column, justify="left" if column in ("provider", "mode") else "right")
    for r in reports:
        row = r.as_dict()
        accuracy = [f"{row['field_accuracy'].get(f, 0.0):.2f}" for f in fields]
        table.add_row(
            r.provider, row["mode"], str(r.cases), f"{r.valid_rate:.2f}", f"{r.exact_rate:.2f}",
            *accuracy, f"{row['seconds_per_case']:.1f}",
        )  # fmt: skip
    return table


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
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Run the extract chains on a labelled set, with and without constrained decoding."""
    from inhouse.extract.evaluate import evaluate, load_cases

    settings = ctx.obj.settings()
    cases = load_cases(manifest, limit)
    providers = provider or [settings.llm.provider]
    with err_console.status("evaluating") as status:
        reports = evaluate(
            settings, providers, cases=cases, progress=lambda cid: status.update(cid)
        )
    if as_json:
        console.print_json(json.dumps([r.as_dict() for r in reports]))
    else:
        console.print(_table(reports))


def register(app: typer.Typer) -> None:
    app.add_typer(eval_app, name="eval")
