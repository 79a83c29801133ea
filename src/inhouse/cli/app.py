"""The `inhouse` command: a thin boundary over the library.

Each command is a few lines that call the library. Every `InhouseError` becomes one
line on stderr and exit code 2; set INHOUSE_DEBUG=1 to see the traceback instead.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any

import typer

from inhouse.cli.output import err_console
from inhouse.errors import InhouseError

if TYPE_CHECKING:
    from inhouse.settings.schema import Settings

app = typer.Typer(
    name="inhouse",
    help="Run language models on your own hardware: chat, private document Q&A, routing.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@dataclass
class State:
    """What the global options chose; settings are built on first use."""

    profile: str | None = None
    config_dir: str | None = None
    overrides: dict[str, Any] = field(default_factory=dict)
    _settings: Settings | None = None

    def settings(self) -> Settings:
        if self._settings is None:
            from inhouse.settings import load_settings

            self._settings = load_settings(
                self.profile, config_dir=self.config_dir, **self.overrides
            )
        return self._settings


@app.callback()
def _options(
    ctx: typer.Context,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile", "-p", help="Profiles to merge over `default`, e.g. ollama or hybrid,dev."
        ),
    ] = None,
    config_dir: Annotated[
        str | None,
        typer.Option("--config-dir", help="Folder with your own profiles (INHOUSE_CONFIG_DIR)."),
    ] = None,
) -> None:
    ctx.obj = State(profile=profile, config_dir=config_dir)


_registered = False


def _register_commands() -> None:
    global _registered
    if _registered:
        return
    from inhouse.cli import (
        ask,
        chat,
        config,
        doctor,
        extract,
        ingest,
        kb,
        keys,
        models,
        route,
        serve,
    )
    from inhouse.cli import eval as eval_command

    modules = (chat, ingest, ask, kb, extract, route, serve, keys, eval_command, config, models,
               doctor)  # fmt: skip
    for module in modules:
        module.register(app)
    _registered = True


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `inhouse` console script."""
    _register_commands()
    try:
        code = app(args=argv, standalone_mode=False)  # returns the code of typer.Exit
    except InhouseError as exc:
        if os.environ.get("INHOUSE_DEBUG"):
            raise
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except (typer.Abort, KeyboardInterrupt):
        err_console.print("aborted")
        sys.exit(130)
    except typer.TyperException as exc:  # usage errors: unknown option, bad value
        exc.show()  # type: ignore[attr-defined]
        sys.exit(2)
    if isinstance(code, int) and code:
        sys.exit(code)
