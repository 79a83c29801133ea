"""Write real documents (PDF, DOCX, ...) and a folder of broken ones, for ingestion tests."""

from __future__ import annotations

import os
from pathlib import Path


def write_pdf(path: Path, pages: list[str], *, password: str | None = None) -> Path:
    """A text PDF, one string per page (fpdf2); encrypted with `password` when given."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    if password:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(path))
        writer.encrypt(user_password=password, owner_password=password, algorithm="RC4-128")
        writer.write(path)
    return path


def write_docx(path: Path, title: str, sections: dict[str, str]) -> Path:
    """A DOCX with a Title paragraph and one Heading 1 per section."""
    import docx

    document = docx.Document()
    document.add_heading(title, level=0)
    for heading, text in sections.items():
        document.add_heading(heading, level=1)
        document.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def broken_files(folder: Path, *, max_bytes: int) -> dict[str, str]:
    """Files no ingest can use, named for what is wrong; returns name -> reason (a
    fragment of the message the user must see)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "latin1.md").write_bytes("caf\xe9 cr\xe8me".encode("latin-1"))
    (folder / "not-a-pdf.pdf").write_text("just text with a pdf name")
    (folder / "not-a-docx.docx").write_text("just text with a docx name")
    good = write_pdf(folder / "whole.tmp", ["Truncated text."])
    (folder / "truncated.pdf").write_bytes(good.read_bytes()[:300])
    good.unlink()
    write_pdf(folder / "encrypted.pdf", ["Secret text."], password="hunter2")
    (folder / "huge.txt").write_text("big " * (max_bytes // 4 + 16))
    (folder / "bad.json").write_text('{"a": 1,,}')
    os.symlink(folder / "loop-b.md", folder / "loop-a.md")
    os.symlink(folder / "loop-a.md", folder / "loop-b.md")
    return {
        "empty.txt": "empty",
        "binary.txt": "binary",
        "latin1.md": "not valid UTF-8",
        "not-a-pdf.pdf": "not a PDF",
        "not-a-docx.docx": "not a DOCX",
        "truncated.pdf": "PDF",
        "encrypted.pdf": "encrypted",
        "huge.txt": "too large",
        "bad.json": "invalid JSON",
        "loop-a.md": "symlink loop",
        "loop-b.md": "symlink loop",
    }
