"""Settings: profiles merge in order, .env and environment override, arguments win."""

from __future__ import annotations

from pathlib import Path

import pytest

from inhouse.errors import ConfigError
from inhouse.settings import load_settings, profile_names, with_profile
from inhouse.settings.show import MASK, masked_dict, setting_rows


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def user_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "user-config"
    write(folder / "fast.toml", "[llm]\ntemperature = 0.0\nmax_tokens = 32\n")
    write(folder / "big.toml", "[llm]\nmax_tokens = 2048\ncontext_length = 4096\n")
    return folder


def test_defaults_come_from_the_default_profile() -> None:
    settings = load_settings()
    assert settings.llm.provider == "llamacpp"
    assert settings.llm.model == "smollm2-135m-instruct"
    assert settings.embeddings.provider == "huggingface"
    assert not settings.cloud.enabled
    assert settings.source_of("llm.provider").startswith("profile default")
    assert settings.source_of("llm.top_p") == "default"


def test_builtin_profiles_exist() -> None:
    names = profile_names()
    for name in ("default", "ollama", "llamacpp", "huggingface", "hybrid", "openai"):
        assert name in names


def test_named_profile_merges_over_default() -> None:
    settings = load_settings("ollama")
    assert settings.llm.provider == "ollama"
    assert settings.llm.base_url == "http://127.0.0.1:11434"
    assert settings.llm.max_tokens == 512  # from default, untouched by the ollama profile
    assert settings.profiles == ["default", "ollama"]


def test_profiles_merge_left_to_right(user_dir: Path) -> None:
    settings = load_settings("fast,big", config_dir=user_dir)
    assert settings.llm.temperature == 0.0  # only fast sets it
    assert settings.llm.max_tokens == 2048  # big comes after fast
    settings = load_settings(["big", "fast"], config_dir=user_dir)
    assert settings.llm.max_tokens == 32


def test_profile_from_environment(user_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INHOUSE_PROFILE", "ollama,fast")
    monkeypatch.setenv("INHOUSE_CONFIG_DIR", str(user_dir))
    settings = load_settings()
    assert settings.llm.provider == "ollama"
    assert settings.llm.max_tokens == 32


def test_user_profile_overrides_builtin_of_same_name(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    write(folder / "ollama.toml", '[llm]\nbase_url = "http://127.0.0.1:9999"\n')
    settings = load_settings("ollama", config_dir=folder)
    assert settings.llm.provider == "ollama"  # from the built-in ollama profile
    assert settings.llm.base_url == "http://127.0.0.1:9999"  # the user's file wins


def test_dotenv_then_environment_then_arguments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / ".env", "INHOUSE_LLM__MAX_TOKENS=100\nINHOUSE_LLM__TEMPERATURE=0.5\n")
    settings = load_settings()
    assert settings.llm.max_tokens == 100
    assert settings.source_of("llm.max_tokens") == ".env INHOUSE_LLM__MAX_TOKENS"

    monkeypatch.setenv("INHOUSE_LLM__MAX_TOKENS", "200")
    settings = load_settings()
    assert settings.llm.max_tokens == 200
    assert settings.llm.temperature == 0.5
    assert settings.source_of("llm.max_tokens") == "env INHOUSE_LLM__MAX_TOKENS"

    settings = load_settings(llm={"max_tokens": 300})
    assert settings.llm.max_tokens == 300
    assert settings.source_of("llm.max_tokens") == "argument"


def test_environment_parses_lists_and_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INHOUSE_LLM__STOP", '["###", "\\nUser:"]')
    monkeypatch.setenv("inhouse_llm__provider", "ollama")
    settings = load_settings()
    assert settings.llm.stop == ["###", "\nUser:"]
    assert settings.llm.provider == "ollama"


def test_secrets_are_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INHOUSE_CLOUD__API_KEY", "sk-very-secret-value")
    settings = load_settings("hybrid")
    assert settings.cloud.api_key.get_secret_value() == "sk-very-secret-value"
    rows = {row.path: row for row in setting_rows(settings)}
    assert rows["cloud.api_key"].value == MASK
    assert rows["cloud.api_key"].source == "env INHOUSE_CLOUD__API_KEY"
    assert "sk-very-secret-value" not in repr(masked_dict(settings))
    assert "sk-very-secret-value" not in repr(settings)


def test_every_field_has_a_description() -> None:
    rows = setting_rows(load_settings())
    assert rows, "no settings rows"
    missing = [row.path for row in rows if not row.description]
    assert missing == []


def test_with_profile_adds_a_profile_on_top(user_dir: Path) -> None:
    base = load_settings("fast", config_dir=user_dir)
    switched = with_profile(base, "ollama")
    assert switched.llm.provider == "ollama"
    assert switched.llm.max_tokens == 32
    assert switched.profiles == ["default", "fast", "ollama"]


def test_paths_expand_home() -> None:
    settings = load_settings(models={"cache_dir": "~/x"})
    assert "~" not in str(settings.models.cache_dir)


# --- errors: one line naming the field path, the bad value, the source and what is allowed


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"INHOUSE_LLM__PROVIDER": "olama"},
            "invalid setting llm.provider = 'olama' (set by env INHOUSE_LLM__PROVIDER):"
            " unknown provider 'olama'; allowed: ",
        ),
        (
            {"INHOUSE_LLM__CONTEXT_LENGTH": "-4"},
            "invalid setting llm.context_length = '-4' (set by env INHOUSE_LLM__CONTEXT_LENGTH):"
            " Input should be greater than 0",
        ),
        (
            {"INHOUSE_LLM__TEMPERATURE": "hot"},
            "invalid setting llm.temperature = 'hot' (set by env INHOUSE_LLM__TEMPERATURE):"
            " Input should be a valid number",
        ),
        (
            {"INHOUSE_LLM__MODLE": "x"},
            "unknown setting llm.modle (set by env INHOUSE_LLM__MODLE); did you mean llm.model?",
        ),
        ({"INHOUSE_LMM__MODEL": "x"}, "unknown setting lmm (set by env INHOUSE_LMM__MODEL)"),
        (
            {"INHOUSE_LOG_LEVEL": "loud"},
            "invalid setting log_level = 'loud' (set by env INHOUSE_LOG_LEVEL): unknown log level",
        ),
    ],
)
def test_invalid_environment_is_one_clear_line(
    env: dict[str, str], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as info:
        load_settings()
    message = str(info.value)
    assert message.startswith(expected)
    assert "\n" not in message


def test_typo_in_profile_file_names_file_and_key(tmp_path: Path) -> None:
    folder = tmp_path / "cfg"
    bad = write(folder / "typo.toml", "[llm]\ntemprature = 0.1\n")
    with pytest.raises(ConfigError) as info:
        load_settings("typo", config_dir=folder)
    message = str(info.value)
    assert "unknown setting llm.temprature" in message
    assert str(bad) in message
    assert "did you mean llm.temperature?" in message


def test_broken_toml_names_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "cfg"
    bad = write(folder / "broken.toml", "[llm\nprovider = 'x'\n")
    with pytest.raises(ConfigError, match="is not valid TOML") as info:
        load_settings("broken", config_dir=folder)
    assert str(bad) in str(info.value)


def test_unknown_profile_lists_available() -> None:
    with pytest.raises(ConfigError) as info:
        load_settings("nope")
    message = str(info.value)
    assert message.startswith("unknown profile 'nope'")
    assert "ollama" in message and "hybrid" in message


def test_several_errors_are_counted_on_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INHOUSE_LLM__MAX_TOKENS", "0")
    monkeypatch.setenv("INHOUSE_LLM__TOP_P", "5")
    with pytest.raises(ConfigError, match=r"\(and 1 more\)$"):
        load_settings()
