"""A knowledge base: a SQLite manifest, a Chroma collection and a BM25 index.

    >>> from inhouse import load_settings, KnowledgeBase
    >>> kb = KnowledgeBase.open("legal", load_settings())          # doctest: +SKIP
    >>> report = kb.ingest(["~/contracts"])                          # doctest: +SKIP
    >>> kb.retriever().invoke("notice period")[0].metadata["source"]  # doctest: +SKIP

Everything lives in `<data_dir>/kb/<name>/` (the vectors in a Chroma server instead,
when `vectorstore.host` is set). The manifest is the truth; the two indexes follow it,
and `repair()` (run at the start of every ingest) restores them after a crash.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from inhouse.errors import ConfigError
from inhouse.rag import dense as dense_mod
from inhouse.rag.discover import Candidate, discover
from inhouse.rag.loaders import BadFile, Piece, load
from inhouse.rag.manifest import Chunk, FileRecord, Manifest
from inhouse.rag.serving import check_writable
from inhouse.rag.sparse import SparseIndex, remove_stale
from inhouse.rag.split import HFTokenizer, Splitter, WordTokenizer
from inhouse.settings import Settings

Prepared = tuple[FileRecord, list[Chunk], bool]
"""A file ready to write: its record, its chunks, and whether it is new."""

Progress = Callable[[str, int], None]
"""Called with ("file", 1) after each file and ("chunks", n) after each write."""


@dataclass
class IngestReport:
    """What one `ingest` did; `skipped` holds (path, reason)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    chunks: int = 0
    seconds: float = 0.0
    repaired: bool = False

    @property
    def ok(self) -> bool:
        return not self.skipped


@dataclass(frozen=True)
class KBStats:
    name: str
    files: int
    chunks: int
    vectors: int
    embedding_model: str
    location: str
    bytes_on_disk: int


class KnowledgeBase:
    """One named knowledge base. Open it with `KnowledgeBase.open(name, settings)`."""

    def __init__(self, name: str, settings: Settings, folder: Path) -> None:
        self.name, self.settings, self.folder = name, settings, folder
        self.config = settings.rag
        self.manifest = Manifest(folder / "manifest.sqlite3")
        self.dense = dense_mod.DenseIndex(dense_mod.client(settings, folder / "chroma"), name)
        self._embedder: Any = None
        self._splitter: Splitter | None = None
        self._sparse: SparseIndex | None = None
        self._sparse_name: str | None = None

    # -- opening, listing, deleting ------------------------------------------------------

    @staticmethod
    def root(settings: Settings) -> Path:
        return settings.data_dir / "kb"

    @classmethod
    def open(cls, name: str, settings: Settings, *, create: bool = True) -> KnowledgeBase:
        """Open knowledge base `name`; with `create=False` a missing one is a ConfigError."""
        folder = cls.root(settings) / dense_mod.valid_kb_name(name)
        if not (folder / "manifest.sqlite3").exists() and not create:
            known = ", ".join(cls.names(settings)) or "none yet"
            msg = (
                f"no knowledge base named {name!r} in {cls.root(settings)} (known: {known});"
                f" create it with `inhouse ingest PATH --kb {name}`"
            )
            raise ConfigError(msg)
        folder.mkdir(parents=True, exist_ok=True)
        kb = cls(name, settings, folder)
        kb._check_embedding_model()
        return kb

    @classmethod
    def names(cls, settings: Settings) -> list[str]:
        root = cls.root(settings)
        if not root.is_dir():
            return []
        return sorted(p.parent.name for p in root.glob("*/manifest.sqlite3"))

    def delete(self) -> None:
        """Remove this knowledge base: its collection, indexes and manifest."""
        self.dense.drop()
        self.manifest.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def close(self) -> None:
        self.manifest.close()

    def _check_embedding_model(self) -> None:
        section = self.settings.embeddings
        current = f"{section.provider}:{section.model}"
        built = self.manifest.get("embedding_model")
        if built is None:
            self.manifest.put("embedding_model", current)
        elif built != current:
            msg = (
                f"knowledge base {self.name!r} was built with embedding model {built!r}, but"
                f" the settings name {current!r}; set embeddings back, or ingest into a new"
                f" knowledge base (or `inhouse kb delete {self.name}` and ingest again)"
            )
            raise ConfigError(msg)

    # -- models --------------------------------------------------------------------------

    @property
    def embedder(self) -> Any:
        if self._embedder is None:
            from inhouse.factory import embeddings

            self._embedder = embeddings(self.settings)
        return self._embedder

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text)

    @property
    def splitter(self) -> Splitter:
        if self._splitter is None:
            model = getattr(self.embedder, "_client", None)
            tokenizer = getattr(model, "tokenizer", None)
            limit = getattr(model, "max_seq_length", None)
            if limit and self.config.chunk_size > limit:
                msg = (
                    f"rag.chunk_size is {self.config.chunk_size} tokens but embedding model"
                    f" {self.settings.embeddings.model!r} reads at most {limit}; set"
                    f" rag.chunk_size (INHOUSE_RAG__CHUNK_SIZE) to {limit} or less"
                )
                raise ConfigError(msg)
            counter = HFTokenizer(tokenizer) if tokenizer is not None else WordTokenizer()
            self._splitter = Splitter(counter, self.config.chunk_size, self.config.chunk_overlap)
        return self._splitter

    @property
    def sparse(self) -> SparseIndex | None:
        name = self.manifest.get("bm25")
        if name != self._sparse_name:  # a write (here or in another process) changed it
            self._sparse = SparseIndex.load(self.folder / name, self.config) if name else None
            self._sparse_name = name
            self.dense.forget_count()
        return self._sparse

    # -- ingestion -----------------------------------------------------------------------

    def ingest(
        self,
        paths: Sequence[str | Path],
        *,
        prune: bool = False,
        tags: Sequence[str] = (),
        progress: Progress | None = None,
        on_discovered: Callable[[int], None] | None = None,
    ) -> IngestReport:
        """Add new files, replace changed ones, skip unchanged ones; `prune` forgets
        files under `paths` that no longer exist. Safe to kill at any point."""
        started = time.perf_counter()
        report = IngestReport()
        progress = progress or (lambda _kind, _n: None)
        with self._lock():
            report.repaired = self.repair()
            found = discover([Path(p).expanduser() for p in paths], self.config.max_file_mb)
            report.skipped += found.skipped
            if on_discovered:
                on_discovered(len(found.files))
            prepared = (self._prepare(c, ",".join(sorted(tags)), report) for c in found.files)
            changed = self._write_all(prepared, report, progress)
            if prune:
                gone = self._prune(found.roots, {c.key for c in found.files}, found.missing)
                report.removed += gone
                changed = changed or bool(gone)
            if changed or self.manifest.dirty:
                self._rebuild_sparse()
        report.seconds = time.perf_counter() - started
        return report

    def add_texts(
        self, items: Iterable[tuple[str, str, str]], *, progress: Progress | None = None
    ) -> IngestReport:
        """Ingest texts that are not files, as (key, title, text); a key already stored
        with the same text is left alone. Used for BEIR corpora and by programs."""
        started = time.perf_counter()
        report = IngestReport()
        progress = progress or (lambda _kind, _n: None)

        def prepare(key: str, title: str, text: str) -> Prepared | None:
            digest = hashlib.sha256(text.encode()).hexdigest()
            known = self.manifest.file(key)
            if known and known.sha256 == digest:
                report.unchanged.append(key)
                return None
            record = FileRecord(key, digest, len(text), 0, "", title)
            chunks = self._chunks(record, [Piece(text, title=title)])
            return replace(record, chunks=len(chunks)), chunks, known is None

        with self._lock():
            report.repaired = self.repair()
            changed = self._write_all((prepare(*item) for item in items), report, progress)
            if changed or self.manifest.dirty:
                self._rebuild_sparse()
        report.seconds = time.perf_counter() - started
        return report

    def _write_all(
        self, prepared: Iterable[Prepared | None], report: IngestReport, progress: Progress
    ) -> bool:
        """Embed and store prepared files in batches of about `rag.write_batch` chunks."""
        pending: list[Prepared] = []
        changed = False
        for item in prepared:
            progress("file", 1)
            if item is None:
                continue
            pending.append(item)
            if sum(len(chunks) for _, chunks, _ in pending) >= self.config.write_batch:
                self._write(pending, report, progress)
                pending, changed = [], True
        if pending:
            self._write(pending, report, progress)
            changed = True
        return changed

    def _prepare(self, candidate: Candidate, tags: str, report: IngestReport) -> Prepared | None:
        """The new record and chunks of a file, or None when it is unchanged or bad."""
        known = self.manifest.file(candidate.key)
        stat = candidate.stat
        tags = tags or (known.tags if known else "")
        if known and (known.size, known.mtime_ns, known.tags) == (
            stat.st_size,
            stat.st_mtime_ns,
            tags,
        ):
            report.unchanged.append(candidate.key)
            return None
        try:
            digest = hashlib.sha256(candidate.path.read_bytes()).hexdigest()
            record = FileRecord(candidate.key, digest, stat.st_size, stat.st_mtime_ns, tags)
            if known and (known.sha256, known.tags) == (digest, tags):
                self.manifest.touch(record)
                report.unchanged.append(candidate.key)
                return None
            pieces = load(candidate.path)
        except BadFile as e:
            report.skipped.append((candidate.key, str(e)))
            return None
        except OSError as e:
            report.skipped.append((candidate.key, f"cannot read it ({e.strerror or e})"))
            return None
        chunks = self._chunks(record, pieces)
        title = next((p.title for p in pieces if p.title), candidate.path.stem)
        return replace(record, title=title, chunks=len(chunks)), chunks, known is None

    def _chunks(self, record: FileRecord, pieces: list[Piece]) -> list[Chunk]:
        base = hashlib.sha256(f"{record.path}\0{record.sha256}".encode()).hexdigest()[:16]
        modified = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.mtime_ns / 1e9))
        chunks: list[Chunk] = []
        for piece in pieces:
            header = _header(piece.title, piece.section)
            for text in self.splitter.split(piece.text):
                metadata = {
                    "source": record.path,
                    "page": piece.page,
                    "title": piece.title,
                    "section": piece.section,
                    "sha256": record.sha256,
                    "modified": modified,
                    "position": len(chunks),
                    "tags": record.tags,
                }
                body = f"{header}\n{text}" if header else text
                chunks.append(Chunk(f"{base}-{len(chunks):05d}", body, metadata))
        return chunks

    def _write(
        self,
        pending: list[Prepared],
        report: IngestReport,
        progress: Progress,
    ) -> None:
        chunks = [c for _, file_chunks, _ in pending for c in file_chunks]
        vectors = self.embedder.embed_documents([c.text for c in chunks]) if chunks else []
        gone = self.manifest.replace((record, file_chunks) for record, file_chunks, _ in pending)
        self.dense.delete(gone)
        self.dense.upsert(
            [c.id for c in chunks],
            vectors,
            [c.text for c in chunks],
            [{**c.metadata, "kb": self.name} for c in chunks],
        )
        for record, _, new in pending:
            (report.added if new else report.updated).append(record.path)
        report.chunks += len(chunks)
        progress("chunks", len(chunks))

    def _prune(self, roots: list[Path], seen: set[str], missing: list[str]) -> list[str]:
        under = [str(r) for r in roots]
        gone = [
            f.path
            for f in self.manifest.files()
            if f.path not in seen
            and (f.path in missing or any(_inside(f.path, r) for r in under))
            and not Path(f.path).exists()
        ]
        if gone:
            self.dense.delete(self.manifest.remove(gone))
        return gone

    def remove(self, paths: Iterable[str | Path]) -> list[str]:
        """Forget documents (by path, as ingested); return the paths removed."""
        keys = [str(Path(p).expanduser().absolute()) for p in paths]
        known = [k for k in keys if self.manifest.file(k) is not None]
        if known:
            with self._lock():
                self.dense.delete(self.manifest.remove(known))
                self._rebuild_sparse()
        return known

    # -- keeping the indexes in step -----------------------------------------------------

    def repair(self) -> bool:
        """After a crash: make Chroma and BM25 match the manifest. False if nothing to do."""
        if not self.manifest.dirty:
            return False
        want = set(self.manifest.chunk_ids())
        have = self.dense.ids()
        self.dense.delete(sorted(have - want))
        missing = sorted(want - have)
        for start in range(0, len(missing), self.config.write_batch):
            chunks = self.manifest.chunks(missing[start : start + self.config.write_batch])
            items = list(chunks.values())
            vectors = self.embedder.embed_documents([c.text for c in items])
            self.dense.upsert(
                [c.id for c in items],
                vectors,
                [c.text for c in items],
                [{**c.metadata, "kb": self.name} for c in items],
            )
        self._rebuild_sparse()
        return True

    def _rebuild_sparse(self) -> None:
        index = SparseIndex.build(self.manifest.texts(), self.config)
        name = index.save(self.folder) if index else ""
        self.manifest.put("bm25", name)
        self.manifest.mark_clean()
        remove_stale(self.folder, name or None)

    def _lock(self) -> _FolderLock:
        if not self.settings.vectorstore.host:
            check_writable(self.root(self.settings), self.name)
        return _FolderLock(self.folder / ".lock", self.name)

    # -- reading -------------------------------------------------------------------------

    def stats(self) -> KBStats:
        files, chunks = self.manifest.counts()
        store = self.settings.vectorstore
        where = f"chroma://{store.host}:{store.port}" if store.host else str(self.folder)
        size = sum(p.stat().st_size for p in self.folder.rglob("*") if p.is_file())
        return KBStats(
            self.name,
            files,
            chunks,
            self.dense.count(),
            self.manifest.get("embedding_model") or "",
            where,
            size,
        )

    def retriever(self, **overrides: Any) -> Any:
        """The hybrid retriever (a LangChain `BaseRetriever`); `overrides` set its fields
        (k, candidates, fusion, source, tags, mmr, ...)."""
        from inhouse.rag.retriever import HybridRetriever

        return HybridRetriever.from_kb(self, **overrides)


def _header(title: str, section: str) -> str:
    """The line put above a chunk's text: where in the document it comes from."""
    if not section or section == title:
        return title
    if not title or section.startswith(f"{title} > "):
        return section
    return f"{title} > {section}"


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


class _FolderLock:
    """One writer per knowledge base at a time (released by the OS if the process dies)."""

    def __init__(self, path: Path, name: str) -> None:
        self.path, self.name = path, name
        self.handle: Any = None

    def __enter__(self) -> None:
        self.handle = self.path.open("a")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.close()
            msg = (
                f"knowledge base {self.name!r} is being written by another process; wait"
                " for it to finish and run again"
            )
            raise ConfigError(msg) from None

    def __exit__(self, *_: object) -> None:
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()
