"""Normalisation (`inhouse.router.normalize`): spelled digits and dots rewritten, and
every span of the normalised text mapped back to its source (property test)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from inhouse.router.normalize import normalise


def test_spelled_digits_and_dots_are_rewritten_and_mapped_back() -> None:
    text = (
        "ring plus one, eight one two, five six seven, one seven three zero"
        " or 10 [dot] 0 (.) 12 dot 7"
    )
    normalised = normalise(text)
    assert normalised.text == "ring +1 812 567 1730 or 10.0.12.7"
    phone = normalised.text.index("+1")
    assert normalised.span(phone, phone + len("+1 812 567 1730")) == (5, text.index(" or"))
    ip = normalised.text.index("10.0")
    low, high = normalised.span(ip, len(normalised.text))
    assert text[low:high] == "10 [dot] 0 (.) 12 dot 7"
    # a span inside a spelled digit's word maps to the whole word
    eight = normalised.text.index("8")
    assert text[slice(*normalised.span(eight, eight + 1))] == "eight"


def test_six_spelled_digits_are_left_as_words() -> None:
    text = "call one two three four five six"
    assert normalise(text).text == text
    assert normalise("call one two three four five six seven").text == "call 1234567"


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60), data=st.data())
def test_every_normalised_span_maps_back_to_its_source(text: str, data: st.DataObject) -> None:
    normalised = normalise(text)
    folded = normalised.text
    assert len(normalised.lower) == len(folded)
    start = data.draw(st.integers(0, len(folded)))
    end = data.draw(st.integers(start, len(folded)))
    low, high = normalised.span(start, end)
    assert 0 <= low <= high <= len(text)
    if end > start:
        assert folded[start:end] in normalise(text[low:high]).text
