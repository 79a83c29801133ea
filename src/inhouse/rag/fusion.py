"""Fuse ranked lists of (id, score) into one ranking.

>>> rrf([[("a", 9.0), ("b", 5.0)], [("b", 0.8), ("c", 0.7)]], [1.0, 1.0], k=60)[0][0]
'b'
>>> convex([[("a", 2.0), ("b", 1.0)], [("b", 0.9), ("a", 0.5), ("c", 0.1)]], [0.5, 0.5])
[('a', 0.75), ('b', 0.5), ('c', 0.0)]
"""

from __future__ import annotations

from collections.abc import Sequence

Ranking = list[tuple[str, float]]


def rrf(rankings: Sequence[Ranking], weights: Sequence[float], k: int = 60) -> Ranking:
    """Weighted reciprocal rank fusion: score(d) = sum_i w_i / (k + rank_i(d))."""
    fused: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, (item, _) in enumerate(ranking, 1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))


def convex(rankings: Sequence[Ranking], weights: Sequence[float]) -> Ranking:
    """Weighted sum of per-list min-max normalised scores (absent from a list: 0)."""
    fused: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        if not ranking:
            continue
        scores = [s for _, s in ranking]
        low, high = min(scores), max(scores)
        span = high - low
        for item, score in ranking:
            norm = (score - low) / span if span > 0 else 1.0
            fused[item] = fused.get(item, 0.0) + weight * norm
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))
