"""The one way SafeSpace runs work off the GUI thread.

A job is a plain function from checks/ that takes a `Reporter` (progress callback, result callback, cancel
flag) and returns a value. It runs on the global QThreadPool; what it reports arrives as Qt signals in the
GUI thread, so no widget is ever touched from a worker thread.

Lifetimes matter across threads: the pool owns the runnable (Qt deletes it), and the signals object is owned
by the application, not by Python's reference counts, and is deleted in the GUI thread once its last signal
has been delivered. A QObject freed from a worker thread while its signals are still queued crashes the app.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal, SignalInstance

from checks.errors import SafeSpaceError

log = logging.getLogger(__name__)


@dataclass
class Reporter:
    """What a job is given: report progress and results, and stop when `cancel` is set."""

    progress: Callable[[int, int, str], None]
    result: Callable[[Any], None]
    cancel: threading.Event = field(default_factory=threading.Event)


class JobSignals(QObject):
    progress = Signal(int, int, str)  # done, total, what is happening
    result = Signal(object)  # one streamed result
    finished = Signal(object)  # the job's return value (also after a cancel)
    failed = Signal(str)  # a message for the user


class Job:
    """A function to run on the thread pool. Connect to `signals`, then `start()`; `cancel()` asks it to stop.
    Exactly one of `finished` or `failed` is emitted, last."""

    def __init__(self, fn: Callable[[Reporter], Any]):
        self.signals = JobSignals(QCoreApplication.instance())  # owned by the app: see the module's note
        self._fn = fn
        self._reporter = Reporter(self.signals.progress.emit, self.signals.result.emit)
        self.done = threading.Event()  # set when the function has returned (or raised)

    def start(self, pool: QThreadPool | None = None) -> None:
        """Run on the pool. Connect to `signals` first: what is emitted before that is not delivered."""
        # Connected last, so its queued call comes after every other slot's for the final signal: connected
        # first, it could delete the object (in a nested event loop) before the others were delivered.
        self.signals.finished.connect(self.signals.deleteLater)
        self.signals.failed.connect(self.signals.deleteLater)
        (pool or QThreadPool.globalInstance()).start(self._run)

    def cancel(self) -> None:
        self._reporter.cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._reporter.cancel.is_set()

    def _run(self) -> None:
        outcome: tuple[SignalInstance, Any]
        try:
            outcome = (self.signals.finished, self._fn(self._reporter))
        except SafeSpaceError as exc:
            outcome = (self.signals.failed, str(exc))
        except Exception:  # a bug must never take the window with it
            log.exception("background job failed")
            outcome = (
                self.signals.failed,
                "Something went wrong in SafeSpace, and the task stopped. Nothing was changed.",
            )
        signal, value = outcome
        signal.emit(value)  # the last use of the signals object from this thread
        self.done.set()


class JobHolder:
    """For a page that runs one job at a time: `run_job` starts it and wires its signals and the page's
    busy state in one place; Cancel asks it to stop; `stop` also waits for it, so that closing the window
    leaves nothing running. A page defines `_set_busy(busy)` to enable and disable its controls."""

    _job: Job | None = None

    @property
    def busy(self) -> bool:
        return self._job is not None

    def _set_busy(self, busy: bool) -> None:
        """Overridden by the page."""

    def run_job(
        self,
        fn: Callable[[Reporter], Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[str], None],
        on_result: Callable[[Any], None] | None = None,
        progress: Any = None,
        message: str = "",
    ) -> Job:
        """Run `fn` off the GUI thread. `progress` (a ProgressPanel) shows `message` and the counts, and is
        hidden at the end; the page is busy until `on_done` or `on_failed` (exactly one is called, after the
        page is no longer busy)."""
        job = Job(fn)
        if progress is not None:
            progress.begin(message)
            job.signals.progress.connect(progress.set_progress)
        if on_result is not None:
            job.signals.result.connect(on_result)

        def ended(handler: Callable[[Any], None]) -> Callable[[Any], None]:
            def end(value: Any) -> None:
                if self._job is job:
                    self._job = None
                if progress is not None:
                    progress.hide()
                self._set_busy(self.busy)
                handler(value)

            return end

        job.signals.finished.connect(ended(on_done))
        job.signals.failed.connect(ended(on_failed))
        self._job = job
        self._set_busy(True)
        job.start()
        return job

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()

    def stop(self, timeout: float = 30.0) -> None:
        job = self._job
        if job is not None:
            job.cancel()
            job.done.wait(timeout)
