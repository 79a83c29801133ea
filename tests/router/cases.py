"""Helpers for the detector tests: hits as (type, start, end), and the spans expected."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from inhouse.router.detectors import DEFAULT_CONFIG, DetectorConfig, detect, excerpts


def found(text: str, config: DetectorConfig = DEFAULT_CONFIG) -> list[tuple[str, int, int]]:
    return [(hit.type, hit.start, hit.end) for hit in detect(text, config)]


def spans(text: str, *expected: tuple[str, str]) -> list[tuple[str, int, int]]:
    """(type, start, end) of each (type, piece), the pieces found left to right."""
    result, at = [], 0
    for kind, piece in expected:
        start = text.index(piece, at)
        result.append((kind, start, start + len(piece)))
        at = start + len(piece)
    return result


def family_tests(
    positives: list[tuple[str, list[tuple[str, str]]]], negatives: list[str]
) -> tuple[Callable[..., None], Callable[..., None]]:
    """The two tests of a family's cases: each positive is found with its exact spans
    (and nothing else), each hard negative gives no hit at all."""

    @pytest.mark.parametrize(("text", "expected"), positives, ids=[t[:40] for t, _ in positives])
    def test_finds_each_type_with_its_exact_span(
        text: str, expected: list[tuple[str, str]]
    ) -> None:
        assert found(text) == spans(text, *expected)

    @pytest.mark.parametrize("text", negatives, ids=[t[:40] for t in negatives])
    def test_hard_negatives_do_not_fire(text: str) -> None:
        assert excerpts(text) == []

    return test_finds_each_type_with_its_exact_span, test_hard_negatives_do_not_fire
