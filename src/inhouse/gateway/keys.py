"""API keys for the gateway: stored hashed in SQLite, each with its grants.

A key reads the knowledge bases it was granted (``kbs``; ``*`` for all), writes those in
``write_kbs`` (which it may also read), and names only the models in ``models`` (any of
``auto``, ``local``, ``cloud``; empty: all three). The key itself is shown once, when it
is created; the store keeps its SHA-256 digest.

Example:
    >>> import tempfile, pathlib
    >>> store = KeyStore(pathlib.Path(tempfile.mkdtemp()) / "keys.sqlite3")
    >>> key = store.create("alice", kbs=["legal"], models=["auto", "local"])
    >>> store.authenticate(key).name, store.authenticate("ih-wrong")
    ('alice', None)
    >>> store.authenticate(key).can_read("legal"), store.authenticate(key).can_read("hr")
    (True, False)
    >>> store.revoke("alice"); store.authenticate(key) is None
    True
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from inhouse.errors import ConfigError

PREFIX = "ih-"
MODEL_KINDS = ("auto", "local", "cloud")
ALL = "*"
CACHE_SECONDS = 2.0


@dataclass(frozen=True)
class Grant:
    """What one caller may do. `OPEN` (no keys configured) may do everything."""

    name: str
    kbs: tuple[str, ...] = ()
    write_kbs: tuple[str, ...] = ()
    models: tuple[str, ...] = MODEL_KINDS
    created: float = 0.0
    revoked: float | None = None
    last_used: float | None = None

    def can_read(self, kb: str) -> bool:
        return ALL in self.kbs or kb in self.kbs or self.can_write(kb)

    def can_write(self, kb: str) -> bool:
        return ALL in self.write_kbs or kb in self.write_kbs

    def can_use(self, kind: str) -> bool:
        return kind in self.models


OPEN = Grant(name="open", kbs=(ALL,), write_kbs=(ALL,))
"""The grant of every request while no key exists (loopback only; see `inhouse serve`)."""


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass
class KeyStore:
    """The keys file (``server.keys_file``, default ``<data_dir>/keys.sqlite3``)."""

    path: Path
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _any: bool | None = field(default=None, repr=False)
    _cache: dict[str, tuple[float, Grant | None]] = field(default_factory=dict, repr=False)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=10)
        db.execute(
            "CREATE TABLE IF NOT EXISTS keys (name TEXT PRIMARY KEY, digest TEXT UNIQUE NOT NULL,"
            " kbs TEXT NOT NULL, write_kbs TEXT NOT NULL, models TEXT NOT NULL,"
            " created REAL NOT NULL, revoked REAL, last_used REAL)"
        )
        return db

    def create(
        self,
        name: str,
        *,
        kbs: Sequence[str] = (),
        write_kbs: Sequence[str] = (),
        models: Sequence[str] = (),
    ) -> str:
        """A new key for `name` (returned once, never stored); a live key of that name is
        an error, a revoked one is replaced."""
        if not name or not name.replace("-", "").replace("_", "").isalnum():
            msg = f"key name {name!r}: use letters, digits, '-' and '_'"
            raise ConfigError(msg)
        unknown = sorted(set(models) - set(MODEL_KINDS))
        if unknown:
            msg = f"--models {', '.join(unknown)}: allowed are {', '.join(MODEL_KINDS)}"
            raise ConfigError(msg)
        key = PREFIX + secrets.token_urlsafe(32)
        row = (name, digest(key), json.dumps(sorted(set(kbs))), json.dumps(sorted(set(write_kbs))),
               json.dumps([m for m in MODEL_KINDS if m in (models or MODEL_KINDS)]), time.time())
        with self._lock, self._connect() as db:  # fmt: skip
            live = db.execute(
                "SELECT 1 FROM keys WHERE name = ? AND revoked IS NULL", (name,)
            ).fetchone()
            if live:
                msg = f"a key named {name!r} exists; revoke it first (`inhouse keys revoke {name}`)"
                raise ConfigError(msg)
            db.execute("DELETE FROM keys WHERE name = ?", (name,))
            db.execute(
                "INSERT INTO keys (name, digest, kbs, write_kbs, models, created)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                row,
            )
        self._any = True
        return key

    def revoke(self, name: str) -> None:
        with self._lock, self._connect() as db:
            done = db.execute(
                "UPDATE keys SET revoked = ? WHERE name = ? AND revoked IS NULL",
                (time.time(), name),
            ).rowcount
        self._cache.clear()
        if not done:
            known = ", ".join(g.name for g in self.list() if g.revoked is None) or "none"
            msg = f"no live key named {name!r} (live keys: {known})"
            raise ConfigError(msg)

    def list(self) -> list[Grant]:
        if not self.path.exists():
            return []
        with self._lock, self._connect() as db:
            rows = db.execute(
                "SELECT name, kbs, write_kbs, models, created, revoked, last_used FROM keys"
                " ORDER BY name"
            ).fetchall()
        return [_grant(row) for row in rows]

    def any_keys(self) -> bool:
        """Whether a key exists (revoked ones count: once keys are used, they stay needed)."""
        if self._any:
            return True
        if not self.path.exists():
            return False
        with self._lock, self._connect() as db:
            self._any = db.execute("SELECT 1 FROM keys LIMIT 1").fetchone() is not None
        return self._any

    def authenticate(self, key: str) -> Grant | None:
        """The grant of a live key, or None (unknown, wrong or revoked).

        Answers are kept for `CACHE_SECONDS`, so a key revoked from another process
        (`inhouse keys revoke`) stops working within that time, and the file is read at
        most once per key in that time (``last_used`` is written then too).
        """
        if not key.startswith(PREFIX):
            return None
        hashed, now = digest(key), time.monotonic()
        cached = self._cache.get(hashed)
        if cached is not None and now - cached[0] < CACHE_SECONDS:
            return cached[1]
        grant = self._lookup(hashed)
        self._cache[hashed] = (now, grant)
        return grant

    def _lookup(self, hashed: str) -> Grant | None:
        if not self.path.exists():
            return None
        with self._lock, self._connect() as db:
            row = db.execute(
                "SELECT name, kbs, write_kbs, models, created, revoked, last_used FROM keys"
                " WHERE digest = ?",
                (hashed,),
            ).fetchone()
            if row is None or row[5] is not None:
                return None
            db.execute("UPDATE keys SET last_used = ? WHERE name = ?", (time.time(), row[0]))
        return _grant(row)


def _grant(row: tuple) -> Grant:
    name, kbs, write_kbs, models, created, revoked, last_used = row
    return Grant(
        name=name,
        kbs=tuple(json.loads(kbs)),
        write_kbs=tuple(json.loads(write_kbs)),
        models=tuple(json.loads(models)),
        created=created,
        revoked=revoked,
        last_used=last_used,
    )
