"""`inhouse models`: every local model the catalog finds."""

from __future__ import annotations

import dataclasses
import json
from typing import Annotated

import typer

from inhouse.cli.output import console


def models(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List local models: installed packages, model folders, Ollama's store, the HF cache."""
    from inhouse.models.catalog import list_models
    from inhouse.models.table import models_table

    infos = list_models(ctx.obj.settings().models)
    if as_json:
        rows = [dataclasses.asdict(info) for info in infos]
        console.print_json(json.dumps(rows, default=str))
    else:
        console.print(models_table(infos))


def register(app: typer.Typer) -> None:
    app.command()(models)
