"""Ingestion killed with SIGKILL at random points, then run again, gives exactly the
index an uninterrupted run gives. `make test` kills it at 3 points; `make test-all`
(INHOUSE_TEST_FULL=1) at 20."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from inhouse import load_settings
from inhouse.rag.kb import KnowledgeBase
from tests.support.flags import FULL, flag
from tests.test_kb import index_state

pytestmark = [pytest.mark.integration, pytest.mark.slow]

KILLS = 20 if FULL else 3
WORDS = [
    "ledger",
    "invoice",
    "freight",
    "pallet",
    "route",
    "depot",
    "driver",
    "tariff",
    "customs",
    "audit",
]

# Loads the model, says "ready", then ingests: the kill lands somewhere in the ingest.
SCRIPT = """
import sys
from inhouse import load_settings
from inhouse.rag.kb import KnowledgeBase
settings = load_settings(data_dir=sys.argv[1], rag={"write_batch": 8})
kb = KnowledgeBase.open("k", settings)
kb.embed_query("warm up"); _ = kb.splitter
print("ready", flush=True)
kb.ingest([sys.argv[2]])
print("done", flush=True)
"""


def corpus(folder: Path) -> Path:
    rng = random.Random(7)
    for n in range(40):
        sub = folder / f"team{n % 4}"
        sub.mkdir(parents=True, exist_ok=True)
        paragraphs = [" ".join(rng.choices(WORDS, k=60)) for _ in range(1 + n % 3)]
        (sub / f"note{n:02d}.md").write_text(f"# Note {n}\n\n" + "\n\n".join(paragraphs))
    return folder


def run(data: Path, docs: Path, kill_after: float | None) -> float:
    """Run the ingest in a child process; kill it `kill_after` seconds after "ready"."""
    child = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(data), str(docs)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert child.stdout.readline().strip() == "ready", child.stderr.read()
    started = time.monotonic()
    if kill_after is None:
        out = child.stdout.read()  # what readline left in its buffer, then the rest
        err = child.stderr.read()
        assert child.wait(timeout=300) == 0 and "done" in out, err
    else:
        time.sleep(kill_after)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    return time.monotonic() - started


def state(data: Path) -> dict:
    """The index, with vectors rounded (batches of other sizes may differ in the last bits)."""
    kb = KnowledgeBase.open("k", load_settings(data_dir=str(data), rag={"write_batch": 8}))
    try:
        vectors = kb.dense.vectors(kb.manifest.chunk_ids())
        return {**index_state(kb), "vectors": {i: [round(x, 4) for x in v]
                                              for i, v in vectors.items()}}  # fmt: skip
    finally:
        kb.close()


def files_in(data: Path) -> int:
    kb = KnowledgeBase.open("k", load_settings(data_dir=str(data)))
    try:
        return kb.manifest.counts()[0]
    finally:
        kb.close()


def test_killed_ingest_then_rerun_equals_an_uninterrupted_one(tmp_path: Path) -> None:
    docs = corpus(tmp_path / "docs")
    clean = tmp_path / "clean"
    duration = run(clean, docs, None)
    want = state(clean)
    assert len(want["files"]) == 40
    rng = random.Random(int(flag("INHOUSE_TEST_SEED", "1")))
    partial = []
    for kill in range(KILLS):
        data = tmp_path / f"killed{kill}"
        run(data, docs, rng.uniform(0, duration))
        partial.append(files_in(data) if (data / "kb/k/manifest.sqlite3").exists() else 0)
        run(data, docs, None)
        assert state(data) == want, f"kill {kill} left a different index"
    print(f"files in the manifest when killed: {partial} of 40")
