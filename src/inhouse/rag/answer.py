"""Grounded answers: retrieve, fit the passages to the model's window, answer with [n].

    >>> rag = load_chain("rag", settings, retriever=kb.retriever())   # doctest: +SKIP
    >>> answer = rag.invoke("What is the notice period?")             # doctest: +SKIP
    >>> answer.text, [s.source for s in answer.sources]               # doctest: +SKIP
    >>> for piece in rag.stream("What is the notice period?"):       # doctest: +SKIP
    ...     print(piece.text, end="")

The model call carries ``metadata["kb"]`` (the knowledge bases the passages came from),
so a `HybridRouter` as the model keeps private context local. `invoke` returns an
`Answer`; `stream` yields `Answer` pieces that add up to it (the
first carries the sources, the rest the text as it is generated). When no passage is
similar enough to the question (`rag.min_similarity`), the answer says so and the
model is not called.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from langchain_core.documents import Document
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from langchain_core.runnables import RunnableConfig, RunnableSerializable
from pydantic import BaseModel, ConfigDict, Field

from inhouse.tokens import count_tokens

REFUSAL = "The documents do not contain an answer to this question."
SNIPPET_CHARS = 240


class Source(BaseModel):
    """One passage given to the model; `n` is its citation number."""

    n: int
    source: str
    page: int | None = None
    title: str = ""
    section: str = ""
    chunk_id: str
    score: float
    similarity: float
    snippet: str
    cited: bool = False


class Answer(BaseModel):
    """A grounded answer; pieces from `stream` add up with `+`."""

    text: str = ""
    sources: list[Source] = Field(default_factory=list)
    refused: bool = False
    route: dict[str, Any] | None = None
    """The router's decision when the model was a `HybridRouter` (None otherwise, and for
    a refusal, which calls no model)."""

    def __add__(self, other: Answer) -> Answer:
        sources = self.sources or other.sources
        text = self.text + other.text
        return Answer(
            text=text, sources=_mark_cited(sources, text), refused=self.refused or other.refused,
            route=self.route or other.route,
        )  # fmt: skip


class RagChain(RunnableSerializable[Any, Answer]):
    """Question in (a string or ``{"question": ...}``), `Answer` out."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Any
    model: Any
    system: str
    template: str
    min_similarity: float
    context_tokens: int = Field(gt=0, description="Token budget for the passages.")

    # -- Runnable ------------------------------------------------------------------------

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Answer:
        return self._call_with_config(self._answer, input, config, **kwargs)

    def stream(
        self, input: Any, config: RunnableConfig | None = None, **kwargs: Any
    ) -> Iterator[Answer]:
        yield from self._transform_stream_with_config(
            iter([input]), self._stream_pieces, config, **kwargs
        )

    def _answer(self, input: Any, config: RunnableConfig) -> Answer:
        prepared = self._prepare(input, config)
        if isinstance(prepared, Answer):
            return prepared
        messages, sources, kbs = prepared
        reply = self.model.invoke(messages, _with_kbs(config, kbs))
        text = _content(reply)
        return Answer(text=text, sources=_mark_cited(sources, text), route=_route(reply))

    def _stream_pieces(
        self, inputs: Iterator[Any], run_manager: Any, config: RunnableConfig
    ) -> Iterator[Answer]:
        for input in inputs:
            prepared = self._prepare(input, config)
            if isinstance(prepared, Answer):
                yield prepared
                continue
            messages, sources, kbs = prepared
            yield Answer(sources=sources)
            routed = False
            for chunk in self.model.stream(messages, _with_kbs(config, kbs)):
                text, route = _content(chunk), None if routed else _route(chunk)
                if text or route:
                    routed = routed or route is not None
                    yield Answer(text=text, route=route)

    # -- the steps -----------------------------------------------------------------------

    def _prepare(
        self, input: Any, config: RunnableConfig
    ) -> Answer | tuple[list[BaseMessage], list[Source], list[str]]:
        question = input if isinstance(input, str) else input["question"]
        documents = self.retriever.invoke(question, config)
        if not _relevant(documents, self.min_similarity):
            return Answer(text=REFUSAL, refused=True, sources=[])
        passages = self._fit(documents)
        sources = [_source(n, d) for n, d in enumerate(passages, 1)]
        context = "\n\n".join(_passage(n, d) for n, d in enumerate(passages, 1))
        human = self.template.format(context=context, question=question)
        messages: list[BaseMessage] = [SystemMessage(self.system)] if self.system else []
        kbs = sorted({str(d.metadata["kb"]) for d in passages if d.metadata.get("kb")})
        return [*messages, HumanMessage(human)], sources, kbs

    def _fit(self, documents: list[Document]) -> list[Document]:
        """The best-ranked passages that fit the budget (the last one cut to fit)."""
        chosen, room = [], self.context_tokens
        for document in documents:
            size = self._tokens(_passage(len(chosen) + 1, document))
            if size <= room:
                chosen.append(document)
                room -= size
                continue
            if room > 48:  # worth a cut passage
                keep = int(len(document.page_content) * room / size * 0.9)
                chosen.append(
                    document.model_copy(update={"page_content": document.page_content[:keep]})
                )
            break
        return chosen or documents[:1]

    def _tokens(self, text: str) -> int:
        return count_tokens(self.model, text)


def _with_kbs(config: RunnableConfig, kbs: list[str]) -> RunnableConfig:
    """Tell the model (a `HybridRouter`, say) which knowledge bases the context is from:
    `metadata["kb"]`, which the router treats as sensitive unless marked shareable."""
    if not kbs:
        return config
    metadata = dict(config.get("metadata") or {})
    metadata["kb"] = sorted({*_as_list(metadata.get("kb")), *kbs})
    return {**config, "metadata": metadata}


def _as_list(value: Any) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)


def _relevant(documents: list[Document], threshold: float) -> bool:
    return any(d.metadata.get("similarity", 0.0) >= threshold for d in documents)


def _passage(n: int, document: Document) -> str:
    meta = document.metadata
    where = str(meta.get("source", "")).rsplit("/", 1)[-1]
    if meta.get("page"):
        where += f", page {meta['page']}"
    return f"[{n}] ({where})\n{document.page_content}"


def _source(n: int, document: Document) -> Source:
    meta = document.metadata
    snippet = " ".join(document.page_content.split())
    if len(snippet) > SNIPPET_CHARS:
        snippet = snippet[: SNIPPET_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return Source(
        n=n,
        source=str(meta.get("source", "")),
        page=meta.get("page"),
        title=str(meta.get("title", "")),
        section=str(meta.get("section", "")),
        chunk_id=str(meta.get("id", document.id or "")),
        score=float(meta.get("score", 0.0)),
        similarity=float(meta.get("similarity", 0.0)),
        snippet=snippet,
    )


_CITATION = re.compile(r"\[(\d+)\]")


def _mark_cited(sources: list[Source], text: str) -> list[Source]:
    cited = {int(n) for n in _CITATION.findall(text)}
    return [s.model_copy(update={"cited": s.n in cited}) for s in sources]


def _route(message: Any) -> dict[str, Any] | None:
    return (getattr(message, "response_metadata", None) or {}).get("route")


def _content(message: Any) -> str:
    content = getattr(message, "content", message)
    return content if isinstance(content, str) else str(content)
