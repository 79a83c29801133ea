"""`inhouse chat`: stream answers from the configured local model."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from inhouse.cli.output import console


def _stream(model: object, messages: list) -> str:
    parts = []
    for chunk in model.stream(messages):  # type: ignore[attr-defined]
        text = chunk.text if isinstance(chunk.text, str) else str(chunk.content)
        parts.append(text)
        sys.stdout.write(text)
        sys.stdout.flush()
    sys.stdout.write("\n")
    return "".join(parts)


def chat(
    ctx: typer.Context,
    once: Annotated[
        str | None, typer.Option("--once", help="Ask one question, stream the answer, exit.")
    ] = None,
    system: Annotated[str | None, typer.Option("--system", help="A system prompt.")] = None,
) -> None:
    """Chat with the configured local model (streaming). Use --once for scripts."""
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    from inhouse.factory import chat_model

    model = chat_model(ctx.obj.settings())
    history: list = [SystemMessage(system)] if system else []
    if once is not None:
        _stream(model, [*history, HumanMessage(once)])
        return
    console.print("[dim]Type a message; /exit to quit.[/]")
    while True:
        try:
            text = console.input("[bold]> [/]").strip()
        except EOFError:
            break
        if text in {"/exit", "/quit"}:
            break
        if not text:
            continue
        history.append(HumanMessage(text))
        history.append(AIMessage(_stream(model, history)))


def register(app: typer.Typer) -> None:
    app.command()(chat)
