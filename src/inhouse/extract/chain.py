"""The extraction runnable: prompt -> constrained model -> validate -> repair once -> merge.

Example:
    >>> from inhouse import chat_model, load_settings
    >>> from inhouse.chains.schemas import Contacts
    >>> settings = load_settings("llamacpp")
    >>> chain = extraction_chain(chat_model(settings), Contacts, provider="llamacpp")
    >>> chain.invoke({"text": "Mail Ann Lee at ann@acme.com"}).emails  # doctest: +SKIP
    ['ann@acme.com']
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import BaseMessage
from langchain_core.runnables import Runnable, RunnableConfig, RunnableLambda
from pydantic import BaseModel

from inhouse.errors import ConfigError
from inhouse.extract import prompt
from inhouse.extract.chunking import split_text
from inhouse.extract.constrain import constrain
from inhouse.extract.errors import ExtractionError
from inhouse.extract.merge import merge_dicts
from inhouse.extract.schema import InvalidOutput, Schema
from inhouse.jsontext import candidates
from inhouse.tokens import Counter, context_window, counter

log = logging.getLogger(__name__)

DEFAULT_MAX_TOKENS = 512
PER_MESSAGE_TOKENS = 8
MARGIN_TOKENS = 32
MIN_PIECE_TOKENS = 64


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("text"), str):
        return value["text"]
    msg = f"extraction input must be a string or {{'text': str}}, got {type(value).__name__}"
    raise ConfigError(msg)


def _reply_text(message: Any) -> str:
    content = getattr(message, "content", message)
    return content if isinstance(content, str) else getattr(message, "text", str(content))


def max_tokens_of(model: Any) -> int:
    for name in ("max_tokens", "num_predict", "max_new_tokens"):
        value = getattr(model, name, None)
        if isinstance(value, int) and value > 0:
            return value
    return DEFAULT_MAX_TOKENS


@dataclass
class Extractor:
    """Everything one extraction needs; `run` is the chain's body."""

    model: Any
    schema: Schema
    system: str | None
    template: str
    examples: list[BaseMessage]
    context_length: int
    max_tokens: int
    count: Counter

    def messages(self, text: str) -> list[BaseMessage]:
        return prompt.build_messages(
            self.schema, text, system=self.system, template=self.template, examples=self.examples
        )

    def piece_budget(self) -> int:
        """Tokens of text per piece: the window less prompt, answer and repair room."""
        overhead = sum(self.count(str(m.content)) + PER_MESSAGE_TOKENS for m in self.messages(""))
        repair = self.max_tokens // 2 + self.count(prompt.REPAIR) + PER_MESSAGE_TOKENS * 2
        budget = self.context_length - overhead - self.max_tokens - repair - MARGIN_TOKENS
        if budget < MIN_PIECE_TOKENS:
            msg = (
                f"the extraction prompt for {self.schema.name} ({overhead} tokens) and"
                f" max_tokens {self.max_tokens} leave no room for text in a context of"
                f" {self.context_length} tokens; lower llm.max_tokens, use fewer examples,"
                " or raise llm.context_length"
            )
            raise ConfigError(msg)
        return budget

    def ask(self, messages: list[BaseMessage], config: RunnableConfig | None) -> str:
        return _reply_text(self.model.invoke(messages, config))

    def rescued(self, raw: str) -> Any | None:
        """The complete part of an answer cut off at the token limit, if that validates."""
        for value in candidates(raw):
            try:
                obj = self.schema.validate_value(value)
            except InvalidOutput:
                continue
            break
        else:
            return None
        log.warning(
            "extraction of %s: the answer was cut off after %d characters; kept its"
            " complete part (raise max_tokens to keep more)",
            self.schema.name,
            len(raw),
        )
        return obj

    def extract_piece(self, text: str, config: RunnableConfig | None) -> Any:
        """One validated object for text that fits.

        An invalid answer is first cut back to its complete part (a model stopped at its
        token limit), then sent back once with the validation error; a second failure
        raises `ExtractionError` with the raw output.
        """
        messages = self.messages(text)
        raw = self.ask(messages, config)
        try:
            return self.schema.validate(raw)
        except InvalidOutput as exc:
            rescued = self.rescued(raw)
            if rescued is not None:
                return rescued
            shown = raw[: self.max_tokens * 2]  # a truncated answer need not be shown whole
            retry = prompt.repair_messages(messages, shown, str(exc))
        raw = self.ask(retry, config)
        try:
            return self.schema.validate(raw)
        except InvalidOutput as exc:
            rescued = self.rescued(raw)
            if rescued is not None:
                return rescued
            raise ExtractionError(self.schema.name, str(exc), raw_output=raw, attempts=2) from exc

    def run(self, value: Any, config: RunnableConfig | None = None) -> Any:
        text = _text(value)
        budget = self.piece_budget()
        pieces = [text] if self.count(text) <= budget else split_text(text, budget, self.count)
        results = [self.extract_piece(piece, config) for piece in pieces]
        if len(results) == 1:
            return results[0]
        return self.merged(results)

    def merged(self, results: Sequence[Any]) -> Any:
        merged = merge_dicts([self.schema.dump(r) for r in results])
        try:
            return self.schema.validate_value(merged)
        except InvalidOutput as exc:  # cannot happen for list/scalar merges of valid parts
            raw = str(merged)
            raise ExtractionError(self.schema.name, str(exc), raw_output=raw, attempts=1) from exc


def extraction_chain(
    model: Any,
    schema: type[BaseModel] | dict[str, Any],
    *,
    provider: str,
    system: str | None = None,
    template: str = "{text}",
    examples: Sequence[tuple[str, dict[str, Any]]] = (),
    context_length: int | None = None,
    constrained: bool = True,
) -> Runnable:
    """A runnable from ``{"text": ...}`` (or a string) to a validated `schema` instance.

    With `constrained` (the default) the provider's native constrained decoding is bound
    to `model`; ``constrained=False`` sends the same prompt without it (the baseline).
    An answer that still fails validation is sent back once with the error; a second
    failure raises `ExtractionError` with the raw output. Texts longer than the context
    window are extracted piecewise and merged (see `inhouse.extract.merge`).
    """
    spec = Schema.of(schema)
    bound = constrain(model, provider, spec.constraint) if constrained else model
    extractor = Extractor(
        model=bound,
        schema=spec,
        system=system,
        template=template,
        examples=prompt.example_turns(spec, template, examples),
        context_length=context_length or context_window(model),
        max_tokens=max_tokens_of(model),
        count=counter(model),
    )
    return RunnableLambda(extractor.run, name=f"extract_{spec.name}")


def extract(
    text: str, schema: type[BaseModel] | dict[str, Any], settings: Any = None, **kwargs: Any
) -> Any:
    """Extract `schema` from `text` with the configured chat model.

    >>> from inhouse.chains.schemas import Contacts
    >>> extract("Call Bo on 555-0100", Contacts).phones  # doctest: +SKIP
    ['555-0100']
    """
    from inhouse.factory import chat_model
    from inhouse.settings import load_settings

    settings = settings or load_settings()
    model = chat_model(settings)
    chain = extraction_chain(model, schema, provider=settings.llm.provider, **kwargs)
    return chain.invoke({"text": text})
