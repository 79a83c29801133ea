"""Several gateway workers share knowledge bases through a Chroma server: a document
uploaded through one worker is found by every other."""

from __future__ import annotations

import httpx
import pytest

from tests.support.gateway import run_gateway

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_two_workers_share_a_knowledge_base(chroma_server, tmp_path) -> None:
    settings = {"llm": {"temperature": 0.0, "max_tokens": 8}, "vectorstore": chroma_server,
                "server": {"workers": 2}}  # fmt: skip
    with run_gateway(tmp_path, settings, kbs=("workers",)) as gateway:
        pids = set()
        for _ in range(100):
            pids.add(httpx.get(f"{gateway.url}/health").json()["pid"])
            if len(pids) == 2:
                break
        assert len(pids) == 2, "only one worker ever answered"
        note = b"# Canteen\n\nThe canteen serves lunch from 11:45 to 14:00 on weekdays."
        report = httpx.post(f"{gateway.v1}/kb/workers/files", timeout=120,
                            files={"file": ("canteen.md", note)}).json()  # fmt: skip
        assert report["added"], report
        body = {"model": "kb:workers",
                "messages": [{"role": "user", "content": "When is lunch served?"}]}
        for _ in range(6):  # new connections: both workers answer some of them
            answer = httpx.post(f"{gateway.v1}/chat/completions", json=body, timeout=120).json()
            assert answer["inhouse_sources"][0]["source"].endswith("canteen.md"), answer
