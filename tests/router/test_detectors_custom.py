"""The organisation's own terms and patterns: whole words in any case and spacing,
obfuscated or spaced out, and look-alikes that must not fire."""

from __future__ import annotations

from inhouse.router.detectors import DetectorConfig, detect
from tests.router.cases import found, spans


def test_custom_terms_and_patterns() -> None:
    config = DetectorConfig(
        custom_terms=("Project Falcon", "confidential"), custom_patterns=(r"\bEMP-\d{6}\b",)
    )
    text = "The project\nFALCON plan is CONFIDENTIAL, owner EMP-004211; falconry is fine."
    assert found(text, config) == spans(
        text, ("custom", "project\nFALCON"), ("custom", "CONFIDENTIAL"), ("custom", "EMP-004211")
    )
    assert [h.detector for h in detect(text, config)] == [
        "custom_term",
        "custom_term",
        "custom_pattern",
    ]
    obfuscated = "Ｃｏｎｆｉｄｅｎ\u200bｔｉａｌ memo"
    assert found(obfuscated, config) == [("custom", 0, 13)]


def test_custom_terms_with_separators_or_spaced_out() -> None:
    config = DetectorConfig(custom_terms=("Project Falcon", "Bluebird"))
    text = (
        "[project_falcon] project-falcon Project.Falcon ProjectFalcon, "
        "B l u e b i r d and P r o j e c t  F a l c o n."
    )
    assert found(text, config) == spans(
        text,
        ("custom", "project_falcon"),
        ("custom", "project-falcon"),
        ("custom", "Project.Falcon"),
        ("custom", "ProjectFalcon"),
        ("custom", "B l u e b i r d"),
        ("custom", "P r o j e c t  F a l c o n"),
    )
    looks_alike = "We shipped the project. Falcon 9 flew; bluebirds, blue birds, falconry, projects"
    assert found(looks_alike, config) == []
