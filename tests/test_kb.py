"""Knowledge bases on the real all-MiniLM-L6-v2: incremental ingestion, the hybrid
retriever, crash repair; embedded Chroma and a real `chroma run` server alike."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import pytest

from inhouse import ConfigError, load_settings
from inhouse.rag.kb import KnowledgeBase
from tests.support.documents import write_docx, write_pdf

pytestmark = pytest.mark.integration


def make_corpus(folder: Path) -> Path:
    (folder / "policies").mkdir(parents=True)
    (folder / "policies/leave.md").write_text(
        "# Leave policy\n\nEvery employee gets 28 days of paid annual leave.\n\n"
        "## Carry-over\n\nUp to five unused days may be carried into the next year."
    )
    (folder / "policies/travel.txt").write_text(
        "Travel: book trains in second class. Hotels up to 120 EUR a night in Germany."
    )
    write_pdf(folder / "contracts/lease.pdf", [
        "Lease between Acme Ltd and Foo GmbH for the Leeds warehouse.",
        "The tenant may end the lease with a notice period of six months, in writing.",
    ])  # fmt: skip
    write_docx(folder / "contracts/cleaning.docx", "Cleaning contract", {
        "Scope": "Offices are cleaned every weekday evening.",
        "Termination": "Either party may terminate with thirty days notice.",
    })  # fmt: skip
    return folder


@pytest.fixture(params=["embedded", "server"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    store = request.getfixturevalue("chroma_server") if request.param == "server" else {}
    return load_settings(data_dir=str(tmp_path / "data"), vectorstore=store)


def kb_name() -> str:
    return f"t-{uuid.uuid4().hex[:8]}"  # one server serves every test


def index_state(kb: KnowledgeBase) -> dict[str, Any]:
    """Everything an index holds, for comparing two of them."""
    ids = kb.manifest.chunk_ids()
    stored = kb.dense.collection.get(ids=ids, include=["documents", "metadatas"])
    dense = {i: (d, m) for i, d, m in zip(stored["ids"], stored["documents"],
                                           stored["metadatas"], strict=True)}  # fmt: skip
    sparse = kb.sparse
    return {
        "files": [(f.path, f.sha256, f.chunks) for f in kb.manifest.files()],
        "chunks": dict(kb.manifest.texts()),
        "dense_ids": sorted(kb.dense.ids()),
        "dense": dense,
        "bm25_ids": sparse.ids if sparse else [],
        "bm25_vocab": sorted(sparse.retriever.vocab_dict) if sparse else [],
    }


def test_ingest_is_incremental_and_idempotent(settings: Any, tmp_path: Path) -> None:
    docs = make_corpus(tmp_path / "docs")
    kb = KnowledgeBase.open(kb_name(), settings)
    first = kb.ingest([docs])
    assert len(first.added) == 4 and first.ok and first.chunks >= 6
    before = index_state(kb)
    assert before["dense_ids"] == sorted(before["chunks"]) == sorted(before["bm25_ids"])

    again = kb.ingest([docs])
    assert (len(again.unchanged), again.added, again.updated, again.chunks) == (4, [], [], 0)
    assert index_state(kb) == before

    os.utime(docs / "policies/travel.txt", ns=(1, 1))  # touched, same content
    assert len(kb.ingest([docs]).unchanged) == 4

    leave = docs / "policies/leave.md"
    old_ids = [i for i in before["chunks"] if before["dense"][i][1]["source"] == str(leave)]
    leave.write_text("# Leave policy\n\nEvery employee gets 30 days of paid annual leave.")
    changed = kb.ingest([docs])
    assert changed.updated == [str(leave)] and len(changed.unchanged) == 3
    after = index_state(kb)
    assert not set(old_ids) & set(after["dense_ids"]) and not set(old_ids) & set(after["bm25_ids"])
    assert any("30 days" in text for text in after["chunks"].values())
    assert after["dense_ids"] == sorted(after["chunks"]) == sorted(after["bm25_ids"])

    (docs / "policies/travel.txt").unlink()
    assert kb.ingest([docs]).removed == []  # without --prune nothing is forgotten
    pruned = kb.ingest([docs], prune=True)
    assert pruned.removed == [str(docs / "policies/travel.txt")]
    assert kb.remove([docs / "contracts/lease.pdf"]) == [str(docs / "contracts/lease.pdf")]
    files, chunks = kb.manifest.counts()
    assert files == 2 and chunks == kb.dense.count() == len(kb.sparse.ids)


def test_retriever_scores_filters_and_modes(settings: Any, tmp_path: Path) -> None:
    docs = make_corpus(tmp_path / "docs")
    kb = KnowledgeBase.open(kb_name(), settings)
    kb.ingest([docs / "policies"], tags=["hr"])
    kb.ingest([docs / "contracts"])

    top = kb.retriever(k=3).invoke("How much notice must the tenant give to end the lease?")
    assert top[0].metadata["source"].endswith("lease.pdf") and top[0].metadata["page"] == 2
    assert [d.metadata["rank"] for d in top] == [1, 2, 3]
    assert all({"score", "similarity", "bm25", "id", "title"} <= set(d.metadata) for d in top)
    assert top[0].id == top[0].metadata["id"]

    only_hr = kb.retriever(k=5, tags=["hr"]).invoke("notice period")
    assert only_hr and all("/policies/" in d.metadata["source"] for d in only_hr)
    docx_only = kb.retriever(k=5, source="contracts/*.docx").invoke("notice period")
    assert docx_only and {d.metadata["source"] for d in docx_only} == {
        str(docs / "contracts/cleaning.docx")
    }
    assert kb.retriever(source="nothing/*").invoke("notice") == []

    for mode in ("dense", "bm25"):
        found = kb.retriever(k=2, mode=mode).invoke("paid annual leave days")
        assert found[0].metadata["source"].endswith("leave.md"), mode
    varied = kb.retriever(k=3, mmr=True).invoke("leave")
    assert len({d.id for d in varied}) == 3


def test_repair_restores_the_indexes_after_a_crash(tmp_path: Path) -> None:
    settings = load_settings(data_dir=str(tmp_path / "data"))
    docs = make_corpus(tmp_path / "docs")
    kb = KnowledgeBase.open("crash", settings)
    kb.ingest([docs])
    want = index_state(kb)
    # What a kill between the manifest commit and the index writes leaves behind:
    kb.dense.delete(sorted(kb.dense.ids())[:3])
    kb.dense.upsert(["stray"], [kb.embed_query("stray")], ["stray"], [{"source": "x"}])
    kb.manifest.put("dirty", "1")
    assert kb.ingest([docs]).repaired
    assert index_state(kb) == want and kb.dense.count() == len(want["chunks"])


def test_errors_name_the_fix(tmp_path: Path) -> None:
    settings = load_settings(data_dir=str(tmp_path / "data"))
    with pytest.raises(ConfigError, match=r"no knowledge base named 'nope'.*inhouse ingest"):
        KnowledgeBase.open("nope", settings, create=False)
    with pytest.raises(ConfigError, match="invalid knowledge base name"):
        KnowledgeBase.open("../etc", settings)
    KnowledgeBase.open("mini", settings).close()
    other = load_settings(data_dir=str(tmp_path / "data"), embeddings={"model": "other-model"})
    with pytest.raises(ConfigError, match="was built with embedding model"):
        KnowledgeBase.open("mini", other)
    big = load_settings(data_dir=str(tmp_path / "data"), rag={"chunk_size": 1024})
    (tmp_path / "a.txt").write_text("text")
    with pytest.raises(ConfigError, match=r"rag\.chunk_size is 1024 tokens"):
        KnowledgeBase.open("big", big).ingest([tmp_path / "a.txt"])


def test_a_second_writer_is_refused(tmp_path: Path) -> None:
    settings = load_settings(data_dir=str(tmp_path / "data"))
    kb = KnowledgeBase.open("busy", settings)
    with kb._lock(), pytest.raises(ConfigError, match="being written by another process"):
        KnowledgeBase.open("busy", settings).ingest([tmp_path])
