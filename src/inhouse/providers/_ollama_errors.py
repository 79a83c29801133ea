"""Errors of the Ollama provider: ollama-python and httpx exceptions to `inhouse.errors`.

A stopped server becomes `ProviderUnavailableError` saying how to start it, a timeout
names the setting to raise, a model that is not pulled becomes `ModelNotFoundError`
with the ``ollama pull`` command, and a broken or foreign response carries its own text.

Example:
    >>> import httpx
    >>> error = translate(httpx.ConnectError("refused"), base_url="http://127.0.0.1:11434",
    ...                   model="llama3.2", setting="llm", timeout=5.0)
    >>> type(error).__name__
    'ProviderUnavailableError'
"""

from __future__ import annotations

import json

from inhouse.errors import (
    ConfigError,
    InhouseError,
    ModelNotFoundError,
    ProviderUnavailableError,
)
from inhouse.providers._support import env_var

_RESPONSE_TYPES = {"ChatResponse", "GenerateResponse", "EmbedResponse", "ShowResponse"}


def translate(
    exc: BaseException, *, base_url: str, model: str, setting: str, timeout: float | None
) -> InhouseError | None:
    """The `InhouseError` for an exception from the ollama client or httpx, or None."""
    import httpx

    if isinstance(exc, InhouseError):
        return exc
    timeout = timeout or 0.0
    unreachable = (
        f"cannot reach Ollama at {base_url}; start it with `ollama serve` or set {setting}.base_url"
    )
    if isinstance(exc, httpx.ConnectTimeout):
        return ProviderUnavailableError(f"{unreachable} (no answer within {timeout:g} s)")
    if isinstance(exc, httpx.ConnectError | ConnectionError):
        return ProviderUnavailableError(unreachable)
    if isinstance(exc, httpx.TimeoutException):
        env = env_var(setting, "timeout")
        return ProviderUnavailableError(
            f"Ollama at {base_url} did not answer within {timeout:g} s; raise"
            f" {setting}.timeout ({env}) for slow models or long prompts"
        )
    if isinstance(exc, httpx.TransportError):
        return ProviderUnavailableError(
            f"the connection to Ollama at {base_url} broke before the response was complete"
            f" ({exc}); check the server's log"
        )
    if isinstance(exc, json.JSONDecodeError) or _is_bad_response(exc):
        return ProviderUnavailableError(
            f"{base_url} sent a response that is not Ollama's ({_first_line(exc)}); check"
            f" that {setting}.base_url points to an Ollama server"
        )
    return _translate_status(exc, base_url=base_url, model=model, setting=setting)


def _is_bad_response(exc: BaseException) -> bool:
    from pydantic import ValidationError

    return isinstance(exc, ValidationError) and exc.title in _RESPONSE_TYPES


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _translate_status(
    exc: BaseException, *, base_url: str, model: str, setting: str
) -> InhouseError | None:
    import httpx
    from ollama import RequestError, ResponseError

    if isinstance(exc, RequestError):
        return ConfigError(f"invalid request for Ollama: {exc.error}; check {setting}.model")
    if isinstance(exc, httpx.HTTPStatusError):
        status, error = exc.response.status_code, _error_text(exc.response.text)
    elif isinstance(exc, ResponseError):
        status, error = exc.status_code, str(exc.error)
    else:
        return None
    if status == 404 and "not found" in error and model in error:
        return ModelNotFoundError(
            f"model {model!r} is not pulled on the Ollama server at {base_url};"
            f" run `ollama pull {model}`"
        )
    if status == 404:
        return ProviderUnavailableError(
            f"{base_url} answered 404 ({error}); check that {setting}.base_url is the"
            " Ollama server's address, without a path such as /v1"
        )
    where = f"HTTP {status}" if status > 0 else "in the stream"
    busy = "; the server is busy or rate limiting, wait and retry" if status in (429, 503) else ""
    return ProviderUnavailableError(
        f"Ollama at {base_url} answered with an error for model {model!r}: {error} ({where})"
        + busy
    )


def _error_text(body: str) -> str:
    try:
        return str(json.loads(body).get("error", body))
    except (ValueError, AttributeError):
        return body.strip()[:200]



def raise_translated(translated: InhouseError | None, exc: BaseException) -> None:
    """Raise `translated` from `exc`, or `exc` itself when there is nothing better."""
    if translated is None or translated is exc:
        raise exc
    raise translated from exc

