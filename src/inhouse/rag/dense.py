"""The dense index: one Chroma collection (cosine) per knowledge base.

Embedded (`PersistentClient`) under the knowledge base's folder by default; a Chroma
server (`HttpClient`) when `vectorstore.host` is set. Telemetry is always off, and we
always pass our own embeddings, so Chroma's default embedding function (which would
download a model) is never used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from inhouse.errors import ConfigError, MissingExtraError, ProviderUnavailableError
from inhouse.settings import Settings

_NAME_PREFIX = "inhouse-"


def collection_name(kb: str) -> str:
    """The Chroma collection of knowledge base `kb` (3-512 chars of [a-zA-Z0-9._-])."""
    return _NAME_PREFIX + kb


def client(settings: Settings, folder: Path) -> Any:
    """A Chroma client: the configured server, or an embedded store in `folder`."""
    try:
        import chromadb
        from chromadb.config import Settings as ChromaSettings
    except ImportError as e:
        raise MissingExtraError("chromadb", "rag", e) from e
    quiet = ChromaSettings(anonymized_telemetry=False)
    store = settings.vectorstore
    if store.host is None:
        folder.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(folder), settings=quiet)
    try:
        remote = chromadb.HttpClient(
            host=store.host, port=store.port, ssl=store.ssl, settings=quiet
        )
        remote.heartbeat()
    except Exception as e:
        msg = (
            f"cannot reach the Chroma server at {store.host}:{store.port} ({e}); start it"
            " with `chroma run --path DIR`, or unset vectorstore.host for embedded storage"
        )
        raise ProviderUnavailableError(msg) from e
    return remote


class DenseIndex:
    """Vectors with ids in one Chroma collection; similarity is cosine (1 - distance)."""

    def __init__(self, chroma: Any, kb: str) -> None:
        self.chroma, self.name = chroma, collection_name(kb)
        self.collection = chroma.get_or_create_collection(
            self.name,
            configuration={"hnsw": {"space": "cosine"}},
            embedding_function=None,
        )
        space = (self.collection.configuration or {}).get("hnsw", {}) or {}
        if space.get("space", "cosine") != "cosine":
            msg = (
                f"Chroma collection {self.name!r} uses {space.get('space')!r} distance, not"
                " cosine; delete it (`inhouse kb delete`) and ingest again"
            )
            raise ConfigError(msg)
        self.batch = max(1, int(chroma.get_max_batch_size()))
        self._count: int | None = None  # cached: count() costs ms per query at 100k chunks

    def forget_count(self) -> None:
        """Drop the cached count (another process may have written the collection)."""
        self._count = None

    def count(self) -> int:
        if self._count is None:
            self._count = self.collection.count()
        return self._count

    def ids(self) -> set[str]:
        found: set[str] = set()
        offset = 0
        while True:
            page = self.collection.get(include=[], limit=self.batch, offset=offset)["ids"]
            found.update(page)
            if len(page) < self.batch:
                return found
            offset += len(page)

    def upsert(
        self,
        ids: Sequence[str],
        vectors: Sequence[Sequence[float]],
        documents: Sequence[str],
        metadatas: Sequence[dict[str, Any]],
    ) -> None:
        self._count = None
        for start in range(0, len(ids), self.batch):
            end = start + self.batch
            self.collection.upsert(
                ids=list(ids[start:end]),
                embeddings=[list(v) for v in vectors[start:end]],
                documents=list(documents[start:end]),
                metadatas=[_flat(m) for m in metadatas[start:end]],
            )

    def delete(self, ids: Sequence[str]) -> None:
        self._count = None
        for start in range(0, len(ids), self.batch):
            self.collection.delete(ids=list(ids[start : start + self.batch]))

    def search(
        self, vector: Sequence[float], n: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """The `n` nearest chunks as (id, cosine similarity), best first; `where` is a
        Chroma metadata filter."""
        n = min(n, self.count())
        if n <= 0:
            return []
        found = self.collection.query(
            query_embeddings=[list(vector)], n_results=n, where=where, include=["distances"]
        )
        return [(i, 1.0 - d) for i, d in zip(found["ids"][0], found["distances"][0], strict=True)]

    def vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        if not ids:
            return {}
        found = self.collection.get(ids=list(ids), include=["embeddings"])
        return {i: list(v) for i, v in zip(found["ids"], found["embeddings"], strict=True)}

    def drop(self) -> None:
        self.chroma.delete_collection(self.name)


def _flat(metadata: dict[str, Any]) -> dict[str, Any]:
    """Chroma metadata takes str, int, float and bool values only."""
    return {
        k: v if isinstance(v, str | int | float | bool) else str(v)
        for k, v in metadata.items()
        if v is not None and v != ""
    }


def valid_kb_name(name: str) -> str:
    """`name` if it can name a knowledge base, else a `ConfigError` saying why."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,62}", name) or ".." in name:
        msg = (
            f"invalid knowledge base name {name!r}: use 1-63 letters, digits, '.', '_' or"
            " '-', starting with a letter or digit"
        )
        raise ConfigError(msg)
    return name
