"""The extraction engine: constrained decoding per provider, repair, chunking and merging.

Behaviour is checked on real models (greedy): SmolLM2-135M-Instruct and gemma-3-270m base
under llama.cpp, SmolLM2 under transformers with xgrammar, the Ollama test server and a
real llama_cpp.server. A fake chat model appears only where a server that ignores the
schema must be simulated.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

from inhouse import ConfigError, InhouseError, chat_model, load_settings
from inhouse.chains.schemas import Contacts, Invoice
from inhouse.extract import ExtractionError, extract, extraction_chain
from inhouse.extract.chunking import split_text
from inhouse.extract.constrain import constrain
from inhouse.extract.merge import merge_dicts
from inhouse.extract.prompt import describe
from inhouse.extract.schema import InvalidOutput, Schema
from inhouse.extract.schema import strict as strict_schema
from inhouse.jsontext import salvage
from inhouse.providers.registry import Provider, register, unregister
from tests.support.ollama_server import CHAT_MODEL, recent_requests

INVOICE_EXAMPLE = (
    "Invoice 88 from Acme Tools GmbH, 2023-11-02.\n3 x Hammer @ 10.00 = 30.00\n"
    "Subtotal 30.00, VAT 5.70, Total EUR 35.70",
    {
        "vendor": "Acme Tools GmbH",
        "invoice_number": "88",
        "date": "2023-11-02",
        "currency": "EUR",
        "line_items": [
            {"description": "Hammer", "quantity": 3, "unit_price": 10.0, "amount": 30.0}
        ],
        "subtotal": 30.0,
        "tax": 5.7,
        "total": 35.7,
    },
)
CONTACTS_EXAMPLE = (
    "Ask Jane Doe (jane@example.com, 555-0100) from Globex.",
    {
        "people": ["Jane Doe"],
        "emails": ["jane@example.com"],
        "phones": ["555-0100"],
        "organizations": ["Globex"],
    },
)
INVOICES = [
    "INVOICE No. INV-2024-0117\nDate: 2024-03-05\nFrom: Brightline Office Supplies Ltd\n\n"
    "2 x Ergonomic chair @ 150.00 = 300.00\nSubtotal: 300.00\nVAT: 60.00\n"
    "Total due: GBP 360.00",
    "Northwind Traders\nInvoice #5521, 2024-07-19\n1 x Annual support @ 1200.00 = 1200.00\n"
    "Total: USD 1200.00",
]
CONTACTS = [
    "Please contact Maria Gonzalez (maria.gonzalez@northwind.com, +1 415 555 0132) at"
    " Northwind Traders about the renewal.",
    "Tom Becker of Contoso can be reached at tom@contoso.org.",
]
SIGNED_MESSAGES = [
    "Hi all, the renewal is confirmed.\nBest regards,\nMaria Gonzalez\nNorthwind Traders\n"
    "maria@northwind.com",
    "Thanks Maria, I will schedule the installation for next week.\nTom Becker\nContoso\n"
    "tom@contoso.org",
    "Please send the signed agreement before the data moves.\nPriya Natarajan\nFabrikam\n"
    "priya@fabrikam.com",
]


def llamacpp(model: str, **llm: Any) -> Any:
    return load_settings(
        llm={"provider": "llamacpp", "model": model, "temperature": 0, "max_tokens": 300, **llm}
    )


def norm(values: list[str]) -> list[str]:
    return [" ".join(v.casefold().split()) for v in values]


@pytest.fixture(scope="module")
def smollm2() -> BaseChatModel:
    return chat_model(llamacpp("smollm2-135m-instruct"))


# --- pieces -----------------------------------------------------------------------------


def test_merge_concatenates_lists_and_keeps_first_scalar() -> None:
    item = {"description": "Chair", "quantity": 2, "unit_price": 1.5, "amount": 3.0}
    merged = merge_dicts(
        [
            {"vendor": None, "people": ["Ann  Lee", "Bo"], "line_items": [item], "tax": None},
            {"vendor": "ACME", "people": ["ann lee", "Cy"], "line_items": [dict(item)], "tax": 2},
            {"vendor": "Other", "people": [], "line_items": [], "tax": 3},
        ]
    )
    assert merged == {
        "vendor": "ACME",
        "people": ["Ann  Lee", "Bo", "Cy"],
        "line_items": [item],
        "tax": 2,
    }


def test_split_text_prefers_paragraphs_then_lines() -> None:
    def words(text: str) -> int:
        return len(text.split())

    text = "a b c\n\nd e\nf g h\n\ni"
    assert split_text(text, budget=5, count=words) == ["a b c", "d e\nf g h", "i"]
    assert split_text(text, budget=3, count=words) == ["a b c", "d e", "f g h", "i"]
    assert split_text("x " * 10, budget=3, count=words) == ["x x x", "x x x", "x x x", "x"]


def test_schema_parses_fenced_json_and_reports_one_line_errors() -> None:
    spec = Schema.of(Invoice)
    assert spec.validate('Here:\n```json\n{"vendor": "A", "currency": "EUR", "total": 1}\n```')
    with pytest.raises(InvalidOutput, match=r"^total: Field required$"):
        spec.validate('{"vendor": "A", "currency": "EUR"}')
    with pytest.raises(InvalidOutput, match="no JSON object"):
        spec.validate("I cannot help with that.")
    # llama-cpp-python's schema grammar lets a raw newline into a string (llama.cpp's own
    # converter does not): the value is still what the model meant
    raw = '{"vendor": "A\nB", "currency": "EUR", "total": 1}'
    assert spec.validate(raw).vendor == "A\nB"
    assert salvage('{"vendor": "A\nB", "currency": "EUR", "total": 1, "tax": 2') == {
        "vendor": "A\nB", "currency": "EUR", "total": 1}
    strict = spec.constraint
    assert strict["required"] == list(Invoice.model_fields)
    assert strict["$defs"]["LineItem"]["required"] == [
        "description",
        "quantity",
        "unit_price",
        "amount",
    ]


def test_prompt_lists_fields_in_schema_order() -> None:
    lines = describe(Invoice.model_json_schema()).splitlines()
    assert [line.split()[1] for line in lines] == list(Invoice.model_fields)
    assert "(string or null): Invoice date as YYYY-MM-DD." in lines[2]
    assert "list of (object with description, quantity, unit_price, amount)" in lines[-1]


def test_constraint_bounds_lists_and_keeps_lists_after_scalars() -> None:
    strict = Schema.of(Invoice).constraint
    assert strict["properties"]["line_items"]["maxItems"] == 32
    assert list(strict["properties"])[-1] == "line_items"  # a cut answer keeps the total
    own = {"type": "object", "properties": {"a": {"type": "array", "items": {}, "maxItems": 3}}}
    assert strict_schema(own)["properties"]["a"]["maxItems"] == 3


def test_constraint_bounds_free_text_strings_only() -> None:
    schema = {"type": "object", "properties": {
        "name": {"type": "string"},
        "when": {"type": "string", "format": "date"},
        "kind": {"type": "string", "enum": ["a", "b"]},
        "note": {"anyOf": [{"type": "string", "maxLength": 20}, {"type": "null"}]},
    }}  # fmt: skip
    props = strict_schema(schema)["properties"]
    assert props["name"]["maxLength"] == 160  # a model looping inside a string stops
    assert "maxLength" not in props["when"] and "maxLength" not in props["kind"]
    assert props["note"]["anyOf"][0]["maxLength"] == 20


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ('{"a": 1, "b": [1, 2', {"a": 1, "b": [1]}),
        ('{"a": "x\\"y", "b": "unfinis', {"a": 'x"y'}),
        ('{"a": {"b": [{"c": 1}, {"c": 2}], "d": "e', {"a": {"b": [{"c": 1}, {"c": 2}]}}),
        ('{"a": 1, "b', {"a": 1}),
        ('{"a": 1, "b": ', {"a": 1}),
        ('{"a', {}),
        ('Sure: {"a": [1]} and more', {"a": [1]}),
        ('{"a": "{[,", "b', {"a": "{[,"}),
    ],
)
def test_salvage_keeps_only_complete_values(raw: str, kept: dict[str, Any]) -> None:
    assert salvage(raw) == kept


def test_salvage_finds_nothing_without_an_object() -> None:
    assert salvage("I cannot help") is None
    assert salvage("[1, 2") is None


def test_each_provider_binds_its_native_constraint() -> None:
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    fake = FakeListChatModel(responses=["{}"])
    schema = {"type": "object", "title": "Person", "properties": {}}
    assert constrain(fake, "ollama", schema).kwargs == {"format": schema}
    assert constrain(fake, "llamacpp", schema).kwargs == {
        "response_format": {"type": "json_object", "schema": schema}
    }
    for provider in ("openai", "huggingface"):
        fmt = constrain(fake, provider, schema).kwargs["response_format"]
        assert fmt == {"type": "json_schema", "json_schema": {"name": "Person", "schema": schema}}
    with pytest.raises(ConfigError, match="unknown provider 'fake'"):
        extraction_chain(fake, Contacts, provider="fake")
    register(Provider(name="plain", extra="plain", description="test"))
    try:
        with pytest.raises(ConfigError, match="provider 'plain' has no constrained decoding"):
            extraction_chain(fake, Contacts, provider="plain")
        assert extraction_chain(fake, Contacts, provider="plain", constrained=False)
    finally:
        unregister("plain")


def test_a_bad_example_or_input_is_a_config_error() -> None:
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    fake = FakeListChatModel(responses=["{}"])
    with pytest.raises(
        ConfigError, match="example 1 does not match schema Invoice: currency: Field required"
    ):
        extraction_chain(fake, Invoice, provider="ollama", examples=[("x", {"vendor": "A"})])
    with pytest.raises(ConfigError, match="must be a string or"):
        extraction_chain(fake, Contacts, provider="ollama").invoke({"question": "x"})


# --- a server that ignores the schema: repair once, then fail with the raw output -------


class SchemaIgnoringServer(BaseChatModel):
    """Stands in for an OpenAI-compatible server that accepts and ignores response_format."""

    answers: list[str]
    seen: list[list[BaseMessage]] = Field(default_factory=list)
    formats: list[Any] = Field(default_factory=list)

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any
    ) -> ChatResult:
        self.seen.append(list(messages))
        self.formats.append(kwargs.get("response_format"))
        answer = self.answers[len(self.seen) - 1]
        return ChatResult(generations=[ChatGeneration(message=AIMessage(answer))])

    @property
    def _llm_type(self) -> str:
        return "schema-ignoring-server"


def test_invalid_output_is_repaired_once_with_the_validation_error() -> None:
    server = SchemaIgnoringServer(
        answers=[
            '{"vendor": "ACME", "currency": "EUR"}',
            '{"vendor": "ACME", "currency": "EUR", "total": 12.5}',
        ],
    )
    invoice = extraction_chain(server, Invoice, provider="openai").invoke("ACME, EUR 12.50")
    assert invoice == Invoice(vendor="ACME", currency="EUR", total=12.5)
    assert server.formats[0]["json_schema"]["schema"]["required"][0] == "vendor"
    repair = server.seen[1]
    assert repair[-2].content == '{"vendor": "ACME", "currency": "EUR"}'
    assert "total: Field required" in repair[-1].content


def test_output_still_invalid_after_repair_raises_with_raw_output() -> None:
    truncated = '{"vendor": "ACME", "currency": "EUR", "line_items": [{"descr'
    server = SchemaIgnoringServer(answers=[truncated, truncated])
    with pytest.raises(ExtractionError) as caught:
        extraction_chain(server, Invoice, provider="openai").invoke("ACME, EUR 12.50")
    error = caught.value
    assert isinstance(error, InhouseError)
    assert (error.attempts, error.raw_output) == (2, truncated)
    assert "\n" not in str(error)
    assert str(error).startswith("no valid Invoice after 2 attempts: the output is not valid JSON")


def test_answer_cut_at_the_token_limit_keeps_its_complete_part() -> None:
    cut = '{"people": ["Ann Lee", "Bo Green"], "emails": ["ann@acme.com", "bo@acm'
    server = SchemaIgnoringServer(answers=[cut])
    contacts = extraction_chain(server, Contacts, provider="openai").invoke("...")
    assert contacts == Contacts(people=["Ann Lee", "Bo Green"], emails=["ann@acme.com"])
    assert len(server.seen) == 1  # no repair round needed


# --- real models -------------------------------------------------------------------------


@pytest.mark.integration
@pytest.mark.parametrize("text", INVOICES)
def test_smollm2_llamacpp_invoices_are_valid(smollm2: BaseChatModel, text: str) -> None:
    chain = extraction_chain(smollm2, Invoice, provider="llamacpp", examples=[INVOICE_EXAMPLE])
    invoice = chain.invoke({"text": text})
    assert isinstance(invoice, Invoice)
    assert invoice.vendor in text and invoice.currency in text


@pytest.mark.integration
@pytest.mark.parametrize("text", CONTACTS)
def test_smollm2_llamacpp_contacts_are_valid(smollm2: BaseChatModel, text: str) -> None:
    chain = extraction_chain(smollm2, Contacts, provider="llamacpp", examples=[CONTACTS_EXAMPLE])
    contacts = chain.invoke(text)
    assert isinstance(contacts, Contacts)
    assert contacts.people and contacts.people[0] in text


@pytest.mark.integration
def test_smollm2_cut_off_mid_line_item_still_gives_a_valid_invoice(
    caplog: pytest.LogCaptureFixture,
) -> None:
    text = (
        "INVOICE No. INV-2024-0117\nDate: 2024-03-05\nFrom: Brightline Office Supplies Ltd\n"
        "2 x Ergonomic chair @ 150.00 = 300.00\n4 x Desk lamp @ 25.00 = 100.00\n"
        "10 x Notebook @ 2.00 = 20.00\n1 x Whiteboard @ 80.00 = 80.00\n"
        "Subtotal: 500.00\nVAT: 100.00\nTotal due: GBP 600.00"
    )
    settings = llamacpp("smollm2-135m-instruct", max_tokens=110)
    chain = extraction_chain(
        chat_model(settings), Invoice, provider="llamacpp", examples=[INVOICE_EXAMPLE]
    )
    answers = PieceAnswers(strict=False)
    invoice = chain.invoke({"text": text}, config={"callbacks": [answers]})
    assert isinstance(invoice, Invoice)
    assert answers.finish_reasons == ["length"]  # really cut off, kept without a repair
    assert '"line_items": [{' in answers.answers[0]
    assert "the answer was cut off" in caplog.text
    assert "Brightline" not in caplog.text  # no document text in logs


@pytest.mark.integration
def test_gemma_base_llamacpp_contacts_are_valid() -> None:
    # Its own context length: a load of its own, so test_provider_llamacpp still sees the
    # "no chat template" warning that a model logs once, when first loaded.
    settings = llamacpp("gemma3-270m", context_length=4096)
    found = [extract(t, Contacts, settings, examples=[CONTACTS_EXAMPLE]) for t in CONTACTS]
    assert [c.people for c in found] == [["Maria Gonzalez"], ["Tom Becker"]]
    assert found[0].emails[0] == "maria.gonzalez@northwind.com"
    assert norm(found[1].organizations) == ["contoso"]


@pytest.mark.integration
def test_unconstrained_prose_fails_after_one_repair(smollm2: BaseChatModel) -> None:
    chain = extraction_chain(smollm2, Contacts, provider="llamacpp", constrained=False)
    with pytest.raises(ExtractionError) as caught:
        chain.invoke(CONTACTS[0])
    assert caught.value.attempts == 2
    assert caught.value.raw_output.strip()
    assert "Contacts" in str(caught.value)


class PieceAnswers(BaseCallbackHandler):
    """Collects the JSON each model call answered."""

    def __init__(self, strict: bool = True) -> None:
        self.strict = strict
        self.answers: list[Any] = []
        self.finish_reasons: list[str | None] = []

    def on_llm_end(self, response: Any, **kwargs: Any) -> None:
        generation = response.generations[0][0]
        text = generation.text
        self.answers.append(json.loads(text) if self.strict else text)
        info = generation.message.response_metadata
        self.finish_reasons.append(info.get("finish_reason"))


@pytest.mark.integration
def test_long_text_is_split_extracted_and_merged(smollm2: BaseChatModel) -> None:
    text = "\n\n".join(SIGNED_MESSAGES * 8)  # an email thread, signatures repeated
    assert smollm2.get_num_tokens(text) > 700
    chain = extraction_chain(
        smollm2, Contacts, provider="llamacpp", examples=[CONTACTS_EXAMPLE], context_length=1024
    )
    pieces = PieceAnswers()
    contacts = chain.invoke(text, config={"callbacks": [pieces]})
    assert len(pieces.answers) >= 3  # one call per piece, each valid: no repairs
    deduplicated = False
    for field in Contacts.model_fields:
        merged = norm(getattr(contacts, field))
        found = [v for answer in pieces.answers for v in norm(answer[field])]
        assert len(merged) == len(set(merged)) and set(merged) == set(found), field
        deduplicated |= len(found) > len(merged)
    assert deduplicated
    assert "maria gonzalez" in norm(contacts.people)


@pytest.mark.integration
def test_ollama_server_format_gives_valid_output(ollama_server: str) -> None:
    settings = load_settings(
        "ollama", llm={"base_url": ollama_server, "temperature": 0, "max_tokens": 200}
    )
    contacts = extract(CONTACTS[1], Contacts, settings, examples=[CONTACTS_EXAMPLE])
    # Schema-valid by construction; what SmolLM2 picks differs from llama.cpp in process
    # (the server samples with Ollama's defaults, such as repeat_penalty 1.1).
    assert isinstance(contacts, Contacts) and contacts.people
    chat = [r for r in recent_requests(ollama_server) if r["path"] == "/api/chat"][-1]
    assert chat["model"] == CHAT_MODEL
    assert chat["format"]["required"] == ["people", "emails", "phones", "organizations"]


@pytest.mark.integration
def test_llama_cpp_server_gives_valid_output(llama_server: Any) -> None:
    settings = load_settings(
        "openai", llm={**llama_server.llm, "temperature": 0, "max_tokens": 200}
    )
    contacts = extract(CONTACTS[1], Contacts, settings, examples=[CONTACTS_EXAMPLE])
    assert contacts.people == ["Tom Becker"]


@pytest.mark.integration
def test_huggingface_xgrammar_constrains_generate() -> None:
    settings = load_settings(
        llm={
            "provider": "huggingface",
            "model": "smollm2-135m-instruct",
            "temperature": 0,
            "max_tokens": 200,
        }
    )
    model = chat_model(settings)
    person = {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
    # No JSON instructions at all: only the logits processor can make this JSON.
    fmt = {"type": "json_object", "schema": person}
    reply = model.bind(response_format=fmt, max_tokens=30).invoke("Say hello to Ann.")
    assert list(json.loads(str(reply.content))) == ["name"]
    contacts = extract(CONTACTS[0], Contacts, settings, examples=[CONTACTS_EXAMPLE])
    assert contacts.people == ["Maria Gonzalez"]
    assert contacts.emails == ["maria.gonzalez@northwind.com"]


# --- evaluation ---------------------------------------------------------------------------


def test_scoring_normalises_strings_tolerates_cents_and_uses_set_f1() -> None:
    from inhouse.evaluate.scoring import score_fields

    gold = {"vendor": "ACME Ltd", "total": 10.0, "people": ["Ann Lee", "Bo"], "tax": None}
    predicted = {"vendor": " acme  LTD", "total": 10.009, "people": ["ann lee"], "tax": 0.5}
    assert score_fields(predicted, gold) == {
        "vendor": 1.0,
        "total": 1.0,
        "people": pytest.approx(2 / 3),
        "tax": 0.0,
    }
    assert score_fields({"total": 10.02, "people": []}, {"total": 10.0, "people": []}) == {
        "total": 0.0,
        "people": 1.0,
    }
    assert set(score_fields(None, gold).values()) == {0.0}


@pytest.mark.integration
def test_eval_extract_reports_constrained_and_prompt_only(tmp_path: Any) -> None:
    import typer
    from typer.testing import CliRunner

    from inhouse.cli import eval as eval_cli
    from inhouse.cli.app import State

    app = typer.Typer()
    eval_cli.register(app)

    (tmp_path / "c1.txt").write_text(CONTACTS[1])
    (tmp_path / "c1.json").write_text(json.dumps(CONTACTS_EXAMPLE[1] | {
        "people": ["Tom Becker"], "emails": ["tom@contoso.org"], "phones": [],
        "organizations": ["Contoso"],
    }))  # fmt: skip
    row = {"id": "contact/1", "chain": "extract_contact", "text": "c1.txt", "gold": "c1.json"}
    (tmp_path / "manifest.jsonl").write_text(json.dumps(row) + "\n")
    state = State(overrides={"llm": {"provider": "llamacpp", "model": "smollm2-135m-instruct"}})
    args = ["eval", "extract", "--manifest", str(tmp_path / "manifest.jsonl"), "--json"]
    result = CliRunner().invoke(app, args, obj=state)
    assert result.exit_code == 0, result.output
    reports = json.loads(result.stdout)
    assert [(r["provider"], r["mode"], r["cases"]) for r in reports] == [
        ("llamacpp", "constrained", 1),
        ("llamacpp", "prompt-only", 1),
    ]
    assert reports[0]["valid_rate"] == 1.0 and reports[0]["invalid"] == []
    assert set(reports[0]["field_accuracy"]) == {"people", "emails", "phones", "organizations"}
    # the scores themselves depend on a 135M model (tested on the whole set elsewhere)
    assert all(0.0 <= v <= 1.0 for v in reports[0]["field_accuracy"].values())
