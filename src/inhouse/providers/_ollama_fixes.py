"""What the Ollama chat and completion models share: options, ``num_ctx``, checks.

Every request carries ``num_ctx`` (the setting, else the model's own length from
``/api/show``, capped), merged ``stop`` lists and the call's options over the configured
ones; a prompt clearly longer than the window is refused before it is sent (by
`inhouse.tokens.min_tokens`, a lower bound); and a stream without Ollama's final ``done``
line is an error. Token counts are local estimates (`inhouse.tokens.EstimatedTokens`):
Ollama has no tokenizer endpoint, and LangChain's default would download GPT-2's.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any

from inhouse.errors import ContextWindowExceededError, InhouseError, ProviderUnavailableError
from inhouse.providers._ollama_errors import translate
from inhouse.providers._ollama_http import (
    DEFAULT_BASE_URL,
    cached_window,
    context_from_show,
    remember_window,
)
from inhouse.providers._support import TranslatesErrors
from inhouse.tokens import EstimatedTokens, min_tokens

log = logging.getLogger("inhouse.providers.ollama")  # the provider's name, as before the split


# --- the shared behaviour of the chat and completion models -----------------------------


class OllamaFixes(TranslatesErrors, EstimatedTokens):
    """Methods shared by the chat and completion classes.

    The fields they use (``model``, ``base_url``, ``num_ctx``, ``stop``, ``client_kwargs``,
    ``max_default_context``, ``section_name``, ``extra_options``) are declared on each pydantic
    class: annotations here would be taken for fields of the LangChain classes.
    """

    @property
    def _url(self) -> str:
        return self.base_url or DEFAULT_BASE_URL

    def _translate_error(self, exc: BaseException) -> InhouseError | None:
        timeout = (self.client_kwargs or {}).get("timeout")
        return translate(
            exc, base_url=self._url, model=self.model, setting=self.section_name, timeout=timeout
        )

    def _window(self) -> int | None:
        """num_ctx for this request: the setting, else the model's own (cached), capped."""
        if self.num_ctx is not None:
            return self.num_ctx
        known, window = cached_window(self._url, self.model)
        if not known:
            window = context_from_show(self._client.show(self.model))
            remember_window(self._url, self.model, window)
            if window is None:
                log.info(
                    "%s reports no context length; Ollama's default num_ctx applies", self.model
                )
        return min(window, self.max_default_context) if window else None

    async def _awindow(self) -> None:
        """Fill the cache without blocking the event loop."""
        if self.num_ctx is None and not cached_window(self._url, self.model)[0]:
            show = await self._async_client.show(self.model)
            remember_window(self._url, self.model, context_from_show(show))

    def _options(self, built: Any, call_options: Mapping[str, Any] | None, stop: Any) -> dict:
        """Configured options, then the call's own on top, with num_ctx and merged stops."""
        if hasattr(built, "model_dump"):
            built = built.model_dump(exclude_none=True)
        options = {k: v for k, v in dict(built or {}).items() if v is not None}
        options.update(self.extra_options)
        options.update(call_options or {})
        stops = list(dict.fromkeys([*(self.stop or []), *(stop or []), *options.get("stop", [])]))
        if stops:
            options["stop"] = stops
        if "num_ctx" not in options and (window := self._window()):
            options["num_ctx"] = window
        return options

    def _check_fits(self, texts: list[str], options: Mapping[str, Any]) -> None:
        window = options.get("num_ctx")
        least = sum(min_tokens(t) for t in texts)
        if window and least > window:
            raise ContextWindowExceededError(self.model, least, window)

    def get_token_ids(self, text: str) -> list[int]:
        msg = "Ollama has no tokenizer endpoint; use get_num_tokens() for an estimate"
        raise NotImplementedError(msg)

    def _until_done(self, parts: Iterator[Any]) -> Iterator[Any]:
        done = False
        for part in parts:
            done = done or is_done(part)
            yield part
        if not done:
            raise self._cut_short()

    async def _auntil_done(self, parts: AsyncIterator[Any]) -> AsyncIterator[Any]:
        done = False
        async for part in parts:
            done = done or is_done(part)
            yield part
        if not done:
            raise self._cut_short()

    def _cut_short(self) -> ProviderUnavailableError:
        return ProviderUnavailableError(
            f"the response from Ollama at {self._url} ended before its final message;"
            " check the server's log"
        )


def is_done(part: Any) -> bool:
    """True for Ollama's final stream line (``"done": true``)."""
    return not isinstance(part, str) and bool(part.get("done"))

