"""Turn one file into text pieces, or say in one phrase why it cannot be read.

`load(path)` returns `Piece`s (text plus page, title, section) or raises `BadFile`
with the reason a user reads in the skipped-files table. `LOADERS` maps each
supported suffix to its loader; add a suffix by adding a function.

    >>> from pathlib import Path
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "note.md"
    >>> _ = p.write_text("# Leave\\n\\nTwenty days a year.\\n\\n## Carry-over\\n\\nFive days.")
    >>> [(x.section, x.text) for x in load(p)]
    [('Leave', 'Twenty days a year.'), ('Leave > Carry-over', 'Five days.')]
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from inhouse.errors import MissingExtraError


class BadFile(Exception):
    """A file that cannot be ingested; `str()` is the reason shown to the user."""


@dataclass(frozen=True)
class Piece:
    """A run of text from one place in a file."""

    text: str
    page: int | None = None
    title: str = ""
    section: str = ""


def load(path: Path) -> list[Piece]:
    """The text pieces of `path`; `BadFile` says why there are none."""
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise BadFile(f"unsupported file type {path.suffix or '(none)'}")
    pieces = [p for p in loader(path) if p.text.strip()]
    if not pieces:
        raise BadFile("no text in it (empty, or a scan without a text layer)")
    return pieces


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    if not data.strip():
        raise BadFile("empty file")
    if b"\x00" in data[:8192]:
        raise BadFile("binary content in a text file (wrong extension?)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        msg = f"not valid UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})"
        raise BadFile(msg) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_text(path: Path) -> list[Piece]:
    return [Piece(_read_text(path), title=path.stem)]


_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


def load_markdown(path: Path) -> list[Piece]:
    """One piece per section; `section` is the heading path, `title` the first H1."""
    title, pieces, lines = path.stem, [], []
    trail: list[tuple[int, str]] = []  # the open headings: (level, name)

    def flush() -> None:
        if "".join(lines).strip():
            section = " > ".join(name for _, name in trail)
            pieces.append(Piece("\n".join(lines).strip(), section=section))
        lines.clear()

    fenced = False
    for line in _read_text(path).split("\n"):
        fenced ^= line.lstrip().startswith("```")
        heading = None if fenced else _HEADING.match(line)
        if heading is None:
            lines.append(line)
            continue
        flush()
        level, name = len(heading.group(1)), heading.group(2)
        if level == 1 and title == path.stem:
            title = name
        while trail and trail[-1][0] >= level:
            trail.pop()
        trail.append((level, name))
    flush()
    return [Piece(p.text, title=title, section=p.section) for p in pieces]


def load_pdf(path: Path) -> list[Piece]:
    """One piece per page (pages count from 1)."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as e:
        raise MissingExtraError("pypdf", "rag", e) from e
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged files are our report's job
    with path.open("rb") as f:
        if not f.read(1024).lstrip().startswith(b"%PDF"):
            raise BadFile("not a PDF (no %PDF header; wrong extension?)")
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise BadFile("encrypted PDF (needs a password)")
        title = str((reader.metadata or {}).get("/Title") or path.stem)
        pages = [page.extract_text() or "" for page in reader.pages]
    except BadFile:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as e:
        raise BadFile(f"unreadable PDF ({type(e).__name__}: {e}; truncated or damaged?)") from e
    except Exception as e:  # pypdf raises many types for damaged files
        if "crypt" in str(e).lower():
            raise BadFile("encrypted PDF (needs a password)") from e
        raise BadFile(f"unreadable PDF ({type(e).__name__}: {e})") from e
    return [Piece(text, page=n, title=title) for n, text in enumerate(pages, 1)]


def load_docx(path: Path) -> list[Piece]:
    """One piece per heading section; tables become pipe-separated rows."""
    try:
        import docx
    except ImportError as e:
        raise MissingExtraError("python-docx", "rag", e) from e
    if not zipfile.is_zipfile(path):
        raise BadFile("not a DOCX (not a zip archive; wrong extension?)")
    try:
        document = docx.Document(str(path))
    except Exception as e:
        raise BadFile(f"unreadable DOCX ({type(e).__name__}: {e})") from e
    title = document.core_properties.title or path.stem
    pieces, lines, section = [], [], ""
    for paragraph in document.paragraphs:
        style = (paragraph.style.name or "") if paragraph.style is not None else ""
        if style.startswith(("Heading", "Title")) and paragraph.text.strip():
            if lines:
                pieces.append(Piece("\n".join(lines), title=title, section=section))
            lines, section = [], paragraph.text.strip()
            if style == "Title" or (style == "Heading 1" and title == path.stem):
                title = section
            continue
        lines.append(paragraph.text)
    if lines:
        pieces.append(Piece("\n".join(lines), title=title, section=section))
    for table in document.tables:
        rows = [" | ".join(cell.text.strip() for cell in row.cells) for row in table.rows]
        pieces.append(Piece("\n".join(rows), title=title, section="table"))
    return pieces


def load_html(path: Path) -> list[Piece]:
    """The page's main text, without scripts, styles, navigation, header and footer."""
    try:
        from bs4 import BeautifulSoup
    except ImportError as e:
        raise MissingExtraError("beautifulsoup4", "rag", e) from e
    soup = BeautifulSoup(_read_text(path), "html.parser")
    title = soup.title.get_text(strip=True) if soup.title else path.stem
    for tag in soup(["script", "style", "nav", "header", "footer", "noscript", "template"]):
        tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    text = re.sub(r"\n\s*\n+", "\n\n", root.get_text("\n", strip=True))
    return [Piece(text, title=title or path.stem)]


_CSV_ROWS = 20  # rows per piece: each piece repeats the header


def load_csv(path: Path) -> list[Piece]:
    """Rows as `column: value` lines, in groups that each repeat the column names."""
    text = _read_text(path)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    if len(rows) < 2:
        return [Piece(text, title=path.stem)]
    header, body = rows[0], [r for r in rows[1:] if any(c.strip() for c in r)]
    pieces = []
    for start in range(0, len(body), _CSV_ROWS):
        lines = [
            "; ".join(f"{h}: {v}" for h, v in zip(header, row, strict=False) if v.strip())
            for row in body[start : start + _CSV_ROWS]
        ]
        pieces.append(
            Piece(
                "\n".join(lines), title=path.stem, section=f"rows {start + 1}-{start + len(lines)}"
            )
        )
    return pieces


def load_json(path: Path) -> list[Piece]:
    """Leaves as `a.b[0].c: value` lines, so keys stay searchable."""
    try:
        data = json.loads(_read_text(path))
    except json.JSONDecodeError as e:
        raise BadFile(f"invalid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None
    lines: list[str] = []

    def walk(value: object, prefix: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{prefix}.{key}" if prefix else str(key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{prefix}[{i}]")
        else:
            lines.append(f"{prefix}: {value}" if prefix else str(value))

    walk(data, "")
    return [Piece("\n".join(lines), title=path.stem)]


LOADERS: dict[str, Callable[[Path], list[Piece]]] = {
    ".txt": load_text,
    ".text": load_text,
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".pdf": load_pdf,
    ".docx": load_docx,
    ".html": load_html,
    ".htm": load_html,
    ".csv": load_csv,
    ".json": load_json,
}
"""Supported suffixes (lower case) and their loaders."""
