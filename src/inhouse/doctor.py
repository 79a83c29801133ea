"""`inhouse doctor`: is each configured provider reachable, and does its model work?

Example:
    >>> from inhouse.doctor import run_checks
    >>> for check in run_checks(load_settings()):  # doctest: +SKIP
    ...     print(check.section, check.step, check.ok, check.detail)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from inhouse.errors import InhouseError
from inhouse.providers.registry import get_provider

if TYPE_CHECKING:
    from inhouse.settings.schema import ModelSection, Settings


@dataclass(frozen=True)
class Check:
    section: str
    provider: str
    step: str
    ok: bool
    detail: str
    seconds: float


def _run(section_name: str, section: ModelSection, step: str, fn: Callable[[], str]) -> Check:
    start = time.perf_counter()
    try:
        detail, ok = fn(), True
    except InhouseError as exc:
        detail, ok = str(exc), False
    except Exception as exc:  # a doctor reports every failure instead of crashing
        detail, ok = f"{type(exc).__name__}: {exc}", False
    return Check(section_name, section.provider, step, ok, detail, time.perf_counter() - start)


def _chat_steps(name: str, section: ModelSection, settings: Settings) -> Iterator[Check]:
    from inhouse.factory import _build

    small = section.model_copy(update={"max_tokens": 4, "temperature": 0.0})
    holder: dict[str, Any] = {}

    def load() -> str:
        holder["model"] = _build("chat_model", small, settings)
        return type(holder["model"]).__name__

    def generate() -> str:
        reply = holder["model"].invoke("Reply with the word OK.")
        text = str(reply.content).strip()
        if not text:
            msg = "the model answered with nothing (does it have a chat template?)"
            raise InhouseError(msg)
        return repr(text[:40])

    check = _run(name, section, "loads", load)
    yield check
    if check.ok:
        yield _run(name, section, "generates", generate)


def _embedding_steps(name: str, section: ModelSection, settings: Settings) -> Iterator[Check]:
    from inhouse.factory import _build

    def embed() -> str:
        vector = _build("embeddings", section, settings).embed_query("doctor check")
        return f"{len(vector)} dimensions"

    yield _run(name, section, "embeds", embed)


def run_checks(settings: Settings) -> Iterator[Check]:
    """Yield each check as it finishes: probe (reachable, model present), load, use."""
    sections: list[tuple[str, ModelSection, Callable[..., Iterator[Check]]]] = [
        ("llm", settings.llm, _chat_steps),
        ("embeddings", settings.embeddings, _embedding_steps),
    ]
    if settings.cloud.enabled:
        sections.append(("cloud", settings.cloud, _chat_steps))
    for name, section, steps in sections:
        probe = get_provider(section.provider).probe
        if probe is not None:
            check = _run(name, section, "reachable", lambda p=probe, s=section: p(s, settings))
            yield check
            if not check.ok:
                continue
        yield from steps(name, section, settings)
