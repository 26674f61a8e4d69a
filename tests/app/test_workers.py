"""The worker layer: signals arrive in the GUI thread, in order, and thousands of them are safe."""

from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QThread

from app import workers


def test_results_and_progress_arrive_in_the_gui_thread_in_order(qtbot) -> None:
    seen: list[object] = []
    threads: set[object] = set()

    def work(rep: workers.Reporter) -> str:
        for i in range(3000):  # thousands of signals: PySide6 6.12.0 aborted Python here
            rep.progress(i + 1, 3000, "working")
            rep.result(i)
        return "done"

    job = workers.Job(work)
    job.signals.result.connect(lambda r: (seen.append(r), threads.add(QThread.currentThread())))
    with qtbot.waitSignal(job.signals.finished, timeout=30_000) as finished:
        job.start()
    assert finished.args == ["done"]
    qtbot.waitUntil(lambda: len(seen) == 3000)
    assert seen == list(range(3000))
    assert threads == {QThread.currentThread()}
    assert sys.getrefcount(True) > 100  # no reference to True was lost on the way


def test_a_failing_job_reports_a_message_and_cancel_is_seen(qtbot) -> None:
    from checks.errors import SafeSpaceError

    def fails(_rep: workers.Reporter) -> None:
        raise SafeSpaceError("The output folder cannot be created.")

    job = workers.Job(fails)
    with qtbot.waitSignal(job.signals.failed, timeout=10_000) as failed:
        job.start()
    assert failed.args == ["The output folder cannot be created."]

    started = threading.Event()

    def waits(rep: workers.Reporter) -> bool:
        started.set()
        return rep.cancel.wait(10)

    job = workers.Job(waits)
    with qtbot.waitSignal(job.signals.finished, timeout=10_000) as finished:
        job.start()
        started.wait(5)
        job.cancel()
    assert finished.args == [True] and job.cancelled
