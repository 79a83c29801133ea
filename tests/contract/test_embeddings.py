"""LangChain's embeddings contract (`EmbeddingsIntegrationTests`) on every embeddings
provider the factory builds: sentence-transformers (all-MiniLM-L6-v2), llama.cpp
(SmolLM2 in embedding mode), Ollama (all-minilm through the Ollama-API test server) and
an OpenAI-compatible server (SmolLM2 on `llama_cpp.server`).

The suite's `model` fixture is the factory's object itself (built once per path), so the
tests run on what users get. Four cheap calls per path: they run in `make test` too.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from langchain_core.embeddings import Embeddings
from langchain_tests.integration_tests import EmbeddingsIntegrationTests

from inhouse import embeddings, load_settings
from tests.support.ollama_server import EMBED_MODEL

pytestmark = pytest.mark.integration

_built: dict[str, Any] = {}


def section(path: str, request: pytest.FixtureRequest) -> dict[str, Any]:
    if path == "huggingface":
        return {"provider": "huggingface", "model": "all-minilm-l6-v2"}
    if path == "llamacpp":
        return {"provider": "llamacpp", "model": "smollm2-135m-instruct"}
    if path == "ollama":
        url = request.getfixturevalue("ollama_server")
        return {"provider": "ollama", "model": EMBED_MODEL, "base_url": url}
    return {"provider": "openai", **request.getfixturevalue("llama_server").llm}


class PathEmbeddings:
    """Mixin: the suite's embeddings model is the factory's, for `path`."""

    path: ClassVar[str]

    @pytest.fixture
    def model(self, request: pytest.FixtureRequest) -> Embeddings:
        if self.path not in _built:
            settings = load_settings(embeddings=section(self.path, request))
            _built[self.path] = embeddings(settings)
        return _built[self.path]

    @property
    def embeddings_class(self) -> type[Embeddings]:
        return type(_built[self.path]) if self.path in _built else Embeddings


class TestHuggingFaceEmbeddings(PathEmbeddings, EmbeddingsIntegrationTests):
    path = "huggingface"


class TestLlamaCppEmbeddings(PathEmbeddings, EmbeddingsIntegrationTests):
    path = "llamacpp"


class TestOllamaEmbeddings(PathEmbeddings, EmbeddingsIntegrationTests):
    path = "ollama"


class TestOpenAIEmbeddings(PathEmbeddings, EmbeddingsIntegrationTests):
    path = "openai"
