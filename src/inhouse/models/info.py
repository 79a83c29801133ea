"""`ModelInfo`, what the catalog knows about one model, and `Entry`, a model a source found."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inhouse.settings.schema import ModelsSettings

SOURCES = ("path", "package", "folder", "ollama", "hf-cache")
"""Where a model was found: an explicit path, an installed model package, a folder in
`models.paths`, Ollama's local store, or the Hugging Face hub cache."""


@dataclass(frozen=True)
class ModelInfo:
    """One local model.

    `chat_template` is whether the model carries its own chat template (None: unknown).
    `problem` says why a model that was found cannot be used (missing blob, truncated file).

    Example:
        >>> info = ModelInfo("tiny", Path("/m/tiny.gguf"), "folder", "gguf", architecture="llama")
        >>> info.usable
        True
    """

    name: str
    path: Path
    source: str
    format: str
    architecture: str | None = None
    quantization: str | None = None
    size_bytes: int = 0
    context_length: int | None = None
    chat_template: bool | None = None
    problem: str | None = None

    @property
    def usable(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class Entry:
    """A model a source found by listing names only; `describe()` reads its metadata.

    `prepare()` (default: `describe`) is what `resolve` calls: it may do work that listing
    must not, such as assembling a model from a package. Entries with `listed=False` are
    aliases that resolve but are not shown (`org/repo` for the GGUF it picks).
    """

    name: str
    path: Path
    describe: Callable[[], ModelInfo]
    prepare: Callable[[], ModelInfo] | None = None
    listed: bool = True

    def resolve(self) -> ModelInfo:
        return (self.prepare or self.describe)()


def _lower(name: str) -> str:
    return name.strip().lower()


@dataclass(frozen=True)
class Source:
    """A place models are found: one small module each (packages, folders, ollama, hf_cache).

    `entries` lists what is there by name only (cheap); `places` says where it looked, for
    error messages; `normalise` maps a name to the form entries are compared in.
    """

    label: str
    entries: Callable[[ModelsSettings], Iterable[Entry]]
    places: Callable[[ModelsSettings], list[str]]
    normalise: Callable[[str], str] = _lower
