"""`inhouse doctor`: check every configured provider; exit 0 when all pass, 1 otherwise."""

from __future__ import annotations

import typer
from rich.table import Table

from inhouse.cli.output import console


def doctor(ctx: typer.Context) -> None:
    """Check each configured provider: reachable, model present, loads, generates, embeds."""
    from inhouse.doctor import run_checks

    table = Table(title="inhouse doctor")
    for column in ("section", "provider", "check", "result", "detail", "seconds"):
        table.add_column(column, overflow="fold")
    failed = False
    with console.status("checking…"):
        for check in run_checks(ctx.obj.settings()):
            failed |= not check.ok
            mark = "[green]ok[/]" if check.ok else "[red]FAIL[/]"
            table.add_row(
                check.section, check.provider, check.step, mark, check.detail,
                f"{check.seconds:.2f}",
            )
    console.print(table)
    raise typer.Exit(1 if failed else 0)


def register(app: typer.Typer) -> None:
    app.command()(doctor)
