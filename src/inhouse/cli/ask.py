"""`inhouse ask QUESTION --kb NAME`: a grounded answer with its sources."""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer

from inhouse.cli.output import console


def sources_table(answer: Any) -> Any:
    from rich.table import Table

    table = Table(title="sources", show_edge=False)
    for column, justify in (
        ("#", "right"),
        ("source", "left"),
        ("page", "right"),
        ("score", "right"),
        ("similarity", "right"),
        ("snippet", "left"),
    ):
        table.add_column(column, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for s in answer.sources:
        table.add_row(
            f"[{s.n}]" + ("*" if s.cited else ""), os.path.relpath(s.source),
            str(s.page or ""), f"{s.score:.4f}", f"{s.similarity:.2f}", s.snippet[:120],
        )  # fmt: skip
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
