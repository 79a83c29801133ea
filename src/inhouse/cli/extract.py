"""`inhouse extract`: a text file (or stdin) in, the extracted object as JSON on stdout."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from inhouse.errors import ConfigError


def _read(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    try:
        return Path(source).expanduser().read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        msg = f"cannot read {source}: {exc.strerror}; give a text file or - for stdin"
        raise ConfigError(msg) from exc


def _chain_name(name: str, settings: Any) -> str:
    """`invoice` finds `extract_invoice`; any other name is used as given."""
    from inhouse.chains import chain_names

    names = chain_names(settings)
    return f"extract_{name}" if name not in names and f"extract_{name}" in names else name


def _as_json(result: Any) -> str:
    if hasattr(result, "model_dump_json"):
        return result.model_dump_json(indent=2)
    return json.dumps(result, indent=2, ensure_ascii=False)


def extract(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="A text file, or - to read stdin.")],
    chain: Annotated[
        str, typer.Option("--chain", "-c", help="An extract chain, e.g. extract_invoice.")
    ] = "extract_contact",
) -> None:
    """Extract structured data from a text with an extract chain; prints JSON."""
    from inhouse.chains import chain_names, find_spec, load_chain

    settings = ctx.obj.settings()
    name = _chain_name(chain, settings)
    if find_spec(name, settings).kind != "extract":
        kinds = [n for n in chain_names(settings) if find_spec(n, settings).kind == "extract"]
        msg = f"chain {name!r} is not an extract chain; use one of: {', '.join(kinds)}"
        raise ConfigError(msg)
    result = load_chain(name, settings).invoke({"text": _read(source)})
    sys.stdout.write(_as_json(result) + "\n")


def register(app: typer.Typer) -> None:
    app.command()(extract)
