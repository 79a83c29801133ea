"""An unreadable file in an ingested folder is named with its reason and every readable
file is still ingested.

The tests run as root here, and root reads any file whatever its mode, so `inhouse
ingest` runs in a child process without the two capabilities that let root ignore file
permissions (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH): it stays uid 0 and owns everything
else, but a file of mode 000 is as closed to it as to any other user.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from pathlib import Path

import pytest

from inhouse import load_settings
from inhouse.rag.kb import KnowledgeBase
from tests.test_kb import make_corpus

pytestmark = pytest.mark.integration

PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def without_dac_override() -> None:
    """In the child before exec: drop the capabilities that bypass file modes (root only)."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def run_restricted(*argv: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *argv], env=env, preexec_fn=without_dac_override,
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


def test_unreadable_file_is_named_and_the_rest_ingested(tmp_path: Path) -> None:
    docs = make_corpus(tmp_path / "docs")
    locked = docs / "policies/salaries.md"
    locked.write_text("# Salaries\n\nNobody may read this file.")
    locked.chmod(0)
    env = {**os.environ, "COLUMNS": "250"}  # INHOUSE_DATA_DIR: the test's own data folder

    probe = run_restricted("-c", f"open({str(locked)!r}).read()", env=env)
    if probe.returncode == 0:
        pytest.skip("cannot make a file unreadable here (no CAP_SETPCAP to drop root's)")

    done = run_restricted("-m", "inhouse", "ingest", str(docs), "--kb", "perm", env=env)
    assert done.returncode == 1, done.stderr  # 1: some files could not be ingested
    assert "Traceback" not in done.stderr
    [row] = [line for line in done.stdout.splitlines() if "salaries.md" in line]
    assert "permission denied" in row

    kb = KnowledgeBase.open("perm", load_settings(), create=False)
    assert kb.stats().files == 4  # the four readable documents of the corpus
    assert not any(str(locked) in hit.metadata.get("source", "") for hit in
                   kb.retriever(k=10).invoke("salaries nobody may read"))  # fmt: skip
