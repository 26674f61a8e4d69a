"""Run one function over many inputs on several cores, streaming results, bounded in memory, cancellable.

Every long job in checks/ reports through plain callables: `progress(done, total, message)` and
`on_result(result)`, and stops when `cancel` (a threading.Event) is set. The GUI adapts these to signals.

A file built to crash a picture decoder kills only the worker process that read it: the files that were in
flight are tried again one at a time, the one that crashes again is reported through `crashed(item)`, and
the batch goes on.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
Progress = Callable[[int, int, str], None]


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def _ignore_sigint() -> None:
    # Ctrl-C is handled by the parent, which lets running files finish and removes partial output.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _executor(jobs: int, preload: str) -> ProcessPoolExecutor:
    # Never fork a process that may have threads (the GUI): forkserver where available, else spawn.
    # The fork server imports the work's module once, so each worker starts with it loaded.
    ctx: multiprocessing.context.BaseContext
    if "forkserver" in multiprocessing.get_all_start_methods():
        server = multiprocessing.get_context("forkserver")
        server.set_forkserver_preload([preload])
        ctx = server
    else:
        ctx = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_ignore_sigint)


def run(
    func: Callable[[T], R],
    items: Sequence[T],
    *,
    jobs: int = 1,
    on_result: Callable[[int, R], None] | None = None,
    cancel: threading.Event | None = None,
    isolate: bool = False,
    crashed: Callable[[T], R] | None = None,
) -> list[R | None]:
    """Results in input order (None for items skipped by cancel).

    `on_result(index, result)` streams results in completion order, from the calling thread. With one job
    and no `isolate`, items run in this process; otherwise in worker processes, and an item that kills its
    worker twice gets `crashed(item)` as its result. On KeyboardInterrupt, running items finish, the rest
    are dropped, and the interrupt is raised again.
    """
    results: list[R | None] = [None] * len(items)

    def done(index: int, result: R) -> None:
        results[index] = result
        if on_result is not None:
            on_result(index, result)

    def cancelled() -> bool:
        return cancel is not None and cancel.is_set()

    if not isolate and (jobs <= 1 or len(items) <= 1):
        for index, item in enumerate(items):
            if cancelled():
                break
            done(index, func(item))
        return results

    queue = deque(range(len(items)))
    while queue and not cancelled():
        for index in _run_batch(func, items, queue, jobs, done, cancelled):
            if cancelled():
                break
            if _run_batch(func, items, deque([index]), 1, done, cancelled):  # alone, it points at its file
                if crashed is None:
                    raise BrokenProcessPool(f"a worker process died while handling {items[index]!r}")
                done(index, crashed(items[index]))
    return results


def _apply(func: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [func(item) for item in chunk]


def _run_batch(
    func: Callable[[T], R],
    items: Sequence[T],
    queue: deque[int],
    jobs: int,
    done: Callable[[int, R], None],
    cancelled: Callable[[], bool],
) -> list[int]:
    """Run queued items on a new pool until the queue is empty, cancel, or a worker dies. Returns the
    items that were in flight when a worker died."""
    # Items travel to workers a few at a time: one round trip per chunk instead of per file, while results
    # still stream often. Chunks in flight are bounded, so memory is too, whatever the batch size.
    size = max(1, min(8, len(queue) // (jobs * 4)))
    window = jobs * 2
    pending: dict[Future[list[R]], list[int]] = {}
    suspects: list[int] = []
    executor = _executor(jobs, func.__module__)
    try:
        while (queue or pending) and not suspects:
            while queue and len(pending) < window and not cancelled():
                indices = [queue.popleft() for _ in range(min(size, len(queue)))]
                pending[executor.submit(_apply, func, [items[i] for i in indices])] = indices
            if not pending:
                break
            finished, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in finished:
                indices = pending.pop(future)
                try:
                    for index, result in zip(indices, future.result(), strict=True):
                        done(index, result)
                except BrokenProcessPool:
                    suspects.extend(indices)
        for indices in pending.values():  # after a crash, every item still in flight died with the pool
            suspects.extend(indices)
    finally:
        # Lets what is running finish (each writes its output whole or not at all) and drops the rest,
        # whether the batch ended, was cancelled or was interrupted.
        executor.shutdown(wait=True, cancel_futures=True)
    return sorted(suspects)
