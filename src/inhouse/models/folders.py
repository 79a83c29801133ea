"""GGUF files in the folders named by `models.paths` (not recursive).

Each `*.gguf` is a model named by its file stem, lowercased: `~/models/Qwen2.5-0.5B.Q4_K_M.gguf`
is `qwen2.5-0.5b.q4_k_m`. A folder that does not exist is listed as a problem.

Usage:
    >>> from inhouse.settings.schema import ModelsSettings
    >>> [e.name for e in entries(ModelsSettings(paths=[]))]
    []
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from inhouse.models.formats import broken, describe_gguf, gguf_files
from inhouse.models.info import Entry, Source
from inhouse.settings.schema import ModelsSettings

LABEL = "folder"


def entries(settings: ModelsSettings) -> Iterator[Entry]:
    for folder in (p.expanduser() for p in settings.paths):
        if not folder.is_dir():
            problem = f"folder {folder} (in models.paths) does not exist"
            describe = partial(broken, str(folder), folder, LABEL, "gguf", problem)
            yield Entry(str(folder), folder, describe)
            continue
        for path in gguf_files(folder):
            name = path.stem.lower()
            yield Entry(name, path, partial(describe_gguf, path, name, LABEL))


def places(settings: ModelsSettings) -> list[str]:
    if not settings.paths:
        return ["models.paths (empty)"]
    return [f"folder {folder}" for folder in settings.paths]


SOURCE = Source(LABEL, entries, places)
