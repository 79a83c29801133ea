"""The local model's queue: first come first served, bounded, and leavable."""

from __future__ import annotations

import threading

import pytest

from inhouse.gateway.queue import Cancelled, FifoGate, QueueFull


def test_waiters_are_served_in_arrival_order() -> None:
    gate = FifoGate(max_waiting=10)
    gate.acquire()
    order: list[int] = []
    arrived = []

    def wait(i: int) -> None:
        gate.acquire()
        order.append(i)
        gate.release()

    threads = []
    for i in range(6):
        thread = threading.Thread(target=wait, args=(i,))
        thread.start()
        threads.append(thread)
        while gate.waiting < i + 1:  # each is queued before the next arrives
            pass
        arrived.append(i)
    gate.release()
    for thread in threads:
        thread.join(timeout=10)
    assert order == arrived == list(range(6))
    assert not gate.busy and gate.waiting == 0


def test_a_full_queue_refuses_and_a_waiter_can_leave() -> None:
    gate = FifoGate(max_waiting=1)
    gate.acquire()
    leave = threading.Event()
    outcome: list[str] = []

    def wait() -> None:
        try:
            gate.acquire(should_stop=leave.is_set)
            outcome.append("served")
        except Cancelled:
            outcome.append("left")

    waiter = threading.Thread(target=wait)
    waiter.start()
    while gate.waiting < 1:
        pass
    with pytest.raises(QueueFull):
        gate.acquire()
    leave.set()
    waiter.join(timeout=10)
    assert outcome == ["left"] and gate.waiting == 0
    gate.release()
    assert not gate.busy
    with gate.slot() as waited:
        assert waited == 0.0 and gate.busy
