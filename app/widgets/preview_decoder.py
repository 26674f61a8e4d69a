"""Decoding the pictures' previews after they are listed: in worker processes (a file built to crash a
decoder takes only a worker with it), the rows on screen first, one core fewer than the machine has so the
window keeps one, and shown a batch at a time. Scrolling while it runs puts the rows then on screen next."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from app import workers
from app.widgets.picture_list import PictureList, PictureModel
from checks import pool
from checks.images import preview

BATCH_MS = 100
SHOWN_AT_A_TIME = 12


class PreviewDecoder(QObject):
    def __init__(self, model: PictureModel, view: PictureList, paused: Callable[[], bool]):
        super().__init__(view)
        self._model, self._view, self._paused = model, view, paused
        self._current: workers.Job | None = None
        self._running: set[workers.Job] = set()  # with those cancelled but not yet ended
        self._decoded: list[tuple[str, bytes | None]] = []
        self._show_timer = self._timer(BATCH_MS, lambda: self._show())
        self._scroll_timer = self._timer(300, self._reprioritise)
        view.verticalScrollBar().valueChanged.connect(self._scrolled)

    def _timer(self, ms: int, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        return timer

    @property
    def running(self) -> bool:
        """Decoding, or showing what was decoded."""
        return self._current is not None or bool(self._decoded)

    def start(self) -> None:
        """Decode the previews not yet shown."""
        waiting = self._model.without_preview()
        if not waiting:
            return
        visible = set(self._view.visible_rows())
        ordered = [i for i in waiting if i in visible] + [i for i in waiting if i not in visible]
        paths = [self._model.rows[i].report.path for i in ordered]

        def work(rep: workers.Reporter) -> None:
            pool.run(
                preview.decode_preview,  # the preview alone: the report is already listed
                [Path(p) for p in paths],
                jobs=max(1, pool.default_jobs() - 1),
                on_result=lambda index, png: rep.result((paths[index], png)),
                cancel=rep.cancel,
                isolate=True,
                crashed=lambda _path: None,
                limited=lambda _path, _why: None,  # no preview is no loss: the report says what is wrong
            )

        job = workers.Job(work)
        job.signals.result.connect(self.arrived)
        job.signals.finished.connect(lambda _v: self._ended(job))
        job.signals.failed.connect(lambda _m: self._ended(job))
        self._current = job
        self._running.add(job)
        job.start()

    def arrived(self, decoded: tuple[str, bytes | None]) -> None:
        self._decoded.append(decoded)
        if not self._show_timer.isActive():
            self._show_timer.start(BATCH_MS)

    def _show(self, everything: bool = False) -> None:
        """Show what was decoded, a few previews at a time (each is drawn into its row's icon), so the
        window answers between them."""
        self._show_timer.stop()
        count = len(self._decoded) if everything else SHOWN_AT_A_TIME
        decoded, self._decoded = self._decoded[:count], self._decoded[count:]
        for path, png in decoded:
            self._model.set_preview(path, png)
        if self._decoded:
            self._show_timer.start(15)

    def _ended(self, job: workers.Job) -> None:
        self._show(everything=job is not self._current)  # a cancelled round: what it decoded, at once
        self._running.discard(job)
        if self._current is job:
            self._current = None

    def _scrolled(self) -> None:
        if self._current is not None:
            self._scroll_timer.start()  # once scrolling pauses

    def _reprioritise(self) -> None:
        if self._current is not None and not self._paused():
            self.stop()
            self.start()

    def stop(self, wait: bool = False) -> None:
        """Cancel the decoding (and with `wait`, wait for every worker to end: closing the window)."""
        self._current = None
        for job in list(self._running):
            job.cancel()
            if wait:
                job.done.wait(30)
