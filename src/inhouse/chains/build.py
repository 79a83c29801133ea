"""Builders: a chain spec plus settings in, an LCEL `Runnable` out; one per kind.

``BUILDERS`` maps a spec's ``kind`` to its builder and the keyword options it takes
(``load_chain(name, settings, **options)``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from inhouse.chains.fit import MessageFitter, context_length, reply_tokens
from inhouse.chains.history import history_path, with_history
from inhouse.errors import ConfigError
from inhouse.tokens import count_tokens

PROMPT_FRAMING = 64
"""Tokens of a rag prompt besides its system text and template: the chat template's
framing and the passages' numbering."""

if TYPE_CHECKING:
    from langchain_core.runnables import Runnable

    from inhouse.chains.spec import ChainSpec
    from inhouse.settings.schema import Settings


def generation_settings(spec: ChainSpec, settings: Settings) -> Settings:
    """The settings with the spec's generation parameters applied to ``llm``."""
    updates = spec.generation.model_dump(exclude_none=True)
    if not updates:
        return settings
    copy = settings.model_copy(deep=True)
    for key, value in updates.items():
        setattr(copy.llm, key, value)
    return copy


def _model_for(spec: ChainSpec, settings: Settings, model: Any) -> tuple[Any, Settings]:
    from inhouse.factory import chat_model

    tuned = generation_settings(spec, settings)
    return (model if model is not None else chat_model(tuned)), tuned


def _fitter(model: Any, settings: Settings) -> MessageFitter:
    window = context_length(model, settings)
    return MessageFitter(
        model, context_length=window, reply_tokens=reply_tokens(settings.llm.max_tokens, window)
    )


def _prompt(spec: ChainSpec, *, history: bool) -> Any:
    from langchain_core.messages import SystemMessage
    from langchain_core.prompts import ChatPromptTemplate, MessagesPlaceholder

    parts: list[Any] = [SystemMessage(spec.system)] if spec.system else []
    if history:
        parts.append(MessagesPlaceholder("history", optional=True))
    parts.append(("human", spec.template))
    return ChatPromptTemplate.from_messages(parts)


def _text_as(key: str) -> Any:
    """Accept a plain string as the value of the template's first input."""
    from langchain_core.runnables import RunnableLambda

    def as_dict(value: Any) -> Any:
        return {key: value} if isinstance(value, str) else value

    return RunnableLambda(as_dict, name="as_input")


def build_chat(
    spec: ChainSpec, settings: Settings, *, model: Any = None, session_id: str | None = None
) -> Runnable:
    """Prompt, fit to the context window, model, text; with a SQLite history per session.

    Example:
        >>> chain = build_chat(find_spec("chat", settings), settings)  # doctest: +SKIP
        >>> for piece in chain.stream("Hi!", {"configurable": {"session_id": "me"}}):
        ...     print(piece, end="")  # doctest: +SKIP
    """
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.runnables import RunnableLambda

    model, tuned = _model_for(spec, settings, model)
    fit = RunnableLambda(_fitter(model, tuned), name="fit_context")
    core = _prompt(spec, history=spec.history) | fit | model | StrOutputParser()
    key = spec.inputs[0]
    if not spec.history:
        return _text_as(key) | core
    remembering = with_history(
        core,
        history_path(settings),
        input_key=key,
        default_session=session_id or settings.chains.default_session,
    )
    return _text_as(key) | remembering


def build_extract(
    spec: ChainSpec, settings: Settings, *, model: Any = None, constrained: bool = True
) -> Runnable:
    """The extraction engine (`inhouse.extract`) with the spec's schema, prompts, examples.

    ``constrained=False`` drops the provider's constrained decoding (the eval baseline).
    """
    try:
        from inhouse.extract import extraction_chain
    except ImportError as exc:
        msg = f"chain {spec.name!r} needs the extraction engine inhouse.extract ({exc})"
        raise ConfigError(msg) from exc
    model, tuned = _model_for(spec, settings, model)
    return extraction_chain(
        model,
        spec.output_schema,
        provider=tuned.llm.provider,
        system=spec.system,
        template=spec.template,
        examples=[(e.input, e.output) for e in spec.examples],
        context_length=context_length(model, tuned),
        constrained=constrained,
    )


def build_rag(
    spec: ChainSpec,
    settings: Settings,
    *,
    retriever: Any = None,
    kb: str | None = None,
    model: Any = None,
) -> Runnable:
    """Retrieve, fit the passages to the window, answer with [n] citations: an `Answer`.

    Input: ``{"question": ...}`` or the question as a string. Give ``retriever=`` (any
    LangChain retriever whose documents carry ``similarity`` in their metadata, such as
    ``kb.retriever()``) or ``kb=`` (the name of a knowledge base).
    """
    if retriever is None and kb is None:
        msg = (
            f"rag chains need retriever=... or kb=...; e.g. load_chain({spec.name!r},"
            " settings, kb='docs')"
        )
        raise ConfigError(msg)
    from inhouse.rag.answer import RagChain

    if retriever is None:
        from inhouse.rag.kb import KnowledgeBase

        retriever = KnowledgeBase.open(kb, settings, create=False).retriever()
    model, tuned = _model_for(spec, settings, model)
    window = context_length(model, tuned)
    overhead = count_tokens(model, f"{spec.system}\n{spec.template}") + PROMPT_FRAMING
    budget = tuned.rag.context_tokens or max(
        256, window - reply_tokens(tuned.llm.max_tokens, window) - overhead - 128
    )
    return RagChain(
        retriever=retriever,
        model=model,
        system=spec.system,
        template=spec.template,
        min_similarity=tuned.rag.min_similarity,
        context_tokens=budget,
    )


@dataclass(frozen=True)
class KindBuilder:
    """How one kind of chain is built, and which `load_chain` options it takes."""

    build: Callable[..., Runnable]
    options: tuple[str, ...]


BUILDERS: dict[str, KindBuilder] = {
    "chat": KindBuilder(build_chat, ("model", "session_id")),
    "extract": KindBuilder(build_extract, ("model", "constrained")),
    "rag": KindBuilder(build_rag, ("model", "retriever", "kb")),
}


def build(spec: ChainSpec, settings: Settings, options: dict[str, Any]) -> Runnable:
    """The runnable for a spec; options other than the kind's own are a `ConfigError`."""
    builder = BUILDERS[spec.kind]
    unknown = sorted(set(options) - set(builder.options))
    if unknown:
        msg = (
            f"load_chain({spec.name!r}): unknown option(s) {', '.join(unknown)} for"
            f" {spec.kind} chains; allowed: {', '.join(builder.options)} and the spec fields"
            " system, template, history, temperature, max_tokens, stop"
        )
        raise ConfigError(msg)
    return builder.build(spec, settings, **options)
