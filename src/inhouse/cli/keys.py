"""`inhouse keys create|list|revoke`: API keys for the gateway (stored hashed)."""

from __future__ import annotations

from typing import Annotated

import typer

from inhouse.cli.output import console, err_console

keys_app = typer.Typer(help="Create, list and revoke gateway API keys.", no_args_is_help=True)


def _store(ctx: typer.Context):
    from inhouse.server.run import keys_of

    return keys_of(ctx.obj.settings())


@keys_app.command("create")
def create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Who or what the key is for.")],
    kb: Annotated[
        list[str] | None,
        typer.Option("--kb", help="Knowledge base the key may read (repeat; '*' for all)."),
    ] = None,
    write_kb: Annotated[
        list[str] | None,
        typer.Option("--write-kb", help="Knowledge base the key may also upload to (repeat)."),
    ] = None,
    models: Annotated[
        str, typer.Option("--models", help="Comma list of auto, local, cloud (default: all).")
    ] = "",
) -> None:
    """Make a key and print it once (only its hash is kept)."""
    kinds = [m.strip() for m in models.split(",") if m.strip()]
    key = _store(ctx).create(name, kbs=kb or [], write_kbs=write_kb or [], models=kinds)
    err_console.print(f"key for {name!r} (shown once; store it now):", highlight=False)
    console.print(key, highlight=False, soft_wrap=True)


@keys_app.command("list")
def list_(ctx: typer.Context) -> None:
    """Every key: name, grants, when it was made, last used and revoked (never the key)."""
    from rich.table import Table

    grants = _store(ctx).list()
    if not grants:
        console.print("no keys yet: the gateway is open on loopback; `inhouse keys create NAME`")
        return
    table = Table(show_edge=False)
    for column in ("name", "read", "write", "models", "created", "last used", "status"):
        table.add_column(column)
    for g in grants:
        table.add_row(g.name, ",".join(g.kbs) or "-", ",".join(g.write_kbs) or "-",
                      ",".join(g.models), _when(g.created), _when(g.last_used),
                      "revoked" if g.revoked else "live")  # fmt: skip
    console.print(table)


@keys_app.command("revoke")
def revoke(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="The key's name.")]
) -> None:
    """Revoke a key: it stops working at once (within 2 s on a running gateway)."""
    _store(ctx).revoke(name)
    console.print(f"revoked {name}", highlight=False)


def _when(stamp: float | None) -> str:
    import time

    return time.strftime("%Y-%m-%d %H:%M", time.localtime(stamp)) if stamp else "-"


def register(app: typer.Typer) -> None:
    app.add_typer(keys_app, name="keys")
