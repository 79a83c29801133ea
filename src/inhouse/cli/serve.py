"""`inhouse serve`: the OpenAI-compatible privacy gateway."""

from __future__ import annotations

from typing import Annotated

import typer

from inhouse.cli.output import err_console


def serve(
    ctx: typer.Context,
    host: Annotated[
        str | None, typer.Option("--host", help="Address to listen on (server.host).")
    ] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port (server.port).")] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Worker processes (server.workers).")
    ] = None,
) -> None:
    """Serve the local model, the router and the knowledge bases over the OpenAI API."""
    from inhouse.server.run import serve as run

    state = ctx.obj
    for key, value in (("host", host), ("port", port), ("workers", workers)):
        if value is not None:
            state.overrides.setdefault("server", {})[key] = value
    settings = state.settings()
    server = settings.server
    err_console.print(
        f"inhouse gateway on http://{server.host}:{server.port} (model {settings.llm.model},"
        f" cloud {'on' if settings.router.enabled and settings.cloud.enabled else 'off'});"
        " Ctrl-C stops it",
        highlight=False,
    )
    run(settings, profile=state.profile, config_dir=state.config_dir, overrides=state.overrides)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
