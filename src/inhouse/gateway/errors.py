"""Errors as the OpenAI API reports them: a status code and ``{"error": {...}}``.

Example:
    >>> error_for(ContextWindowExceededError("smollm2", 9000, 8192)).status
    413
    >>> GatewayError(404, "no such model", code="model_not_found").body()["error"]["code"]
    'model_not_found'
"""

from __future__ import annotations

from typing import Any

from inhouse.errors import (
    ConfigError,
    ContextWindowExceededError,
    InhouseError,
    ModelNotFoundError,
    ProviderUnavailableError,
)

_TYPES = {
    400: "invalid_request_error",
    401: "invalid_request_error",
    403: "permission_error",
    404: "invalid_request_error",
    413: "invalid_request_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
    500: "server_error",
    503: "server_error",
    504: "server_error",
}


class GatewayError(Exception):
    """One error response: status, message, and the OpenAI error fields."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.param, self.code = status, message, param, code
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {
            "error": {
                "message": self.message,
                "type": _TYPES.get(self.status, "invalid_request_error"),
                "param": self.param,
                "code": self.code,
            }
        }


def unknown_model(model: str) -> GatewayError:
    """The answer for a model that does not exist and for one the key may not use."""
    return GatewayError(
        404,
        f"The model {model!r} does not exist or you do not have access to it; GET /v1/models"
        " lists the models you may use",
        param="model",
        code="model_not_found",
    )


def _causes(error: BaseException) -> list[BaseException]:
    chain, seen = [], set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        chain.append(error)
        error = error.__cause__ or error.__context__
    return chain


def error_for(error: BaseException) -> GatewayError:
    """The response for an exception raised while serving (its causes are looked at too:
    the router wraps a local failure in `ProviderUnavailableError`)."""
    chain = _causes(error)
    for found in chain:
        if isinstance(found, GatewayError):
            return found
    for found in chain:
        if isinstance(found, ContextWindowExceededError):
            return GatewayError(413, str(found), param="messages", code="context_length_exceeded")
    first = chain[0]
    if isinstance(first, ModelNotFoundError | ConfigError):
        return GatewayError(400, str(first))
    if isinstance(first, ProviderUnavailableError):
        return GatewayError(503, str(first), headers={"Retry-After": "5"})
    if isinstance(first, InhouseError):
        return GatewayError(400, str(first))
    return GatewayError(500, f"internal error ({type(first).__name__}); see the server log")
