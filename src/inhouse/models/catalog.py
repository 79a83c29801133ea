"""Resolve a model name or path to a model on this machine, and list every local model.

A name is looked up, case-insensitively, in this order: an explicit path (a .gguf file, a
transformers or sentence-transformers folder, a folder holding a .gguf), installed model
packages, the folders in `models.paths`, Ollama's local store, the Hugging Face cache.

Usage:
    >>> from inhouse.settings import load_settings
    >>> settings = load_settings()  # doctest: +SKIP
    >>> info = resolve("smollm2-135m-instruct", settings.models)  # doctest: +SKIP
    >>> info.format, info.architecture, info.quantization, info.context_length  # doctest: +SKIP
    ('gguf', 'llama', 'Q4_1', 8192)
    >>> [m.name for m in list_models(settings.models)]  # doctest: +SKIP
    ['smollm2-135m-instruct', 'gemma3-270m', 'all-minilm-l6-v2', 'llama3.2:latest']
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Iterator
from pathlib import Path

from inhouse.errors import ModelNotFoundError
from inhouse.models import folders, hf_cache, ollama, packages
from inhouse.models.formats import broken, describe_path
from inhouse.models.info import Entry, ModelInfo, Source
from inhouse.settings.schema import ModelsSettings, Settings

__all__ = ["SOURCES", "ModelInfo", "list_models", "resolve"]

log = logging.getLogger(__name__)

SOURCES: tuple[Source, ...] = (packages.SOURCE, folders.SOURCE, ollama.SOURCE, hf_cache.SOURCE)
"""Where names are looked up, in order (an explicit path comes before all of them)."""

HINT = "run `inhouse models` to list installed models"


def resolve(name: str, settings: ModelsSettings | Settings) -> ModelInfo:
    """The usable local model that `name` (a name or a path) stands for.

    Raises:
        ModelNotFoundError: nothing is called `name` (the message lists where it looked and
            close matches), or what was found cannot be used (missing blob, not a GGUF file).
    """
    models = _models_settings(settings)
    text = name.strip()
    path = Path(text).expanduser()
    if text and path.exists():
        return _usable(describe_path(path.absolute(), path.name, "path"), text)
    for source in SOURCES:
        entry = _find(source, text, models)
        if entry is not None:
            return _usable(entry.resolve(), text)
    raise ModelNotFoundError(_not_found(text, path, models))


def list_models(settings: ModelsSettings | Settings) -> list[ModelInfo]:
    """Every model in every source, broken ones with `problem` set. Never loads a model.

    A source that fails to list shows up as one entry with the problem; the others still list.
    """
    models = _models_settings(settings)
    return [info for source in SOURCES for info in _list_source(source, models)]


def _models_settings(settings: ModelsSettings | Settings) -> ModelsSettings:
    return settings.models if isinstance(settings, Settings) else settings


def _entries(source: Source, settings: ModelsSettings) -> Iterator[Entry]:
    """A source's entries; a source that cannot be read is skipped with a warning."""
    try:
        yield from source.entries(settings)
    except OSError as exc:
        log.warning("cannot read the %s models: %s", source.label, exc)


def _find(source: Source, name: str, settings: ModelsSettings) -> Entry | None:
    wanted = source.normalise(name)
    return next((e for e in _entries(source, settings) if source.normalise(e.name) == wanted), None)


def _usable(info: ModelInfo, name: str) -> ModelInfo:
    if info.problem is None:
        return info
    if info.source == "path":
        raise ModelNotFoundError(info.problem)
    msg = f"model {name!r} ({info.source}) cannot be used: {info.problem}"
    raise ModelNotFoundError(msg)


def _list_source(source: Source, settings: ModelsSettings) -> list[ModelInfo]:
    try:
        found = [entry for entry in source.entries(settings) if entry.listed]
    except Exception as exc:  # one unreadable source must not hide the others
        places = "; ".join(source.places(settings))
        problem = f"cannot list {places}: {exc}"
        return [broken(f"({source.label})", Path(), source.label, "unknown", problem)]
    return [_describe(entry, source.label) for entry in found]


def _describe(entry: Entry, label: str) -> ModelInfo:
    try:
        return entry.describe()
    except Exception as exc:  # a bug or odd file in one entry must not hide the others
        return broken(entry.name, entry.path, label, "unknown", f"cannot read: {exc}")


def looks_like_path(name: str) -> bool:
    """Whether a name is meant as a path: it has a separator, starts with ~ or ., or is .gguf."""
    return (
        "/" in name or "\\" in name or name.startswith(("~", ".")) or name.lower().endswith(".gguf")
    )


def _not_found(name: str, path: Path, settings: ModelsSettings) -> str:
    looked = "; ".join(place for source in SOURCES for place in source.places(settings))
    if not name:
        return f"the model name is empty; set a model name or path ({HINT})"
    if looks_like_path(name):
        head = f"model file {path.absolute()} not found, nor a model named {name!r} in"
    else:
        head = f"model {name!r} not found in"
    close = suggestions(name, settings)
    maybe = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
    return f"{head}: {looked}{maybe}; {HINT}"


def suggestions(name: str, settings: ModelsSettings, limit: int = 3) -> list[str]:
    """Known model names close to `name`: those containing it first, then difflib matches."""
    names: dict[str, str] = {}
    for source in SOURCES:
        for entry in _entries(source, settings):
            names.setdefault(entry.name.lower(), entry.name)
            names.setdefault(entry.name.lower().removesuffix(":latest"), entry.name)
    wanted = name.lower()
    scored = sorted(((_closeness(wanted, key), key) for key in names), reverse=True)
    found: list[str] = []
    for score, key in scored:
        if score > 0 and names[key] not in found:
            found.append(names[key])
    return found[:limit]


def _closeness(wanted: str, known: str) -> float:
    """1 when `known` contains `wanted`; else the difflib ratio of the whole name (at least
    0.6) or of its start (at least 0.75, so 'smolm2' finds 'smollm2-135m-instruct'); else 0."""
    if len(wanted) >= 3 and wanted in known:
        return 1.0
    whole = difflib.SequenceMatcher(None, wanted, known).ratio()
    start = difflib.SequenceMatcher(None, wanted, known[: len(wanted)]).ratio()
    return max(whole if whole >= 0.6 else 0.0, start if start >= 0.75 else 0.0)
