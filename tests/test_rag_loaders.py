"""Loaders and file discovery: every supported format, and every kind of bad file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inhouse.rag.discover import discover
from inhouse.rag.loaders import LOADERS, BadFile, load
from tests.support.documents import broken_files, write_docx, write_pdf


def test_text_and_markdown_sections(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("\ufeffline one\r\nline two".encode())
    assert [p.text for p in load(tmp_path / "a.txt")] == ["line one\nline two"]
    md = tmp_path / "policy.md"
    md.write_text("# Travel\n\nBook early.\n\n## Hotels\n\nMax 120 EUR.\n\n### Abroad\n\nMax 180."
                  "\n\n```\n# not a heading\n```\n\n## Trains\n\nSecond class.")  # fmt: skip
    pieces = load(md)
    assert [p.section for p in pieces] == [
        "Travel", "Travel > Hotels", "Travel > Hotels > Abroad", "Travel > Trains",
    ]  # fmt: skip
    assert "# not a heading" in pieces[2].text
    assert {p.title for p in pieces} == {"Travel"}


def test_pdf_pages_are_numbered(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "contract.pdf", ["Page one text.", "Notice period: 3 months."])
    pieces = load(pdf)
    assert [p.page for p in pieces] == [1, 2]
    assert "Notice period" in pieces[1].text


def test_docx_sections_and_tables(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "hr.docx", "Handbook", {"Leave": "28 days.", "Pay": "Monthly."})
    pieces = load(path)
    assert [(p.title, p.section, p.text.strip()) for p in pieces] == [
        ("Handbook", "Leave", "28 days."), ("Handbook", "Pay", "Monthly."),
    ]  # fmt: skip


def test_html_keeps_the_content_not_the_chrome(tmp_path: Path) -> None:
    page = tmp_path / "intranet.html"
    page.write_text("<html><head><title>Canteen</title><script>var x=1;</script></head><body>"
                    "<nav>Home | News</nav><main><h1>Canteen</h1><p>Open 11:30-14:00.</p></main>"
                    "<footer>(c) Corp</footer></body></html>")  # fmt: skip
    [piece] = load(page)
    assert piece.title == "Canteen"
    assert "Open 11:30-14:00." in piece.text
    assert "News" not in piece.text and "var x" not in piece.text and "Corp" not in piece.text


def test_csv_rows_repeat_the_header(tmp_path: Path) -> None:
    rows = "\n".join(f"item{i};{i}.00" for i in range(25))
    (tmp_path / "prices.csv").write_text("name;price\n" + rows)
    pieces = load(tmp_path / "prices.csv")
    assert len(pieces) == 2
    assert pieces[1].text.splitlines()[0] == "name: item20; price: 20.00"


def test_json_leaves_keep_their_keys(tmp_path: Path) -> None:
    data = {"oncall": [{"name": "Ann", "phone": "+44 20 7946 0000"}]}
    (tmp_path / "rota.json").write_text(json.dumps(data))
    [piece] = load(tmp_path / "rota.json")
    assert piece.text.splitlines() == ["oncall[0].name: Ann", "oncall[0].phone: +44 20 7946 0000"]


def test_every_bad_file_is_named_with_its_reason(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    expected = broken_files(folder, max_bytes=4096)
    (folder / "good.md").write_text("# Fine\n\nThis one is fine.")
    (folder / "photo.png").write_bytes(b"\x89PNG")  # not a document: ignored in folders
    found = discover([folder], max_file_mb=4096 / 1048576)
    reasons = dict(found.skipped)
    for candidate in found.files:
        try:
            load(candidate.path)
        except BadFile as e:
            reasons[candidate.key] = str(e)
    got = {Path(k).name: v for k, v in reasons.items()}
    assert set(got) == set(expected), "good.md must load; every broken file must be named"
    for name, fragment in expected.items():
        assert fragment in got[name], f"{name}: {got[name]!r}"
    assert found.ignored == 1


def test_a_named_file_of_an_unknown_type_is_reported(tmp_path: Path) -> None:
    (tmp_path / "notes.rtf").write_text("{\\rtf1 hi}")
    found = discover([tmp_path / "notes.rtf", tmp_path / "gone.txt"], max_file_mb=1)
    reasons = {Path(k).name: v for k, v in found.skipped}
    assert "unsupported file type .rtf" in reasons["notes.rtf"]
    assert reasons["gone.txt"] == "no such file or folder"


@pytest.mark.parametrize("suffix", sorted(LOADERS))
def test_every_loader_reports_an_empty_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    with pytest.raises(BadFile):
        load(path)
