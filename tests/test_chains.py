"""Chain specs and `load_chain`: validation errors, user folders, the shipped chains."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from inhouse import ConfigError, load_chain, load_settings
from inhouse.chains import chain_names, find_spec
from inhouse.chains.schemas import Contacts, Invoice
from inhouse.chains.spec import builtin_chains_dir

GOOD_CHAT = 'name = "{name}"\nkind = "chat"\ndescription = "d"\n'


def _settings(folder: Path | None = None, **llm):
    chains = {"paths": [str(folder)]} if folder else {}
    return load_settings(
        env_file=None, llm={"temperature": 0, "max_tokens": 24, **llm}, chains=chains
    )


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(text)
    return path


def test_shipped_specs_are_valid() -> None:
    settings = _settings()
    assert {"chat", "summarize", "extract_contact", "extract_invoice", "rag"} <= set(
        chain_names(settings)
    )
    assert find_spec("extract_invoice", settings).output_schema is Invoice
    assert find_spec("extract_contact", settings).output_schema is Contacts
    assert "[1]" in find_spec("rag", settings).system
    assert builtin_chains_dir().name == "chains"


BROKEN = [
    ('name = "bad"\nkind = "chat"\n', "field 'description': required field is missing"),
    ('name = "bad"\nkind = "chatty"\ndescription = "d"\n', "field 'kind'"),
    (
        'name = "bad"\nkind = "extract"\ndescription = "d"\ntemplate = "{text}"\n'
        'schema = "no_such_module:Thing"\n',
        "field 'schema': cannot import module 'no_such_module'",
    ),
    (
        'name = "bad"\nkind = "extract"\ndescription = "d"\ntemplate = "{text}"\n'
        'schema = "inhouse.chains.schemas:Nope"\n',
        "field 'schema': 'inhouse.chains.schemas:Nope' is not a Pydantic model class",
    ),
    (
        'name = "bad"\nkind = "extract"\ndescription = "d"\ntemplate = "{text}"\n'
        'schema = "missing.json"\n',
        "field 'schema': cannot read JSON Schema file",
    ),
    (
        GOOD_CHAT.format(name="bad") + "[generation]\ntemprature = 0.1\n",
        "field 'generation.temprature': unknown field; did you mean 'temperature'?",
    ),
    (GOOD_CHAT.format(name="bad") + 'sytem = "x"\n', "field 'sytem': unknown field; did you"),
    ('name = "bad"\nkind = "extract"\ndescription = "d"\n', "field 'schema': extract chains"),
    (GOOD_CHAT.format(name="other"), "field 'name': 'other' does not match the file name"),
    (GOOD_CHAT.format(name="bad") + 'template = "{oops"\n', "field 'template'"),
    ("name = [", "is not valid TOML"),
]


@pytest.mark.parametrize(("text", "expected"), BROKEN)
def test_broken_spec_is_one_line_naming_file_and_field(tmp_path, text, expected) -> None:
    path = _write(tmp_path / "mine", "bad", text)
    with pytest.raises(ConfigError) as info:
        load_chain("bad", _settings(tmp_path / "mine"))
    message = str(info.value)
    assert expected in message
    assert str(path) in message
    assert "\n" not in message


def test_unknown_chain_lists_available() -> None:
    with pytest.raises(ConfigError, match=r"unknown chain 'sumarize'; did you mean 'summarize'"):
        load_chain("sumarize", _settings())
    with pytest.raises(ConfigError, match=r"available: chat, extract_contact"):
        load_chain("nothing-like-it", _settings())


def test_unknown_option_and_bad_override_are_config_errors() -> None:
    with pytest.raises(ConfigError, match=r"unknown option\(s\) retriever for chat chains"):
        load_chain("chat", _settings(), retriever=object())
    with pytest.raises(ConfigError, match=r"bad override generation\.temperature"):
        load_chain("chat", _settings(), temperature=9)


def test_rag_needs_a_retriever() -> None:
    with pytest.raises(ConfigError, match=r"rag chains need retriever=\.\.\."):
        load_chain("rag", _settings())


def test_json_schema_inline_and_file(tmp_path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    schema = {"type": "object", "properties": {"city": {"type": "string"}}}
    (folder / "city.schema.json").write_text(json.dumps(schema))
    head = 'kind = "extract"\ndescription = "d"\ntemplate = "{text}"\n'
    _write(folder, "from_file", f'name = "from_file"\n{head}schema = "city.schema.json"\n')
    inline = f'name = "inline"\n{head}[schema]\ntype = "object"\nproperties.city.type = "string"\n'
    _write(folder, "inline", inline)
    settings = _settings(folder)
    assert find_spec("from_file", settings).output_schema == schema
    assert find_spec("inline", settings).output_schema == schema


def test_example_must_fit_the_schema(tmp_path) -> None:
    text = (
        'name = "ex"\nkind = "extract"\ndescription = "d"\ntemplate = "{text}"\n'
        'schema = "inhouse.chains.schemas:Invoice"\n'
        '[[examples]]\ninput = "x"\noutput = { vendor = "V" }\n'
    )
    _write(tmp_path / "mine", "ex", text)
    with pytest.raises(ConfigError, match=r"examples\.0\.output' does not fit the schema"):
        find_spec("ex", _settings(tmp_path / "mine"))


@pytest.mark.integration
def test_user_folder_adds_and_replaces_chains(tmp_path, smollm2_gguf) -> None:
    folder = tmp_path / "mine"
    _write(folder, "shout", GOOD_CHAT.format(name="shout") + 'history = false\nsystem = "Hi"\n')
    replaced = 'name = "summarize"\nkind = "chat"\ndescription = "mine"\nhistory = false\n'
    _write(folder, "summarize", replaced)
    settings = _settings(folder, model=str(smollm2_gguf))
    assert {"shout", "chat"} <= set(chain_names(settings))
    assert find_spec("summarize", settings).description == "mine"
    answer = load_chain("shout", settings, max_tokens=8).invoke("Say hello.")
    assert isinstance(answer, str) and answer.strip()


@pytest.mark.integration
def test_summarize_produces_text(smollm2_gguf) -> None:
    text = (
        "The city council met on Tuesday to discuss the new bicycle lanes. After a long"
        " debate, members voted seven to two to build lanes on Main Street next spring."
        " Shop owners worried about parking; cyclists welcomed the decision."
    )
    chain = load_chain("summarize", _settings(model=str(smollm2_gguf)), max_tokens=60)
    summary = chain.invoke({"text": text})
    assert isinstance(summary, str)
    assert len(summary.split()) >= 3
    pieces = list(chain.stream(text))
    assert len(pieces) > 1 and "".join(pieces).strip()


class _FixedRetriever(BaseRetriever):
    documents: list[Document]

    def _get_relevant_documents(self, query: str, *, run_manager) -> list[Document]:
        return self.documents


@pytest.mark.integration
def test_rag_with_a_retriever_answers_from_passages(smollm2_gguf) -> None:
    retriever = _FixedRetriever(
        documents=[
            Document("The notice period is three months.", metadata={"similarity": 0.8}),
            Document("Rent is due.", metadata={"similarity": 0.2}),
        ]
    )
    chain = load_chain("rag", _settings(model=str(smollm2_gguf)), retriever=retriever)
    answer = chain.invoke({"question": "What is the notice period?"})
    assert answer.text.strip() and not answer.refused
    assert [s.n for s in answer.sources] == [1, 2]
    assert answer.sources[0].snippet == "The notice period is three months."


@pytest.mark.integration
def test_extract_chain_returns_the_schema_type(smollm2_gguf) -> None:
    chain = load_chain("extract_contact", _settings(model=str(smollm2_gguf)))
    result = chain.invoke({"text": "Write to Ann Lee at ann.lee@example.com."})
    assert isinstance(result, Contacts)
