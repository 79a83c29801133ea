"""Retrieval quality on a BEIR-format folder: BM25 alone, dense alone, and hybrid.

    inhouse eval retrieval --beir ../shared/data/arguana

The folder holds `corpus.jsonl` ({"_id", "title", "text"}), `queries.jsonl` ({"_id",
"text"}) and `qrels/test.tsv` (query-id, corpus-id, score). The corpus is ingested into
a knowledge base (`beir-<folder name>` unless named; kept, so a second run only
searches), through the same loaders-free path and chunking as any text, and each mode
of the same `HybridRetriever` is scored per document (a document's rank is that of its
best chunk). A hit whose id equals the query id is ignored (ArguAna's convention: a
query is itself in the corpus).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inhouse.errors import ConfigError
from inhouse.jsonl import read_jsonl

MODES = ("bm25", "dense", "hybrid")
DEPTH = 100


@dataclass(frozen=True)
class BeirSet:
    name: str
    corpus: Path
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]


def load(folder: Path, split: str = "test") -> BeirSet:
    """Read a BEIR folder; a missing or broken file is a ConfigError naming it."""
    corpus, queries_file = folder / "corpus.jsonl", folder / "queries.jsonl"
    qrels_file = folder / "qrels" / f"{split}.tsv"
    for needed in (corpus, queries_file, qrels_file):
        if not needed.is_file():
            msg = (
                f"{needed} is missing; a BEIR folder holds corpus.jsonl, queries.jsonl and"
                f" qrels/{split}.tsv"
            )
            raise ConfigError(msg)
    qrels: dict[str, dict[str, int]] = {}
    for n, line in enumerate(qrels_file.read_text(encoding="utf-8").splitlines(), 1):
        parts = line.split("\t")
        if n == 1 and not parts[-1].strip().lstrip("-").isdigit():
            continue  # header
        if len(parts) != 3:
            msg = f"{qrels_file}:{n}: expected query-id, corpus-id, score separated by tabs"
            raise ConfigError(msg)
        qrels.setdefault(parts[0], {})[parts[1]] = int(parts[2])
    queries = {row["_id"]: row["text"] for row in _jsonl(queries_file) if row["_id"] in qrels}
    return BeirSet(folder.resolve().name, corpus, queries, qrels)


def corpus_items(beir: BeirSet) -> Iterator[tuple[str, str, str]]:
    """(key, title, text) of each corpus document, for `KnowledgeBase.add_texts`."""
    for row in _jsonl(beir.corpus):
        yield row["_id"], row.get("title") or "", row.get("text") or ""


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    hint = "each line must be one JSON object (BEIR format)"
    for _, row in read_jsonl(path, "the BEIR file", hint):
        yield row


# -- metrics ------------------------------------------------------------------------------


def ndcg(ranked: list[str], relevant: dict[str, int], k: int = 10) -> float:
    gains = sum((2 ** relevant.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted((g for g in relevant.values() if g > 0), reverse=True)[:k]
    best = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return gains / best if best else 0.0


def recall(ranked: list[str], relevant: dict[str, int], k: int = 100) -> float:
    wanted = {d for d, g in relevant.items() if g > 0}
    return len(wanted & set(ranked[:k])) / len(wanted) if wanted else 0.0


def mrr(ranked: list[str], relevant: dict[str, int], k: int = 10) -> float:
    for i, d in enumerate(ranked[:k]):
        if relevant.get(d, 0) > 0:
            return 1.0 / (i + 1)
    return 0.0


# -- evaluation ---------------------------------------------------------------------------


def documents_ranked(retriever: Any, query: str, query_id: str) -> list[str]:
    """Corpus ids best first (each once, at its best chunk), without the query itself."""
    seen: dict[str, None] = {}
    for document in retriever.invoke(query):
        key = document.metadata["source"]
        if key != query_id:
            seen.setdefault(key, None)
    return list(seen)


def evaluate(
    kb: Any,
    beir: BeirSet,
    *,
    modes: tuple[str, ...] = MODES,
    limit: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, dict[str, float]]:
    """{mode: {"ndcg@10", "recall@100", "mrr@10", "ms_per_query"}} over the queries."""
    queries = list(beir.queries.items())[:limit]
    results: dict[str, dict[str, float]] = {}
    for mode in modes:
        # Chunks, not documents, come back: ask for more so DEPTH documents remain.
        retriever = kb.retriever(mode=mode, k=DEPTH * 2, candidates=DEPTH * 2)
        totals = {"ndcg@10": 0.0, "recall@100": 0.0, "mrr@10": 0.0}
        started = time.perf_counter()
        for n, (qid, text) in enumerate(queries, 1):
            ranked = documents_ranked(retriever, text, qid)[:DEPTH]
            relevant = {d: g for d, g in beir.qrels[qid].items() if d != qid}
            totals["ndcg@10"] += ndcg(ranked, relevant)
            totals["recall@100"] += recall(ranked, relevant)
            totals["mrr@10"] += mrr(ranked, relevant)
            if progress and n % 50 == 0:
                progress(f"{mode}: {n}/{len(queries)} queries")
        elapsed = time.perf_counter() - started
        results[mode] = {key: round(value / len(queries), 4) for key, value in totals.items()}
        results[mode]["ms_per_query"] = round(1000 * elapsed / len(queries), 1)
    return results
