"""Scoring one extracted object against its gold answer, field by field.

Strings are compared normalised (case and whitespace), numbers within 0.01, list fields
as set F1 over normalised items (objects compared structurally, numbers rounded).

Example:
    >>> score_fields({"people": ["Ann  Lee"], "total": 10.004}, {"people": ["ann lee", "Bo"],
    ...               "total": 10.0})
    {'people': 0.6666666666666666, 'total': 1.0}
"""

from __future__ import annotations

import json
from typing import Any

TOLERANCE = 0.01


def normalise(value: Any) -> Any:
    """Comparable form: strings casefolded with single spaces, numbers to 2 places."""
    if isinstance(value, str):
        return " ".join(value.casefold().split())
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return round(float(value), 2)
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value


def set_f1(predicted: list[Any], gold: list[Any]) -> float:
    """F1 of two lists taken as sets of normalised items (1.0 when both are empty)."""
    pred = {json.dumps(normalise(v), sort_keys=True) for v in predicted}
    want = {json.dumps(normalise(v), sort_keys=True) for v in gold}
    if not pred and not want:
        return 1.0
    hits = len(pred & want)
    if not hits:
        return 0.0
    precision, recall = hits / len(pred), hits / len(want)
    return 2 * precision * recall / (precision + recall)


def field_score(predicted: Any, gold: Any) -> float:
    """1.0 for a match, 0.0 otherwise; set F1 for lists."""
    if isinstance(gold, list) or isinstance(predicted, list):
        return set_f1(predicted or [], gold or [])
    numbers = (int, float)
    if isinstance(gold, numbers) and isinstance(predicted, numbers):
        return float(abs(float(predicted) - float(gold)) <= TOLERANCE)
    return float(normalise(predicted) == normalise(gold))


def score_fields(predicted: dict[str, Any] | None, gold: dict[str, Any]) -> dict[str, float]:
    """A score per gold field; everything 0.0 when there is no valid prediction."""
    if predicted is None:
        return dict.fromkeys(gold, 0.0)
    return {name: field_score(predicted.get(name), value) for name, value in gold.items()}
