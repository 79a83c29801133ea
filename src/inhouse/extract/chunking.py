"""Split a text that does not fit the context window into pieces that do.

Pieces end on paragraph boundaries where possible, then on lines, then on sentences,
then on words; each fits a token budget measured with the model's own counter.

Example:
    >>> split_text("one two\\n\\nthree four", budget=2, count=lambda s: len(s.split()))
    ['one two', 'three four']
"""

from __future__ import annotations

import re

from inhouse.tokens import Counter, estimate_tokens

_SEPARATORS = ("\n\n", "\n", r"(?<=[.!?])\s+", " ")


def _pieces(text: str, level: int) -> list[str]:
    sep = _SEPARATORS[level]
    parts = re.split(sep, text) if sep.startswith("(") else text.split(sep)
    return [p for p in parts if p.strip()]


def _split(text: str, budget: int, count: Counter, level: int) -> list[str]:
    if count(text) <= budget or level >= len(_SEPARATORS):
        return [text]
    joiner = _SEPARATORS[level] if not _SEPARATORS[level].startswith("(") else " "
    chunks: list[str] = []
    current = ""
    for piece in _pieces(text, level):
        if count(piece) > budget:
            if current:
                chunks.append(current)
                current = ""
            chunks += _split(piece, budget, count, level + 1)
            continue
        candidate = f"{current}{joiner}{piece}" if current else piece
        if current and count(candidate) > budget:
            chunks.append(current)
            candidate = piece
        current = candidate
    if current:
        chunks.append(current)
    return chunks


def split_text(text: str, budget: int, count: Counter = estimate_tokens) -> list[str]:
    """Pieces of `text`, each at most `budget` tokens by `count` (a lone long word may not be)."""
    return [c.strip() for c in _split(text.strip(), max(1, budget), count, 0) if c.strip()]
