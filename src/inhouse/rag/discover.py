"""Which files an ingest looks at, and which it must skip before reading them.

Folders are walked recursively (hidden files and folders are left out, symlinks to
folders are not followed); files with a suffix no loader knows are ignored inside
folders but reported when named directly. A file is known by its absolute path.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from inhouse.rag.loaders import LOADERS


@dataclass(frozen=True)
class Candidate:
    path: Path
    key: str
    stat: os.stat_result


@dataclass
class Found:
    files: list[Candidate] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    roots: list[Path] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    ignored: int = 0


def discover(paths: list[Path], max_file_mb: float) -> Found:
    """The files under `paths`, sorted, each once; bad ones in `skipped` with a reason."""
    found, seen = Found(), set()
    limit = int(max_file_mb * 1024 * 1024)
    for path in paths:
        root = path.absolute()
        found.roots.append(root)
        if root.is_dir():
            for file in _walk(root):
                if file.suffix.lower() in LOADERS:
                    _check(file, limit, found, seen)
                else:
                    found.ignored += 1
        elif root.exists() or root.is_symlink():
            _check(root, limit, found, seen, named=True)
        else:
            found.missing.append(str(root))
            found.skipped.append((str(root), "no such file or folder"))
    found.files.sort(key=lambda c: c.key)
    return found


def _walk(root: Path) -> list[Path]:
    files = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        files += [Path(folder, n) for n in sorted(names) if not n.startswith(".")]
    return files


def _check(file: Path, limit: int, found: Found, seen: set[str], named: bool = False) -> None:
    key = str(file)
    if key in seen:
        return
    seen.add(key)
    reason = None
    try:
        file.resolve(strict=True)
        stat = file.stat()
    except RuntimeError:
        reason = "symlink loop"
    except OSError as e:
        reason = "symlink loop" if e.errno == 40 else f"cannot read it ({e.strerror or e})"
    else:
        if not os.access(file, os.R_OK):
            reason = "permission denied"
        elif not file.is_file():
            reason = "not a regular file"
        elif named and file.suffix.lower() not in LOADERS:
            supported = ", ".join(sorted(LOADERS))
            reason = f"unsupported file type {file.suffix or '(none)'} (supported: {supported})"
        elif stat.st_size > limit:
            reason = (
                f"too large ({stat.st_size / 1048576:.1f} MB > rag.max_file_mb"
                f" {limit / 1048576:g} MB)"
            )
        else:
            found.files.append(Candidate(file, key, stat))
            return
    found.skipped.append((key, reason))
