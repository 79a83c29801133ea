"""Ollama's local model store, read-only and without the Ollama daemon.

Layout (`models.ollama_dir`, or `OLLAMA_MODELS` when set)::

    manifests/<registry host>/<namespace>/<model>/<tag>   JSON, schemaVersion 2
    blobs/sha256-<hex>                                     layers; the model layer is a GGUF

Names are the ones `ollama list` shows: `llama3.2:3b` (host `registry.ollama.ai` and
namespace `library` left out), `user/model:tag` for other namespaces, `host/ns/model:tag`
for other registries. A name without a tag means `:latest`.

Usage:
    >>> normalise("Llama3.2")
    'llama3.2:latest'
    >>> normalise("registry.ollama.ai/library/llama3.2:3b")
    'llama3.2:3b'
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from inhouse.models.formats import broken, describe_gguf
from inhouse.models.info import Entry, ModelInfo, Source
from inhouse.settings.schema import ModelsSettings

LABEL = "ollama"
DEFAULT_HOST = "registry.ollama.ai"
DEFAULT_NAMESPACE = "library"
LAYER_KINDS = ("model", "template", "params", "system", "license", "projector", "adapter")


def store_dir(settings: ModelsSettings) -> Path:
    """The store: `OLLAMA_MODELS` if set, else `models.ollama_dir`."""
    env = os.environ.get("OLLAMA_MODELS")
    return Path(env or settings.ollama_dir).expanduser()


def display_name(host: str, namespace: str, model: str, tag: str) -> str:
    """The name `ollama list` shows for a manifest path's four parts."""
    if host.lower() != DEFAULT_HOST:
        return f"{host}/{namespace}/{model}:{tag}"
    if namespace.lower() != DEFAULT_NAMESPACE:
        return f"{namespace}/{model}:{tag}"
    return f"{model}:{tag}"


def normalise(name: str) -> str:
    """A name in the form `display_name` gives, lowercased, with `:latest` when untagged."""
    name = name.strip().lower()
    path, _, tag = name.rpartition(":") if ":" in name.rsplit("/", 1)[-1] else (name, "", "")
    parts = path.split("/")
    if len(parts) == 1:
        parts = [DEFAULT_HOST, DEFAULT_NAMESPACE, *parts]
    elif len(parts) == 2:
        parts = [DEFAULT_HOST, *parts]
    if len(parts) != 3 or not all(parts):
        return name
    return display_name(*parts, tag or "latest")


def entries(settings: ModelsSettings) -> Iterator[Entry]:
    """One entry per manifest; blobs are only looked at when an entry is described."""
    root = store_dir(settings)
    manifests = root / "manifests"
    if not manifests.is_dir():
        return
    for manifest in sorted(manifests.glob("*/*/*/*")):
        if manifest.is_file() and not manifest.name.startswith("."):
            host, namespace, model, tag = manifest.relative_to(manifests).parts
            name = display_name(host, namespace, model, tag)
            yield Entry(name, manifest, partial(describe_manifest, manifest, name, root))


def places(settings: ModelsSettings) -> list[str]:
    root = store_dir(settings)
    origin = "OLLAMA_MODELS" if os.environ.get("OLLAMA_MODELS") else "models.ollama_dir"
    state = "" if (root / "manifests").is_dir() else ", no manifests there"
    return [f"Ollama store {root} ({origin}{state})"]


def layers(manifest: Path) -> dict[str, str]:
    """The manifest's layer digests by kind ('model', 'template', 'params', ...)."""
    data = json.loads(manifest.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("schemaVersion") != 2:
        raise ValueError("not an Ollama manifest (schemaVersion 2)")
    found: dict[str, str] = {}
    for layer in data.get("layers") or []:
        kind = str(layer.get("mediaType", "")).rsplit(".", 1)[-1]
        if kind in LAYER_KINDS and "digest" in layer:
            found.setdefault(kind, layer["digest"])
    return found


def blob_path(root: Path, digest: str) -> Path:
    """`sha256:<hex>` -> `<root>/blobs/sha256-<hex>`."""
    return root / "blobs" / digest.replace(":", "-")


def describe_manifest(manifest: Path, name: str, root: Path) -> ModelInfo:
    """The model a manifest points to (its GGUF blob), or why it cannot be used."""
    try:
        digests = layers(manifest)
    except (OSError, ValueError, AttributeError) as exc:
        return broken(name, manifest, LABEL, "gguf", f"unreadable manifest {manifest}: {exc}")
    if "model" not in digests:
        return broken(name, manifest, LABEL, "gguf", f"manifest {manifest} has no model layer")
    blob = blob_path(root, digests["model"])
    if not blob.is_file():
        problem = f"blob {blob} is missing; repair it with `ollama pull {name}`"
        return broken(name, blob, LABEL, "gguf", problem)
    return describe_gguf(blob, name, LABEL)


SOURCE = Source(LABEL, entries, places, normalise)
