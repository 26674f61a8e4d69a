"""The worker pool: order, streaming, bounded work, and a worker that dies."""

from __future__ import annotations

import os
import threading

from checks import pool


def double_or_die(x: int) -> int:
    if x == 3:
        os._exit(1)  # like a decoder crashing on a hostile file: the worker process dies
    return x * 2


def test_results_in_input_order_streamed_as_they_come() -> None:
    seen: list[tuple[int, int]] = []
    results = pool.run(
        abs, [-1, -2, -3, -4], jobs=2, on_result=lambda i, r: seen.append((i, r)), isolate=True
    )
    assert results == [1, 2, 3, 4]
    assert sorted(seen) == [(0, 1), (1, 2), (2, 3), (3, 4)]


def test_a_crashing_item_costs_only_itself() -> None:
    results = pool.run(double_or_die, [1, 2, 3, 4, 5, 6], jobs=2, isolate=True, crashed=lambda x: -x)
    assert results == [2, 4, -3, 8, 10, 12]


def test_cancel_stops_submitting() -> None:
    cancel = threading.Event()
    cancel.set()
    assert pool.run(abs, list(range(50)), jobs=2, cancel=cancel, isolate=True) == [None] * 50
