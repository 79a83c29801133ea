"""Fast GGUF metadata: the header and key/value pairs, never the tensor data.

`gguf.GGUFReader` maps every tensor and materialises every array (about 1.8 s on
SmolLM2-135M). This reader walks the key/value section itself (GGUF v2/v3), skips large
arrays such as the tokenizer's tokens, scores and merges by their lengths, and reads the
tensor directory only to check that the file is complete. It takes milliseconds and is
cached by (path, size, mtime).

Usage:
    >>> meta = read_gguf_metadata("SmolLM2-135M-Instruct.Q4_1.gguf")  # doctest: +SKIP
    >>> meta.architecture, meta.quantization, meta.context_length  # doctest: +SKIP
    ('llama', 'Q4_1', 8192)
"""

from __future__ import annotations

import functools
import mmap
import os
import struct
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from inhouse.errors import ModelNotFoundError

MAGIC = b"GGUF"
SUPPORTED_VERSIONS = (2, 3)
DEFAULT_ALIGNMENT = 32
SMALL_ARRAY = 64
"""Arrays up to this many items are kept in `GGUFMetadata.values`; longer ones are skipped."""

_STRING, _ARRAY = 8, 9
_SCALARS = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q",
            12: "d"}  # fmt: skip


@dataclass(frozen=True)
class GGUFMetadata:
    """What a GGUF file says about its model. `values` holds every scalar and small array."""

    path: Path
    version: int
    architecture: str | None
    name: str | None
    file_type: int | None
    quantization: str | None
    context_length: int | None
    chat_template: str | None
    rope_freq_base: float | None
    block_count: int | None
    bos_token_id: int | None
    eos_token_id: int | None
    vocab_size: int | None
    tensor_count: int
    size_bytes: int
    values: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


class _Truncated(Exception):
    """The buffer ended inside a structure."""


class _Skipped(NamedTuple):
    """A large array that was skipped, not read."""

    count: int


def read_gguf_metadata(
    path: str | os.PathLike[str], *, check_complete: bool = True
) -> GGUFMetadata:
    """The metadata of the GGUF file at `path`, cached until the file's size or mtime changes.

    `check_complete=False` accepts a file that holds only the start of a GGUF (a chunk of a
    split download); otherwise a file shorter than its tensor directory says is an error.

    Raises:
        ModelNotFoundError: the file is missing, not a GGUF file, truncated or of an
            unsupported GGUF version.
    """
    target = Path(path).expanduser()
    try:
        stat = target.stat()
    except OSError:
        msg = f"model file {target.absolute()} not found; check the path or run `inhouse models`"
        raise ModelNotFoundError(msg) from None
    if target.is_dir():
        msg = f"{target} is a folder, not a GGUF file; point to the .gguf file inside it"
        raise ModelNotFoundError(msg)
    return _read_cached(str(target), stat.st_size, stat.st_mtime_ns, check_complete)


def clear_cache() -> None:
    """Forget every cached result (tests, or after rewriting a file within one mtime tick)."""
    _read_cached.cache_clear()


@functools.lru_cache(maxsize=512)
def _read_cached(path: str, size: int, mtime_ns: int, check_complete: bool) -> GGUFMetadata:
    del mtime_ns  # part of the cache key only
    target = Path(path)
    try:
        with target.open("rb") as handle:
            head = handle.read(4)
            if head != MAGIC:
                msg = (
                    f"{target} is not a GGUF file (bad magic {head!r}, expected {MAGIC!r});"
                    " point to a .gguf model file"
                )
                raise ModelNotFoundError(msg)
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as buf:
                return _parse(target, buf, size, check_complete)
    except _Truncated as exc:
        msg = (
            f"{target} is a truncated GGUF file ({size} bytes; {exc}); the download or copy"
            " is incomplete: fetch the file again"
        )
        raise ModelNotFoundError(msg) from None
    except OSError as exc:
        msg = f"cannot read GGUF file {target}: {exc}"
        raise ModelNotFoundError(msg) from None


class _Cursor:
    """Reads GGUF values from a buffer; raises `_Truncated` past its end."""

    def __init__(self, buf: Any, endian: str, pos: int) -> None:
        self.buf, self.endian, self.pos, self.end = buf, endian, pos, len(buf)
        self._u64 = struct.Struct(endian + "Q").unpack_from
        self._u32 = struct.Struct(endian + "I").unpack_from

    def need(self, count: int, what: str) -> None:
        if self.pos + count > self.end:
            raise _Truncated(f"it ends inside {what}")

    def u32(self, what: str) -> int:
        self.need(4, what)
        (value,) = self._u32(self.buf, self.pos)
        self.pos += 4
        return value

    def u64(self, what: str) -> int:
        self.need(8, what)
        (value,) = self._u64(self.buf, self.pos)
        self.pos += 8
        return value

    def string(self, what: str) -> str:
        length = self.u64(what)
        self.need(length, what)
        raw = self.buf[self.pos : self.pos + length]
        self.pos += length
        return raw.decode("utf-8", errors="replace")

    def value(self, vtype: int, key: str) -> Any:
        if vtype == _STRING:
            return self.string(f"the value of {key}")
        if vtype == _ARRAY:
            return self.array(key)
        fmt = _SCALARS.get(vtype)
        if fmt is None:
            raise ValueError(f"unknown GGUF value type {vtype} for key {key}")
        size = struct.calcsize(fmt)
        self.need(size, f"the value of {key}")
        (value,) = struct.unpack_from(self.endian + fmt, self.buf, self.pos)
        self.pos += size
        return value

    def array(self, key: str) -> list[Any] | _Skipped:
        """A small array as a list; a large one is skipped and only its length returned."""
        item_type = self.u32(f"the array {key}")
        count = self.u64(f"the array {key}")
        if count <= SMALL_ARRAY:
            return [self.value(item_type, key) for _ in range(count)]
        if item_type == _STRING:
            self._skip_strings(count, key)
        elif item_type in _SCALARS:
            size = struct.calcsize(_SCALARS[item_type]) * count
            self.need(size, f"the array {key}")
            self.pos += size
        else:  # nested arrays: rare, walk them
            for _ in range(count):
                self.value(item_type, key)
        return _Skipped(count)

    def _skip_strings(self, count: int, key: str) -> None:
        u64, buf, pos, end = self._u64, self.buf, self.pos, self.end
        try:
            for _ in range(count):
                pos += 8 + u64(buf, pos)[0]
        except struct.error:
            raise _Truncated(f"it ends inside the array {key}") from None
        if pos > end:
            raise _Truncated(f"it ends inside the array {key}")
        self.pos = pos


def _parse(path: Path, buf: Any, size: int, check_complete: bool) -> GGUFMetadata:
    version, endian = _version(path, buf)
    cur = _Cursor(buf, endian, 8)
    tensor_count = cur.u64("the header")
    kv_count = cur.u64("the header")
    values: dict[str, Any] = {}
    lengths: dict[str, int] = {}
    for _ in range(kv_count):
        key = cur.string("a key")
        value = cur.value(cur.u32(f"the type of {key}"), key)
        if isinstance(value, _Skipped):
            lengths[key] = value.count
        else:
            values[key] = value
    types, end = _tensor_directory(cur, tensor_count, values)
    if check_complete and end > size:
        raise _Truncated(f"its tensors need {end} bytes")
    return _metadata(path, version, values, lengths, types, tensor_count, size)


def _version(path: Path, buf: Any) -> tuple[int, str]:
    if len(buf) < 8:
        raise _Truncated("it ends inside the header")
    (version,) = struct.unpack_from("<I", buf, 4)
    endian = "<"
    if version & 0xFFFF == 0:  # written big-endian
        (version,) = struct.unpack_from(">I", buf, 4)
        endian = ">"
    if version not in SUPPORTED_VERSIONS:
        msg = (
            f"{path} is GGUF version {version}, which is not supported (only versions"
            f" {', '.join(map(str, SUPPORTED_VERSIONS))}); convert it with a current llama.cpp"
        )
        raise ModelNotFoundError(msg)
    return version, endian


def _tensor_directory(
    cur: _Cursor, count: int, values: Mapping[str, Any]
) -> tuple[Counter[int], int]:
    """Tensor types weighted by element count, and the byte where the last tensor ends."""
    from gguf.constants import GGML_QUANT_SIZES, GGMLQuantizationType

    sizes = {int(t): s for t, s in GGML_QUANT_SIZES.items() if isinstance(t, GGMLQuantizationType)}
    types: Counter[int] = Counter()
    last = 0
    for _ in range(count):
        name = cur.string("the tensor directory")
        dims = [cur.u64(f"tensor {name}") for _ in range(cur.u32(f"tensor {name}"))]
        ggml_type = cur.u32(f"tensor {name}")
        offset = cur.u64(f"tensor {name}")
        elements = 1
        for dim in dims:
            elements *= dim
        if len(dims) >= 2:
            types[ggml_type] += elements
        if ggml_type in sizes:
            block, type_size = sizes[ggml_type]
            last = max(last, offset + elements // block * type_size)
    alignment = values.get("general.alignment") or DEFAULT_ALIGNMENT
    start = -(-cur.pos // alignment) * alignment
    return types, start + last if count else cur.pos


def _metadata(
    path: Path,
    version: int,
    values: dict[str, Any],
    lengths: dict[str, int],
    types: Counter[int],
    tensor_count: int,
    size: int,
) -> GGUFMetadata:
    arch = values.get("general.architecture")

    def arch_value(suffix: str) -> Any:
        return values.get(f"{arch}.{suffix}") if arch else None

    file_type = values.get("general.file_type")
    tokens = lengths.get("tokenizer.ggml.tokens", values.get("tokenizer.ggml.tokens"))
    return GGUFMetadata(
        path=path,
        version=version,
        architecture=arch,
        name=values.get("general.name"),
        file_type=file_type,
        quantization=quantization_name(file_type, types),
        context_length=arch_value("context_length"),
        chat_template=values.get("tokenizer.chat_template"),
        rope_freq_base=arch_value("rope.freq_base"),
        block_count=arch_value("block_count"),
        bos_token_id=values.get("tokenizer.ggml.bos_token_id"),
        eos_token_id=values.get("tokenizer.ggml.eos_token_id"),
        vocab_size=len(tokens) if isinstance(tokens, list) else tokens,
        tensor_count=tensor_count,
        size_bytes=size,
        values=MappingProxyType(values),
    )


def quantization_name(
    file_type: int | None, tensor_types: Mapping[int, int] | None = None
) -> str | None:
    """`gguf.LlamaFileType` name without its `MOSTLY_`/`ALL_` prefix (3 -> 'Q4_1').

    Without a file type, the tensor type holding most weights names it (e.g. 'Q4_K').
    """
    from gguf.constants import GGMLQuantizationType, LlamaFileType

    if file_type is not None:
        try:
            return LlamaFileType(file_type).name.removeprefix("MOSTLY_").removeprefix("ALL_")
        except ValueError:
            return f"file type {file_type}"
    if tensor_types:
        common = max(tensor_types, key=lambda t: tensor_types[t])
        try:
            return GGMLQuantizationType(common).name
        except ValueError:
            return f"ggml type {common}"
    return None
