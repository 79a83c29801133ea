"""`inhouse ask QUESTION --kb NAME`: a grounded answer with its sources."""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer

from inhouse.cli.output import console


def sources_table(answer: Any) -> Any:
    """One row per passage: number (* when cited), file, page, similarity, and the
    start of the passage under the file name."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title="sources", show_edge=False, expand=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("source and passage", overflow="fold")
    table.add_column("page", justify="right", no_wrap=True)
    table.add_column("similarity", justify="right", no_wrap=True)
    for s in answer.sources:
        cell = Text(os.path.relpath(s.source), style="bold")
        cell.append("\n" + s.snippet, style="dim")
        table.add_row(f"[{s.n}]" + ("*" if s.cited else ""), cell, str(s.page or ""),
                      f"{s.similarity:.2f}")  # fmt: skip
    return table


def ask(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help="The question.")],
    kb: Annotated[str, typer.Option("--kb", help="Knowledge base to answer from.")] = "default",
    k: Annotated[int | None, typer.Option("-k", help="Passages to retrieve.")] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Only sources matching this glob.")
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Only files with this tag.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the Answer as JSON.")] = False,
) -> None:
    """Answer a question from a knowledge base, citing passages as [1], [2]."""
    from inhouse.chains import load_chain
    from inhouse.rag.kb import KnowledgeBase

    settings = ctx.obj.settings()
    options: dict[str, Any] = {"source": source, "tags": tag or []}
    if k:
        options["k"] = k
    retriever = KnowledgeBase.open(kb, settings, create=False).retriever(**options)
    chain = load_chain("rag", settings, retriever=retriever)
    if as_json:
        console.print_json(chain.invoke(question).model_dump_json())
        return
    answer = None
    for piece in chain.stream(question):
        answer = piece if answer is None else answer + piece
        console.print(piece.text, end="", highlight=False, markup=False)
    console.print()
    if answer is not None and answer.sources:
        console.print(sources_table(answer))


def register(app: typer.Typer) -> None:
    app.command()(ask)
