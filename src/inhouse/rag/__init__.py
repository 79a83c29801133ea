"""Private-document RAG: knowledge bases, hybrid retrieval, grounded answers.

    >>> from inhouse import load_settings, load_chain
    >>> from inhouse.rag import KnowledgeBase
    >>> kb = KnowledgeBase.open("docs", load_settings())                       # doctest: +SKIP
    >>> kb.ingest(["~/contracts"]).added                                        # doctest: +SKIP
    >>> load_chain("rag", kb.settings, retriever=kb.retriever()).invoke("...")  # doctest: +SKIP

Modules: `loaders` (files to text), `discover` (which files), `split` (token-aware
chunks), `manifest` (SQLite, the truth), `dense` (Chroma), `sparse` (BM25), `kb` (the
three together, ingestion and repair), `fusion` and `retriever` (hybrid search),
`answer` (the rag chain). Measurements live in `inhouse.evaluate`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Answer", "HybridRetriever", "IngestReport", "KnowledgeBase", "Source"]

_HOMES = {
    "Answer": "inhouse.rag.answer",
    "Source": "inhouse.rag.answer",
    "HybridRetriever": "inhouse.rag.retriever",
    "IngestReport": "inhouse.rag.kb",
    "KnowledgeBase": "inhouse.rag.kb",
}


def __getattr__(name: str) -> Any:  # imported on first use: chromadb is heavy
    if name in _HOMES:
        import importlib

        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'inhouse.rag' has no attribute {name!r}")
