"""`inhouse config`: the effective settings and where each value came from."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from inhouse.cli.output import console

config_app = typer.Typer(help="Inspect settings and profiles.", no_args_is_help=True)


@config_app.command("show")
def show(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print the effective settings, secrets masked, with the source of each value."""
    from inhouse.settings.show import masked_dict, setting_rows

    settings = ctx.obj.settings()
    if as_json:
        console.print_json(json.dumps(masked_dict(settings), default=str))
        return
    table = Table(title=f"inhouse settings (profiles: {', '.join(settings.profiles)})")
    for column in ("setting", "value", "source"):
        table.add_column(column, overflow="fold")
    for row in setting_rows(settings):
        table.add_row(row.path, repr(row.value) if row.value != "" else "", row.source)
    console.print(table)


@config_app.command("profiles")
def profiles(ctx: typer.Context) -> None:
    """List the profiles that --profile can name."""
    from inhouse.settings import profile_names

    for name in profile_names(ctx.obj.config_dir):
        console.print(name, highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(config_app, name="config")
