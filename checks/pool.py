"""Run one function over many inputs on several cores, streaming results, bounded in memory, cancellable.

Every long job in checks/ reports through plain callables: `progress(done, total, message)` and
`on_result(result)`, and stops when `cancel` (a threading.Event) is set. The GUI adapts these to signals.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
Progress = Callable[[int, int, str], None]


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def _ignore_sigint() -> None:
    # Ctrl-C is handled by the parent, which lets running files finish and removes partial output.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _context(preload: str) -> multiprocessing.context.BaseContext:
    # Never fork a process that may have threads (the GUI): forkserver where available, else spawn.
    # The fork server imports the work's module once, so each worker starts with it loaded.
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([preload])
        return ctx
    return multiprocessing.get_context("spawn")


def run(
    func: Callable[[T], R],
    items: Sequence[T],
    *,
    jobs: int = 1,
    on_result: Callable[[int, R], None] | None = None,
    cancel: threading.Event | None = None,
) -> list[R | None]:
    """Results in input order (None for items skipped by cancel). `on_result(index, result)` streams them
    in completion order from the calling thread. On KeyboardInterrupt, running items finish, the rest are
    dropped, and the interrupt is raised again."""
    results: list[R | None] = [None] * len(items)

    def done(index: int, result: R) -> None:
        results[index] = result
        if on_result is not None:
            on_result(index, result)

    if jobs <= 1 or len(items) <= 1:
        for index, item in enumerate(items):
            if cancel is not None and cancel.is_set():
                break
            done(index, func(item))
        return results
    window = jobs * 2  # items in flight: memory stays bounded whatever the batch size
    pending: dict[Future[R], int] = {}
    executor = ProcessPoolExecutor(
        max_workers=jobs, mp_context=_context(func.__module__), initializer=_ignore_sigint
    )
    try:
        next_index = 0
        while next_index < len(items) or pending:
            while next_index < len(items) and len(pending) < window and not (cancel and cancel.is_set()):
                pending[executor.submit(func, items[next_index])] = next_index
                next_index += 1
            if cancel is not None and cancel.is_set():
                next_index = len(items)
            if not pending:
                break
            finished, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in finished:
                done(pending.pop(future), future.result())
    except BaseException:
        # Let what is running finish (each writes its output whole or not at all), drop the rest.
        for future in pending:
            future.cancel()
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    executor.shutdown(wait=True)
    return results
