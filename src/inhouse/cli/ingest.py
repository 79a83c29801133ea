"""`inhouse ingest PATH... --kb NAME`: add files to a knowledge base, incrementally."""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer

from inhouse.cli.output import console, err_console


def _progress() -> Any:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(
        TextColumn("[bold]ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files · {task.fields[chunks]} chunks · {task.fields[rate]:.0f} chunks/s"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )


def summary_table(report: Any) -> Any:
    from rich.table import Table

    table = Table(title="ingested", show_edge=False)
    for column in ("added", "updated", "unchanged", "removed", "skipped", "chunks", "seconds"):
        table.add_column(column, justify="right")
    table.add_row(
        *(str(len(x)) for x in (report.added, report.updated, report.unchanged,
                                report.removed, report.skipped)),
        str(report.chunks), f"{report.seconds:.1f}",
    )  # fmt: skip
    return table


def skipped_table(report: Any) -> Any:
    from rich.table import Table

    table = Table(title="skipped", show_edge=False, title_style="bold yellow")
    table.add_column("file", overflow="fold")
    table.add_column("reason", overflow="fold")
    for path, reason in report.skipped:
        table.add_row(os.path.relpath(path), reason)
    return table


def ingest(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(help="Files and folders to ingest.")],
    kb: Annotated[str, typer.Option("--kb", help="Knowledge base name.")] = "default",
    prune: Annotated[
        bool, typer.Option("--prune", help="Forget files under PATH that no longer exist.")
    ] = False,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Tag these files (repeat), for filters.")
    ] = None,
) -> None:
    """Ingest files into a knowledge base. Unchanged files are skipped; changed ones
    replaced. Exits 1 when a file had to be skipped (listed with the reason)."""
    import time

    from inhouse.rag.kb import KnowledgeBase

    knowledge = KnowledgeBase.open(kb, ctx.obj.settings())
    started = time.perf_counter()
    with _progress() as bar:
        task = bar.add_task("files", total=None, chunks=0, rate=0.0)

        def progress(kind: str, n: int) -> None:
            if kind == "file":
                bar.advance(task, n)
            else:
                done = bar.tasks[0].fields["chunks"] + n
                rate = done / max(time.perf_counter() - started, 1e-9)
                bar.update(task, chunks=done, rate=rate)

        report = knowledge.ingest(
            paths, prune=prune, tags=tag or (), progress=progress,
            on_discovered=lambda total: bar.update(task, total=total),
        )  # fmt: skip
    console.print(summary_table(report))
    if report.skipped:
        console.print(skipped_table(report))
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command()(ingest)
