"""The sparse index: BM25 (`bm25s`) over every chunk, saved beside the manifest.

Tokens: bm25s's tokenizer (lower case, words of 2+ characters), its stopword list and a
PyStemmer stemmer, all from `rag` settings. An index is written to a new folder and
only then named in the manifest, so a crash never leaves a half-written index in use.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from inhouse.errors import MissingExtraError
from inhouse.settings.schema import RagSettings


def _bm25s() -> Any:
    try:
        import bm25s
    except ImportError as e:
        raise MissingExtraError("bm25s", "rag", e) from e
    return bm25s


class Tokens:
    """Text to BM25 tokens, the same way for documents and queries."""

    def __init__(self, config: RagSettings) -> None:
        self.stopwords = config.stopwords or None
        self.stemmer = None
        if config.stemmer:
            try:
                import Stemmer
            except ImportError as e:
                raise MissingExtraError("PyStemmer", "rag", e) from e
            self.stemmer = Stemmer.Stemmer(config.stemmer)

    def __call__(self, texts: list[str]) -> list[list[str]]:
        return _bm25s().tokenize(
            texts,
            stopwords=self.stopwords,
            stemmer=self.stemmer,
            return_ids=False,
            show_progress=False,
        )


class SparseIndex:
    """BM25 over chunk ids; `search` returns (id, score) best first."""

    def __init__(self, retriever: Any, ids: list[str], tokens: Tokens) -> None:
        self.retriever, self.ids, self.tokens = retriever, ids, tokens

    @classmethod
    def build(cls, items: Iterable[tuple[str, str]], config: RagSettings) -> SparseIndex | None:
        """Index (id, text) pairs; None when there are none."""
        ids, texts = [], []
        for cid, text in items:
            ids.append(cid)
            texts.append(text)
        if not ids:
            return None
        tokens = Tokens(config)
        retriever = _bm25s().BM25(k1=config.bm25_k1, b=config.bm25_b)
        retriever.index(tokens(texts), show_progress=False)
        return cls(retriever, ids, tokens)

    def search(
        self, query: str, n: int, allowed: set[str] | None = None
    ) -> list[tuple[str, float]]:
        """The `n` best chunks for `query`, only among `allowed` ids when given."""
        words = [w for w in self.tokens([query])[0] if w in self.retriever.vocab_dict]
        n = min(n, len(self.ids))
        if not words or n <= 0:
            return []
        mask = None
        if allowed is not None:
            import numpy as np

            mask = np.fromiter((i in allowed for i in self.ids), dtype=np.float32)
        found, scores = self.retriever.retrieve(
            [words], k=n, show_progress=False, n_threads=0, weight_mask=mask
        )
        return [
            (self.ids[int(i)], float(s)) for i, s in zip(found[0], scores[0], strict=True) if s > 0
        ]

    # -- persistence ---------------------------------------------------------------------

    def save(self, root: Path) -> str:
        """Write to a new folder under `root`; return its name (to record in the manifest)."""
        name = f"bm25-{uuid.uuid4().hex[:12]}"
        folder = root / name
        self.retriever.save(str(folder))
        (folder / "ids.json").write_text(json.dumps(self.ids))
        return name

    @classmethod
    def load(cls, folder: Path, config: RagSettings) -> SparseIndex:
        retriever = _bm25s().BM25.load(str(folder), mmap=False)
        ids = json.loads((folder / "ids.json").read_text())
        return cls(retriever, ids, Tokens(config))


def remove_stale(root: Path, keep: str | None) -> None:
    """Delete every saved index under `root` except `keep`."""
    for folder in root.glob("bm25-*"):
        if folder.name != keep:
            shutil.rmtree(folder, ignore_errors=True)
