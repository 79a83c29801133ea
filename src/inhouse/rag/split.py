"""Split text into chunks measured in the embedding model's own tokens.

The text is tokenised once (with character offsets); a chunk ends at the best break
(paragraph, line, sentence, word) in the last half of its token window, and the next
chunk starts `overlap` tokens earlier, on a word start. So no chunk is longer than
the embedding model reads, and none is cut mid-word.

    >>> splitter = Splitter(WordTokenizer(), size=8, overlap=2)
    >>> splitter.split("One two three four. Five six seven eight nine ten eleven.")
    ['One two three four.', 'four. Five six seven eight nine ten', 'nine ten eleven.']
"""

from __future__ import annotations

import re
from typing import Any, Protocol

Offsets = list[tuple[int, int]]


class Tokenizer(Protocol):
    def offsets(self, text: str) -> Offsets:
        """The (start, end) character span of every token of `text`."""
        ...


class WordTokenizer:
    """Words and punctuation marks as tokens: for embedding models whose tokenizer is
    not available locally (served by Ollama or an OpenAI-compatible endpoint)."""

    _token = re.compile(r"\w+|[^\w\s]")

    def offsets(self, text: str) -> Offsets:
        return [m.span() for m in self._token.finditer(text)]


class HFTokenizer:
    """A Hugging Face fast tokenizer (what sentence-transformers models use)."""

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer

    def offsets(self, text: str) -> Offsets:
        encoded = self.tokenizer(
            text, add_special_tokens=False, return_offsets_mapping=True, verbose=False
        )
        return [tuple(span) for span in encoded["offset_mapping"]]


# Preferred breaks, best first: the gap before a token is checked against each.
_BREAKS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?;:]\s"), re.compile(r"\s"))


class Splitter:
    """Chunks of at most `size` tokens sharing `overlap` tokens with the previous one."""

    def __init__(self, tokenizer: Tokenizer, size: int, overlap: int) -> None:
        if not 0 <= overlap < size // 2 + 1:
            msg = f"chunk overlap {overlap} must be less than half the chunk size {size}"
            raise ValueError(msg)
        self.tokenizer, self.size, self.overlap = tokenizer, size, overlap

    def split(self, text: str) -> list[str]:
        spans = self.tokenizer.offsets(text)
        chunks, start = [], 0
        while start < len(spans):
            end = self._end(text, spans, start)
            chunk = text[spans[start][0] : spans[end - 1][1]].strip()
            if chunk:
                chunks.append(chunk)
            if end >= len(spans):
                break
            start = self._word_start(spans, max(end - self.overlap, start + 1), end)
        return chunks

    def _end(self, text: str, spans: Offsets, start: int) -> int:
        """Token index (exclusive) where the chunk from `start` ends."""
        limit = start + self.size
        if limit >= len(spans):
            return len(spans)
        lowest = start + max(1, self.size // 2)
        for pattern in _BREAKS:
            for end in range(limit, lowest - 1, -1):
                gap = text[spans[end - 1][1] - 1 : spans[end][0]]
                if pattern.search(gap):
                    return end
        return limit

    @staticmethod
    def _word_start(spans: Offsets, index: int, end: int) -> int:
        """The first token from `index` (at most `end`) that starts after a space."""
        while index < end and spans[index][0] == spans[index - 1][1]:
            index += 1
        return index
