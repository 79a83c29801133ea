"""The few exception types a user can cause.

Every message is one line that names the offending thing and says how to fix it.
The CLI prints ``str(error)`` and exits 2; set ``INHOUSE_DEBUG=1`` to see the traceback.
"""

from __future__ import annotations


class InhouseError(Exception):
    """Base class for every error a user can cause (bad config, missing model, server down)."""


class ConfigError(InhouseError):
    """Settings, profiles or spec files are invalid."""


class MissingExtraError(InhouseError):
    """An optional dependency for a provider is not installed."""

    def __init__(self, what: str, extra: str, cause: BaseException | None = None) -> None:
        detail = f" ({cause})" if cause else ""
        super().__init__(
            f"{what} is not installed{detail}; install it with: pip install 'inhouse[{extra}]'"
        )
        self.extra = extra


class ModelNotFoundError(InhouseError):
    """A model name or path does not resolve to a model."""


class ProviderUnavailableError(InhouseError):
    """A model server cannot be reached, or answered with an error."""


class ContextWindowExceededError(InhouseError):
    """A prompt does not fit into the model's context window.

    `prompt_tokens` and `context_length` are None when the server did not report them;
    `detail` then carries what it said instead.
    """

    def __init__(
        self,
        model: str,
        prompt_tokens: int | None,
        context_length: int | None,
        detail: str | None = None,
    ) -> None:
        if prompt_tokens is not None and context_length is not None:
            what = (
                f"the prompt has {prompt_tokens} tokens but model {model!r} has a context"
                f" window of {context_length}"
            )
        else:
            what = f"the prompt does not fit into model {model!r}'s context window ({detail})"
        super().__init__(
            f"{what}; shorten the input or raise llm.context_length"
            " (INHOUSE_LLM__CONTEXT_LENGTH) if the model or server supports more"
        )
        self.prompt_tokens = prompt_tokens
        self.context_length = context_length
