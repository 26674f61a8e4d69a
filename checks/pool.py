"""Run one function over many inputs on several cores, streaming results, bounded in memory, stoppable.

Every long job in checks/ reports through plain callables: `progress(done, total, message)` and
`on_result(index, result)`, and stops when `cancel` (a threading.Event) is set. The GUI adapts these to
signals.

Each worker process handles one file at a time, so the parent always knows which file a worker holds:
- a file that kills its worker (a decoder crash) is tried once more in a fresh worker; if it kills that one
  too it gets `crashed(item)`, and the batch goes on;
- a file that goes past its limits (`Limits`: memory, CPU time and wall-clock time) gets
  `limited(item, why)` and is never tried again, since trying again would repeat the harm;
- stopping (cancel, or Ctrl-C) starts no new file: the files in hand finish and are delivered, and
  run() returns within moments of the last of them (each is bounded by the time limit);
- workers die with the process that started them (see checks/pool_worker.py).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.connection import wait
from types import FrameType
from typing import Any, Generic, Literal, TypeVar

from checks.pool_worker import Limits, serve

__all__ = ["LIMITS", "Limits", "Stats", "Stopped", "Why", "default_jobs", "limit_message", "run"]

T = TypeVar("T")
R = TypeVar("R")
Progress = Callable[[int, int, str], None]
Why = Literal["time", "memory"]

LIMITS = Limits()
_SIGXCPU = getattr(signal, "SIGXCPU", None)
_POLL = 0.1  # how often a waiting batch looks at `cancel` (seconds)


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def limit_message(why: Why) -> str:
    """What to tell a person about a file that went past its limits (plain words, for any caller)."""
    if why == "memory":
        return (
            "This file is too large to handle safely: reading it would need more memory than SafeSpace "
            "lets one picture use. It may be damaged, or built to exhaust memory."
        )
    return (
        "This file took too long to handle safely, so SafeSpace stopped working on it. It may be damaged, "
        "or built to tie up picture software."
    )


class Stopped(KeyboardInterrupt):
    """Raised by run() after Ctrl-C, once the files in hand have finished and been delivered."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@dataclass
class Stats:
    """What a batch cost, filled in by run() when passed one (for benchmarks and tests)."""

    peak_memory: int = 0  # the most memory any one worker held at once (resident, bytes)
    workers: int = 0  # worker processes started
    limited: int = 0
    crashed: int = 0


def run(
    func: Callable[[T], R],
    items: Sequence[T],
    *,
    jobs: int = 1,
    on_result: Callable[[int, R], None] | None = None,
    cancel: threading.Event | None = None,
    isolate: bool = False,
    crashed: Callable[[T], R] | None = None,
    limited: Callable[[T, Why], R] | None = None,
    limits: Limits = LIMITS,
    stats: Stats | None = None,
) -> list[R | None]:
    """Results in input order (None for items not started because of a stop).

    `on_result(index, result)` streams results in completion order, from the calling thread. With one job
    and no `isolate`, items run in this process (no limits); otherwise in worker processes. An item that
    kills its worker twice gets `crashed(item)`; one past `limits` gets `limited(item, why)` (without
    `limited`, `crashed(item)`; with neither, BrokenProcessPool is raised).

    In the main thread, while Ctrl-C still has its default handler, Ctrl-C stops the batch like `cancel`,
    and Stopped (a KeyboardInterrupt) is raised once the files in hand are delivered. A caller with its own
    handlers (SIGTERM too, say) sets `cancel` from them and gets the partial results back instead.
    """
    results: list[R | None] = [None] * len(items)

    def deliver(index: int, result: R) -> None:
        results[index] = result
        if on_result is not None:
            on_result(index, result)

    if not isolate and (jobs <= 1 or len(items) <= 1):
        for index, item in enumerate(items):
            if cancel is not None and cancel.is_set():
                break
            deliver(index, func(item))
        return results
    if not items:
        return results
    with _StopSignals() as signals:

        def stopping() -> bool:
            return signals.signum is not None or (cancel is not None and cancel.is_set())

        _Batch(func, items, jobs, limits, stats or Stats(), deliver, stopping, crashed, limited).run()
    if signals.signum is not None:
        raise Stopped(signals.signum)
    return results


class _StopSignals:
    """Turns Ctrl-C into a request to stop, noticed between files, rather than an exception at whatever
    line is running (which could drop a result that had arrived, and with it a true count). Only the
    default handler is replaced, and only in the main thread, where handlers live."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self._saved: dict[int, Any] = {}

    def __enter__(self) -> _StopSignals:
        main = threading.current_thread() is threading.main_thread()
        if main and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            self._saved[signal.SIGINT] = signal.signal(signal.SIGINT, self._stop)
        return self

    def _stop(self, signum: int, _frame: FrameType | None) -> None:
        if self.signum is None:
            self.signum = signum

    def __exit__(self, *_exc: object) -> None:
        for sig, handler in self._saved.items():
            signal.signal(sig, handler)


def _context(preload: str) -> multiprocessing.context.BaseContext:
    # Never fork a process that may have threads (the GUI): forkserver where available, else spawn.
    # The fork server imports the work's module once, so each worker starts with it loaded.
    if "forkserver" in multiprocessing.get_all_start_methods():
        server = multiprocessing.get_context("forkserver")
        server.set_forkserver_preload([preload])
        _start_fork_server()
        return server
    return multiprocessing.get_context("spawn")


def _start_fork_server() -> None:
    """Start the fork server (if it is not running) with Ctrl-C blocked in this thread. It inherits the
    mask, so a Ctrl-C at the terminal while it imports the picture code cannot kill it half-started (once
    running it ignores Ctrl-C); a press meanwhile waits, and reaches this process right after."""
    from multiprocessing import forkserver, resource_tracker

    resource_tracker.ensure_running()  # first: starting it unblocks SIGINT in this thread afterwards
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        forkserver.ensure_running()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


class _Worker:
    """One worker process, its two-way pipe, and its lifeline (a pipe it watches: when this process dies,
    the lifeline's last writer is gone, and the worker stops at once).

    A worker holds at most DEPTH files: the one in hand and the next, so it never waits for this process
    between files. A stop reaches it as None after that next file, which it then hands back unstarted."""

    DEPTH = 2

    def __init__(self, ctx: Any, func: Callable[..., Any], limits: Limits) -> None:
        self.conn, child = ctx.Pipe()
        watch, self.lifeline = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=serve, args=(func, child, watch, limits), daemon=True)
        self.process.start()
        child.close()
        watch.close()
        self.seconds = limits.wall_seconds
        self.held: deque[int] = deque()  # files sent, in the order the worker takes them
        self.deadline = float("inf")  # for the file in hand (the first held)
        self.expired = False
        self.retired = False
        self.ready = False  # the clock starts when the worker is ready: starting one is not the file's time
        # Gone: its end of the pipe closed. (Not process.is_alive(): that asks the fork server, and if the
        # fork server is killed every worker looks dead, while they are still at work.)
        self.dead = False

    def give(self, index: int, item: object) -> bool:
        if self.retired or self.dead:
            return False
        try:
            self.conn.send((index, item))
        except OSError:  # its end is closed: it has gone
            self.dead = True
            return False
        self.held.append(index)
        if len(self.held) == 1 and self.ready:
            self.start_clock()
        return True

    def finished(self, index: int) -> None:
        if self.held and self.held[0] == index:
            self.held.popleft()
        elif index in self.held:
            self.held.remove(index)
        if self.held:
            self.start_clock()  # it takes the next one now

    def start_clock(self) -> None:
        self.deadline = time.monotonic() + self.seconds if self.seconds else float("inf")

    def retire(self) -> None:
        if not self.retired:
            self.retired = True
            with contextlib.suppress(OSError):
                self.conn.send(None)

    def kill(self) -> None:
        with contextlib.suppress(OSError):  # by pid: process.kill() trusts the fork server's word
            os.kill(self.process.pid, signal.SIGKILL)

    def wait_gone(self, timeout: float) -> bool:
        """Reads (and drops) what it still sends until its end of the pipe closes, or `timeout` passes."""
        end = time.monotonic() + timeout
        while not self.dead:
            if not wait([self.conn], max(0.0, end - time.monotonic())):
                return False
            try:
                self.conn.recv()
            except (EOFError, OSError):
                self.dead = True
        return True

    def close(self, grace: float) -> None:
        """Let the process leave (killing it if it has not within `grace` seconds), then close the pipes."""
        if not self.wait_gone(grace):
            self.kill()
        self.process.join(1.0)
        self.conn.close()
        self.lifeline.close()


class _Batch(Generic[T, R]):
    def __init__(
        self,
        func: Callable[[T], R],
        items: Sequence[T],
        jobs: int,
        limits: Limits,
        stats: Stats,
        deliver: Callable[[int, R], None],
        stopping: Callable[[], bool],
        crashed: Callable[[T], R] | None,
        limited: Callable[[T, Why], R] | None,
    ) -> None:
        self.func, self.items, self.limits, self.stats = func, items, limits, stats
        self.deliver, self.stopping, self.crashed, self.limited = deliver, stopping, crashed, limited
        self.jobs = max(1, min(jobs, len(items)))
        self.queue = deque(range(len(items)))
        self.crashed_once: set[int] = set()
        self.workers: list[_Worker] = []
        self.gone: list[_Worker] = []  # retired or dead, still to be reaped
        self.ctx = _context(func.__module__)

    def run(self) -> None:
        failed = True
        try:
            while True:
                self._feed()
                busy = [w for w in self.workers if w.held]
                if not busy:
                    break
                self._wait(busy)
            failed = False
        finally:
            self._close(failed)

    def _feed(self) -> None:
        """Keep every worker holding DEPTH files; start workers while there are files and fewer than
        `jobs`. When stopping, tell every worker (it finishes the file in hand and returns the rest)."""
        if self.stopping():
            for worker in list(self.workers):
                worker.retire()
                if not worker.held:
                    self._drop(worker)
            return
        for worker in list(self.workers):
            while self.queue and len(worker.held) < _Worker.DEPTH:
                if not worker.give(self.queue[0], self.items[self.queue[0]]):
                    break
                self.queue.popleft()
            if not worker.held and (worker.retired or worker.dead or not self.queue):
                worker.retire()  # done, or leaving (after a memory limit): a new worker takes its place
                self._drop(worker)
        while self.queue and len(self.workers) < self.jobs:
            started = self._start()
            if started is None:
                return
            self.stats.workers += 1
            self.workers.append(started)
            if started.give(self.queue[0], self.items[self.queue[0]]):
                self.queue.popleft()

    def _start(self) -> _Worker | None:
        """A new worker; None when stopping got in the way. A fork server that died (killed, say) is
        started again by multiprocessing, so starting is tried twice."""
        for attempt in (1, 2):
            try:
                return _Worker(self.ctx, self.func, self.limits)
            except (EOFError, OSError):
                if self.stopping():
                    return None
                if attempt == 2:
                    raise
                _start_fork_server()
        return None

    def _wait(self, busy: list[_Worker]) -> None:
        soonest = min(w.deadline for w in busy) - time.monotonic()
        ready = set(wait([w.conn for w in busy], max(0.0, min(_POLL, soonest))))
        for worker in busy:
            if worker.conn in ready:
                self._collect(worker)
            elif time.monotonic() >= worker.deadline and not worker.conn.poll():
                worker.expired = True  # past its wall-clock limit: its death is collected next time round
                worker.deadline = float("inf")
                worker.kill()

    def _collect(self, worker: _Worker) -> None:
        """Take every reply the worker has sent; at the end of its pipe, account for what it still held."""
        while worker.held or not worker.ready:
            try:
                if not worker.conn.poll():
                    return
                reply = worker.conn.recv()
            except (EOFError, OSError):
                worker.dead = True
                self._dead(worker)
                return
            self._reply(worker, *reply)

    def _reply(self, worker: _Worker, index: int, kind: str, payload: Any, peak: int, leaving: bool) -> None:
        if kind == "ready":
            worker.ready = True
            if worker.held:
                worker.start_clock()
            return
        worker.finished(index)
        self.stats.peak_memory = max(self.stats.peak_memory, peak)
        if leaving or kind == "memory":  # told to stop, or its memory may be in pieces: it leaves now
            worker.retire()
        if kind == "ok":
            self.deliver(index, payload)
        elif kind == "memory":
            self._limit(index, "memory")
        elif kind == "error":
            raise payload
        # "skipped": handed back unstarted after a stop; it stays without a result

    def _dead(self, worker: _Worker) -> None:
        self._drop(worker)
        worker.process.join(1.0)  # its exit status, from the fork server (255 if that is gone too)
        held, worker.held = list(worker.held), deque()
        if not held:
            return
        if worker.retired and not worker.expired and worker.process.exitcode == 0:
            if not self.stopping():
                self.queue.extendleft(reversed(held))  # it left as told, before these: others take them
            return
        culprit, rest = held[0], held[1:]
        self.queue.extendleft(reversed(rest))  # never started: not their fault
        if worker.expired or (_SIGXCPU is not None and worker.process.exitcode == -_SIGXCPU):
            self._limit(culprit, "time")
        elif culprit not in self.crashed_once:  # once may be bad luck (or the system short of memory)
            self.crashed_once.add(culprit)
            self.queue.appendleft(culprit)
        else:
            self.stats.crashed += 1
            if self.crashed is None:
                raise BrokenProcessPool(f"a worker process died while handling {self.items[culprit]!r}")
            self.deliver(culprit, self.crashed(self.items[culprit]))

    def _limit(self, index: int, why: Why) -> None:
        self.stats.limited += 1
        item = self.items[index]
        if self.limited is not None:
            self.deliver(index, self.limited(item, why))
        elif self.crashed is not None:
            self.deliver(index, self.crashed(item))
        else:
            raise BrokenProcessPool(f"{item!r} went past its {why} limit")

    def _drop(self, worker: _Worker) -> None:
        if worker in self.workers:
            self.workers.remove(worker)
            self.gone.append(worker)

    def _close(self, failed: bool) -> None:
        """Every worker is reaped before run() returns: idle ones leave when told, and after a failure
        (an exception here or in a callback) the busy ones are killed, since nobody will take their
        results. A killed worker leaves its temporary file for the caller to remove."""
        for worker in self.workers:
            if worker.held and failed:
                worker.kill()
            else:
                worker.retire()
        everyone = self.workers + self.gone
        self.workers, self.gone = [], []
        end = time.monotonic() + 1.0
        for worker in everyone:
            worker.close(max(0.0, end - time.monotonic()))
