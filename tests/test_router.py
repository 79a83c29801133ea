"""The hybrid router: its rules, and that it fails closed whatever fails.

The cloud here is a recording chat model (a stand-in for a cloud vendor, which is
outside the project); `tests/test_router_live.py` does the same against a real
OpenAI-compatible server behind a recording proxy.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from faker import Faker
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from pydantic import Field

from inhouse import ProviderUnavailableError
from inhouse.router import policy as policy_module
from inhouse.router.audit import AuditLog
from inhouse.router.hybrid import HybridRouter, request_text
from inhouse.router.policy import decide
from inhouse.settings.schema import RouterSettings
from tests.support.cli import run

COMPLEX = (
    "Explain step by step why the algorithm is correct, prove its complexity bound, compare "
    "it with two alternatives and analyse the trade-offs in a detailed report of 1500 words. "
    "What are the implications for the design? How would you optimise it?"
)
POLICY = RouterSettings(enabled=True)


class Recorder(GenericFakeChatModel):
    """A chat model that records what it was sent and can be told to fail."""

    sent: list[str] = Field(default_factory=list)
    fail: bool = False

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):  # type: ignore[override]
        self._check(messages)
        return super()._generate(messages, stop, run_manager, **kwargs)

    def _stream(self, messages, stop=None, run_manager=None, **kwargs):  # type: ignore[override]
        self._check(messages)
        yield from super()._stream(messages, stop, run_manager, **kwargs)

    def _check(self, messages: list[Any]) -> None:
        self.sent.append("\n".join(str(m.content) for m in messages))
        if self.fail:
            raise ConnectionError("injected failure")


def recorder(name: str, fail: bool = False) -> Recorder:
    replies = iter(lambda: AIMessage(content=f"{name} says hello"), None)
    return Recorder(messages=replies, sent=[], fail=fail)


# -- the rules --------------------------------------------------------------------------


def test_sensitive_stays_local_with_hits_and_spans() -> None:
    text = "Summarise: John Smith, SSN 078-05-1120, card 4111 1111 1111 1111. " + COMPLEX
    decision = decide(text, POLICY, cloud_available=True, all_hits=True)
    assert decision.target == "local" and decision.rules == ("sensitive",)
    assert decision.all_hits
    found = {h.type: text[h.start : h.end] for h in decision.hits}
    assert found["ssn"] == "078-05-1120" and found["card"] == "4111 1111 1111 1111"


def test_the_fast_decision_stops_at_the_first_hit_and_says_so() -> None:
    text = "Summarise: John Smith, SSN 078-05-1120, card 4111 1111 1111 1111. " + COMPLEX
    fast = decide(text, POLICY, cloud_available=True)
    full = decide(text, POLICY, cloud_available=True, all_hits=True)
    assert (fast.target, fast.rules) == (full.target, full.rules) == ("local", ("sensitive",))
    assert not fast.all_hits and len({h.type for h in fast.hits}) == 1
    assert set(fast.hits) <= set(full.hits) and fast.as_dict()["all_hits"] is False
    clean = decide(COMPLEX, POLICY, cloud_available=True)
    assert clean.all_hits and clean.hits == ()  # nothing found: every detector ran


def test_complex_goes_to_the_cloud_only_when_allowed() -> None:
    assert decide(COMPLEX, POLICY, cloud_available=True).target == "cloud"
    assert decide(COMPLEX, POLICY, cloud_available=False).rules == ("complex", "no_cloud")
    off = RouterSettings(enabled=False)
    assert decide(COMPLEX, off, cloud_available=True).rules == ("complex", "cloud_disabled")
    assert decide("hi!", POLICY, cloud_available=True).rules == ("simple",)
    assert decide(COMPLEX, POLICY, cloud_available=True, bulk=True).rules == ("bulk",)


def test_hints_knowledge_bases_and_custom_terms() -> None:
    assert decide(COMPLEX, POLICY, cloud_available=True, sensitive=True).rules == (
        "sensitive", "hint",
    )  # fmt: skip
    assert decide(COMPLEX, POLICY, cloud_available=True, kbs=["legal"]).rules == (
        "sensitive", "kb_context",
    )  # fmt: skip
    shared = RouterSettings(enabled=True, shareable_kbs=["handbook"])
    assert decide(COMPLEX, shared, cloud_available=True, kbs=["handbook"]).target == "cloud"
    custom = RouterSettings(enabled=True, custom_terms=["Project Falcon"],
                            custom_patterns=[r"MAT-\d{6}"])  # fmt: skip
    for text in (f"{COMPLEX} About project falcon.", f"{COMPLEX} Matter MAT-123456."):
        assert decide(text, custom, cloud_available=True).target == "local"


def test_sensitive_types_choose_what_keeps_a_request_local() -> None:
    text = f"{COMPLEX} Ask jane.doe@example.com."
    assert decide(text, POLICY, cloud_available=True).target == "local"
    no_email = RouterSettings(enabled=True, sensitive_types=["phone", "name"])
    decision = decide(text, no_email, cloud_available=True)
    assert decision.target == "cloud" and decision.hits == ()
    with pytest.raises(ValueError, match="unknown entity types"):
        RouterSettings(sensitive_types=["names"])


def test_ner_runs_only_when_the_request_could_go_to_the_cloud(monkeypatch) -> None:
    calls: list[str] = []

    def ner(text: str, config: Any) -> list[Any]:
        calls.append(text)
        return []

    monkeypatch.setattr(policy_module, "find_ner_names", ner)
    assert decide(COMPLEX, POLICY, cloud_available=True).ner == "run" and len(calls) == 1
    for decision in (
        decide(COMPLEX + " Mail a@example.com", POLICY, cloud_available=True),  # a hit first
        decide("hi!", POLICY, cloud_available=True),  # simple: stays local anyway
        decide(COMPLEX, RouterSettings(enabled=False), cloud_available=True),
        decide(COMPLEX, POLICY, cloud_available=False),
        decide(COMPLEX, POLICY, cloud_available=True, bulk=True),
    ):
        assert decision.ner == "skipped" and decision.target == "local"
    no_names = RouterSettings(enabled=True, sensitive_types=["email"])
    assert decide(COMPLEX, no_names, cloud_available=True).ner == "off"
    assert (
        decide(COMPLEX, RouterSettings(enabled=True, ner_model=""), cloud_available=True).ner
        == "off"
    )
    assert len(calls) == 1


def test_a_failing_ner_model_keeps_the_request_local(monkeypatch) -> None:
    def broken(*_: Any) -> Any:
        raise RuntimeError("model bug")

    monkeypatch.setattr(policy_module, "find_ner_names", broken)
    decision = decide(COMPLEX, POLICY, cloud_available=True)
    assert decision.target == "local" and decision.rules == ("sensitive", "detector_error")
    assert decision.ner == "failed"


def test_a_detector_that_raises_counts_as_sensitive(monkeypatch) -> None:
    def broken(*_: Any) -> Any:
        raise RuntimeError("detector bug")

    monkeypatch.setattr(policy_module, "detect", broken)
    decision = decide(COMPLEX, POLICY, cloud_available=True)
    assert decision.target == "local" and decision.rules == ("sensitive", "detector_error")


def test_request_text_covers_every_message() -> None:
    messages = [SystemMessage("sys"), HumanMessage("mail a@b.co"), ("ai", "ok"),
                {"role": "user", "content": [{"type": "text", "text": "block"}]}]  # fmt: skip
    assert request_text(messages) == ("sys\nmail a@b.co\nok\nblock", 4)


# -- the Runnable -----------------------------------------------------------------------


def make_router(tmp_path: Any, *, cloud_fails: bool = False, local_fails: bool = False,
                **policy: Any) -> HybridRouter:  # fmt: skip
    return HybridRouter(
        local=recorder("local", local_fails), cloud=recorder("cloud", cloud_fails),
        policy=RouterSettings(enabled=True, **policy), audit=AuditLog(tmp_path / "audit.jsonl"),
    )  # fmt: skip


def test_decision_in_metadata_and_audit_log_without_text(tmp_path) -> None:
    router = make_router(tmp_path)
    secret = "Email jane.doe@example.com about it. " + COMPLEX
    reply = router.invoke(secret)
    assert reply.content == "local says hello"
    assert reply.response_metadata["route"]["target"] == "local"
    assert router.invoke(COMPLEX).response_metadata["route"]["target"] == "cloud"
    log = (tmp_path / "audit.jsonl").read_text()
    lines = [json.loads(line) for line in log.splitlines()]
    assert [x["target"] for x in lines] == ["local", "cloud"]
    assert lines[0]["entities"] == ["email"] and lines[0]["chars"] == len(secret)
    assert lines[0]["ner"] == "skipped" and lines[1]["ner"] == "run"
    assert lines[0]["all_hits"] is False  # the router stopped at the first hit
    assert "jane" not in log and "algorithm" not in log


def test_cloud_failure_falls_back_to_local_and_says_so(tmp_path) -> None:
    router = make_router(tmp_path, cloud_fails=True)
    reply = router.invoke(COMPLEX)
    assert reply.content == "local says hello"
    route = reply.response_metadata["route"]
    assert route["target"] == "local" and "fallback" in route["rules"]
    assert route["fallback"] == "ConnectionError"
    assert "".join(c.content for c in router.stream(COMPLEX)) == "local says hello"


class StructuredRecorder(Recorder):
    """A recorder whose structured output is a dict naming the model that answered."""

    def with_structured_output(self, schema: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        from langchain_core.runnables import RunnableLambda

        def parsed(message: AIMessage) -> dict[str, Any]:
            result = {"answer": message.content, "schema": schema["title"], **kwargs}
            return {"raw": message, "parsed": result} if kwargs.get("include_raw") else result

        return self | RunnableLambda(parsed)


def test_structured_output_is_routed_by_the_same_rules(tmp_path) -> None:
    replies = {name: iter(lambda n=name: AIMessage(content=f"{n} says hello"), None)
               for name in ("local", "cloud")}  # fmt: skip
    router = HybridRouter(
        local=StructuredRecorder(messages=replies["local"], sent=[]),
        cloud=StructuredRecorder(messages=replies["cloud"], sent=[]),
        policy=RouterSettings(enabled=True), audit=AuditLog(tmp_path / "audit.jsonl"),
    )  # fmt: skip
    structured = router.with_structured_output({"title": "Reply", "type": "object"})
    secret = "Email jane.doe@example.com about it. " + COMPLEX
    assert structured.invoke(secret) == {"answer": "local says hello", "schema": "Reply"}
    assert structured.invoke(COMPLEX)["answer"] == "cloud says hello"
    assert [p["answer"] for p in structured.stream(secret)] == ["local says hello"]
    assert router.cloud.sent == [COMPLEX]  # the sensitive requests never reached it
    raw = router.with_structured_output({"title": "Reply"}, include_raw=True).invoke(secret)
    assert raw["raw"].response_metadata["route"]["target"] == "local"
    lines = (tmp_path / "audit.jsonl").read_text().splitlines()
    assert [json.loads(line)["target"] for line in lines] == ["local", "cloud", "local", "local"]


def test_local_failure_on_a_sensitive_request_is_an_error_never_the_cloud(tmp_path) -> None:
    router = make_router(tmp_path, local_fails=True)
    with pytest.raises(ProviderUnavailableError, match="sensitive, so it was not sent"):
        router.invoke("My IBAN is GB82 WEST 1234 5698 7654 32. " + COMPLEX)
    assert router.cloud.sent == []


def test_bulk_batches_stay_local(tmp_path) -> None:
    router = make_router(tmp_path, bulk_batch_size=3)
    replies = router.batch([COMPLEX] * 3)
    assert {r.response_metadata["route"]["target"] for r in replies} == {"local"}
    assert router.batch([COMPLEX] * 2)[0].response_metadata["route"]["target"] == "cloud"
    replies = asyncio.run(router.abatch([COMPLEX] * 3))
    assert {tuple(r.response_metadata["route"]["rules"]) for r in replies} == {("bulk",)}


def test_callbacks_see_the_router_run_on_every_call_style(tmp_path) -> None:
    from langchain_core.callbacks import AsyncCallbackHandler

    class Runs(AsyncCallbackHandler):
        def __init__(self) -> None:
            self.started: list[str] = []
            self.ended = 0

        async def on_chain_start(self, serialized, inputs, **kwargs):  # type: ignore[override]
            self.started.append(kwargs.get("name") or (serialized or {}).get("name", ""))

        async def on_chain_end(self, outputs, **kwargs):  # type: ignore[override]
            self.ended += 1

    async def drain(stream: Any) -> str:
        return "".join([c.content async for c in stream])

    router = make_router(tmp_path)
    calls = {
        "invoke": lambda c: router.invoke(COMPLEX, c).content,
        "stream": lambda c: "".join(x.content for x in router.stream(COMPLEX, c)),
        "ainvoke": lambda c: asyncio.run(router.ainvoke(COMPLEX, c)).content,
        "astream": lambda c: asyncio.run(drain(router.astream(COMPLEX, c))),
    }
    for style, call in calls.items():
        runs = Runs()
        assert call({"callbacks": [runs], "run_name": "router"}) == "cloud says hello", style
        assert runs.started == ["router"] and runs.ended == 1, style


# -- fail closed: properties over generated secrets, failures and configurations --------

fake = Faker()
Faker.seed(11)
SECRETS = (
    [fake.email() for _ in range(20)]
    + [fake.credit_card_number() for _ in range(20)]
    + [fake.iban() for _ in range(20)]
    + [fake.ssn() for _ in range(10)]
    + [fake.ipv4_public() for _ in range(10)]
    + ["AKIA" + fake.pystr(16, 16).upper(), "ghp_" + fake.pystr(36, 36),
       "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----"]
    # names after a cue, street addresses in a few locales
    + [f"{cue} {fake.first_name()} {fake.last_name()}" for cue in
       ("Dr.", "My name is", "Name:", "Regards,\n", "Mrs", "Dear")]
    + [Faker(loc).street_address() for loc in ("en_US", "en_GB", "de_DE", "it_IT", "sv_SE")
       for _ in range(3)]
)  # fmt: skip

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


def obfuscate(value: str, how: str) -> str:
    if how == "zero-width":
        return ZERO_WIDTH[len(value) % 5].join(value)
    if how == "full-width":
        return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in value)
    if how == "email-words" and "@" in value:
        return value.replace("@", " at ").replace(".", " dot ")
    return value


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    secret=st.sampled_from(SECRETS),
    how=st.sampled_from(["plain", "zero-width", "full-width", "email-words"]),
    where=st.sampled_from(["human", "system", "history"]),
    mode=st.sampled_from(["invoke", "stream", "batch", "ainvoke", "astream", "abatch"]),
    cloud_fails=st.booleans(),
    local_fails=st.booleans(),
    threshold=st.floats(0.0, 1.0),
)
def test_no_path_sends_a_secret_to_the_cloud(
    tmp_path_factory, secret, how, where, mode, cloud_fails, local_fails, threshold
) -> None:
    router = make_router(tmp_path_factory.mktemp("r"), cloud_fails=cloud_fails,
                         local_fails=local_fails, complexity_threshold=threshold)  # fmt: skip
    value = obfuscate(secret, how)
    parts = {"system": COMPLEX, "history": "ok", "human": COMPLEX}
    parts[where] = f"{parts[where]} Reference: {value}"
    messages = [SystemMessage(parts["system"]), HumanMessage("earlier"), AIMessage(
        parts["history"]), HumanMessage(parts["human"])]  # fmt: skip
    try:
        if mode == "invoke":
            router.invoke(messages)
        elif mode == "stream":
            list(router.stream(messages))
        elif mode == "batch":
            router.batch([messages, COMPLEX])
        elif mode == "ainvoke":
            asyncio.run(router.ainvoke(messages))
        elif mode == "astream":
            asyncio.run(_drain(router.astream(messages)))
        else:
            asyncio.run(router.abatch([messages, COMPLEX]))
    except ProviderUnavailableError:
        assert local_fails  # the only error a user may see: the local model is down
    sent = "\n".join(router.cloud.sent)
    assert value not in sent and secret not in sent


async def _drain(stream: Any) -> None:
    async for _ in stream:
        pass


def test_route_cli_json_and_explain(capsys, tmp_path) -> None:
    prompts = tmp_path / "prompts.jsonl"
    prompts.write_text(
        json.dumps({"text": "mail jane.doe@example.com"})
        + "\n"
        + json.dumps({"messages": [{"role": "user", "content": "hi"}]})
        + "\n"
    )
    code, out, err = run(capsys, "route", "--json", "--file", str(prompts))
    assert code == 0, err
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["target"] == "local" and first["rules"] == ["sensitive"]
    assert first["hits"] == [
        {"type": "email", "start": 5, "end": 25, "why": "format", "evidence": "address"}
    ]
    assert first["ner"] == "skipped"  # the e-mail address decided it
    assert set(first) >= {"target", "rules", "hits", "complexity", "ms"}
    assert second["rules"] == ["simple"]
    code, out, _ = run(capsys, "route", "Call me on +44 20 7946 0958", "--explain")
    assert code == 0 and "phone" in out and "7946 0958" not in out  # masked
    assert "validated (phonenumbers)" in out and "NER: skipped" in out
    code, out, _ = run(
        capsys, "route", "IBAN ES13 5500 0123 1588 5465 1826, Dr. Ann Lee", "--explain"
    )
    assert code == 0 and "context (iban)" in out and "context (title Dr.)" in out
    code, _, err = run(capsys, "route")
    assert code == 2 and "give either TEXT or --file" in err


def test_rag_context_from_a_private_kb_stays_local(tmp_path) -> None:
    from langchain_core.documents import Document
    from langchain_core.retrievers import BaseRetriever

    from inhouse import load_chain, load_settings

    class Passages(BaseRetriever):
        def _get_relevant_documents(self, query, *, run_manager):  # type: ignore[override]
            return [Document(COMPLEX, metadata={"similarity": 0.9, "kb": "legal", "id": "c1"})]

    for shareable, target in (([], "local"), (["legal"], "cloud")):
        router = make_router(tmp_path, shareable_kbs=shareable)
        chain = load_chain("rag", load_settings(), retriever=Passages(), model=router)
        chain.invoke("Explain step by step and compare the trade-offs in a detailed report?")
        assert (router.cloud.sent != []) == (target == "cloud")
        line = (tmp_path / "audit.jsonl").read_text().splitlines()[-1]
        assert json.loads(line)["target"] == target


@pytest.mark.integration
def test_similarity_to_configured_examples_moves_the_score() -> None:
    from inhouse import load_settings
    from inhouse.factory import embeddings
    from inhouse.router.complexity import Similarity, score

    near = Similarity(
        embeddings(load_settings()),
        complex_examples=["Design a distributed database schema and justify each choice."],
        simple_examples=["What is the weather like today?"],
    )
    text = "Plan the sharding layout for our database cluster."
    assert near(text) > 0 > near("Is it sunny outside?")
    assert score(text, near(text)) > score(text)
    policy = RouterSettings(enabled=True, complexity_threshold=0.5)
    decision = decide(text, policy, cloud_available=True, similarity=near)
    assert decision.complexity == pytest.approx(score(text, near(text)))
