"""`inhouse chat`: a streaming REPL with history per session; `--once` for scripts.

REPL commands: ``/reset`` (forget this session), ``/history`` (show it), ``/profile NAME``
(switch provider, keep the history), ``/exit``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

from inhouse.cli.output import console, err_console
from inhouse.errors import InhouseError

if TYPE_CHECKING:
    from inhouse.settings.schema import Settings

HELP = "Commands: /reset, /history, /profile NAME, /exit"


def _stream(chain: Any, text: str, config: dict | None = None) -> str:
    parts = []
    for piece in chain.stream(text, config):
        parts.append(piece)
        sys.stdout.write(piece)
        sys.stdout.flush()
    sys.stdout.write("\n")
    sys.stdout.flush()
    return "".join(parts)


@dataclass
class Session:
    """The REPL's state: settings, the chain built from them, and the session id."""

    settings: Settings
    session_id: str
    system: str | None
    chain: Any = None

    def build(self) -> None:
        from inhouse.chains import load_chain

        extra = {"system": self.system} if self.system else {}
        self.chain = load_chain("chat", self.settings, session_id=self.session_id, **extra)

    @property
    def config(self) -> dict:
        return {"configurable": {"session_id": self.session_id}}

    def history(self) -> Any:
        from inhouse.chains.history import session_history

        return session_history(self.settings, self.session_id)


def _reset(session: Session, _: str) -> None:
    session.history().clear()
    console.print(f"[dim]history of session {session.session_id!r} cleared[/]")


def _show_history(session: Session, _: str) -> None:
    messages = session.history().messages
    if not messages:
        console.print("[dim](no history)[/]")
    names = {"human": "you", "ai": "assistant"}
    for message in messages:
        console.print(f"[bold]{names.get(message.type, message.type)}:[/] ", end="")
        console.print(message.text, markup=False, highlight=False)


def _switch_profile(session: Session, name: str) -> None:
    from inhouse.settings import with_profile

    if not name:
        console.print("usage: /profile NAME (see `inhouse config profiles`)")
        return
    switched = Session(with_profile(session.settings, name), session.session_id, session.system)
    switched.build()
    session.settings, session.chain = switched.settings, switched.chain
    llm = session.settings.llm
    console.print(f"[dim]profile {name}: {llm.provider} {llm.model}[/]", highlight=False)


COMMANDS = {"/reset": _reset, "/history": _show_history, "/profile": _switch_profile}


def _handle(session: Session, line: str) -> bool:
    """Run one line of input; False when the user wants to leave."""
    command, _, argument = line.partition(" ")
    if command in {"/exit", "/quit"}:
        return False
    if command in COMMANDS:
        COMMANDS[command](session, argument.strip())
    elif command.startswith("/"):
        console.print(HELP)
    else:
        _stream(session.chain, line, session.config)
    return True


def _repl(session: Session) -> None:
    console.print(f"[dim]Session {session.session_id!r}. {HELP}[/]", highlight=False)
    while True:
        try:
            line = console.input("[bold]> [/]").strip()
        except EOFError:
            break
        if not line:
            continue
        try:
            if not _handle(session, line):
                break
        except InhouseError as exc:  # keep the session going; the user can fix and retry
            err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)


def chat(
    ctx: typer.Context,
    once: Annotated[
        str | None, typer.Option("--once", help="Ask one question, stream the answer, exit.")
    ] = None,
    session: Annotated[
        str | None,
        typer.Option("--session", help="Session id: its history is kept across runs."),
    ] = None,
    system: Annotated[str | None, typer.Option("--system", help="A system prompt.")] = None,
) -> None:
    """Chat with the configured local model (streaming). Use --once for scripts.

    With --once the question is answered without history unless --session is given.
    """
    settings = ctx.obj.settings()
    if once is not None and session is None:
        from inhouse.chains import load_chain

        extra = {"system": system} if system else {}
        _stream(load_chain("chat", settings, history=False, **extra), once)
        return
    state = Session(settings, session or settings.chains.default_session, system)
    state.build()
    if once is not None:
        _stream(state.chain, once, state.config)
        return
    _repl(state)


def register(app: typer.Typer) -> None:
    app.command()(chat)
