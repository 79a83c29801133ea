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
    from inhouse.extract.evaluate import evaluate, load_cases

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


def register(app: typer.Typer) -> None:
    app.add_typer(eval_app, name="eval")
