"""A Rich table of local models, for `inhouse models`.

Usage:
    >>> from rich.console import Console
    >>> from inhouse.models.catalog import list_models
    >>> Console().print(models_table(list_models(settings.models)))  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.filesize import decimal
from rich.table import Table

from inhouse.models.info import ModelInfo

COLUMNS = (
    "name",
    "source",
    "format",
    "architecture",
    "quantisation",
    "size",
    "context",
    "chat template",
    "problem",
)

MIN_WIDTHS = {"name": 14, "architecture": 9, "quantisation": 6, "size": 8, "problem": 10}
"""Narrow terminals fold cells onto several lines, but never below these widths."""


def models_table(infos: Iterable[ModelInfo]) -> Table:
    """One row per model; broken models are shown in red with their problem."""
    table = Table(title="Local models", title_justify="left", expand=False)
    for column in COLUMNS:
        table.add_column(
            column,
            justify="right" if column in ("size", "context") else "left",
            overflow="fold",
            min_width=MIN_WIDTHS.get(column),
        )
    for info in infos:
        table.add_row(*_cells(info), style="red" if info.problem else None)
    return table


def _cells(info: ModelInfo) -> list[str]:
    return [
        info.name,
        info.source,
        info.format,
        info.architecture or "-",
        info.quantization or "-",
        decimal(info.size_bytes) if info.size_bytes else "-",
        f"{info.context_length:,}" if info.context_length else "-",
        _yes_no(info.chat_template),
        info.problem or "",
    ]


def _yes_no(value: bool | None) -> str:
    return "-" if value is None else ("yes" if value else "no")
