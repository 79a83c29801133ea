"""Every provider path gives schema-valid output on the extraction set (data/extraction).

`make test` runs the first cases of each chain on every path; `make test-all`
(INHOUSE_TEST_FULL=1) runs the whole set. Both assert a 100% schema-valid rate with
constrained decoding, and the full run a field-accuracy floor set from measurement
(these are 135M and 270M models: the floor guards against regressions, not quality).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from inhouse.evaluate.extract import evaluate, load_cases
from tests.support.flags import FULL
from tests.support.provider_paths import path_settings

MANIFEST = Path(__file__).resolve().parents[1] / "data/extraction/manifest.jsonl"
SUBSET = 2  # cases per chain in `make test`
STRUCTURED_MAX_TOKENS = 384
STRUCTURED_CHEAP = {"llamacpp-smollm2", "ollama-server", "llama-cpp-server"}
"""`make test` runs the with_structured_output check on these paths, one case per chain
(all five paths, 2 per chain, took 10.4 min here: 20/20 valid); make test-all: all."""
# Mean field accuracy floors: measured on 16 cases per path on 2026-11-30 (llama.cpp
# SmolLM2 0.12, gemma 0.10, transformers 0.18, Ollama server 0.10, llama_cpp.server
# 0.12; bench/results/extraction.md), less a margin. They catch a collapse, not quality.
FLOORS = {"llamacpp-smollm2": 0.06, "llamacpp-gemma": 0.05, "huggingface-smollm2": 0.1,
          "ollama-server": 0.05, "llama-cpp-server": 0.06}  # fmt: skip


def mean_accuracy(report: Any) -> float:
    values = report.field_accuracy.values()
    return sum(values) / len(values)


@pytest.mark.integration
@pytest.mark.timeout(7200 if FULL else 900)  # the whole set: up to an hour per path
@pytest.mark.parametrize("path", list(FLOORS))
def test_constrained_extraction_is_always_schema_valid(
    path: str, request: pytest.FixtureRequest
) -> None:
    settings = path_settings(path, request)
    cases = load_cases(MANIFEST, limit=None if FULL else SUBSET)
    [report] = evaluate(settings, [settings.llm.provider], cases=cases, modes=(True,))
    assert report.cases == len(cases) >= 2 * SUBSET
    assert report.failures == [], f"{path}: not schema-valid: {report.failures}"
    assert report.valid_rate == 1.0
    print(f"{path}: {report.as_dict()}")  # the accuracy, for the record (pytest -s)
    if FULL:
        assert mean_accuracy(report) >= FLOORS[path]


def fitted(text: str, model: Any, room: int) -> str:
    """`text` cut (at a line end) to leave `room` tokens of the model's window free:
    `with_structured_output` sends one message, it does not split like `extract`."""
    from inhouse.tokens import context_window, counter

    count, budget = counter(model), context_window(model) - room
    while count(text) > budget:
        text = text[: int(len(text) * 0.8)].rsplit("\n", 1)[0]
    return text


@pytest.mark.integration
@pytest.mark.timeout(7200 if FULL else 900)
@pytest.mark.parametrize("path", list(FLOORS))
def test_with_structured_output_is_always_schema_valid(
    path: str, request: pytest.FixtureRequest
) -> None:
    """LangChain's entry point on the same texts: `with_structured_output(schema)` (the
    default json_schema method) returns a valid instance of the chain's schema."""
    from langchain_core.messages import HumanMessage, SystemMessage

    from inhouse import chat_model
    from inhouse.chains import find_spec

    if not FULL and path not in STRUCTURED_CHEAP:
        pytest.skip("runs with INHOUSE_TEST_FULL=1 (make test-all): slow on this path")
    settings = path_settings(path, request, max_tokens=STRUCTURED_MAX_TOKENS)
    model = chat_model(settings)
    cases = load_cases(MANIFEST, limit=None if FULL else 1)
    invalid = []
    for case in cases:
        spec = find_spec(case.chain, settings)
        schema = spec.output_schema
        structured = model.with_structured_output(schema, include_raw=True)
        text = fitted(case.text, model, room=STRUCTURED_MAX_TOKENS + 256)
        reply = structured.invoke([SystemMessage(spec.system or "Extract the fields as JSON."),
                                   HumanMessage(spec.template.format(text=text))])  # fmt: skip
        if not isinstance(reply["parsed"], schema):
            invalid.append((case.id, str(reply["parsing_error"])[:200]))
    print(f"{path}: {len(cases) - len(invalid)}/{len(cases)} schema-valid")  # pytest -s
    assert invalid == [], f"{path}: not schema-valid: {invalid}"
