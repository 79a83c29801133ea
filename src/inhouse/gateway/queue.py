"""One generation at a time on the local model, first come first served.

`FifoGate` hands its slot to waiters in arrival order (a plain lock does not), refuses
a new waiter when `max_waiting` are already queued (`QueueFull`, answered 503 with
Retry-After), and lets a waiter leave when its client has gone. `Gated` wraps a
runnable (the local chat model, bound as the request needs) so every call style takes
the slot for the whole call, a stream until it is closed.

Example:
    >>> gate = FifoGate(max_waiting=1)
    >>> with gate.slot():
    ...     gate.busy, gate.waiting
    (True, 0)
    >>> gate.busy
    False
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from langchain_core.runnables import Runnable, RunnableConfig


class QueueFull(Exception):
    """Too many requests are waiting for the local model."""


class Cancelled(Exception):
    """The request was given up (client gone, or past its deadline) while waiting."""


class FifoGate:
    def __init__(self, max_waiting: int) -> None:
        self.max_waiting = max_waiting
        self._lock = threading.Lock()
        self._waiters: deque[threading.Event] = deque()
        self._busy = False

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    @property
    def full(self) -> bool:
        return len(self._waiters) >= self.max_waiting

    def acquire(self, should_stop: Callable[[], bool] | None = None) -> float:
        """Wait for the slot; return the seconds waited. Raises QueueFull or Cancelled."""
        started = time.perf_counter()
        with self._lock:
            if not self._busy and not self._waiters:
                self._busy = True
                return 0.0
            if len(self._waiters) >= self.max_waiting:
                raise QueueFull(f"{len(self._waiters)} requests are waiting for the local model")
            turn = threading.Event()
            self._waiters.append(turn)
        while not turn.wait(0.05):
            if should_stop is not None and should_stop():
                with self._lock:
                    if not turn.is_set():
                        self._waiters.remove(turn)
                        raise Cancelled("the request was given up while it waited")
                self.release()  # the slot arrived just now: pass it on
                raise Cancelled("the request was given up while it waited")
        return time.perf_counter() - started

    def release(self) -> None:
        with self._lock:
            if self._waiters:
                self._waiters.popleft().set()  # the slot passes on; busy stays True
            else:
                self._busy = False

    @contextmanager
    def slot(self, should_stop: Callable[[], bool] | None = None) -> Iterator[float]:
        waited = self.acquire(should_stop)
        try:
            yield waited
        finally:
            self.release()


_STOP = "inhouse_should_stop"
"""Key in a call's ``configurable`` holding a () -> bool: whether its client has gone."""


def should_stop(config: RunnableConfig | None) -> Callable[[], bool] | None:
    return ((config or {}).get("configurable") or {}).get(_STOP)


class Gated(Runnable[Any, Any]):
    """`inner` under the gate: invoke and stream each hold the slot for the whole call.

    The gateway calls models from worker threads, so only the sync forms are gated
    here; LangChain's default async forms run them in an executor.
    """

    def __init__(
        self, inner: Runnable, gate: FifoGate, on_wait: Callable[[float], None] | None = None
    ) -> None:
        self.inner, self.gate, self.on_wait = inner, gate, on_wait

    def _acquire(self, config: RunnableConfig | None) -> None:
        waited = self.gate.acquire(should_stop(config))
        if self.on_wait is not None:
            self.on_wait(waited)

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Any:
        self._acquire(config)
        try:
            return self.inner.invoke(input, config, **kwargs)
        finally:
            self.gate.release()

    def stream(
        self, input: Any, config: RunnableConfig | None = None, **kwargs: Any
    ) -> Iterator[Any]:
        self._acquire(config)
        try:
            yield from self.inner.stream(input, config, **kwargs)
        finally:
            self.gate.release()
