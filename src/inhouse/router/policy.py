"""The routing policy: one text (everything a request would send) in, a decision out.

Rules, in order (the first that decides wins):

1. **sensitive**: a detector hit of a type in `sensitive_types`, a `sensitive=True`
   hint, context from a knowledge base not marked shareable, or a detector that raised
   (fail closed) -> local.
2. **bulk**: part of a large `batch()` -> local.
3. **complex**: complexity at or above the threshold, the cloud enabled and configured
   -> cloud, unless the NER model then finds a person's name (rule 1 after all).
4. otherwise -> local.

The NER model (`router.ner_model`) is the one expensive check, so it runs only for a
request that would otherwise go to the cloud: one that stays local anyway does not wait
for it, and `RouteDecision.ner` (in the audit log too) says whether it ran ("run"),
was not needed ("skipped"), is turned off ("off": no model, or names not sensitive) or
failed ("failed": the request stays local).

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
from inhouse.router.detectors import DetectorConfig, Hit, detect, find_ner_names
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
    ner: str = "skipped"
    all_hits: bool = True
    """Whether `hits` lists every hit, or (False) only those of the first detector that
    found one: `decide` stops there unless asked for all (`all_hits=True`)."""

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
            "hits": [_hit_dict(h) for h in self.hits],
            "complexity": round(self.complexity, 3),
            "ms": round(self.ms, 3),
            "ner": self.ner,
            "all_hits": self.all_hits,
        }
        if self.fallback:
            found["fallback"] = self.fallback
        return found


def _hit_dict(hit: Hit) -> dict[str, Any]:
    found: dict[str, Any] = {"type": hit.type, "start": hit.start, "end": hit.end}
    found.update(why=hit.why, evidence=hit.evidence)
    if hit.score is not None:
        found["score"] = round(hit.score, 3)
    return found


def detector_config(settings: RouterSettings) -> DetectorConfig:
    return DetectorConfig(
        custom_terms=tuple(settings.custom_terms),
        custom_patterns=tuple(settings.custom_patterns),
        ner_model=settings.ner_model if "name" in settings.sensitive_types else "",
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
    all_hits: bool = False,
) -> RouteDecision:
    """Apply the rules to `text`; never calls a remote service. The detectors stop at
    the first that finds something (the request stays local then, whatever else is
    there) unless `all_hits` asks for every hit (for an explanation, an audit that
    lists every type, an evaluation)."""
    started = time.perf_counter()
    config = detectors or detector_config(settings)
    types = frozenset(settings.sensitive_types)
    failed = False
    try:
        hits = tuple(detect(text, config, types=types, first=not all_hits))
    except Exception:  # a detector that fails counts as a hit: fail closed
        hits, failed = (), True
    private_kbs = [kb for kb in kbs if kb not in settings.shareable_kbs]
    if hits or failed or sensitive or private_kbs:
        rules = ["sensitive"]
        rules += ["detector_error"] if failed else []
        rules += ["hint"] if sensitive else []
        rules += ["kb_context"] if private_kbs else []
        return _done("local", rules, hits, 0.0, started, complete=all_hits or not hits)
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
    if "name" not in types or not config.ner_model:
        return _done("cloud", ["complex"], hits, level, started, ner="off")
    try:  # the request would go to the cloud: now the expensive check
        names = tuple(find_ner_names(text, config))
    except Exception:
        return _done("local", ["sensitive", "detector_error"], (), level, started, "failed")
    if names:
        return _done("local", ["sensitive"], names, level, started, ner="run")
    return _done("cloud", ["complex"], hits, level, started, ner="run")


def _done(
    target: Target, rules: list[str], hits: tuple[Hit, ...], level: float, started: float,
    ner: str = "skipped", complete: bool = True,
) -> RouteDecision:  # fmt: skip
    ms = (time.perf_counter() - started) * 1000
    return RouteDecision(target, tuple(rules), hits, level, ms, ner=ner, all_hits=complete)
