"""The main job runs with no network at all: ingest data/corpus and answer from it inside
a network namespace that has only loopback (`unshare -n`). Skipped where the machine
does not allow namespaces; the rest of the suite runs under pytest-socket, which
refuses any connection that is not loopback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def namespaces_work() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not namespaces_work(), reason="no network namespaces here (unshare -n)")
def test_ingest_and_ask_without_any_network(tmp_path) -> None:
    inhouse = [sys.executable, "-m", "inhouse"]
    env = {**os.environ, "INHOUSE_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    script = (
        "ip link set lo up 2>/dev/null; "
        f"{' '.join(inhouse)} ingest {REPO / 'data/corpus'} --kb demo && "
        f"{' '.join(inhouse)} ask 'What is the minimum length for a password?' --kb demo -k 3"
    )
    done = subprocess.run(["unshare", "-n", "bash", "-c", script], capture_output=True,
                          text=True, env=env, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "information-security-policy.pdf" in done.stdout
    assert "Traceback" not in done.stderr
