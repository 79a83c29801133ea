#!/usr/bin/env python3
"""Check data/qa/rag.jsonl against data/corpus/ without a model.

    /tmp/corpusenv/bin/python data/tools/check_qa.py      # needs pypdf and python-docx

Checks: ids unique; keys and types; every source path exists; unanswerable items have
answer null and no sources; every number in an answer (45p, £2,000,000, 7.25%, 09:00 ...)
occurs in the text of its sources, and on the named page where "pages" is given; and it
lists the answers that are not a verbatim substring of a source, for a human to read.
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent
CORPUS = DATA / "corpus"
QA = DATA / "qa" / "rag.jsonl"


def pages_of(path: Path) -> list[str]:
    """The text of a document, one string per page (one page for anything but a PDF)."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from pypdf import PdfReader

        return [p.extract_text() or "" for p in PdfReader(str(path)).pages]
    if suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        parts = [p.text for p in document.paragraphs]
        parts += [" | ".join(c.text for c in row.cells) for t in document.tables for row in t.rows]
        return ["\n".join(parts)]
    text = path.read_text(encoding="utf-8")
    if suffix in (".html", ".htm"):
        text = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", text)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return [text]


def norm(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("\u00a0", " ")
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    return re.sub(r"\s+", " ", text)


def numbers(text: str) -> list[str]:
    return [n.rstrip(".") for n in re.findall(r"\d[\d.:]*", norm(text))]


def main() -> int:
    problems: list[str] = []
    review: list[str] = []
    seen: set[str] = set()
    cache: dict[str, list[str]] = {}
    lines = QA.read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines if line.strip()]
    for item in items:
        qid = item.get("id")
        if qid in seen:
            problems.append(f"{qid}: duplicate id")
        seen.add(qid)
        missing = {"id", "question", "answer", "sources", "answerable"} - item.keys()
        if missing:
            problems.append(f"{qid}: missing keys {sorted(missing)}")
            continue
        if not item["answerable"]:
            if item["answer"] is not None or item["sources"]:
                problems.append(f"{qid}: unanswerable items need answer null and no sources")
            continue
        if not item["answer"] or not item["sources"]:
            problems.append(f"{qid}: answerable items need an answer and sources")
            continue
        for rel in item["sources"]:
            if not (CORPUS / rel).is_file():
                problems.append(f"{qid}: source {rel} does not exist")
            elif rel not in cache:
                cache[rel] = pages_of(CORPUS / rel)
        if any(rel not in cache for rel in item["sources"]):
            continue
        text = norm(" ".join(p for rel in item["sources"] for p in cache[rel]))
        for n in numbers(item["answer"]):
            if n not in text:
                problems.append(f"{qid}: number {n!r} of the answer is not in its sources")
        for rel, wanted in (item.get("pages") or {}).items():
            if rel not in item["sources"]:
                problems.append(f"{qid}: pages names {rel}, which is not a source")
                continue
            page_text = norm(" ".join(cache[rel][p - 1] for p in wanted))
            for n in numbers(item["answer"]):
                if n not in page_text:
                    problems.append(f"{qid}: {n!r} is not on page(s) {wanted} of {rel}")
        if norm(item["answer"]) not in text:
            review.append(f"{qid}: {item['answer']!r}  <- {', '.join(item['sources'])}")
    answerable = sum(1 for i in items if i.get("answerable"))
    unanswerable = len(items) - answerable
    print(f"{len(items)} questions: {answerable} answerable, {unanswerable} unanswerable")
    verbatim = answerable - len(review)
    print(f"{verbatim} answers occur verbatim in a source; "
          f"{len(review)} paraphrased (numbers checked, wording to read):")
    for line in review:
        print("  " + line)
    for line in problems:
        print("PROBLEM " + line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
