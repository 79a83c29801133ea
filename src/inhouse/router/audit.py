"""The audit log: one JSON line per decision, without the prompt text.

    {"time": "2026-11-30T12:00:00Z", "sha256": "3f2a...", "chars": 812, "messages": 2,
     "target": "local", "rules": ["sensitive"], "entities": ["email", "iban"],
     "complexity": 0.12, "ms": 0.41, "ner": "skipped", "all_hits": false}

`all_hits` says whether `entities` names every type found, or (false) the type of the
first detector that fired, where the router stopped looking (`HybridRouter.all_hits`;
the gateway always asks for every hit).

The hash lets an auditor match a line to a prompt they already hold; nothing in the
line reveals the prompt.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from pathlib import Path
from typing import Any

from inhouse.router.policy import RouteDecision


class AuditLog:
    """Append decisions to a JSON-lines file (thread-safe); `path=None` keeps none."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)

    def write(self, text: str, messages: int, decision: RouteDecision) -> dict[str, Any]:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "sha256": hashlib.sha256(text.encode()).hexdigest(),
            "chars": len(text),
            "messages": messages,
            "target": decision.target,
            "rules": list(decision.rules),
            "entities": sorted({h.type for h in decision.hits}),
            "complexity": round(decision.complexity, 3),
            "ms": round(decision.ms, 3),
            "ner": decision.ner,
            "all_hits": decision.all_hits,
        }
        if decision.fallback:
            entry["fallback"] = decision.fallback
        if self.path is not None:
            line = json.dumps(entry) + "\n"
            with self._lock, self.path.open("a", encoding="utf-8") as f:
                f.write(line)
        return entry
