"""Chat history in SQLite: one history per session id, kept across restarts.

Example:
    >>> from langchain_core.messages import HumanMessage
    >>> history = SQLiteChatHistory("/tmp/chat.sqlite3", "demo")
    >>> history.add_messages([HumanMessage("hi")])
    >>> [m.content for m in history.messages][-1]
    'hi'
    >>> history.clear()

Plain `sqlite3` (no SQLAlchemy); every operation opens its own connection, so a history
can be used from several threads and processes.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.chat_history import BaseChatMessageHistory
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    message_to_dict,
    messages_from_dict,
)

from inhouse.errors import ConfigError

if TYPE_CHECKING:
    from langchain_core.runnables import Runnable, RunnableConfig

    from inhouse.settings.schema import Settings

HISTORY_FILE = "chat_history.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    message TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_session ON messages (session_id, id);
"""


def history_path(settings: Settings) -> Path:
    """The SQLite file: ``chains.history_file``, or ``<data_dir>/chat_history.sqlite3``."""
    return settings.chains.history_file or settings.data_dir / HISTORY_FILE


class SQLiteChatHistory(BaseChatMessageHistory):
    """The messages of one session, stored in a SQLite file."""

    def __init__(self, path: str | Path, session_id: str) -> None:
        self.path = Path(path)
        self.session_id = session_id
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        try:
            if not self._ready:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30)
            if not self._ready:
                conn.executescript(_SCHEMA)
                self._ready = True
        except (OSError, sqlite3.Error) as exc:
            msg = f"cannot open chat history {self.path}: {exc}; check chains.history_file"
            raise ConfigError(msg) from exc
        return conn

    @property
    def messages(self) -> list[BaseMessage]:  # type: ignore[override]
        """The session's messages, oldest first."""
        with closing(self._connect()) as conn:
            rows = conn.execute(
                "SELECT message FROM messages WHERE session_id = ? ORDER BY id",
                (self.session_id,),
            ).fetchall()
        return messages_from_dict([json.loads(row[0]) for row in rows])

    def add_messages(self, messages: Sequence[BaseMessage]) -> None:
        """Append messages in one transaction."""
        now = time.time()
        rows = [(self.session_id, json.dumps(message_to_dict(m)), now) for m in messages]
        with closing(self._connect()) as conn, conn:
            conn.executemany(
                "INSERT INTO messages (session_id, message, created) VALUES (?, ?, ?)", rows
            )

    def clear(self) -> None:
        """Forget this session's messages."""
        with closing(self._connect()) as conn, conn:
            conn.execute("DELETE FROM messages WHERE session_id = ?", (self.session_id,))


def session_history(settings: Settings, session_id: str | None = None) -> SQLiteChatHistory:
    """The stored history of a session (``chains.default_session`` when none is named)."""
    return SQLiteChatHistory(history_path(settings), session_id or settings.chains.default_session)


class _Remembering:
    """Runs a chain with a session's history and stores the new turn once it is done."""

    def __init__(self, chain: Runnable, path: Path, input_key: str, default_session: str) -> None:
        self.chain = chain
        self.path = path
        self.input_key = input_key
        self.default_session = default_session

    def history(self, config: RunnableConfig) -> SQLiteChatHistory:
        session = (config.get("configurable") or {}).get("session_id") or self.default_session
        return SQLiteChatHistory(self.path, str(session))

    def turn(self, inputs: dict[str, Any], answer: list[str]) -> list[BaseMessage]:
        return [HumanMessage(str(inputs[self.input_key])), AIMessage("".join(answer))]

    def gather(self, chunks: list[dict]) -> dict[str, Any]:
        """One input from the streamed input chunks (usually just one)."""
        from langchain_core.runnables.utils import AddableDict

        merged = AddableDict()
        for chunk in chunks:
            merged = merged + AddableDict(chunk)
        if not isinstance(merged.get(self.input_key), str):
            msg = f"a chat chain needs the text as a string or {{{self.input_key!r}: str}}"
            raise ConfigError(msg)
        return dict(merged)

    def stream(self, inputs: Iterator[dict], config: RunnableConfig) -> Iterator[str]:
        item = self.gather(list(inputs))
        history = self.history(config)
        answer: list[str] = []
        for piece in self.chain.stream({**item, "history": history.messages}, config):
            answer.append(piece)
            yield piece
        history.add_messages(self.turn(item, answer))

    async def astream(
        self, inputs: AsyncIterator[dict], config: RunnableConfig
    ) -> AsyncIterator[str]:
        item = self.gather([chunk async for chunk in inputs])
        history = self.history(config)
        messages = await history.aget_messages()
        answer: list[str] = []
        async for piece in self.chain.astream({**item, "history": messages}, config):
            answer.append(piece)
            yield piece
        await history.aadd_messages(self.turn(item, answer))


def with_history(chain: Runnable, path: Path, *, input_key: str, default_session: str) -> Runnable:
    """`chain` (text out, a ``history`` input) with a SQLite-backed history per session.

    The session is ``config["configurable"]["session_id"]`` (else `default_session`); the
    stored turn is the input's `input_key` text and the full answer. Works with invoke,
    stream, batch and their async forms, like `RunnableWithMessageHistory` (which
    langchain-core 1.x deprecates).
    """
    from langchain_core.runnables import RunnableGenerator

    runner = _Remembering(chain, path, input_key, default_session)

    def remember(inputs: Iterator[dict], config: RunnableConfig) -> Iterator[str]:
        yield from runner.stream(inputs, config)

    async def aremember(inputs: AsyncIterator[dict], config: RunnableConfig) -> AsyncIterator[str]:
        async for piece in runner.astream(inputs, config):
            yield piece

    return RunnableGenerator(remember, aremember, name="with_history")
