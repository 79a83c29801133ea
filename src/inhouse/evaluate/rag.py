"""Grounded-answer evaluation on a QA set with expected sources (data/qa/rag.jsonl).

Each line: {"id", "question", "answer" (or null), "sources": [paths relative to the
corpus folder], "answerable": bool}. Measured: for answerable questions, how often an
expected source is among the k passages (hit rate at k) and the MRR of the first one;
for all questions, whether the chain would refuse (no passage similar enough) -
correct refusals on unanswerable ones, false refusals on answerable ones. With
`answers=True` the model answers too: an answer counts as right when it contains
the expected answer (case and spacing ignored), and an unanswerable question as
declined when the chain refused or the model said the documents do not say.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from inhouse.errors import ConfigError
from inhouse.jsonl import read_jsonl


def load_qa(path: Path) -> list[dict[str, Any]]:
    rows = []
    hint = "see data/README.md for the format, or pass --qa FILE"
    for n, row in read_jsonl(path, "the QA set", hint):
        try:
            rows.append({"id": row["id"], "question": row["question"],
                         "answer": row.get("answer"), "sources": list(row.get("sources", [])),
                         "answerable": bool(row.get("answerable", True))})  # fmt: skip
        except (KeyError, TypeError, AttributeError) as e:
            msg = f"{path}:{n}: not a QA item ({e!r}); see data/README.md for the format"
            raise ConfigError(msg) from None
    return rows


def _is_expected(source: str, expected: list[str]) -> bool:
    return any(source == e or source.endswith("/" + e.lstrip("/")) for e in expected)


_DECLINES = re.compile(
    r"do(?:es)? not (?:contain|know|say|mention|provide)|don't know|not (?:stated|mentioned|"
    r"specified|provided|found)|no information|cannot (?:find|answer)",
    re.IGNORECASE,
)
"""How a model says that the passages do not answer the question."""


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower()).strip()


def evaluate_qa(
    kb: Any, items: list[dict[str, Any]], *, k: int | None = None, answers: bool = False
) -> dict[str, Any]:
    from inhouse.chains import load_chain

    k = k or kb.config.top_k
    retriever = kb.retriever(k=k)
    threshold = kb.config.min_similarity
    chain = load_chain("rag", kb.settings, retriever=retriever) if answers else None
    hits = reciprocal = refused_ok = refused_wrong = right = declined = 0
    answerable = [q for q in items if q["answerable"]]
    misses: list[str] = []
    started = time.perf_counter()
    for item in items:
        documents = retriever.invoke(item["question"])
        refuses = not any(d.metadata.get("similarity", 0) >= threshold for d in documents)
        ranks = [r for r, d in enumerate(documents, 1)
                 if _is_expected(d.metadata["source"], item["sources"])]  # fmt: skip
        if item["answerable"]:
            hits += bool(ranks)
            reciprocal += 1 / ranks[0] if ranks else 0
            refused_wrong += refuses
            if not ranks:
                misses.append(item["id"])
        else:
            refused_ok += refuses
        if chain is not None:
            answer = chain.invoke(item["question"])
            if item["answerable"] and item["answer"]:
                right += _normal(item["answer"]) in _normal(answer.text)
            elif not item["answerable"]:
                declined += answer.refused or bool(_DECLINES.search(answer.text))
    unanswerable = len(items) - len(answerable)
    report: dict[str, Any] = {
        "questions": len(items),
        "answerable": len(answerable),
        "unanswerable": unanswerable,
        "k": k,
        f"source_hit_rate@{k}": round(hits / max(len(answerable), 1), 3),
        f"source_mrr@{k}": round(reciprocal / max(len(answerable), 1), 3),
        "correct_refusals": round(refused_ok / max(unanswerable, 1), 3),
        "false_refusals": round(refused_wrong / max(len(answerable), 1), 3),
        "min_similarity": threshold,
        "seconds": round(time.perf_counter() - started, 1),
        "missed": misses,
    }
    if chain is not None:
        report["answer_contains_expected"] = round(right / max(len(answerable), 1), 3)
        report["unanswerable_declined"] = round(declined / max(unanswerable, 1), 3)
    return report
