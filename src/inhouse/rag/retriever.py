"""The hybrid retriever: Chroma (dense) and BM25 rankings fused into one.

    >>> retriever = kb.retriever(k=4, source="contracts/*.pdf")    # doctest: +SKIP
    >>> doc = retriever.invoke("notice period")[0]                   # doctest: +SKIP
    >>> doc.metadata["score"], doc.metadata["similarity"]            # doctest: +SKIP

Each document's metadata carries its chunk id, `score` (the fused score), `similarity`
(cosine similarity to the query), `bm25` (its BM25 score, 0 if BM25 did not find it)
and `rank`, besides what ingestion stored (source, page, title, section, ...).
"""

from __future__ import annotations

import fnmatch
import math
from typing import Any, Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field

from inhouse.errors import ConfigError
from inhouse.rag.fusion import Ranking, convex, rrf


class HybridRetriever(BaseRetriever):
    """Dense plus BM25 retrieval over one knowledge base, fused (RRF or scores)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    kb: Any = Field(exclude=True, description="The KnowledgeBase to search.")
    k: int = Field(default=6, gt=0, description="Documents returned.")
    candidates: int = Field(default=100, gt=0, description="Candidates from each retriever.")
    mode: Literal["hybrid", "dense", "bm25"] = "hybrid"
    fusion: Literal["rrf", "score"] = "rrf"
    rrf_k: int = Field(default=60, gt=0)
    dense_weight: float = Field(default=1.0, ge=0)
    bm25_weight: float = Field(default=1.0, ge=0)
    source: str | None = Field(default=None, description="Only sources matching this glob.")
    tags: list[str] = Field(default_factory=list, description="Only files with all these tags.")
    mmr: bool = False
    mmr_lambda: float = Field(default=0.7, ge=0, le=1)

    @classmethod
    def from_kb(cls, kb: Any, **overrides: Any) -> HybridRetriever:
        config = kb.config
        defaults = {
            "k": config.top_k,
            "candidates": config.candidates,
            "fusion": config.fusion,
            "rrf_k": config.rrf_k,
            "dense_weight": config.dense_weight,
            "bm25_weight": config.bm25_weight,
            "mmr": config.mmr,
            "mmr_lambda": config.mmr_lambda,
        }
        unknown = set(overrides) - set(cls.model_fields) - {"kb"}
        if unknown:
            msg = f"unknown retriever option(s): {', '.join(sorted(unknown))}"
            raise ConfigError(msg)
        return cls(kb=kb, **{**defaults, **overrides})

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, **kwargs: Any
    ) -> list[Document]:
        this = self.model_copy(update=kwargs) if kwargs else self
        return this._search(query)

    # -- the search ----------------------------------------------------------------------

    def _search(self, query: str) -> list[Document]:
        allowed = self._allowed_sources()
        if allowed is not None and not allowed:
            return []
        vector = self.kb.embed_query(query) if self.mode != "bm25" or self.mmr else None
        dense = self._dense(vector, allowed) if self.mode != "bm25" else []
        sparse = self._sparse(query, allowed) if self.mode != "dense" else []
        if self.mode == "dense":
            fused = dense
        elif self.mode == "bm25":
            fused = sparse
        elif self.fusion == "rrf":
            fused = rrf([dense, sparse], [self.dense_weight, self.bm25_weight], self.rrf_k)
        else:
            fused = convex([dense, sparse], [self.dense_weight, self.bm25_weight])
        similarity = dict(dense)
        take = fused[: self.k * 4 if self.mmr else self.k]
        if self.mmr and vector is not None:  # one fetch of the vectors serves both
            stored = self.kb.dense.vectors([i for i, _ in take])
            similarity.update(
                {i: _cosine(vector, v) for i, v in stored.items() if i not in similarity}
            )
            take = self._diversify(vector, take, stored)
        elif vector is not None:
            similarity.update(
                self._similarities(vector, [i for i, _ in take if i not in similarity])
            )
        return self._documents(take, similarity, dict(sparse))

    def _allowed_sources(self) -> set[str] | None:
        if not self.source and not self.tags:
            return None
        allowed = set()
        for record in self.kb.manifest.files():
            tags = set(filter(None, record.tags.split(",")))
            if self.tags and not set(self.tags) <= tags:
                continue
            if self.source and not _matches(record.path, self.source):
                continue
            allowed.add(record.path)
        return allowed

    def _dense(self, vector: list[float], allowed: set[str] | None) -> Ranking:
        where = {"source": {"$in": sorted(allowed)}} if allowed is not None else None
        return self.kb.dense.search(vector, self.candidates, where=where)

    def _sparse(self, query: str, allowed: set[str] | None) -> Ranking:
        index = self.kb.sparse
        if index is None:
            return []
        if allowed is None:
            return index.search(query, self.candidates)
        sources = self.kb.manifest.chunk_sources()
        ids = {i for i, source in sources.items() if source in allowed}
        return index.search(query, self.candidates, allowed=ids)

    def _similarities(self, vector: list[float], ids: list[str]) -> dict[str, float]:
        stored = self.kb.dense.vectors(ids)
        return {i: _cosine(vector, v) for i, v in stored.items()}

    def _diversify(
        self, vector: list[float], ranked: Ranking, stored: dict[str, list[float]]
    ) -> Ranking:
        """Maximal marginal relevance over the fused candidates (`stored`: their vectors)."""
        relevance = {i: _cosine(vector, stored[i]) for i, _ in ranked if i in stored}
        chosen: list[str] = []
        left = [i for i, _ in ranked if i in stored]
        while left and len(chosen) < self.k:

            def gain(i: str) -> float:
                redundancy = max((_cosine(stored[i], stored[j]) for j in chosen), default=0.0)
                return self.mmr_lambda * relevance[i] - (1 - self.mmr_lambda) * redundancy

            best = max(left, key=gain)
            chosen.append(best)
            left.remove(best)
        scores = dict(ranked)
        return [(i, scores[i]) for i in chosen]

    def _documents(
        self, ranked: Ranking, similarity: dict[str, float], bm25: dict[str, float]
    ) -> list[Document]:
        chunks = self.kb.manifest.chunks([i for i, _ in ranked])
        documents = []
        for rank, (cid, score) in enumerate(ranked, 1):
            chunk = chunks.get(cid)
            if chunk is None:
                continue
            metadata = {
                **chunk.metadata,
                "id": cid,
                "kb": self.kb.name,
                "rank": rank,
                "score": round(score, 6),
                "similarity": round(similarity.get(cid, 0.0), 6),
                "bm25": round(bm25.get(cid, 0.0), 6),
            }
            documents.append(Document(page_content=chunk.text, metadata=metadata, id=cid))
        return documents


def _matches(path: str, pattern: str) -> bool:
    return fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, f"*/{pattern.lstrip('/')}")


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))
    return dot / norm if norm else 0.0
