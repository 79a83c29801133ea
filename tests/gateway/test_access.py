"""Keys and grants on a real `inhouse serve`: 401 without a valid key on every /v1
route, 404 for a knowledge base or model outside the grant, revocation, uploads, and the
start-up and ingest refusals."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from inhouse.gateway.keys import CACHE_SECONDS
from tests.support.gateway import RunningGateway, cli, run_gateway, write_profile

pytestmark = pytest.mark.integration

SETTINGS = {"llm": {"temperature": 0.0, "seed": 0, "max_tokens": 8}}
CHAT = {"messages": [{"role": "user", "content": "How long must a password be?"}]}
KEYS = (
    ("alice", "--kb", "docs", "--write-kb", "docs", "--models", "auto,local"),
    ("bob", "--kb", "hr"),
    ("carol", "--models", "local"),
    ("dave",),
)


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningGateway]:
    root = tmp_path_factory.mktemp("gw-access")
    with run_gateway(root, SETTINGS, kbs=("docs", "hr"), keys=KEYS) as running:
        yield running


def auth(gateway: RunningGateway, name: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {gateway.keys[name]}"} if name else {}


ROUTES = [
    ("GET", "/models", None),
    ("POST", "/chat/completions", {"model": "auto", **CHAT}),
    ("POST", "/completions", {"model": "auto", "prompt": "Hi", "max_tokens": 2}),
    ("POST", "/embeddings", {"model": "local", "input": "hi"}),
    ("GET", "/kb", None),
    ("POST", "/route", {"text": "hi"}),
    ("GET", "/kb/docs/passages/some-id", None),
    ("DELETE", "/kb/docs/files/handbook.md", None),
]


@pytest.mark.parametrize("method,path,body", ROUTES)
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer ih-not-a-key"},
                                     {"Authorization": "Basic abc"}])  # fmt: skip
def test_every_route_needs_a_valid_key(gateway, method, path, body, headers) -> None:
    response = httpx.request(method, f"{gateway.v1}{path}", json=body, headers=headers)
    assert response.status_code == 401, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_api_key" and "inhouse keys create" in error["message"]


def test_uploads_need_a_key_too(gateway: RunningGateway) -> None:
    files = {"file": ("x.md", b"# x\n\nhello")}
    assert httpx.post(f"{gateway.v1}/kb/docs/files", files=files).status_code == 401


def test_models_and_kbs_follow_the_grant(gateway: RunningGateway) -> None:
    def ids(name: str) -> list[str]:
        response = httpx.get(f"{gateway.v1}/models", headers=auth(gateway, name))
        return [m["id"] for m in response.json()["data"]]

    assert ids("alice") == ["auto", "smollm2-135m-instruct", "kb:docs"]
    assert ids("bob") == ["auto", "smollm2-135m-instruct", "kb:hr"]
    assert ids("carol") == ["smollm2-135m-instruct"]
    assert ids("dave") == ["auto", "smollm2-135m-instruct"]
    kbs = httpx.get(f"{gateway.v1}/kb", headers=auth(gateway, "alice")).json()["data"]
    assert [(k["id"], k["writable"]) for k in kbs] == [("docs", True)]


@pytest.mark.parametrize("name,model", [("alice", "kb:hr"), ("bob", "kb:docs"),
                                        ("dave", "kb:docs"), ("carol", "auto"),
                                        ("alice", "kb:nope"), ("alice", "gpt-4o")])  # fmt: skip
def test_outside_the_grant_looks_like_nothing_there(gateway, name, model) -> None:
    response = httpx.post(f"{gateway.v1}/chat/completions", json={"model": model, **CHAT},
                          headers=auth(gateway, name))  # fmt: skip
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "model_not_found"
    assert model in response.json()["error"]["message"]


def test_a_granted_kb_answers_and_uploads_work(gateway: RunningGateway) -> None:
    headers = auth(gateway, "alice")
    answer = httpx.post(f"{gateway.v1}/chat/completions", headers=headers, timeout=120,
                        json={"model": "kb:docs", **CHAT}).json()  # fmt: skip
    assert answer["inhouse_sources"][0]["source"].endswith("handbook.md")
    note = b"# Canteen\n\nThe canteen serves lunch from 11:45 to 14:00 on weekdays."
    report = httpx.post(f"{gateway.v1}/kb/docs/files", headers=headers, timeout=120,
                        files={"file": ("canteen.md", note)}).json()  # fmt: skip
    assert report["added"] and report["added"][0].endswith("canteen.md"), report
    asked = httpx.post(f"{gateway.v1}/chat/completions", headers=headers, timeout=120, json={
        "model": "kb:docs", "messages": [{"role": "user", "content": "When is lunch served?"}]
    }).json()  # fmt: skip
    assert asked["inhouse_sources"][0]["source"].endswith("canteen.md")
    again = httpx.post(f"{gateway.v1}/kb/docs/files", headers=headers, timeout=120,
                       files={"file": ("canteen.md", note)}).json()  # fmt: skip
    assert again["unchanged"] and not again["added"]
    bad = httpx.post(f"{gateway.v1}/kb/docs/files", headers=headers, timeout=120,
                     files={"file": ("broken.pdf", b"%PDF-1.4 truncated")}).json()  # fmt: skip
    assert bad["skipped"] and bad["skipped"][0]["reason"]
    gone = httpx.delete(f"{gateway.v1}/kb/docs/files/canteen.md", headers=headers)
    assert gone.status_code == 200 and gone.json()["removed"][0].endswith("canteen.md")
    missing = httpx.delete(f"{gateway.v1}/kb/docs/files/canteen.md", headers=headers)
    assert missing.status_code == 404


def test_route_and_passages_follow_the_grant(gateway: RunningGateway) -> None:
    decision = httpx.post(f"{gateway.v1}/route", headers=auth(gateway, "alice"),
                          json={"text": "Mail jane.doe@example.com"}).json()  # fmt: skip
    assert decision["target"] == "local" and decision["entities"] == {"email": 1}
    assert httpx.post(f"{gateway.v1}/route", headers=auth(gateway, "carol"),
                      json={"text": "hi"}).status_code == 404  # fmt: skip
    answer = httpx.post(f"{gateway.v1}/chat/completions", headers=auth(gateway, "alice"),
                        timeout=120, json={"model": "kb:docs", **CHAT}).json()  # fmt: skip
    chunk = answer["inhouse_sources"][0]["chunk_id"]
    passage = httpx.get(f"{gateway.v1}/kb/docs/passages/{chunk}", headers=auth(gateway, "alice"))
    assert passage.status_code == 200 and "14 characters" in passage.json()["text"]
    outside = httpx.get(f"{gateway.v1}/kb/docs/passages/{chunk}", headers=auth(gateway, "bob"))
    assert outside.status_code == 404


def test_writing_outside_the_grant_is_404(gateway: RunningGateway) -> None:
    files = {"file": ("x.md", b"# x\n\nhello")}
    for name, kb in (("bob", "hr"), ("alice", "hr"), ("dave", "docs")):
        response = httpx.post(f"{gateway.v1}/kb/{kb}/files", files=files,
                              headers=auth(gateway, name))  # fmt: skip
        assert response.status_code == 404, (name, kb)


def test_revoked_keys_stop_working(gateway: RunningGateway) -> None:
    headers = auth(gateway, "dave")
    assert httpx.get(f"{gateway.v1}/models", headers=headers).status_code == 200
    gateway.cli("keys", "revoke", "dave")
    time.sleep(CACHE_SECONDS + 0.2)
    assert httpx.get(f"{gateway.v1}/models", headers=headers).status_code == 401
    listed = gateway.cli("keys", "list").stdout
    assert "dave" in listed and "revoked" in listed and gateway.keys["dave"] not in listed


def test_metrics_count_requests_per_key(gateway: RunningGateway) -> None:
    httpx.get(f"{gateway.v1}/models", headers=auth(gateway, "carol"))
    text = httpx.get(f"{gateway.url}/metrics").text
    assert 'key="carol"' in text and gateway.keys["carol"] not in text


def test_ingest_beside_a_serving_gateway_is_refused(gateway: RunningGateway, tmp_path) -> None:
    (tmp_path / "new.md").write_text("# New\n\nSomething new.")
    done = gateway.cli("ingest", str(tmp_path), "--kb", "docs", check=False)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "served by `inhouse serve`" in done.stderr and gateway.url in done.stderr
    assert "POST /v1/kb/docs/files" in done.stderr


def test_a_public_bind_without_keys_is_refused(tmp_path) -> None:
    config, data = tmp_path / "config", tmp_path / "data"
    write_profile(config, {"server": {"host": "0.0.0.0", "port": 1}})
    done = cli(config, data, "serve", check=False)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "refusing to serve on 0.0.0.0 without an API key" in done.stderr
    write_profile(config, {"server": {"workers": 2}})
    done = cli(config, data, "serve", check=False)
    assert done.returncode == 2 and "needs a Chroma server" in done.stderr
