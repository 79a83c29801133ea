"""Fit a conversation into the model's context window, leaving room for the reply.

Oldest turns go first (the system prompt and the newest user message stay); a single
user message too long on its own is cut, with a notice, instead of crashing. Tokens are
counted with `inhouse.tokens.count_message_tokens` (the model's own tokenizer for
llama.cpp and Hugging Face, the local estimate for ollama, openai and any other model),
plus a few tokens per message for the chat template's framing.

Example:
    >>> fitter = MessageFitter(model, context_length=512, reply_tokens=128)  # doctest: +SKIP
    >>> fitter(prompt_value)  # a list of messages that fits  # doctest: +SKIP
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from langchain_core.messages import BaseMessage, trim_messages

from inhouse.tokens import context_window, count_message_tokens

if TYPE_CHECKING:
    from inhouse.settings.schema import Settings

log = logging.getLogger(__name__)

MARGIN_TOKENS = 32
"""Kept free for the generation prompt, BOS and a template's default system prompt."""
NOTICE = "\n\n[inhouse: this message was cut to fit the model's context window]"


def context_length(model: Any, settings: Settings) -> int:
    """The model's context window: its own, else ``llm.context_length``, else the default
    (`inhouse.tokens.context_window`)."""
    return context_window(model, settings.llm.context_length)


def reply_tokens(max_tokens: int, window: int) -> int:
    """Tokens kept free for the answer: `max_tokens`, but at most half the window."""
    return max(1, min(max_tokens, window // 2))


class MessageFitter:
    """Trim messages to fit ``context_length - reply_tokens`` (a callable for LCEL)."""

    def __init__(self, model: Any, *, context_length: int, reply_tokens: int) -> None:
        self.model = model
        self.budget = max(16, context_length - reply_tokens - MARGIN_TOKENS)

    def count(self, messages: Sequence[BaseMessage]) -> int:
        """The model's count plus framing (`inhouse.tokens.count_message_tokens`)."""
        return count_message_tokens(self.model, messages)

    def __call__(self, prompt: Any) -> list[BaseMessage]:
        messages = prompt.to_messages() if hasattr(prompt, "to_messages") else list(prompt)
        if not messages or self.count(messages) <= self.budget:
            return messages
        kept = trim_messages(
            messages,
            max_tokens=self.budget,
            token_counter=self.count,
            strategy="last",
            include_system=messages[0].type == "system",
            start_on="human",
        )
        last = messages[-1]
        if kept and kept[-1].type == last.type and kept[-1].content == last.content:
            log.info("dropped %d old messages to fit the context", len(messages) - len(kept))
            return kept
        return self._cut_last(messages)

    def _cut_last(self, messages: list[BaseMessage]) -> list[BaseMessage]:
        system = messages[:1] if _has_system(messages) else []
        if system and self.count(system) > self.budget // 2:
            system = [self._cut(system[0], self.budget // 2)]
        last = self._cut(messages[-1], self.budget - (self.count(system) if system else 0))
        log.warning("a message was cut to fit the context window (%d tokens)", self.budget)
        return [*system, last]

    def _cut(self, message: BaseMessage, room: int) -> BaseMessage:
        """The longest prefix of the message's text that fits `room`, with the notice."""
        text = message.text

        def fits(size: int) -> bool:
            candidate = message.model_copy(update={"content": text[:size] + NOTICE})
            return self.count([candidate]) <= room

        low, high = 0, len(text)
        while low < high:
            mid = (low + high + 1) // 2
            if fits(mid):
                low = mid
            else:
                high = mid - 1
        return message.model_copy(update={"content": text[:low] + NOTICE})


def _has_system(messages: Sequence[BaseMessage]) -> bool:
    return bool(messages) and messages[0].type == "system"
