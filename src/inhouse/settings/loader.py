"""Build `Settings` from layered sources and remember which source set each value.

Sources, in rising priority:

1. built-in defaults (the field defaults in `schema.py`);
2. profiles: `default`, then each named profile, left to right; a profile is
   `<name>.toml` in the built-in `config/` folder and/or in the user config folder
   (`INHOUSE_CONFIG_DIR`), the user's file winning;
3. a `.env` file in the working directory;
4. environment variables `INHOUSE_<SECTION>__<FIELD>`;
5. explicit keyword arguments to `load_settings`.
"""

from __future__ import annotations

import difflib
import json
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from inhouse.errors import ConfigError
from inhouse.settings.schema import Settings

ENV_PREFIX = "INHOUSE_"
# Variables that steer loading itself rather than naming a setting.
CONTROL_VARS = frozenset({"PROFILE", "CONFIG_DIR", "DEBUG", "ENV_FILE"})

Path_ = tuple[str, ...]


@dataclass
class Layer:
    """One source's values, flattened to dotted paths, each with a label for `config show`."""

    values: dict[Path_, Any] = field(default_factory=dict)
    labels: dict[Path_, str] = field(default_factory=dict)

    def set(self, path: Path_, value: Any, label: str) -> None:
        self.values[path] = value
        self.labels[path] = label


def builtin_config_dir() -> Path:
    """The profiles shipped with inhouse: `config/` in a checkout, `_config/` in a wheel."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "_config", package.parents[1] / "config"):
        if candidate.is_dir():
            return candidate
    return package / "_config"


def user_config_dir(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    raw = explicit if explicit is not None else os.environ.get(ENV_PREFIX + "CONFIG_DIR")
    return Path(raw).expanduser() if raw else None


def profile_names(config_dir: str | os.PathLike[str] | None = None) -> list[str]:
    """Every profile that can be named, built-in and user."""
    dirs = [builtin_config_dir(), user_config_dir(config_dir)]
    return sorted({p.stem for d in dirs if d and d.is_dir() for p in d.glob("*.toml")})


def _flatten(data: Mapping[str, Any], label: str, layer: Layer, prefix: Path_ = ()) -> None:
    for key, value in data.items():
        path = (*prefix, str(key))
        if isinstance(value, Mapping) and value:
            _flatten(value, label, layer, path)
        else:
            layer.set(path, value, label)


def read_toml(path: Path, kind: str = "profile file") -> dict[str, Any]:
    """A TOML file's data, or one `ConfigError` line naming the file (`kind` says what it is)."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        msg = f"{kind} {path} is not valid TOML: {exc}; fix the file or remove it"
        raise ConfigError(msg) from None
    except OSError as exc:
        msg = f"cannot read {kind} {path}: {exc.strerror}"
        raise ConfigError(msg) from None


def _profile_layers(names: Iterable[str], config_dir: Path | None) -> list[Layer]:
    layers = []
    for name in names:
        files = [d / f"{name}.toml" for d in (builtin_config_dir(), config_dir) if d]
        found = [f for f in files if f.is_file()]
        if not found and name != "default":
            available = ", ".join(profile_names(config_dir)) or "none"
            where = " or ".join(str(f.parent) for f in files)
            msg = f"unknown profile {name!r}: no {name}.toml in {where}; available: {available}"
            raise ConfigError(msg)
        for path in found:
            layer = Layer()
            _flatten(read_toml(path), f"profile {name} ({path})", layer)
            layers.append(layer)
    return layers


def _parse_env_value(raw: str) -> Any:
    text = raw.strip()
    if text[:1] in "[{":
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return raw
    return raw


def _environ_layer(environ: Mapping[str, str], origin: str) -> Layer:
    layer = Layer()
    for name, raw in environ.items():
        if not name.upper().startswith(ENV_PREFIX) or raw is None:
            continue
        rest = name[len(ENV_PREFIX) :]
        if rest.upper() in CONTROL_VARS:
            continue
        path = tuple(part.lower() for part in rest.split("__"))
        layer.set(path, _parse_env_value(raw), f"{origin} {name}")
    return layer


def _dotenv_values(path: Path) -> dict[str, str]:
    from dotenv import dotenv_values

    if not path.is_file():
        return {}
    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def _unflatten(values: Mapping[Path_, Any]) -> dict[str, Any]:
    nested: dict[str, Any] = {}
    for path, value in values.items():
        node = nested
        for key in path[:-1]:
            child = node.get(key)
            if not isinstance(child, dict):
                child = node[key] = {}
            node = child
        if isinstance(value, dict) and isinstance(node.get(path[-1]), dict):
            node[path[-1]].update(value)
        else:
            node[path[-1]] = value
    return nested


def _known_paths(model: type[BaseModel], prefix: Path_ = ()) -> list[str]:
    paths = []
    for name, info in model.model_fields.items():
        path = (*prefix, name)
        paths.append(".".join(path))
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            paths.extend(_known_paths(annotation, path))
    return paths


def _describe_error(error: Mapping[str, Any], labels: Mapping[Path_, str]) -> str:
    loc = tuple(str(part) for part in error["loc"])
    dotted = ".".join(loc)
    label = next((labels[loc[:end]] for end in range(len(loc), 0, -1) if loc[:end] in labels),
                 None)
    if label is None:  # an unknown section: the source set a value inside it
        label = next((lab for path, lab in labels.items() if path[: len(loc)] == loc), None)
    source = f" (set by {label})" if label else ""
    if error["type"] == "extra_forbidden":
        close = difflib.get_close_matches(dotted, _known_paths(Settings), n=1)
        hint = f"; did you mean {close[0]}?" if close else "; `inhouse config show` lists them"
        return f"unknown setting {dotted}{source}{hint}"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"invalid setting {dotted} = {error.get('input')!r}{source}: {message}"


def _split_profiles(profile: str | Iterable[str] | None) -> list[str]:
    if profile is None:
        profile = os.environ.get(ENV_PREFIX + "PROFILE", "")
    if isinstance(profile, str):
        profile = profile.split(",")
    names = ["default"]
    for name in (p.strip() for p in profile):
        if name and name not in names:
            names.append(name)
    return names


def load_settings(
    profile: str | Iterable[str] | None = None,
    *,
    config_dir: str | os.PathLike[str] | None = None,
    env_file: str | os.PathLike[str] | None = ".env",
    environ: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Build settings from defaults, profiles, `.env`, the environment and arguments.

    Example:
        >>> settings = load_settings("ollama", llm={"temperature": 0})
        >>> settings.llm.provider
        'ollama'

    Raises:
        ConfigError: one line naming the field path, the bad value, its source and what
            is allowed.
    """
    environ = os.environ if environ is None else environ
    names = _split_profiles(profile)
    user_dir = user_config_dir(config_dir)
    layers = _profile_layers(names, user_dir)
    if env_file is not None:
        layers.append(_environ_layer(_dotenv_values(Path(env_file)), ".env"))
    layers.append(_environ_layer(environ, "env"))
    explicit = Layer()
    _flatten(overrides, "argument", explicit)
    layers.append(explicit)

    merged = Layer()
    for layer in layers:
        merged.values.update(layer.values)
        merged.labels.update(layer.labels)
    try:
        settings = Settings(**_unflatten(merged.values))
    except ValidationError as exc:
        problems = [_describe_error(e, merged.labels) for e in exc.errors()]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ConfigError(problems[0] + more) from None
    settings._provenance = {".".join(k): v for k, v in merged.labels.items()}
    settings._origin = {
        "profile": names,
        "config_dir": config_dir,
        "env_file": env_file,
        "environ": environ,
        "overrides": overrides,
    }
    return settings


def with_profile(settings: Settings, name: str) -> Settings:
    """The same settings with one more profile merged on top of the others."""
    origin = dict(settings._origin)
    names = [n for n in origin.pop("profile", ["default"]) if n != name]
    overrides = origin.pop("overrides", {})
    return load_settings([*names, name], **origin, **overrides)
