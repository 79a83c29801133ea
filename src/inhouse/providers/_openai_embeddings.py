"""The embeddings class of the OpenAI-compatible provider.

`OpenAIEmbeddings` tokenises with tiktoken (a download) unless told not to; this subclass
sends raw text, reports a server that returns one vector per token (a model without
pooling), L2-normalises vectors when ``embeddings.normalize`` is on, and turns `openai`
errors into `inhouse.errors` exceptions.

Example:
    >>> normalized([[3.0, 4.0]])
    [[0.6, 0.8]]
"""

from __future__ import annotations

import math
from typing import Any

from inhouse.errors import ConfigError, InhouseError
from inhouse.providers._openai_errors import translate_openai_error
from inhouse.providers._openai_http import PLACEHOLDER_KEY, VENDOR_BASE_URL
from inhouse.providers._support import secret


def normalized(vectors: list[list[float]]) -> list[list[float]]:
    """Each vector scaled to length 1 (a zero vector stays zero)."""
    out = []
    for vector in vectors:
        norm = math.sqrt(sum(x * x for x in vector)) or 1.0
        out.append([x / norm for x in vector])
    return out


def embeddings_class(base: type) -> type:
    """The inhouse subclass of `base` (langchain-openai's `OpenAIEmbeddings`)."""
    class InhouseOpenAIEmbeddings(base):  # type: ignore[misc, valid-type]
        """`OpenAIEmbeddings` that sends raw text (no tiktoken), checks and normalises vectors."""

        inhouse_section: str = "embeddings"
        normalize: bool = True

        def _checked(self, vectors: list[Any]) -> list[list[float]]:
            if vectors and vectors[0] and isinstance(vectors[0][0], list):
                url = self.openai_api_base
                msg = (
                    f"the server at {url} returned one vector per token, not one per text"
                    " (the model has no pooling); serve an embedding model, or start"
                    " llama_cpp.server with --embedding true --kv_overrides"
                    " ARCH.pooling_type=int:1 (mean pooling)"
                )
                raise ConfigError(msg)
            return normalized(vectors) if self.normalize else vectors

        def _translated(self, exc: BaseException) -> InhouseError | None:
            return translate_openai_error(
                exc,
                section=self.inhouse_section,
                base_url=self.openai_api_base or VENDOR_BASE_URL,
                model=self.model,
                timeout=self.request_timeout,
                api_key=secret(self.openai_api_key) or PLACEHOLDER_KEY,
            )

        def _raise(self, exc: BaseException) -> None:
            translated = self._translated(exc)
            if translated is None:
                raise exc
            raise translated from exc

        def embed_documents(self, texts: list[str], chunk_size: int | None = None,
                            **kwargs: Any) -> list[list[float]]:
            try:
                vectors = super().embed_documents(texts, chunk_size, **kwargs)
            except Exception as exc:
                self._raise(exc)
                raise
            return self._checked(vectors)

        async def aembed_documents(self, texts: list[str], chunk_size: int | None = None,
                                   **kwargs: Any) -> list[list[float]]:
            try:
                vectors = await super().aembed_documents(texts, chunk_size, **kwargs)
            except Exception as exc:
                self._raise(exc)
                raise
            return self._checked(vectors)

        def embed_query(self, text: str, **kwargs: Any) -> list[float]:
            return self.embed_documents([text], **kwargs)[0]

        async def aembed_query(self, text: str, **kwargs: Any) -> list[float]:
            return (await self.aembed_documents([text], **kwargs))[0]

    return InhouseOpenAIEmbeddings
