"""Chat history in SQLite, the chat chain's memory across instances, and context fitting."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from langchain_core.runnables import RunnablePassthrough

from inhouse import ConfigError, chat_model, load_chain, load_settings
from inhouse.chains.fit import NOTICE, MessageFitter
from inhouse.chains.history import SQLiteChatHistory, history_path, session_history


class SeenMessages(BaseCallbackHandler):
    """Records the messages each chat model call received."""

    def __init__(self) -> None:
        self.calls: list[list[Any]] = []

    def on_chat_model_start(self, serialized: Any, messages: Any, **kwargs: Any) -> None:
        self.calls.append(list(messages[0]))


def _settings(gguf: Path, **llm: Any):
    return load_settings(
        env_file=None, llm={"model": str(gguf), "temperature": 0, "max_tokens": 12, **llm}
    )


def test_history_round_trip_and_sessions(tmp_path) -> None:
    path = tmp_path / "h" / "chat.sqlite3"
    first = SQLiteChatHistory(path, "a")
    first.add_messages([HumanMessage("héllo ✓"), AIMessage("hi")])
    SQLiteChatHistory(path, "b").add_messages([HumanMessage("other")])
    again = SQLiteChatHistory(path, "a")  # a new object: what a restarted process sees
    assert [(m.type, m.content) for m in again.messages] == [("human", "héllo ✓"), ("ai", "hi")]
    again.clear()
    assert again.messages == []
    assert [m.content for m in SQLiteChatHistory(path, "b").messages] == ["other"]


def test_history_path_follows_settings(tmp_path, isolated_env) -> None:
    settings = load_settings(env_file=None)
    assert history_path(settings) == isolated_env / "chat_history.sqlite3"
    custom = load_settings(env_file=None, chains={"history_file": str(tmp_path / "x.db")})
    assert session_history(custom, "s").path == tmp_path / "x.db"
    assert session_history(custom).session_id == "default"


@pytest.mark.integration
def test_chat_remembers_across_instances(smollm2_gguf) -> None:
    settings = _settings(smollm2_gguf)
    config = {"configurable": {"session_id": "ada"}}
    first = load_chain("chat", settings)
    answer = first.invoke("My name is Ada.", config)
    assert isinstance(answer, str) and answer

    seen = SeenMessages()
    second = load_chain("chat", settings)  # shares only the SQLite file with `first`
    pieces = list(second.stream("What is my name?", {**config, "callbacks": [seen]}))
    assert len(pieces) > 1
    sent = seen.calls[0]
    assert [m.type for m in sent] == ["system", "human", "ai", "human"]
    assert sent[1].content == "My name is Ada." and sent[2].content == answer

    stored = session_history(settings, "ada").messages
    assert [m.content for m in stored] == [
        "My name is Ada.",
        answer,
        "What is my name?",
        "".join(pieces),
    ]
    assert session_history(settings, "someone-else").messages == []


@pytest.mark.integration
def test_chat_async_and_default_session(smollm2_gguf) -> None:
    settings = _settings(smollm2_gguf)
    chain = load_chain("chat", settings, session_id="mine")
    answer = asyncio.run(chain.ainvoke({"input": "Hello"}))
    assert isinstance(answer, str)
    assert session_history(settings, "mine").messages[0].content == "Hello"


@pytest.mark.integration
def test_fitter_keeps_system_and_newest_turns(smollm2_gguf) -> None:
    model = chat_model(_settings(smollm2_gguf, context_length=512))
    fitter = MessageFitter(model, context_length=512, reply_tokens=128)
    turns = []
    for i in range(40):
        turns += [HumanMessage(f"question {i} about the weather"), AIMessage(f"answer {i} sunny")]
    messages = [SystemMessage("Be brief."), *turns, HumanMessage("latest question")]
    kept = fitter(messages)
    assert fitter.count(kept) <= fitter.budget
    assert kept[0].content == "Be brief."
    assert kept[-1].content == "latest question"
    assert kept[1].type == "human"
    assert 2 < len(kept) < len(messages)
    assert [m.content for m in kept[1:]] == [m.content for m in messages[-(len(kept) - 1) :]]


@pytest.mark.integration
def test_over_long_message_is_cut_with_a_notice(smollm2_gguf) -> None:
    model = chat_model(_settings(smollm2_gguf, context_length=512))
    fitter = MessageFitter(model, context_length=512, reply_tokens=128)
    kept = fitter([SystemMessage("Be brief."), HumanMessage("word " * 3000)])
    assert kept[-1].content.endswith(NOTICE)
    assert kept[-1].content.startswith("word word")
    assert fitter.count(kept) <= fitter.budget


@pytest.mark.integration
def test_long_conversation_never_exceeds_a_tiny_context(smollm2_gguf) -> None:
    settings = _settings(smollm2_gguf, context_length=512, max_tokens=512)
    history = session_history(settings, "long")
    filler = "tell me about the weather in Paris and the history of France. " * 4
    for i in range(30):
        history.add_messages([HumanMessage(f"turn {i}: {filler}"), AIMessage(f"reply {i}")])
    chain = load_chain("chat", settings, max_tokens=8)
    seen = SeenMessages()
    config = {"configurable": {"session_id": "long"}, "callbacks": [seen]}
    assert isinstance(chain.invoke("newest question", config), str)
    assert isinstance(chain.invoke("word " * 2000, config), str)  # alone too long: cut

    first, second = seen.calls
    assert first[-1].content == "newest question"
    assert first[-3].content.startswith("turn 29:")  # the newest stored turns are kept
    assert not any(m.content.startswith("turn 0:") for m in first)
    assert second[-1].content.endswith(NOTICE)


@pytest.mark.integration
def test_chat_composes_after_a_dict_step_and_rejects_bad_input(smollm2_gguf) -> None:
    settings = _settings(smollm2_gguf)
    chain = load_chain("chat", settings, session_id="composed")
    composed = RunnablePassthrough.assign(input=lambda d: d["q"].upper()) | chain
    assert "".join(composed.stream({"q": "hello"}))
    assert session_history(settings, "composed").messages[0].content == "HELLO"
    with pytest.raises(ConfigError, match="a chat chain needs the text as a string"):
        chain.invoke({"question": "wrong key"})
