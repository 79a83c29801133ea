"""`inhouse route`: show where requests would go, and why, without calling any model."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from inhouse.cli.output import console
from inhouse.errors import ConfigError
from inhouse.jsonl import read_jsonl


def _requests(path: str) -> list[Any]:
    """One request per JSON line: {"text": ...} or {"messages": [...]}."""
    expected = 'expected {"text": ...} or {"messages": [...]} on each line'
    source = sys.stdin if path == "-" else Path(path)
    found = []
    for n, row in read_jsonl(source, "the request file", expected):
        try:
            found.append(row["messages"] if "messages" in row else row["text"])
        except (KeyError, TypeError):
            raise ConfigError(f"{path}:{n}: {expected}") from None
    return found


def _explain(text: str, decision: Any) -> None:
    rules = ", ".join(decision.rules)
    console.print(
        f"[bold]target:[/] {decision.target}   [bold]rules:[/] {rules}   [bold]complexity:[/]"
        f" {decision.complexity:.2f}   [bold]NER:[/] {decision.ner}   [bold]decided in:[/]"
        f" {decision.ms:.2f} ms"
    )
    for hit in decision.hits:
        console.print(
            f"  {hit.type:<12} chars {hit.start}-{hit.end}  {_masked(text[hit.start : hit.end])}"
            f"  {_why(hit)}",
            highlight=False,
        )


def _masked(shown: str) -> str:
    """The first and last two characters of a value longer than six, stars between."""
    shown = " ".join(shown.split())
    return shown[:2] + "*" * max(len(shown) - 4, 1) + shown[-2:] if len(shown) > 6 else "***"


def _why(hit: Any) -> str:
    """Why a hit fired: "validated (luhn)", "context (iban)", "ner (PERSON)"."""
    evidence = hit.evidence + (f" {hit.score:.2f}" if hit.score is not None else "")
    return f"{hit.why} ({evidence})" if evidence else hit.why


def route(
    ctx: typer.Context,
    text: Annotated[str | None, typer.Argument(help="A request to route.")] = None,
    file: Annotated[
        str | None, typer.Option("--file", help="JSON lines of requests (or - for stdin).")
    ] = None,
    explain: Annotated[bool, typer.Option("--explain", help="Say why, with the hits.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON decision per line.")] = False,
) -> None:
    """Decide local or cloud for requests, without calling any model (for auditing)."""
    from inhouse.router.hybrid import request_text
    from inhouse.router.policy import decide

    if (text is None) == (file is None):
        raise ConfigError("give either TEXT or --file FILE (JSON lines)")
    settings = ctx.obj.settings()
    cloud = settings.router.enabled and settings.cloud.enabled
    for request in [text] if file is None else _requests(file):
        whole, _ = request_text(request)
        decision = decide(whole, settings.router, cloud_available=cloud, all_hits=True)
        if as_json:
            sys.stdout.write(json.dumps(decision.as_dict()) + "\n")
        elif explain:
            _explain(whole, decision)
        else:
            console.print(decision.target)


def register(app: typer.Typer) -> None:
    app.command()(route)
