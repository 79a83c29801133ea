"""LangChain's own contract (`langchain-tests`) on every chat model the factory returns.

One test class per provider path (`tests.support.provider_paths`), each running
`ChatModelIntegrationTests` and `ChatModelUnitTests` on the model `chat_model()` builds,
greedy, with ``max_tokens`` 100. What each path claims is in `CLAIMS`: flip a flag there
when a capability lands (tool calling lands with the tools branch).

`make test` runs `CHEAP` (the core of the contract, on one path per provider);
`make test-all` (INHOUSE_TEST_FULL=1) runs every test on every path. Skips in the full
run are only the suites' own, for what these models lack (images, audio, PDF, a second
model to switch to per call, recorded HTTP cassettes); README "Use it from LangChain"
lists them with their reasons.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from langchain_tests.integration_tests import ChatModelIntegrationTests
from langchain_tests.unit_tests import ChatModelUnitTests

from inhouse import chat_model
from tests.support.flags import FULL
from tests.support.provider_paths import path_settings

pytestmark = pytest.mark.integration

MAX_TOKENS = 100


class Claims:
    """What a provider path claims to support; the contract tests hold it to that."""

    def __init__(self, *, tool_calling: bool = False, tool_choice: bool = False) -> None:
        self.tool_calling = tool_calling
        self.tool_choice = tool_choice


CLAIMS = {  # the one place to flip a capability on, per path
    "llamacpp-smollm2": Claims(tool_calling=True, tool_choice=True),
    "llamacpp-gemma": Claims(tool_calling=True, tool_choice=True),
    "huggingface-smollm2": Claims(tool_calling=True, tool_choice=True),
    "ollama-server": Claims(tool_calling=True, tool_choice=True),
    # llama_cpp.server calls a tool only for a named tool_choice (with the model's own chat
    # template "auto" and "required" answer in text; chatml-function-calling answers
    # "required" with a 500): a limit of that server, not of the openai provider, whose
    # tool calls are tested against inhouse serve (tests/gateway/test_tools.py).
    "llama-cpp-server": Claims(tool_calling=False, tool_choice=False),
}
MODEL_LIMITS = {  # run, and expected to fail, for what the model itself cannot do
    "llamacpp-gemma": {
        "test_unicode_tool_call_integration": "gemma-3-270m writes the Japanese name it"
        " is asked to pass in Latin letters: the call is well-formed, the argument is not",
    },
}
CHEAP_PATHS = {"llamacpp-smollm2", "huggingface-smollm2", "ollama-server", "llama-cpp-server"}
"""The paths `make test` runs (one per provider): gemma only in the full run."""
CHEAP = {
    "test_invoke", "test_stream", "test_usage_metadata", "test_usage_metadata_streaming",
    "test_stop_sequence", "test_structured_output", "test_json_mode", "test_init",
    "test_with_structured_output", "test_standard_params", "test_no_overrides_DO_NOT_OVERRIDE",
}  # fmt: skip
"""The tests `make test` runs on those paths: calls, usage, stop, structured output."""
NOT_CHEAP_ON = {  # transformers' structured output is the same mixin as llama.cpp's
    "huggingface-smollm2": {
        "test_json_mode", "test_structured_output[typeddict]",
        "test_structured_output[json_schema]",
    },
}  # fmt: skip

_models: dict[str, Any] = {}


def built(path: str, request: pytest.FixtureRequest) -> Any:
    """The factory's chat model for `path`, built once per session."""
    if path not in _models:
        _models[path] = chat_model(path_settings(path, request, max_tokens=MAX_TOKENS))
    return _models[path]


STANDARD = {"max_tokens", "stop"}
"""Given by the suites themselves (`standard_chat_model_params`, `test_standard_params`)."""


def constructor_params(model: Any) -> dict[str, Any]:
    """What the factory passed the model's class, less the standard parameters:
    `chat_model_class(**params)` is the same model again (the suites build theirs so)."""
    return {k: getattr(model, k) for k in model.model_fields_set if k not in STANDARD}


def _cheap(request: pytest.FixtureRequest, path: str) -> None:
    name = request.node.originalname or request.node.name
    cheap = name in CHEAP and request.node.name not in NOT_CHEAP_ON.get(path, ())
    if FULL or (path in CHEAP_PATHS and cheap):
        reason = MODEL_LIMITS.get(path, {}).get(name)
        if reason:
            request.node.add_marker(pytest.mark.xfail(reason=reason, strict=True))
        return
    pytest.skip("runs with INHOUSE_TEST_FULL=1 (make test-all); make test runs the core")


class PathModel:
    """Mixin: the suites' model settings, from the factory's model for `path`."""

    path: ClassVar[str]
    _model: Any = None

    @pytest.fixture(autouse=True)
    def _factory_model(self, request: pytest.FixtureRequest) -> None:
        _cheap(request, self.path)
        self._model = built(self.path, request)

    @property
    def chat_model_class(self) -> type:
        return type(self._model)

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return constructor_params(self._model)

    @property
    def standard_chat_model_params(self) -> dict[str, Any]:
        return {**super().standard_chat_model_params, "temperature": 0, "max_tokens": MAX_TOKENS}

    @property
    def has_tool_calling(self) -> bool:
        return CLAIMS[self.path].tool_calling

    @property
    def has_tool_choice(self) -> bool:
        return CLAIMS[self.path].tool_choice

    @property
    def has_structured_output(self) -> bool:
        return True

    @property
    def supports_json_mode(self) -> bool:
        return True

    @property
    def returns_usage_metadata(self) -> bool:
        return True

    @property
    def supports_model_override(self) -> bool:
        return False  # one model per file or test server: nothing to switch to per call


def _classes(path: str, name: str) -> tuple[type, type]:
    integration = type(f"Test{name}Integration", (PathModel, ChatModelIntegrationTests),
                       {"path": path})  # fmt: skip
    unit = type(f"Test{name}Unit", (PathModel, ChatModelUnitTests), {"path": path})
    return integration, unit


TestLlamaCppSmolLM2Integration, TestLlamaCppSmolLM2Unit = _classes(
    "llamacpp-smollm2", "LlamaCppSmolLM2"
)
TestLlamaCppGemmaIntegration, TestLlamaCppGemmaUnit = _classes("llamacpp-gemma", "LlamaCppGemma")
TestHuggingFaceIntegration, TestHuggingFaceUnit = _classes("huggingface-smollm2", "HuggingFace")
TestOllamaServerIntegration, TestOllamaServerUnit = _classes("ollama-server", "OllamaServer")
TestLlamaCppServerIntegration, TestLlamaCppServerUnit = _classes(
    "llama-cpp-server", "LlamaCppServer"
)
