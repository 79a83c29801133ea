"""The SQLite manifest: the one source of truth of a knowledge base.

It holds every ingested file (content hash, size, mtime, tags) and every chunk (id,
text, metadata). The Chroma collection and the BM25 index are derived from it: a
`dirty` flag is set in the same transaction as any change and cleared only once both
derived indexes match again, so a process killed at any point leaves a manifest
that says exactly what to repair (see `KnowledgeBase.repair`).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL, tags TEXT NOT NULL DEFAULT '', title TEXT NOT NULL DEFAULT '',
    chunks INTEGER NOT NULL, ingested_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, position INTEGER NOT NULL,
    text TEXT NOT NULL, meta TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_by_path ON chunks (path, position);
"""


@dataclass(frozen=True)
class FileRecord:
    path: str
    sha256: str
    size: int
    mtime_ns: int
    tags: str = ""
    title: str = ""
    chunks: int = 0


@dataclass(frozen=True)
class Chunk:
    """One passage: a deterministic id, its text and metadata (source, page, ...)."""

    id: str
    text: str
    metadata: dict[str, Any]


class Manifest:
    """Files and chunks of one knowledge base in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    # -- meta ----------------------------------------------------------------------------

    def get(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def put(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    @property
    def dirty(self) -> bool:
        return self.get("dirty", "0") == "1"

    def mark_clean(self) -> None:
        self.put("dirty", "0")

    # -- files ---------------------------------------------------------------------------

    def file(self, path: str) -> FileRecord | None:
        row = self.db.execute(
            "SELECT path, sha256, size, mtime_ns, tags, title, chunks FROM files WHERE path = ?",
            (path,),
        ).fetchone()
        return FileRecord(*row) if row else None

    def files(self) -> list[FileRecord]:
        rows = self.db.execute(
            "SELECT path, sha256, size, mtime_ns, tags, title, chunks FROM files ORDER BY path"
        )
        return [FileRecord(*row) for row in rows]

    def touch(self, record: FileRecord) -> None:
        """Record a new mtime for a file whose content did not change."""
        self.db.execute(
            "UPDATE files SET mtime_ns = ?, size = ? WHERE path = ?",
            (record.mtime_ns, record.size, record.path),
        )

    def replace(self, items: Iterable[tuple[FileRecord, list[Chunk]]]) -> list[str]:
        """Store files with their chunks (replacing what a file had) in one transaction;
        return the ids of chunks that no longer exist."""
        gone: list[str] = []
        with self._transaction():
            for record, chunks in items:
                new = {c.id for c in chunks}
                gone += [i for i in self._chunk_ids(record.path) if i not in new]
                self.db.execute("DELETE FROM chunks WHERE path = ?", (record.path,))
                self.db.execute(
                    "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        record.path,
                        record.sha256,
                        record.size,
                        record.mtime_ns,
                        record.tags,
                        record.title,
                        len(chunks),
                        time.time(),
                    ),
                )
                self.db.executemany(
                    "INSERT OR REPLACE INTO chunks VALUES (?, ?, ?, ?, ?)",
                    [
                        (c.id, record.path, n, c.text, json.dumps(c.metadata, sort_keys=True))
                        for n, c in enumerate(chunks)
                    ],
                )
        return gone

    def remove(self, paths: Iterable[str]) -> list[str]:
        """Forget files; return the ids of their chunks."""
        gone: list[str] = []
        with self._transaction():
            for path in paths:
                gone += self._chunk_ids(path)
                self.db.execute("DELETE FROM chunks WHERE path = ?", (path,))
                self.db.execute("DELETE FROM files WHERE path = ?", (path,))
        return gone

    # -- chunks --------------------------------------------------------------------------

    def _chunk_ids(self, path: str) -> list[str]:
        rows = self.db.execute("SELECT id FROM chunks WHERE path = ? ORDER BY position", (path,))
        return [r[0] for r in rows]

    def chunk_ids(self) -> list[str]:
        """Every chunk id, in a fixed order (by path, then position)."""
        return [r[0] for r in self.db.execute("SELECT id FROM chunks ORDER BY path, position")]

    def texts(self) -> Iterator[tuple[str, str]]:
        """(id, text) of every chunk, in `chunk_ids` order."""
        yield from self.db.execute("SELECT id, text FROM chunks ORDER BY path, position")

    def chunks(self, ids: Iterable[str]) -> dict[str, Chunk]:
        """The chunks with these ids (missing ids are left out)."""
        ids = list(ids)
        found: dict[str, Chunk] = {}
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            rows = self.db.execute(
                f"SELECT id, text, meta FROM chunks WHERE id IN ({','.join('?' * len(part))})",
                part,
            )
            for cid, text, meta in rows:
                found[cid] = Chunk(cid, text, json.loads(meta))
        return found

    def chunk_sources(self) -> dict[str, str]:
        """Chunk id to the path of its file."""
        return dict(self.db.execute("SELECT id, path FROM chunks"))

    def counts(self) -> tuple[int, int]:
        """(files, chunks)."""
        files = self.db.execute("SELECT COUNT(*) FROM files").fetchone()[0]
        chunks = self.db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        return files, chunks

    # -- transactions --------------------------------------------------------------------

    def _transaction(self) -> _Transaction:
        return _Transaction(self.db)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT that also sets the dirty flag (ROLLBACK on error)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('dirty', '1')")

    def __exit__(self, kind: object, *_: object) -> None:
        self.db.execute("ROLLBACK" if kind else "COMMIT")
