"""How complex a request looks, from cheap features, as a score from 0 to 1.

    >>> round(score("hi there"), 2) < 0.3
    True
    >>> score("Prove that the square root of 2 is irrational, then explain step by step "
    ...       "why the same argument fails for 4, and compare it with a proof by "
    ...       "contradiction using the rational root theorem.") > 0.55
    True

Features: length, reasoning words, maths, code, the number of questions, how long an
answer is asked for, steps asked for ("then", "(2)") and constraints ("without",
"exactly"); each is capped and weighted, and a logistic squashes the sum.
Optionally (`Similarity`), the request's embedding is compared with example complex
and simple requests from config, using the local embedding model: nothing leaves the
machine to decide.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


def _words(alternatives: str, end: str = r"\b", flags: int = 0) -> re.Pattern[str]:
    r"""`\b(?:a|b|...)` + `end`, written so that the regex engine scans for the first
    letters in C instead of trying every alternative at every position: each
    alternative starts with its first letter, then `(?<!\w.)` checks the word boundary
    before it. The matches are those of the plain form (the features of 9,566 prompts
    of four sets came out identical; the score takes half the time)."""
    parts = []
    for alternative in _top_level(alternatives):
        if not alternative[:1].isalpha():
            msg = f"each alternative must start with a letter: {alternative!r}"
            raise ValueError(msg)
        parts.append(f"{alternative[0]}(?<!\\w.){alternative[1:]}")
    return re.compile(f"(?:{'|'.join(parts)}){end}", flags)


def _top_level(alternatives: str) -> list[str]:
    """The alternatives of `a|b(?:c|d)|e` outside any group: a, b(?:c|d), e."""
    found, depth, start = [], 0, 0
    for at, char in enumerate(alternatives):
        depth += char == "(" and alternatives[at - 1 : at] != "\\"
        depth -= char == ")" and alternatives[at - 1 : at] != "\\"
        if char == "|" and depth == 0:
            found.append(alternatives[start:at])
            start = at + 1
    return [*found, alternatives[start:]]


_REASONING = _words(
    r"why|explain|analy[sz]e|analysis|compare|contrast|evaluate|assess|prove|proof|"
    r"derive|justify|critique|trade-?offs?|implications?|design|architect\w*|strateg\w*|"
    r"optimi[sz]\w*|debug\w*|refactor\w*|step[- ]by[- ]step|reason\w*|pros and cons|"
    r"plan|root cause|what would happen|under what conditions|hypothes\w+"
)
_MATHS = _words(
    r"integral|derivative|equation|theorem|lemma|probability|matrix|eigen\w*|"
    r"polynomial|convergen\w*|complexity|asymptotic|expected value|variance"
)
# The parts of a feature that start with no letter are their own patterns (their
# matches cannot overlap those of the words, so the counts add up).
_MATHS_SIGNS = re.compile(  # \\frac...; a sign; \b\d+ [^*/] \d+ (first char scanned for in C)
    r"[\\∑∫√≤≥≠\d](?:(?<=\\)(?:frac|sum|int|sqrt)|(?<=[∑∫√≤≥≠])|(?<=\d)(?<!\w\d)\d*\s*[\^*/]\s*\d+)"
)
_CODE = re.compile(
    r"```|d(?<!\w.)ef \w+\(|c(?<!\w.)lass \w+|f(?<!\w.)unction\b|i(?<!\w.)mport \w+|=>|\);|"
    r"\{\s*$|t(?<!\w.)raceback\b|s(?<!\w.)tack trace\b|s(?<!\w.)elect\b.+\bfrom\b|"
    r"r(?<!\w.)egex\b|a(?<!\w.)lgorithm\b",
    re.MULTILINE,
)
_LONG_OUTPUT = _words(
    r"essay|report|detailed|in[- ]depth|comprehensive|thorough|white ?paper|"
    r"several paragraphs|full (?:plan|analysis|implementation)|chapter"
)
_LONG_OUTPUT_WORDS = re.compile(r"\d(?<!\w\d)\d{2,4} words\b")
_STEPS = _words(r"then|afterwards|finally|first|second|third|next")
_STEPS_MARKS = (
    re.compile(r"\(\d\)"),
    re.compile(r"^\s*\d+[.)]\s", re.MULTILINE),
    _words(r"show (?:the|your) (?:maths|math|work|working|steps)"),
)
_CONSTRAINTS = _words(
    r"without|exactly|at (?:least|most)|no more than|must|each|every|include|"
    r"including|ending with|in the (?:style|register|voice) of|formal|rigorous"
)
_SIMPLE_START = re.compile(r"^\s*(?:hi|hello|hey|thanks|thank you|good (?:morning|evening))\b")
_SIMPLE = _words(r"translate|capital of|define|synonym|spell|what time|what day|convert")

# Weights and the logistic's offset: set by hand to sensible values, then checked on
# the labelled set in data/router (`inhouse eval router` prints the agreement).
WEIGHTS = {
    "length": 0.8, "reasoning": 0.8, "maths": 0.6, "code": 0.6, "questions": 0.5,
    "long_output": 0.8, "steps": 0.6, "constraints": 0.4, "simple": -1.5,
}  # fmt: skip
OFFSET = -2.6


@dataclass(frozen=True)
class Features:
    length: float  # log2 of words over 16, from 0
    reasoning: int
    maths: int
    code: int
    questions: int
    long_output: int
    steps: int
    constraints: int
    simple: int


def features(text: str) -> Features:
    """The features of `text` (the patterns are matched on its lower-cased form, which is
    several times faster than matching case-insensitively)."""
    words = len(text.split())
    lower = text.lower()
    return Features(
        length=max(0.0, math.log2(max(words, 1) / 16)),
        reasoning=min(len(_REASONING.findall(lower)), 4),
        maths=min(len(_MATHS.findall(lower)) + len(_MATHS_SIGNS.findall(lower)), 3),
        code=min(len(_CODE.findall(lower)), 3),
        questions=min(max(text.count("?") - 1, 0), 3),
        long_output=min(
            len(_LONG_OUTPUT.findall(lower)) + len(_LONG_OUTPUT_WORDS.findall(lower)), 2
        ),
        steps=min(len(_STEPS.findall(lower)) + sum(len(p.findall(lower)) for p in _STEPS_MARKS), 4),
        constraints=min(len(_CONSTRAINTS.findall(lower)), 3),
        simple=1 if words < 30 and (_SIMPLE_START.search(lower) or _SIMPLE.search(lower)) else 0,
    )


def score(text: str, similarity: float | None = None) -> float:
    """0 (trivial) to 1 (complex); `similarity` (-1 to 1, complex minus simple) joins in."""
    found = features(text)
    total = OFFSET + sum(weight * getattr(found, name) for name, weight in WEIGHTS.items())
    if similarity is not None:
        total += 6.0 * similarity
    return 1.0 / (1.0 + math.exp(-total))


class Similarity:
    """Compare a request with example complex and simple requests, embedded locally."""

    def __init__(self, embedder: Any, complex_examples: Sequence[str],
                 simple_examples: Sequence[str]) -> None:  # fmt: skip
        self.embedder = embedder
        self.complex = embedder.embed_documents(list(complex_examples))
        self.simple = embedder.embed_documents(list(simple_examples))

    def __call__(self, text: str) -> float:
        vector = self.embedder.embed_query(text)
        best_complex = max(_dot(vector, v) for v in self.complex)
        best_simple = max(_dot(vector, v) for v in self.simple)
        return best_complex - best_simple


def _dot(a: Sequence[float], b: Sequence[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))
