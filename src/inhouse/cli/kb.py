"""`inhouse kb list|stats|remove|delete`: look after knowledge bases."""

from __future__ import annotations

from typing import Annotated

import typer

from inhouse.cli.output import console

kb_app = typer.Typer(help="List, inspect and delete knowledge bases.", no_args_is_help=True)


@kb_app.command("list")
def list_(ctx: typer.Context) -> None:
    """Every knowledge base with its files and chunks."""
    from rich.table import Table

    from inhouse.rag.kb import KnowledgeBase

    settings = ctx.obj.settings()
    table = Table(show_edge=False)
    for column in ("name", "files", "chunks"):
        table.add_column(column, justify="left" if column == "name" else "right")
    for name in KnowledgeBase.names(settings):
        stats = KnowledgeBase.open(name, settings).stats()
        table.add_row(name, str(stats.files), str(stats.chunks))
    console.print(table if table.row_count else "no knowledge bases yet; `inhouse ingest`")


@kb_app.command("stats")
def stats(ctx: typer.Context, name: Annotated[str, typer.Argument(help="Knowledge base.")]) -> None:
    """Files, chunks, vectors, embedding model and storage of one knowledge base."""
    from inhouse.rag.kb import KnowledgeBase

    found = KnowledgeBase.open(name, ctx.obj.settings(), create=False).stats()
    for key, value in found.__dict__.items():
        console.print(f"{key:>16}  {value}", highlight=False)


@kb_app.command("remove")
def remove(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Knowledge base.")],
    paths: Annotated[list[str], typer.Argument(help="Documents to remove (as ingested).")],
) -> None:
    """Remove documents from a knowledge base."""
    from inhouse.rag.kb import KnowledgeBase

    removed = KnowledgeBase.open(name, ctx.obj.settings(), create=False).remove(paths)
    for path in removed:
        console.print(f"removed {path}", highlight=False)
    missing = len(paths) - len(removed)
    if missing:
        console.print(f"{missing} path(s) were not in {name!r}", highlight=False)
        raise typer.Exit(1)


@kb_app.command("delete")
def delete(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Knowledge base.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
) -> None:
    """Delete a knowledge base: its vectors, BM25 index and manifest (not your files)."""
    from inhouse.rag.kb import KnowledgeBase

    kb = KnowledgeBase.open(name, ctx.obj.settings(), create=False)
    if not yes and not typer.confirm(f"delete knowledge base {name!r}?"):
        raise typer.Exit(1)
    kb.delete()
    console.print(f"deleted {name}", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(kb_app, name="kb")
