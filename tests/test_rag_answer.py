"""The rag chain over a real knowledge base: citations, sources, streaming, refusals,
the context budget; and the standard LangChain retriever tests for HybridRetriever."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from langchain_core.runnables import RunnableLambda
from langchain_tests.integration_tests import RetrieversIntegrationTests

from inhouse import load_chain, load_settings
from inhouse.rag.answer import REFUSAL, Answer
from inhouse.rag.kb import KnowledgeBase
from inhouse.rag.retriever import HybridRetriever
from tests.test_kb import make_corpus

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    root = tmp_path_factory.mktemp("rag")
    settings = load_settings(data_dir=str(root / "data"), llm={"temperature": 0, "seed": 0})
    knowledge = KnowledgeBase.open("answers", settings)
    knowledge.ingest([make_corpus(root / "docs")])
    return knowledge


def never_called(_: Any) -> Any:
    raise AssertionError("the model must not be called for a refusal")


def test_refuses_without_calling_the_model(kb: KnowledgeBase) -> None:
    chain = load_chain("rag", kb.settings, retriever=kb.retriever(), model=RunnableLambda(
        never_called))  # fmt: skip
    answer = chain.invoke("Who painted the Mona Lisa?")
    assert answer == Answer(text=REFUSAL, refused=True)
    assert list(chain.stream({"question": "Who painted the Mona Lisa?"})) == [answer]


def test_answers_from_the_passages_with_sources(kb: KnowledgeBase) -> None:
    chain = load_chain("rag", kb.settings, retriever=kb.retriever(k=3))
    answer = chain.invoke({"question": "How many days of paid annual leave does an employee get?"})
    assert not answer.refused and answer.text.strip()
    assert [s.n for s in answer.sources] == [1, 2, 3]
    assert answer.sources[0].source.endswith("leave.md") and "28 days" in answer.sources[0].snippet
    pieces = list(chain.stream("How many days of paid annual leave does an employee get?"))
    assert [s.chunk_id for s in pieces[0].sources] == [s.chunk_id for s in answer.sources]
    assert pieces[0].text == ""
    total = sum(pieces[1:], pieces[0])
    assert total.text == answer.text  # greedy: streaming gives the same answer
    assert len(pieces) > 2  # streamed in pieces, not in one


def test_passages_are_cut_to_the_context_budget(kb: KnowledgeBase) -> None:
    settings = kb.settings.model_copy(deep=True)
    settings.rag.context_tokens = 60
    seen: list[str] = []

    def model(messages: Any) -> str:
        seen.append(messages[-1].content)  # the human message: passages and question
        return "ok"

    chain = load_chain("rag", settings, retriever=kb.retriever(k=6), model=RunnableLambda(model))
    answer = chain.invoke("What notice period applies to the lease?")
    assert answer.text == "ok" and 1 <= len(answer.sources) < 6
    assert "[1]" in seen[0] and f"[{len(answer.sources) + 1}]" not in seen[0]


class TestHybridRetrieverStandard(RetrieversIntegrationTests):
    """langchain-tests' standard suite (k in the constructor and per call, async)."""

    @pytest.fixture(autouse=True)
    def _kb(self, kb: KnowledgeBase) -> None:
        type(self).knowledge = kb

    @property
    def retriever_constructor(self) -> type[HybridRetriever]:
        return HybridRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {"kb": self.knowledge}

    @property
    def retriever_query_example(self) -> str:
        return "notice period"


def test_rag_chain_by_kb_name(kb: KnowledgeBase, tmp_path: Path) -> None:
    chain = load_chain("rag", kb.settings, kb="answers", model=RunnableLambda(lambda _: "x"))
    assert chain.invoke("What notice period applies to the lease?").sources
