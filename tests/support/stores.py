"""Build tiny model files and fake model stores in the exact on-disk layouts.

- `write_gguf`: a small GGUF file (a few key/value fields, one tiny tensor) via `gguf.GGUFWriter`.
- `ollama_store`: Ollama's `manifests/<host>/<namespace>/<model>/<tag>` + `blobs/sha256-<hex>`.
- `hf_repo`: a Hugging Face hub cache repo: `refs/main`, `snapshots/<commit>/...` symlinked to
  `blobs/<hash>`.
- `transformers_files`, `sentence_transformers_files`: the JSON files such folders hold.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import gguf
import numpy as np

MODEL_MEDIA = "application/vnd.ollama.image.model"
OLLAMA_LAYERS = {
    "template": "{{ .Prompt }}",
    "params": '{"stop": ["<|im_end|>"]}',
    "system": "You are helpful.",
    "license": "Apache-2.0",
}


def write_gguf(
    path: Path,
    *,
    arch: str = "llama",
    name: str = "Tiny Test Model",
    file_type: int | None = gguf.LlamaFileType.MOSTLY_Q4_K_M,
    context_length: int = 2048,
    chat_template: str | None = "{% for m in messages %}{{ m['content'] }}{% endfor %}",
    vocab: int = 300,
    tensor_shape: tuple[int, ...] = (4, 8),
) -> Path:
    """A valid GGUF with the fields the catalog reads, a vocabulary (a large array that must
    be skipped, not read) and one float32 tensor."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = gguf.GGUFWriter(path, arch)
    writer.add_name(name)
    if file_type is not None:
        writer.add_file_type(int(file_type))
    writer.add_context_length(context_length)
    writer.add_block_count(2)
    writer.add_rope_freq_base(10000.0)
    writer.add_tokenizer_model("gpt2")
    writer.add_token_list([f"tok{i}" for i in range(vocab)])
    writer.add_token_scores([float(i) for i in range(vocab)])
    writer.add_token_merges([f"t o{i}" for i in range(vocab)])
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    if chat_template is not None:
        writer.add_chat_template(chat_template)
    writer.add_tensor("token_embd.weight", np.arange(np.prod(tensor_shape), dtype=np.float32)
                      .reshape(tensor_shape))  # fmt: skip
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ollama_store(root: Path, models: Mapping[str, Path | None]) -> Path:
    """An Ollama store with one manifest per model.

    `models` maps a manifest path below `manifests/` (`registry.ollama.ai/library/llama3.2/3b`)
    to the GGUF file that becomes its model blob; None writes the manifest but no model blob.
    """
    blobs = root / "blobs"
    blobs.mkdir(parents=True, exist_ok=True)
    for manifest_path, gguf_file in models.items():
        model = gguf_file.read_bytes() if gguf_file else f"missing {manifest_path}".encode()
        layers = [_ollama_layer(blobs, MODEL_MEDIA, model, write=gguf_file is not None)]
        for kind, text in OLLAMA_LAYERS.items():
            media = f"application/vnd.ollama.image.{kind}"
            layers.append(_ollama_layer(blobs, media, text.encode()))
        config = _ollama_layer(blobs, "application/vnd.docker.container.image.v1+json", b"{}")
        manifest = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": config,
            "layers": layers,
        }
        target = root / "manifests" / manifest_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(manifest), encoding="utf-8")
    return root


def _ollama_layer(blobs: Path, media: str, data: bytes, *, write: bool = True) -> dict:
    hexdigest = digest(data)
    if write:
        (blobs / f"sha256-{hexdigest}").write_bytes(data)
    return {"mediaType": media, "digest": f"sha256:{hexdigest}", "size": len(data)}


def hf_repo(
    cache: Path,
    repo_id: str,
    files: Mapping[str, bytes | Path],
    *,
    commit: str = "0123456789abcdef0123456789abcdef01234567",
    missing: Iterable[str] = (),
) -> Path:
    """A hub cache repo whose `main` is `commit`; returns the snapshot folder.

    Snapshot files are relative symlinks to `blobs/<sha256>`, as huggingface_hub writes them;
    the blobs of files named in `missing` are not written (an interrupted download).
    """
    repo = cache / ("models--" + repo_id.replace("/", "--"))
    snapshot = repo / "snapshots" / commit
    (repo / "blobs").mkdir(parents=True, exist_ok=True)
    (repo / "refs").mkdir(exist_ok=True)
    (repo / "refs" / "main").write_text(commit, encoding="utf-8")
    for relpath, content in files.items():
        data = content.read_bytes() if isinstance(content, Path) else content
        blob = repo / "blobs" / digest(data)
        if relpath not in set(missing):
            blob.write_bytes(data)
        link = snapshot / relpath
        link.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(os.path.relpath(blob, link.parent), link)
    return snapshot


def _json(data: object) -> bytes:
    return json.dumps(data).encode()


def transformers_files(
    *, arch: str = "LlamaForCausalLM", context: int = 2048, chat_template: bool = True
) -> dict[str, bytes]:
    """A transformers model folder's files (the weights are placeholder bytes)."""
    tokenizer = {"model_max_length": context}
    if chat_template:
        tokenizer["chat_template"] = "{% for m in messages %}{{ m['content'] }}{% endfor %}"
    config = {
        "architectures": [arch],
        "model_type": "llama",
        "max_position_embeddings": context,
        "torch_dtype": "bfloat16",
    }
    return {
        "config.json": _json(config),
        "tokenizer_config.json": _json(tokenizer),
        "model.safetensors": b"placeholder weights",
    }


def sentence_transformers_files(*, max_seq_length: int = 128) -> dict[str, bytes]:
    """A sentence-transformers folder's files (weights are placeholder bytes)."""
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {
            "idx": 1,
            "name": "1",
            "path": "1_Pooling",
            "type": "sentence_transformers.models.Pooling",
        },
    ]
    config = {"architectures": ["BertModel"], "model_type": "bert", "max_position_embeddings": 512}
    return {
        "modules.json": _json(modules),
        "sentence_bert_config.json": _json({"max_seq_length": max_seq_length}),
        "config.json": _json(config),
        "tokenizer_config.json": _json({"do_lower_case": True}),
        "1_Pooling/config.json": _json({"word_embedding_dimension": 384}),
        "model.safetensors": b"placeholder weights",
    }


def write_files(folder: Path, files: Mapping[str, bytes]) -> Path:
    """Write `files` (relative path -> bytes) into `folder` as plain files."""
    for relpath, data in files.items():
        target = folder / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return folder
