"""Who may write knowledge bases while a gateway serves them from embedded Chroma.

Embedded Chroma (`PersistentClient`) is for one process: a gateway keeps its indexes
open and in memory, so another process writing the same files would corrupt them or go
unseen. While `inhouse serve` runs without a Chroma server it holds a claim on the data
folder (an exclusive lock the OS releases if the process dies, plus a note of where it
listens); any other process that tries to write a knowledge base there stops with one
line naming the server. With `vectorstore.host` set, no claim is taken: every process
goes through the Chroma server and writers take turns on each knowledge base's lock.

Example:
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> claim = Claim.take(folder, "http://127.0.0.1:8080")
    >>> check_writable(folder, "demo")  # the claiming process itself may write
    >>> claim.release()
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inhouse.errors import ConfigError

LOCK = ".served.lock"
NOTE = ".served.json"
_held: set[str] = set()
"""Folders this process has claimed."""


@dataclass
class Claim:
    folder: Path
    handle: Any

    @classmethod
    def take(cls, folder: Path, url: str) -> Claim:
        """Claim `folder` for this process; a folder another live server holds is an error."""
        folder.mkdir(parents=True, exist_ok=True)
        handle = (folder / LOCK).open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            msg = f"another `inhouse serve` already serves {folder}{_where(folder)}; stop it first"
            raise ConfigError(msg) from None
        (folder / NOTE).write_text(json.dumps({"pid": os.getpid(), "url": url}))
        _held.add(str(folder.resolve()))
        return cls(folder, handle)

    def release(self) -> None:
        _held.discard(str(self.folder.resolve()))
        (self.folder / NOTE).unlink(missing_ok=True)
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def check_writable(folder: Path, kb: str) -> None:
    """A ConfigError if a gateway in another process serves `folder` from embedded Chroma."""
    lock = folder / LOCK
    if str(folder.resolve()) in _held or not lock.exists():
        return
    with lock.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            msg = (
                f"knowledge base {kb!r} is served by `inhouse serve`{_where(folder)} from"
                " embedded Chroma, which is for one process; upload through its"
                f" POST /v1/kb/{kb}/files, stop the server first, or use a Chroma server"
                " (vectorstore.host)"
            )
            raise ConfigError(msg) from None
        fcntl.flock(handle, fcntl.LOCK_UN)


def _where(folder: Path) -> str:
    try:
        note = json.loads((folder / NOTE).read_text())
    except (OSError, ValueError):
        return ""
    return f" at {note.get('url')} (pid {note.get('pid')})"
