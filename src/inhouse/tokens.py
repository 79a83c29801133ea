"""Counting tokens and finding a model's context window: one way for every caller.

A model built by inhouse counts its own tokens offline: llama.cpp and Hugging Face
models with their own tokenizer (exact), Ollama and OpenAI-compatible models with
`estimate_tokens` (their servers have no offline tokenizer, and LangChain's default would
download GPT-2's or tiktoken's). Such a model says which it does in its class attribute
``token_counting`` (``"tokenizer"`` or ``"estimate"``, the same value as its provider's
`Provider.token_counting`). Any other model (one of your own, a test double) is counted
with the estimate, so counting never reaches the network.

Example:
    >>> estimate_tokens("The capital of France is Paris.")
    8
    >>> count_tokens(object(), "one two three")
    4
    >>> context_window(object(), default=4096)
    4096
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Literal

TokenCounting = Literal["tokenizer", "estimate"]
Counter = Callable[[str], int]

DEFAULT_CONTEXT = 2048
"""The context window assumed for a model that reports none and has none configured."""
MESSAGE_FRAMING = 4
"""Tokens a chat template adds around each message (role markers, separators)."""

_PIECE = re.compile(r"\w+|[^\w\s]")


def estimate_tokens(text: str) -> int:
    """A tokenizer-free, upper-leaning token count: words and symbols, or 4 characters each.

    BPE and SentencePiece vocabularies give common English words one token and most
    punctuation marks one token of their own; long or rare words take more, which the
    four-characters-a-token floor covers. Used for every model without a tokenizer.

    Example:
        >>> estimate_tokens("The quick brown fox jumps over the lazy dog.")
        11
        >>> estimate_tokens("")
        0
    """
    if not text:
        return 0
    return max(len(_PIECE.findall(text)), math.ceil(len(text) / 4))


def min_tokens(text: str) -> int:
    """A lower bound on the token count under any common tokenizer.

    BPE and SentencePiece tokenizers split at whitespace first, so no token spans two
    words; and none averages more than 10 characters a token.

    Example:
        >>> min_tokens("The quick brown fox jumps over the lazy dog.")
        9
    """
    return max(len(text.split()), len(text) // 10)


def token_counting(model: Any) -> TokenCounting | None:
    """How `model` counts its own tokens offline, or None when it cannot be trusted to."""
    value = getattr(type(model), "token_counting", None)
    return value if value in ("tokenizer", "estimate") else None


def counter(model: Any) -> Counter:
    """A text -> token count function for `model`: its own where it counts offline."""
    if token_counting(model) is not None:
        return model.get_num_tokens
    return estimate_tokens


def count_tokens(model: Any, text: str) -> int:
    """Tokens `text` takes for `model` (see `counter`)."""
    return int(counter(model)(text))


def count_message_tokens(model: Any, messages: Sequence[Any]) -> int:
    """Tokens a list of messages takes for `model`, with `MESSAGE_FRAMING` per message.

    A model that counts offline counts the messages itself (a chat template's own
    framing included where it renders one); otherwise each message's text is estimated.
    """
    messages = list(messages)
    framing = MESSAGE_FRAMING * len(messages)
    if token_counting(model) is not None:
        return int(model.get_num_tokens_from_messages(messages)) + framing
    return sum(estimate_tokens(_text(m)) for m in messages) + framing


def context_window(model: Any, default: int | None = None) -> int:
    """`model`'s context window in tokens: its own, else `default`, else `DEFAULT_CONTEXT`.

    A model's own is the first positive integer among ``context_length`` (inhouse's
    llama.cpp and Hugging Face models), ``num_ctx`` (Ollama) and ``n_ctx`` (LlamaCpp).
    """
    for name in ("context_length", "num_ctx", "n_ctx"):
        value = getattr(model, name, None)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return default or DEFAULT_CONTEXT


class EstimatedTokens:
    """Mixin for a LangChain model without an offline tokenizer: counts with the estimate.

    Put it before the LangChain base class, so LangChain's defaults (which download
    GPT-2's tokenizer or a tiktoken encoding) are never reached.
    """

    token_counting: ClassVar[TokenCounting] = "estimate"

    def get_num_tokens(self, text: str) -> int:
        """A local estimate (see `estimate_tokens`); never downloads a tokenizer."""
        return estimate_tokens(text)

    def get_num_tokens_from_messages(
        self, messages: Sequence[Any], tools: Any = None, **_: Any
    ) -> int:
        """A local estimate: each message's text plus a few tokens of chat framing."""
        return 3 + sum(MESSAGE_FRAMING + estimate_tokens(_text(m)) for m in messages)


def _text(message: Any) -> str:
    text = getattr(message, "text", None)
    if isinstance(text, str):
        return text
    content = getattr(message, "content", message)
    return content if isinstance(content, str) else str(content)
