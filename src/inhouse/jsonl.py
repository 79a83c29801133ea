"""Reading JSON-lines files (labelled sets, BEIR corpora, request files) with one kind of
error: a `ConfigError` that names the file, the line and what to do.

Example:
    >>> import io
    >>> list(read_jsonl(io.StringIO('{"a": 1}\\n\\n{"a": 2}\\n'), "the set", "fix it"))
    [(1, {'a': 1}), (3, {'a': 2})]
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import IO, Any

from inhouse.errors import ConfigError


def read_jsonl(source: Path | IO[str], what: str, hint: str) -> Iterator[tuple[int, Any]]:
    """(line number, value) for each non-blank line of `source` (a path or an open file).

    `what` names the file in messages ("the QA set"), `hint` says what to do about it.
    """
    name = str(source) if isinstance(source, Path) else getattr(source, "name", "-")
    try:  # a file the caller opened stays open
        lines = source.open(encoding="utf-8") if isinstance(source, Path) else nullcontext(source)
    except OSError as e:
        raise ConfigError(f"cannot read {what} {name} ({e.strerror}); {hint}") from e
    with lines as stream:
        try:
            for n, line in enumerate(stream, 1):
                if not line.strip():
                    continue
                try:
                    yield n, json.loads(line)
                except json.JSONDecodeError as e:
                    msg = f"{name}:{n}: not valid JSON ({e.msg}); {hint}"
                    raise ConfigError(msg) from None
        except UnicodeDecodeError as e:
            raise ConfigError(f"cannot read {what} {name}: not UTF-8 text; {hint}") from e
        except OSError as e:
            raise ConfigError(f"cannot read {what} {name} ({e.strerror or e}); {hint}") from e
