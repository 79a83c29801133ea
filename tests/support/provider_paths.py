"""The provider paths the contract and extraction tests run on, as settings.

- ``llamacpp-smollm2``: llama.cpp in process, the bundled SmolLM2-135M-Instruct;
- ``llamacpp-gemma``: llama.cpp in process, gemma-3-270m base (no chat template);
- ``huggingface-smollm2``: transformers in process, the same SmolLM2 GGUF;
- ``ollama-server``: langchain-ollama against the Ollama-API test server (SmolLM2);
- ``llama-cpp-server``: langchain-openai against a real ``llama_cpp.server`` (SmolLM2).
"""

from __future__ import annotations

from typing import Any

import pytest

from inhouse import load_settings
from tests.support.ollama_server import CHAT_MODEL

PATHS = (
    "llamacpp-smollm2", "llamacpp-gemma", "huggingface-smollm2", "ollama-server",
    "llama-cpp-server",
)  # fmt: skip
GREEDY = {"temperature": 0, "seed": 0}


def path_llm(path: str, request: pytest.FixtureRequest) -> dict[str, Any]:
    """The ``llm`` settings section of `path` (starting its test server if it has one)."""
    if path == "llamacpp-smollm2":
        return {"provider": "llamacpp", "model": "smollm2-135m-instruct"}
    if path == "llamacpp-gemma":
        return {"provider": "llamacpp", "model": "gemma3-270m", "context_length": 4096}
    if path == "huggingface-smollm2":
        return {"provider": "huggingface", "model": "smollm2-135m-instruct"}
    if path == "ollama-server":
        base_url = request.getfixturevalue("ollama_server")
        return {"provider": "ollama", "model": CHAT_MODEL, "base_url": base_url}
    if path == "llama-cpp-server":
        return {"provider": "openai", **request.getfixturevalue("llama_server").llm}
    raise ValueError(f"unknown provider path {path!r}; one of {PATHS}")


def path_settings(path: str, request: pytest.FixtureRequest, **llm: Any) -> Any:
    """Greedy settings for `path`, with `llm` overrides."""
    return load_settings(llm={**path_llm(path, request), **GREEDY, **llm})
