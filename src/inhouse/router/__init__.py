"""The fail-closed hybrid router: sensitive requests stay on the local model.

    >>> from inhouse import load_settings
    >>> from inhouse.router import HybridRouter, decide
    >>> router = HybridRouter.from_settings(load_settings("hybrid"))     # doctest: +SKIP

Modules: `normalize` (undo obfuscation, with an offset map back to the original),
`detectors` (personal and secret data, validated), `complexity` (cheap features),
`policy` (the rules, `decide`, `RouteDecision`), `hybrid` (`HybridRouter`, the
Runnable), `audit` (the JSON-lines log). The labelled-set evaluation is
`inhouse.evaluate.router`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["HybridRouter", "RouteDecision", "decide"]

_HOMES = {
    "HybridRouter": "inhouse.router.hybrid",
    "RouteDecision": "inhouse.router.policy",
    "decide": "inhouse.router.policy",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        import importlib

        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'inhouse.router' has no attribute {name!r}")
