"""The factory: a provider table, run-time switching, and models loaded once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from inhouse import chat_model, load_settings
from inhouse.errors import ConfigError
from inhouse.factory import settings_for_provider
from inhouse.providers import _shared
from inhouse.providers.registry import Provider, provider_names, register, unregister

builds: Counter[str] = Counter()


def _fake_chat(section, settings) -> GenericFakeChatModel:  # wiring only: no model behaviour
    builds[section.model] += 1
    return GenericFakeChatModel(messages=iter([AIMessage(f"fake:{section.model}")] * 100))


@pytest.fixture
def fake_provider() -> Iterator[str]:
    builds.clear()
    register(Provider(name="fake", extra="fake", description="test", chat_model=_fake_chat))
    yield "fake"
    unregister("fake")


def test_builtin_providers_are_registered() -> None:
    assert {"llamacpp", "ollama", "huggingface", "openai"} <= set(provider_names("chat_model"))
    assert {"llamacpp", "ollama", "huggingface", "openai"} <= set(provider_names("embeddings"))


def test_a_registered_provider_is_a_config_change(fake_provider: str) -> None:
    model = chat_model(load_settings(llm={"provider": "fake", "model": "m1"}))
    assert model.invoke("hi").content == "fake:m1"


def test_provider_without_capability_is_a_clear_error(fake_provider: str) -> None:
    from inhouse import embeddings

    with pytest.raises(ConfigError, match="unknown provider 'nope'; allowed: fake, huggingface"):
        load_settings(embeddings={"provider": "nope"})  # settings check the name
    settings = load_settings(embeddings={"provider": "fake"})  # a registered name is valid
    with pytest.raises(ConfigError, match="'fake' cannot build embeddings; use one of: "):
        embeddings(settings)  # the factory checks what it can build


def test_an_unregistered_provider_is_unknown_again() -> None:
    register(Provider(name="gone", extra="gone", description="test", chat_model=_fake_chat))
    assert load_settings(llm={"provider": "gone", "model": "m"}).llm.provider == "gone"
    unregister("gone")
    with pytest.raises(ConfigError, match="unknown provider 'gone'"):
        load_settings(llm={"provider": "gone", "model": "m"})


def test_capabilities_live_on_the_provider_record() -> None:
    from inhouse.providers.registry import get_provider

    counting = {name: get_provider(name).token_counting for name in ("llamacpp", "huggingface",
                                                                     "ollama", "openai")}
    assert counting == {"llamacpp": "tokenizer", "huggingface": "tokenizer",
                        "ollama": "estimate", "openai": "estimate"}  # fmt: skip
    assert all(get_provider(name).constrain is not None for name in counting)


def test_loading_a_profile_imports_no_backend() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from inhouse.settings import load_settings; load_settings('hybrid');"
        " print(sorted(m for m in sys.modules if m.startswith(('inhouse.providers.llamacpp',"
        " 'inhouse.providers.ollama', 'inhouse.providers.huggingface', 'inhouse.providers.openai',"
        " 'llama_cpp', 'langchain_ollama', 'langchain_openai', 'transformers', 'torch'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_switching_uses_the_profile_of_the_same_name() -> None:
    settings = load_settings(llm={"temperature": 0.0})
    switched = settings_for_provider(settings, "ollama")
    assert switched.llm.provider == "ollama"
    assert switched.llm.model == "smollm2:135m"  # from config/ollama.toml
    assert switched.llm.temperature == 0.0  # explicit arguments are kept
    assert settings.llm.provider == "llamacpp"  # the original is untouched


@pytest.mark.integration
def test_run_time_switch_never_reloads(fake_provider: str) -> None:
    settings = load_settings(llm={"temperature": 0.0, "max_tokens": 8})
    model = chat_model(settings, configurable=True)
    local = model.invoke("Say hello.")
    assert local.content and not str(local.content).startswith("fake:")
    llama_keys = [k for k in _shared.loaded_keys() if k[0] == "llamacpp"]

    for _ in range(3):
        reply = model.invoke("hi", config={"configurable": {"provider": "fake"}})
        assert reply.content == "fake:smollm2-135m-instruct"
    assert builds["smollm2-135m-instruct"] == 1  # built on first use, then kept

    again = model.invoke("Say hello.", config={"configurable": {"provider": "llamacpp"}})
    assert again.content
    assert all(_shared.load_counts[k] == 1 for k in llama_keys)
