"""Heavy objects (loaded models) shared within a process, each loaded exactly once.

Keys name the provider, the model and every load parameter, so two settings that load
the same weights the same way share one object, and two threads asking at once wait for
one load instead of doing two.
"""

from __future__ import annotations

import atexit
import contextlib
import threading
from collections import Counter
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

_lock = threading.Lock()
_objects: dict[Hashable, Any] = {}
_key_locks: dict[Hashable, threading.Lock] = {}
load_counts: Counter[Hashable] = Counter()
"""How often each key was loaded; tests use it to prove nothing loads twice."""


def shared(key: Hashable, load: Callable[[], T]) -> T:
    """Return the object cached under `key`, calling `load()` only the first time."""
    with _lock:
        if key in _objects:
            return _objects[key]
        key_lock = _key_locks.setdefault(key, threading.Lock())
    with key_lock:
        with _lock:
            if key in _objects:
                return _objects[key]
        obj = load()
        with _lock:
            _objects[key] = obj
            load_counts[key] += 1
        return obj


def close_at_exit(obj: object) -> None:
    """Close `obj` (if it has `close()`) when the interpreter exits, before modules are torn
    down: llama.cpp's finalisers fail noisily once its C bindings are gone."""
    with _lock:
        _closing.append(obj)


_closing: list[object] = []


@atexit.register
def _close_all() -> None:
    with _lock:
        objects = [*_objects.values(), *_closing]
        _objects.clear()
        _closing.clear()
    for obj in reversed(objects):
        close = getattr(obj, "close", None)
        if callable(close):
            with contextlib.suppress(Exception):
                close()


def loaded_keys() -> list[Hashable]:
    with _lock:
        return list(_objects)


def clear() -> None:
    """Forget every shared object (they are freed once nothing else holds them)."""
    with _lock:
        _objects.clear()
        _key_locks.clear()


def lock_for(obj: object) -> threading.Lock:
    """One lock per loaded model object: such models are not thread-safe.

    Not re-entrant on purpose: a stream may be resumed on another thread (LangChain's
    default `astream` runs each step in an executor), and a plain lock can be released
    by any thread. Never take it twice on one call path.
    """
    with _lock:
        lock = getattr(obj, "_inhouse_lock", None)
        if lock is None:
            lock = threading.Lock()
            obj._inhouse_lock = lock  # type: ignore[attr-defined]
        return lock
