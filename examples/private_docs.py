"""Private document Q&A from Python: ingest a folder, ask, print the answer and sources.

    python examples/private_docs.py data/corpus "What is the minimum length for a password?"

Everything stays on this machine: the knowledge base is written under the data folder
(INHOUSE_DATA_DIR), embeddings come from the bundled all-MiniLM-L6-v2 and the answer
from the configured local model.
"""

from __future__ import annotations

import sys

from inhouse import KnowledgeBase, load_chain, load_settings


def main(folder: str, question: str) -> None:
    settings = load_settings()
    kb = KnowledgeBase.open("examples", settings)
    report = kb.ingest([folder])  # only new or changed files are embedded
    print(f"{len(report.added)} added, {len(report.unchanged)} unchanged")
    rag = load_chain("rag", settings, retriever=kb.retriever(k=4))
    for piece in rag.stream(question):  # Answer pieces: sources first, then the text
        print(piece.text, end="", flush=True)
        if piece.sources:
            sources = piece.sources
    print()
    for source in sources:
        page = f", page {source.page}" if source.page else ""
        print(f"[{source.n}] {source.source}{page} (similarity {source.similarity:.2f})")


if __name__ == "__main__":
    main(*sys.argv[1:3])
