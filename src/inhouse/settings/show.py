"""The effective settings as rows for `inhouse config show`: path, value, source, meaning."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, SecretStr

from inhouse.settings.schema import Settings

MASK = "********"


@dataclass(frozen=True)
class SettingRow:
    path: str
    value: Any
    source: str
    description: str


def _display(value: Any) -> Any:
    if isinstance(value, SecretStr):
        return MASK if value.get_secret_value() else ""
    if isinstance(value, dict):
        return {k: _display(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_display(v) for v in value]
    if hasattr(value, "__fspath__"):
        return str(value)
    return value


def _rows(model: BaseModel, settings: Settings, prefix: str) -> list[SettingRow]:
    rows = []
    for name, info in type(model).model_fields.items():
        path = f"{prefix}{name}"
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            rows.extend(_rows(value, settings, path + "."))
            continue
        rows.append(
            SettingRow(path, _display(value), settings.source_of(path), info.description or "")
        )
    return rows


def setting_rows(settings: Settings) -> list[SettingRow]:
    """Every leaf setting with its effective value (secrets masked) and its source."""
    return _rows(settings, settings, "")


def masked_dict(settings: Settings) -> dict[str, Any]:
    """The effective settings as nested plain data, secrets masked (for `--json`)."""
    nested: dict[str, Any] = {}
    for row in setting_rows(settings):
        node = nested
        *parents, leaf = row.path.split(".")
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = {"value": row.value, "source": row.source}
    return nested
