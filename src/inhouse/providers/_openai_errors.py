"""Errors of the OpenAI-compatible provider: `openai` exceptions to `inhouse.errors`.

Every exception the `openai` client raises becomes one `InhouseError` that names the
server's URL and the fix; a prompt that overflowed the context window becomes a
`ContextWindowExceededError` with the counts, read from whichever form the server uses
(llama-server's JSON fields, llama_cpp.server's or OpenAI's message).

Example:
    >>> one_line("too   many\\n spaces")
    'too many spaces'
"""

from __future__ import annotations

import json
import re
from typing import Any

from inhouse.errors import (
    ConfigError,
    ContextWindowExceededError,
    InhouseError,
    ModelNotFoundError,
    ProviderUnavailableError,
)
from inhouse.providers._openai_http import PLACEHOLDER_KEY, VENDOR_BASE_URL, env_var, list_models
from inhouse.providers._support import TranslatesErrors, secret

_LLAMA_CPP_CONTEXT = re.compile(r"Requested tokens \((\d+)\) exceed context window of (\d+)")
_MAX_CONTEXT = re.compile(r"maximum context length is (\d+)")
_PROMPT_TOKENS = re.compile(
    r"\((\d+) in (?:the messages|your prompt)|messages resulted in (\d+) tokens"
    r"|requested (\d+) tokens"
)


def one_line(text: str, limit: int = 300) -> str:
    """`text` on one line, whitespace collapsed, cut to `limit` characters."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 3] + "..."


def server_message(exc: BaseException) -> str:
    """The server's own error message inside an `openai` exception."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict) and body.get("message"):
        return str(body["message"])
    return str(getattr(exc, "message", None) or exc)


def context_error(model: str, exc: BaseException) -> ContextWindowExceededError | None:
    """A `ContextWindowExceededError` when `exc` says the prompt was too long."""
    text = server_message(exc)
    body = getattr(exc, "body", None)
    body = body if isinstance(body, dict) else {}
    if "n_prompt_tokens" in body and "n_ctx" in body:  # llama-server (C++)
        return ContextWindowExceededError(model, int(body["n_prompt_tokens"]), int(body["n_ctx"]))
    match = _LLAMA_CPP_CONTEXT.search(text)
    if match:
        return ContextWindowExceededError(model, int(match[1]), int(match[2]))
    flagged = body.get("code") == "context_length_exceeded" or body.get("type") in (
        "exceed_context_size_error",
    )
    if not flagged and not re.search(r"context (length|window|size)", text, re.I):
        return None
    limit, prompt = _MAX_CONTEXT.search(text), _PROMPT_TOKENS.search(text)
    if limit and prompt:
        tokens = next(group for group in prompt.groups() if group)
        return ContextWindowExceededError(model, int(tokens), int(limit[1]))
    return ContextWindowExceededError(model, None, None, one_line(text, 200))


def _available(base_url: str, api_key: str) -> str:
    try:
        names = list_models(base_url, api_key)
    except Exception:
        return "list the server's models at GET /models"
    return f"the server has: {', '.join(names)}" if names else "the server lists no models"


def translate_openai_error(
    exc: BaseException, *, section: str, base_url: str, model: str, timeout: Any, api_key: str
) -> InhouseError | None:
    """One `InhouseError` for an exception from the `openai` client, or None."""
    try:
        import openai
    except ImportError:
        return None
    if isinstance(exc, json.JSONDecodeError | openai.APIResponseValidationError):
        return ProviderUnavailableError(
            f"the server at {base_url} sent a response that is not valid OpenAI API JSON"
            f" ({one_line(exc, 120)}); check that {section}.base_url points to an"
            " OpenAI-compatible server (the address usually ends in /v1)"
        )
    if isinstance(exc, openai.APITimeoutError):
        seconds = f"{timeout:g}" if isinstance(timeout, int | float) else timeout
        return ProviderUnavailableError(
            f"the server at {base_url} did not answer within {seconds} s; raise {section}.timeout"
            f" ({env_var(section, 'timeout')}) or use a smaller model or prompt"
        )
    if isinstance(exc, openai.APIConnectionError):
        return ProviderUnavailableError(
            f"cannot reach the OpenAI-compatible server at {base_url} ({one_line(exc, 120)});"
            f" start it (e.g. `python -m llama_cpp.server --model PATH`) or fix {section}.base_url"
        )
    if not isinstance(exc, openai.APIStatusError):
        if isinstance(exc, openai.APIError):  # an error event inside a 200 stream
            return ProviderUnavailableError(
                f"the server at {base_url} reported an error in the middle of the answer for"
                f" model {model!r}: {one_line(server_message(exc), 200)}"
            )
        return None
    return _status_error(exc, section=section, base_url=base_url, model=model, api_key=api_key)


def _status_error(
    exc: Any, *, section: str, base_url: str, model: str, api_key: str
) -> InhouseError:
    import openai

    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return ConfigError(
            f"the server at {base_url} rejected {section}.api_key ({exc.status_code}); set a"
            f" valid key in {env_var(section, 'api_key')} (environment or .env)"
        )
    if isinstance(exc, openai.NotFoundError):
        return ModelNotFoundError(
            f"model {model!r} was not found at {base_url}; {_available(base_url, api_key)}."
            f" Fix {section}.model, or check that {section}.base_url ends in /v1"
        )
    if isinstance(exc, openai.RateLimitError):
        retries = "cloud.max_retries" if section == "cloud" else f"{section}.options.max_retries"
        after = exc.response.headers.get("retry-after", "").strip()
        if after.replace(".", "", 1).isdigit():
            wait = f"it asks to retry after {after} s"
        else:
            wait = f"it asks to retry after {after}" if after else "wait and retry"
        return ProviderUnavailableError(
            f"the server at {base_url} is rate limiting requests (429); {wait}, or raise"
            f" {retries} to let the client wait and retry"
        )
    found = context_error(model, exc)
    if found is not None:
        return found
    text = one_line(server_message(exc))
    hint = ""
    if "embedding=True" in text:
        hint = "; start llama_cpp.server with --embedding true"
    return ProviderUnavailableError(
        f"the server at {base_url} answered {exc.status_code} for model {model!r}: {text}{hint}"
    )


class OpenAIErrors(TranslatesErrors):
    """Error translation for the chat and completion classes; needs `openai_api_base` etc."""

    def _translate_error(self, exc: BaseException) -> InhouseError | None:
        return translate_openai_error(
            exc,
            section=self.inhouse_section,  # type: ignore[attr-defined]
            base_url=self.openai_api_base or VENDOR_BASE_URL,  # type: ignore[attr-defined]
            model=self._inhouse_model,
            timeout=self.request_timeout,  # type: ignore[attr-defined]
            api_key=secret(self.openai_api_key) or PLACEHOLDER_KEY,  # type: ignore[attr-defined]
        )

    @property
    def _inhouse_model(self) -> str:
        return str(getattr(self, "model_name", None) or getattr(self, "model", ""))

    def _raise_broken_stream(self, exc: InhouseError) -> None:
        """For a stream that failed after some chunks were delivered: a lost connection is
        reported as such (not as "cannot reach"); any other error is raised unchanged."""
        import openai

        cause = exc.__cause__
        if isinstance(cause, openai.APITimeoutError) or not isinstance(
            cause, openai.APIConnectionError
        ):
            raise exc
        url = self.openai_api_base or VENDOR_BASE_URL  # type: ignore[attr-defined]
        raise ProviderUnavailableError(
            f"the connection to the server at {url} broke before the response was complete"
            f" (model {self._inhouse_model!r}); check the server's log"
        ) from cause

    def _unfinished_stream(self) -> ProviderUnavailableError:
        url = self.openai_api_base or VENDOR_BASE_URL  # type: ignore[attr-defined]
        return ProviderUnavailableError(
            f"the server at {url} ended the stream for model {self._inhouse_model!r} before"
            " the answer was complete (no finish_reason); the connection or the server broke,"
            " check the server's log"
        )

    def _empty_stream(self) -> ProviderUnavailableError:
        url = self.openai_api_base or VENDOR_BASE_URL  # type: ignore[attr-defined]
        return ProviderUnavailableError(
            f"the server at {url} ended the stream for model {self._inhouse_model!r} without"
            " any output; check the server's log"
        )
