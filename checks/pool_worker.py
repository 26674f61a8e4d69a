"""The worker side of checks/pool.py: one process that handles one file at a time, within limits, and dies
with the process that started it.

Limits (Linux, and other systems where setrlimit allows them):
- memory: RLIMIT_AS, the address space the worker may map. An allocation past it fails as MemoryError
  instead of growing until the system swaps or kills something; the pool reports "too large".
- CPU time: RLIMIT_CPU, renewed before each file. Past it the kernel ends the worker (SIGXCPU), even inside
  a decoder's C loop; the pool reports "took too long".
- wall-clock time: kept by the parent, which kills a worker whose file takes longer (a file that blocks).
- no core dumps: a crashed worker's memory holds a client's picture, and must not land on disk.

Stopping:
- Ctrl-C is ignored here: the parent decides, and lets the file in hand finish.
- SIGTERM (the whole process group told to stop): the file in hand finishes, its result is sent, then the
  worker leaves; an idle worker leaves at once.
- The parent's death: the lifeline (a pipe whose only writer is the parent) reaches end-of-file, and the
  file in hand stops at once: Python unwinds it, so its `finally` blocks remove partial output, and a
  second later the worker exits whatever it is doing. SIGHUP (what a closed terminal sends, and the
  parent-death signal on Linux) does the same once the parent is gone; while it lives, SIGHUP is SIGTERM.
- The fork server exits by itself once its last worker has gone (each worker holds its "alive" pipe). It
  gets no parent-death signal of its own: on Linux that signal follows the thread that started the process,
  and in the app that is a pool thread, which Qt ends after 30 idle seconds while the app lives on.
"""

from __future__ import annotations

import _thread
import contextlib
import ctypes
import itertools
import os
import signal
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection
from types import FrameType
from typing import Any

try:
    import resource
except ImportError:  # Windows: no rlimits; the wall-clock limit still holds
    resource = None  # type: ignore[assignment]

_PR_SET_PDEATHSIG = 1
_SIGHUP = getattr(signal, "SIGHUP", None)
_GRACE = 1.0  # seconds a worker whose parent died has to unwind before it exits regardless


@dataclass(frozen=True)
class Limits:
    """What one file may use in its worker. None: no limit of that kind.

    The defaults leave room for large real photos (a 48-megapixel TIFF is rewritten in about 1.1 GB and
    17 CPU seconds here) while stopping files built to exhaust a computer."""

    memory: int | None = 2 * 1024**3  # bytes of address space
    cpu_seconds: int | None = 60  # CPU time per file
    wall_seconds: float | None = 180.0  # real time per file, kept by the parent


class _Stop(BaseException):
    """Unwinds the file in hand when the parent has gone (BaseException: `except Exception` lets it by)."""


class _State:
    busy = False
    leaving = False  # asked to stop: leave after the file in hand
    parent_gone = False
    done = False
    lifeline: Connection | None = None


def serve(func: Any, conn: Connection, lifeline: Connection, limits: Limits) -> None:
    """The worker's main loop: (index, item) in, (index, kind, payload, peak memory, leaving) out."""
    try:
        try:
            _guard(lifeline)
            _confine(limits)
            _send(conn, -1, "ready", None)
            held: deque[Any] = deque()
            while _serve_one(func, conn, limits, held):
                pass
        finally:
            _State.done = True  # from here on, a late signal must not raise past this function
    except (_Stop, KeyboardInterrupt, EOFError, OSError):
        pass  # told to stop, or the parent has gone: leave quietly (no traceback on a shared stderr)


def _serve_one(func: Any, conn: Connection, limits: Limits, held: deque[Any]) -> bool:
    """Handle the next file; False when it is time to leave."""
    if not held:
        held.append(conn.recv())
    while conn.poll():  # what the parent sent since: the next file, or None after a stop
        held.append(conn.recv())
    job = held.popleft()
    if job is None:
        return False
    if None in held:  # stopped before this file began: hand it (and any after it) back unstarted
        for index, _item in [job, *itertools.takewhile(lambda j: j is not None, held)]:
            _send(conn, index, "skipped", None)
        return False
    index, item = job
    _State.busy = True
    _budget_cpu(limits.cpu_seconds)
    kind, payload = "ok", None
    try:
        payload = func(item)
    except MemoryError:
        kind, payload = "memory", None
    except Exception as exc:
        kind, payload = "error", exc
    _send(conn, index, kind, payload)
    _State.busy = False  # only now: a SIGTERM during the send must not lose the result
    return not (_State.leaving or kind == "memory")


def _send(conn: Connection, index: int, kind: str, payload: object) -> None:
    try:
        conn.send((index, kind, payload, peak_memory(), _State.leaving))
    except OSError:
        raise
    except Exception as exc:  # the result (or the exception) cannot be pickled: say so, as an error
        error = RuntimeError(f"the result for item {index} could not be sent back: {exc!r}")
        conn.send((index, "error", error, peak_memory(), _State.leaving))


def peak_memory() -> int:
    """The most resident memory this process has held, in bytes (0 where unknown)."""
    if resource is None:
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def _guard(lifeline: Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_term)
    if _SIGHUP is not None:
        signal.signal(_SIGHUP, _on_hup)
        if sys.platform.startswith("linux"):
            _parent_death_signal(_SIGHUP)
    _State.lifeline = lifeline
    threading.Thread(target=_watch, args=(lifeline,), name="lifeline", daemon=True).start()


def _parent_death_signal(signum: int) -> None:
    """Linux: the kernel sends `signum` when this process's parent dies (prctl PR_SET_PDEATHSIG). The
    parent is the fork server, which outlives its workers unless it is killed; then the lifeline tells
    whether the process that gives the work is gone too."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _watch(lifeline: Connection) -> None:
    with contextlib.suppress(EOFError, OSError):
        lifeline.recv_bytes()  # nothing is ever sent: this returns or raises only when the parent is gone
    _State.parent_gone = True
    if _SIGHUP is not None:  # (Windows has none: there the worker simply exits after the grace)
        _thread.interrupt_main(_SIGHUP)
    time.sleep(_GRACE)
    os._exit(1)


def _on_term(_signum: int, _frame: FrameType | None) -> None:
    _State.leaving = True
    if not _State.busy and not _State.done:
        raise _Stop


def _on_hup(_signum: int, _frame: FrameType | None) -> None:
    # SIGHUP also comes when only the fork server died (the parent-death signal) or before the parent
    # itself has gone (a closed terminal signals the whole group): while the parent lives, the file in
    # hand finishes and is reported like after SIGTERM, else a copy could be made that nobody counts.
    if not _State.parent_gone and _State.lifeline is not None and not _State.lifeline.poll(0):
        _on_term(_signum, _frame)
        return
    _State.parent_gone = True
    if not _State.done:
        raise _Stop


def _confine(limits: Limits) -> None:
    if resource is None:
        return
    _set_soft(resource.RLIMIT_CORE, 0)
    if limits.memory is not None:
        _set_soft(resource.RLIMIT_AS, limits.memory)


def _budget_cpu(seconds: int | None) -> None:
    """Allow this file `seconds` of CPU time from now (RLIMIT_CPU counts the whole life of the process)."""
    if resource is None or seconds is None:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    _set_soft(resource.RLIMIT_CPU, int(usage.ru_utime + usage.ru_stime) + 1 + seconds)


def _set_soft(which: int, value: int) -> None:
    if resource is None:
        return
    try:
        _soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(which, (value, hard))
    except (ValueError, OSError):  # a system that does not support this limit (RLIMIT_AS on macOS)
        pass
