"""The routing policy: one text (everything a request would send) in, a decision out.

Rules, in order (the first that decides wins):

1. **sensitive**: a detector hit, a `sensitive=True` hint, context from a knowledge base
   not marked shareable, or a detector that raised (fail closed) -> local.
2. **bulk**: part of a large `batch()` -> local.
3. **complex**: complexity at or above the threshold, the cloud enabled and configured
   -> cloud.
4. otherwise -> local.

    >>> from inhouse.settings.schema import RouterSettings
    >>> d = decide("Mail jane.doe@example.com the plan", RouterSettings(enabled=True),
    ...            cloud_available=True)
    >>> d.target, d.rules, [(h.type, h.start, h.end) for h in d.hits]
    ('local', ('sensitive',), [('email', 5, 25)])
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from inhouse.router import complexity
from inhouse.router.detectors import DetectorConfig, Hit, detect
from inhouse.settings.schema import RouterSettings

Target = Literal["local", "cloud"]


@dataclass(frozen=True)
class RouteDecision:
    """Where a request goes and why. `rules` names every rule that fired."""

    target: Target
    rules: tuple[str, ...]
    hits: tuple[Hit, ...] = ()
    complexity: float = 0.0
    ms: float = 0.0
    fallback: str | None = field(default=None)

    @property
    def sensitive(self) -> bool:
        return "sensitive" in self.rules

    def falling_back(self, reason: str) -> RouteDecision:
        """The same decision after the cloud failed: local, with the reason recorded."""
        return replace(self, target="local", rules=(*self.rules, "fallback"), fallback=reason)

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "target": self.target,
            "rules": list(self.rules),
            "hits": [{"type": h.type, "start": h.start, "end": h.end} for h in self.hits],
            "complexity": round(self.complexity, 3),
            "ms": round(self.ms, 3),
        }
        if self.fallback:
            found["fallback"] = self.fallback
        return found


def detector_config(settings: RouterSettings) -> DetectorConfig:
    return DetectorConfig(
        custom_terms=tuple(settings.custom_terms), custom_patterns=tuple(settings.custom_patterns)
    )


def decide(
    text: str,
    settings: RouterSettings,
    *,
    cloud_available: bool,
    sensitive: bool = False,
    kbs: Sequence[str] = (),
    bulk: bool = False,
    detectors: DetectorConfig | None = None,
    similarity: Callable[[str], float] | None = None,
) -> RouteDecision:
    """Apply the rules to `text`; never calls a remote service."""
    started = time.perf_counter()
    failed = False
    try:
        hits = tuple(detect(text, detectors or detector_config(settings)))
    except Exception:  # a detector that fails counts as a hit: fail closed
        hits, failed = (), True
    private_kbs = [kb for kb in kbs if kb not in settings.shareable_kbs]
    if hits or failed or sensitive or private_kbs:
        rules = ["sensitive"]
        rules += ["detector_error"] if failed else []
        rules += ["hint"] if sensitive else []
        rules += ["kb_context"] if private_kbs else []
        return _done("local", rules, hits, 0.0, started)
    if bulk:
        return _done("local", ["bulk"], hits, 0.0, started)
    try:
        near = similarity(text) if similarity else None
    except Exception:
        near = None  # the optional feature is lost, not the decision
    level = complexity.score(text, near)
    if level < settings.complexity_threshold:
        return _done("local", ["simple"], hits, level, started)
    if not settings.enabled:
        return _done("local", ["complex", "cloud_disabled"], hits, level, started)
    if not cloud_available:
        return _done("local", ["complex", "no_cloud"], hits, level, started)
    return _done("cloud", ["complex"], hits, level, started)


def _done(
    target: Target, rules: list[str], hits: tuple[Hit, ...], level: float, started: float
) -> RouteDecision:
    ms = (time.perf_counter() - started) * 1000
    return RouteDecision(target, tuple(rules), hits, level, ms)
