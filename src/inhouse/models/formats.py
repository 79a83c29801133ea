"""Describe a model file or folder without loading it: GGUF, transformers, sentence-transformers.

Every `describe_*` function returns a `ModelInfo` and never raises for a broken model: the
reason goes into `ModelInfo.problem`, so one bad entry cannot hide the others in a listing.

Usage:
    >>> path = Path("SmolLM2-135M-Instruct.Q4_1.gguf")
    >>> info = describe_path(path, "smollm2", "path")  # doctest: +SKIP
    >>> info.format, info.quantization  # doctest: +SKIP
    ('gguf', 'Q4_1')
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from inhouse.errors import ModelNotFoundError
from inhouse.models.gguf_meta import MAGIC, read_gguf_metadata
from inhouse.models.info import ModelInfo

WEIGHT_PATTERNS = ("*.safetensors", "*.bin", "*.pt", "*.pth")
_SPLIT = re.compile(r"-(\d{5})-of-(\d{5})\.gguf$", re.IGNORECASE)
_CONTEXT_KEYS = ("max_position_embeddings", "n_positions", "max_sequence_length", "seq_length")


def describe_path(path: Path, name: str, source: str) -> ModelInfo:
    """A file (GGUF, by suffix or magic) or a folder (see `describe_folder`)."""
    if path.is_dir():
        return describe_folder(path, name, source)
    if path.suffix.lower() == ".gguf" or is_gguf_file(path):
        return describe_gguf(path, name, source)
    problem = (
        f"{path} is not a model: expected a .gguf file or a folder with config.json"
        " (transformers) or modules.json (sentence-transformers)"
    )
    return broken(name, path, source, "unknown", problem)


def describe_gguf(path: Path, name: str, source: str) -> ModelInfo:
    """A GGUF file, from its header (milliseconds, cached)."""
    try:
        meta = read_gguf_metadata(path)
    except ModelNotFoundError as exc:
        return broken(name, path, source, "gguf", str(exc))
    return ModelInfo(
        name=name,
        path=path,
        source=source,
        format="gguf",
        architecture=meta.architecture,
        quantization=meta.quantization,
        size_bytes=meta.size_bytes,
        context_length=meta.context_length,
        chat_template=bool(meta.chat_template),
    )


def describe_folder(path: Path, name: str, source: str) -> ModelInfo:
    """A sentence-transformers folder (modules.json), a transformers folder (config.json),
    or a folder of GGUF files (the one `pick_gguf` prefers)."""
    fmt = folder_format(path)
    if fmt is None:
        ggufs = gguf_files(path)
        if ggufs:
            return describe_gguf(pick_gguf(ggufs), name, source)
        problem = f"{path} holds no config.json, modules.json or .gguf file"
        return broken(name, path, source, "unknown", problem)
    try:
        return _describe_hf_folder(path, name, source, fmt)
    except (OSError, ValueError) as exc:
        return broken(name, path, source, fmt, f"cannot read {path}: {exc}")


def folder_format(path: Path) -> str | None:
    """'sentence-transformers', 'transformers' or None for a folder that is neither."""
    if (path / "modules.json").is_file():
        return "sentence-transformers"
    if (path / "config.json").is_file():
        return "transformers"
    return None


def gguf_files(folder: Path, *, recursive: bool = False) -> list[Path]:
    """The .gguf files in a folder, sorted by name (broken links included)."""
    found = folder.rglob("*") if recursive else folder.glob("*")
    return sorted(p for p in found if p.suffix.lower() == ".gguf" and not p.is_dir())


def pick_gguf(files: list[Path]) -> Path:
    """The GGUF to use when a folder or repository holds several: Q4_K_M, else the smallest.

    Projector files (mmproj) and the later parts of split files are never picked.

    Example:
        >>> pick_gguf([Path("m.Q8_0.gguf"), Path("m.Q4_K_M.gguf")]).name
        'm.Q4_K_M.gguf'
    """
    candidates = [p for p in files if is_model_gguf(p)] or list(files)
    preferred = [p for p in candidates if "q4_k_m" in p.name.lower()]
    return min(preferred or candidates, key=lambda p: (_size(p), p.name))


def is_gguf_file(path: Path) -> bool:
    """Whether a file starts with the GGUF magic."""
    try:
        with path.open("rb") as handle:
            return handle.read(4) == MAGIC
    except OSError:
        return False


def broken(name: str, path: Path, source: str, fmt: str, problem: str) -> ModelInfo:
    """A `ModelInfo` for a model that was found but cannot be used."""
    return ModelInfo(name, path, source, fmt, size_bytes=_size(path), problem=problem)


def is_model_gguf(path: Path) -> bool:
    """False for a projector (mmproj) and for the second and later parts of a split GGUF."""
    match = _SPLIT.search(path.name)
    return "mmproj" not in path.name.lower() and (match is None or int(match.group(1)) == 1)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size if not path.is_dir() else 0
    except OSError:
        return 0


def _describe_hf_folder(path: Path, name: str, source: str, fmt: str) -> ModelInfo:
    module = _transformer_dir(path) if fmt == "sentence-transformers" else path
    config = _read_json(module / "config.json")
    missing = _missing_weights(path, module)
    context = _context_length(config)
    if fmt == "sentence-transformers":
        context = _read_json(module / "sentence_bert_config.json").get("max_seq_length", context)
    return ModelInfo(
        name=name,
        path=path,
        source=source,
        format=fmt,
        architecture=_architecture(config),
        quantization=_precision(config),
        size_bytes=_folder_size(path),
        context_length=context,
        chat_template=_has_chat_template(module),
        problem=missing,
    )


def _transformer_dir(path: Path) -> Path:
    """The folder of a sentence-transformers model's Transformer module ('' or 0_Transformer)."""
    for module in _read_json(path / "modules.json", default=[]):
        if isinstance(module, dict) and str(module.get("type", "")).endswith("Transformer"):
            return path / module.get("path", "")
    return path


def _read_json(path: Path, default: Any = None) -> Any:
    """A JSON object (or the type of `default`); `default` (else `{}`) when the file is absent."""
    fallback = {} if default is None else default
    if not path.is_file():
        return fallback
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, type(fallback)):
        raise ValueError(f"{path.name} does not hold a JSON {type(fallback).__name__}")
    return data


def _architecture(config: dict[str, Any]) -> str | None:
    architectures = config.get("architectures") or []
    return architectures[0] if architectures else config.get("model_type")


def _context_length(config: dict[str, Any]) -> int | None:
    for section in (config, config.get("text_config") or {}):
        for key in _CONTEXT_KEYS:
            if isinstance(section.get(key), int):
                return section[key]
    return None


def _precision(config: dict[str, Any]) -> str | None:
    quant = config.get("quantization_config") or {}
    if quant.get("quant_method"):
        bits = quant.get("bits")
        return f"{quant['quant_method']}{f' {bits}-bit' if bits else ''}"
    dtype = config.get("torch_dtype") or config.get("dtype")
    return str(dtype) if dtype else None


def _has_chat_template(folder: Path) -> bool | None:
    if (folder / "chat_template.jinja").is_file() or (folder / "chat_template.json").is_file():
        return True
    tokenizer_config = folder / "tokenizer_config.json"
    if not tokenizer_config.is_file():
        return None
    return bool(_read_json(tokenizer_config).get("chat_template"))


def _missing_weights(root: Path, module: Path) -> str | None:
    """Why the weights cannot be read (a broken link, no weights file), or None."""
    folders = {root, module}
    weights = [p for f in folders for pattern in WEIGHT_PATTERNS for p in f.glob(pattern)]
    dangling = [p for p in weights if not p.exists()]
    if dangling:
        return (
            f"{dangling[0]} is a broken link (its blob is missing: an incomplete download?);"
            " download the model again"
        )
    if not weights:
        return f"no weights ({', '.join(WEIGHT_PATTERNS)}) in {module}"
    return None


def _folder_size(path: Path) -> int:
    return sum(_size(p) for p in path.rglob("*") if p.is_file())
