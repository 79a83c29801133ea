"""Fast, model-free checks of the extraction evaluation set in ``data/extraction``.

Run with::

    .venv/bin/python -m pytest tests/test_extraction_data.py -q
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from inhouse.chains.schemas import Contacts, Invoice

DATA = Path(__file__).resolve().parents[1] / "data" / "extraction"
SCHEMAS = {"extract_contact": Contacts, "extract_invoice": Invoice}
PREFIX = {"extract_contact": "contact/", "extract_invoice": "invoice/"}
KEYS = {"id", "chain", "text", "gold", "tags"}


def _manifest() -> list[dict]:
    lines = (DATA / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


ENTRIES = _manifest()
IDS = [entry["id"] for entry in ENTRIES]


def _by_chain(chain: str) -> list[dict]:
    return [entry for entry in ENTRIES if entry["chain"] == chain]


def _gold(entry: dict):
    raw = (DATA / entry["gold"]).read_text(encoding="utf-8")
    return SCHEMAS[entry["chain"]].model_validate_json(raw)


def _text(entry: dict) -> str:
    return (DATA / entry["text"]).read_text(encoding="utf-8")


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_manifest_size_and_unique_ids() -> None:
    assert len(ENTRIES) >= 100
    assert len(set(IDS)) == len(IDS), [i for i, n in Counter(IDS).items() if n > 1]
    assert len(_by_chain("extract_contact")) >= 55
    assert len(_by_chain("extract_invoice")) >= 55


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_entry_shape_and_files(entry: dict) -> None:
    assert set(entry) >= KEYS, entry
    assert entry["chain"] in SCHEMAS
    assert entry["id"].startswith(PREFIX[entry["chain"]])
    assert entry["text"] == f"{entry['id']}.txt"
    assert entry["gold"] == f"{entry['id']}.json"
    assert isinstance(entry["tags"], list) and entry["tags"]
    assert (DATA / entry["text"]).is_file()
    assert (DATA / entry["gold"]).is_file()
    if "inconsistent" in entry["tags"]:
        assert entry.get("note"), "inconsistent items explain themselves in a note"


def test_every_file_is_in_the_manifest() -> None:
    listed = {entry["text"] for entry in ENTRIES} | {entry["gold"] for entry in ENTRIES}
    on_disk = {
        str(path.relative_to(DATA))
        for sub in ("contact", "invoice")
        for path in (DATA / sub).iterdir()
    }
    assert on_disk == listed


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_gold_validates(entry: dict) -> None:
    _gold(entry)


def test_long_items() -> None:
    long_items = [entry for entry in ENTRIES if "long" in entry["tags"]]
    assert len(long_items) >= 5
    for entry in long_items:
        assert 6000 <= len(_text(entry)) <= 12000, entry["id"]


@pytest.mark.parametrize("entry", _by_chain("extract_invoice"), ids=lambda e: e["id"])
def test_invoice_shape(entry: dict) -> None:
    gold = _gold(entry)
    if "long" not in entry["tags"]:
        assert len(_text(entry)) <= 2600, "short invoices stay under ~2,500 characters"
    assert re.fullmatch(r"[A-Z]{3}", gold.currency)
    assert gold.currency.lower() in entry["tags"], "each invoice is tagged with its currency"
    if gold.date is not None:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", gold.date)
    assert gold.vendor.strip() and _collapse(gold.vendor) in _collapse(_text(entry))


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.01


def _adds_up(gold: Invoice, tags: list[str]) -> bool:
    """Line amounts, subtotal, tax and total agree (tax-inclusive prices: lines sum to total)."""
    if not all(_close(i.quantity * i.unit_price, i.amount) for i in gold.line_items):
        return False
    line_sum = sum(item.amount for item in gold.line_items)
    tax = gold.tax or 0.0
    if "tax-inclusive" in tags:
        net_ok = gold.subtotal is None or _close(gold.subtotal + tax, gold.total)
        return _close(line_sum, gold.total) and net_ok
    if gold.subtotal is not None:
        return _close(line_sum, gold.subtotal) and _close(gold.subtotal + tax, gold.total)
    return _close(line_sum + tax, gold.total)


@pytest.mark.parametrize("entry", _by_chain("extract_invoice"), ids=lambda e: e["id"])
def test_invoice_arithmetic(entry: dict) -> None:
    # Documents tagged `inconsistent` really do not add up (see their manifest note);
    # every other gold does.
    assert _adds_up(_gold(entry), entry["tags"]) == ("inconsistent" not in entry["tags"])


@pytest.mark.parametrize("entry", _by_chain("extract_contact"), ids=lambda e: e["id"])
def test_contact_gold_is_in_text(entry: dict) -> None:
    gold = _gold(entry)
    collapsed, squeezed = _collapse(_text(entry)), _squeeze(_text(entry))
    values = gold.people + gold.emails + gold.phones + gold.organizations
    missing = [
        value
        for value in values
        if _collapse(value) not in collapsed and _squeeze(value) not in squeezed
    ]
    assert not missing
    for field in ("people", "emails", "phones", "organizations"):
        listed = getattr(gold, field)
        assert len(set(listed)) == len(listed), f"duplicate {field}"
    assert all("@" in email for email in gold.emails)


def test_contact_set_has_empty_items() -> None:
    empty = [
        entry["id"]
        for entry in _by_chain("extract_contact")
        if not any(_gold(entry).model_dump().values())
    ]
    tagged = [entry["id"] for entry in _by_chain("extract_contact") if "empty" in entry["tags"]]
    assert empty == tagged
    assert len(empty) >= 3
