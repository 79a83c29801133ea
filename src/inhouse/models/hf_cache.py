"""The Hugging Face hub cache, read offline (no `huggingface_hub` calls, no network).

Layout (`models.hf_cache`, else HF_HUB_CACHE, else HF_HOME/hub, else
~/.cache/huggingface/hub)::

    models--<org>--<name>/refs/main            the commit hash of `main`
    models--<org>--<name>/snapshots/<hash>/... files, symlinks to ../../blobs/<hash>

`org/name` resolves to the snapshot folder (transformers or sentence-transformers), or,
when the snapshot holds GGUF files, to one of them: `org/name/file.gguf` names a file, and
without one the Q4_K_M file is preferred, then the smallest.

Usage:
    >>> repo_id(Path("models--HuggingFaceTB--SmolLM2-135M-Instruct"))
    'HuggingFaceTB/SmolLM2-135M-Instruct'
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from inhouse.models.formats import (
    broken,
    describe_folder,
    describe_gguf,
    folder_format,
    gguf_files,
    is_model_gguf,
    pick_gguf,
)
from inhouse.models.info import Entry, Source
from inhouse.settings.schema import ModelsSettings

LABEL = "hf-cache"
PREFIX = "models--"


def cache_dir(settings: ModelsSettings) -> tuple[Path, str]:
    """The hub cache folder and which setting or variable chose it."""
    if settings.hf_cache is not None:
        return settings.hf_cache.expanduser(), "models.hf_cache"
    for variable in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        if os.environ.get(variable):
            return Path(os.environ[variable]).expanduser(), variable
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub", "HF_HOME"
    xdg = os.environ.get("XDG_CACHE_HOME") or "~/.cache"
    return Path(xdg).expanduser() / "huggingface" / "hub", "default"


def repo_id(folder: Path) -> str:
    """`models--org--name` -> `org/name` (hub repo names cannot contain `--`)."""
    return folder.name.removeprefix(PREFIX).replace("--", "/")


def snapshot_dir(repo: Path) -> tuple[Path | None, str | None]:
    """The snapshot `refs/main` points to (else the newest one), or why there is none."""
    ref = repo / "refs" / "main"
    if ref.is_file():
        commit = ref.read_text(encoding="utf-8").strip()
        snapshot = repo / "snapshots" / commit
        if snapshot.is_dir():
            return snapshot, None
        return None, f"snapshot {commit} (refs/main) is missing from {repo}; download it again"
    snapshots = repo / "snapshots"
    found = [d for d in snapshots.iterdir() if d.is_dir()] if snapshots.is_dir() else []
    if found:
        return max(found, key=lambda d: d.stat().st_mtime), None
    return None, f"{repo} has no snapshot (an incomplete download?); download it again"


def entries(settings: ModelsSettings) -> Iterator[Entry]:
    root, _ = cache_dir(settings)
    if not root.is_dir():
        return
    for repo in sorted(root.glob(PREFIX + "*")):
        if repo.is_dir():
            yield from _repo_entries(repo, repo_id(repo))


def places(settings: ModelsSettings) -> list[str]:
    root, origin = cache_dir(settings)
    state = "" if root.is_dir() else ", missing"
    return [f"Hugging Face cache {root} ({origin}{state})"]


def _repo_entries(repo: Path, name: str) -> Iterator[Entry]:
    snapshot, problem = snapshot_dir(repo)
    if snapshot is None:
        yield Entry(name, repo, partial(broken, name, repo, LABEL, "unknown", problem))
        return
    folder_model = folder_format(snapshot) is not None
    ggufs = [p for p in gguf_files(snapshot, recursive=True) if is_model_gguf(p)]
    if folder_model or not ggufs:
        yield Entry(name, snapshot, partial(describe_folder, snapshot, name, LABEL))
    for path in ggufs:
        file_name = f"{name}/{path.relative_to(snapshot).as_posix()}"
        listed = folder_model or len(ggufs) > 1
        yield Entry(file_name, path, partial(describe_gguf, path, file_name, LABEL), listed=listed)
    if ggufs and not folder_model:
        pick = pick_gguf(ggufs)
        listed = len(ggufs) == 1
        yield Entry(name, pick, partial(describe_gguf, pick, name, LABEL), listed=listed)


SOURCE = Source(LABEL, entries, places)
