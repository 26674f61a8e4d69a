"""Share pictures and videos safely: see what pictures give away, and make safe copies to share.

Adding pictures is two jobs: first each picture's report (listed with its verdict as soon as it is
ready), then the previews, decoded afterwards in worker processes, the rows on screen first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import workers
from app.dialogs.clean_dialog import CleanDialog
from app.widgets.clean_summary import CleanSummary
from app.widgets.findings_view import FindingsView
from app.widgets.picture_list import REPORT_ROLE, PictureList, PictureModel
from app.widgets.plain_label import PlainLabel
from app.widgets.preview_decoder import PreviewDecoder
from app.widgets.progress_panel import ProgressPanel
from checks import pool
from checks.errors import SafeSpaceError
from checks.images import report
from checks.images.clean import CleanResult, clean_paths, record_activity
from checks.images.formats import file_filter
from checks.images.inputs import gather
from checks.images.report import ImageReport
from checks.model import Severity
from checks.settings import Settings
from checks.store import Store

log = logging.getLogger(__name__)
PICTURE_FILTER = file_filter()  # from the format registry: what the engine reads, pictures and videos
BATCH_MS = 100  # pictures that arrive within this long are listed together
MAX_LISTED_AT_ONCE = 40  # ...at most this many at a time, so one batch never holds the window up


def start_folder(last: str) -> str:
    """Where a file dialog opens: the folder last used, else the user's Pictures folder, else home."""
    if last and Path(last).is_dir():
        return last
    pictures = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
    return pictures if pictures and Path(pictures).is_dir() else str(Path.home())


def count_line(model: PictureModel) -> str:
    """One line over the list: how many pictures, and how many of them at each level of concern."""
    total = model.rowCount()
    if not total:
        return ""
    counts = model.counts()
    parts = [f"{total} picture{'s' if total != 1 else ''}"]
    for severity in (Severity.HIGH, Severity.MEDIUM, Severity.LOW):
        if counts[severity]:
            parts.append(f"{counts[severity]} {severity.label.lower()}")
    unreadable = sum(1 for r in model.rows if r.report.error and not r.report.findings)
    if unreadable:
        parts.append(f"{unreadable} could not be read")
    copied = sum(1 for r in model.rows if r.copied)
    if copied:
        parts.append(f"{copied} with a safe copy")
    return " · ".join(parts)


class ImagesPage(QWidget, workers.JobHolder):
    def __init__(
        self,
        settings: Settings,
        save_settings: Callable[[], None],
        parent: QWidget | None = None,
        *,
        store: Store | None = None,
    ):
        super().__init__(parent)
        self.setAccessibleName("Share pictures and videos safely")
        self._store = store  # the window's: counts of safe copies for reviews (never file names)
        self.settings, self._save_settings = settings, save_settings
        self._job: workers.Job | None = None
        # Reports arrive faster than a list can take them one by one; they are listed a batch at a time.
        self._arrived: list[ImageReport] = []
        self._flush_timer = self._timer(self._flush)
        self._auto_selecting = self._details_waiting = False

        self.add_files_button = self._button("Add pictures…", "Add pictures", self.choose_files)
        self.add_files_button.setToolTip("Add pictures (Ctrl+O)")
        self.add_folder_button = self._button("Add a folder…", "Add a folder of pictures", self.choose_folder)
        self.remove_button = self._button(
            "Remove", "Remove the selected pictures from the list", self.remove_selected
        )
        self.remove_button.setToolTip(
            "Remove the selected pictures from the list (Delete). Files are not deleted."
        )
        self.clear_button = self._button("Clear the list", "Clear the list of pictures", self.clear)
        QShortcut(QKeySequence.StandardKey.Open, self, self.choose_files)
        tools = QHBoxLayout()
        for b in (self.add_files_button, self.add_folder_button, self.remove_button, self.clear_button):
            tools.addWidget(b)
        tools.addWidget(PlainLabel("…or drop pictures and folders here.", role="muted", wrap=False), 1)

        self.model = PictureModel(self)
        self.list = PictureList(self.model)
        self.list.current_changed.connect(self._show_current)
        self.previews = PreviewDecoder(self.model, self.list, lambda: self.busy)
        QShortcut(QKeySequence.StandardKey.Delete, self.list, self.remove_selected)
        self.count_label = PlainLabel(role="muted")
        self.count_label.setAccessibleName("How many pictures are listed")
        self.count_label.hide()
        self.order = QComboBox()
        self.order.setAccessibleName("Order of the list")
        self.order.addItem("By name", "name")
        self.order.addItem("Most serious first", "risk")
        self.order.currentIndexChanged.connect(lambda _i: self.model.sort_by(self.order.currentData()))
        over_list = QHBoxLayout()
        over_list.addStretch(1)
        over_list.addWidget(PlainLabel("Order:", wrap=False))
        over_list.addWidget(self.order)
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(self.count_label)
        left_column.addLayout(over_list)
        left_column.addWidget(self.list, 1)
        self.details = FindingsView()
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.details)
        split.setSizes([380, 520])
        split.setChildrenCollapsible(False)

        self.notice = PlainLabel(role="notice", selectable=True)
        self.notice.setAccessibleName("What happened when pictures were added")
        self.notice.hide()
        self.progress = ProgressPanel()
        self.progress.cancel_requested.connect(self.cancel)
        self.summary = CleanSummary()
        self.make_button = self._button("Make safe copies…", "Make safe copies", self.request_copies)
        self.make_button.setObjectName("primary")
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.make_button)

        layout = QVBoxLayout(self)
        layout.addWidget(PlainLabel("Share pictures and videos safely", role="page-title"))
        layout.addWidget(
            PlainLabel(
                "See what your pictures and videos give away without showing it, such as where and when "
                "they were taken and whose camera or phone took them, and make safe copies to share. Your "
                "originals are never changed.",
                role="subtitle",
            )
        )
        layout.addLayout(tools)
        layout.addWidget(self.notice)
        layout.addWidget(split, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addLayout(bottom)
        self.setAcceptDrops(True)
        self._set_busy(False)

    def _button(self, text: str, name: str, slot: Callable[[], Any]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.clicked.connect(slot)
        return button

    def _timer(self, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(BATCH_MS)
        timer.timeout.connect(slot)
        return timer

    # Adding pictures ----------------------------------------------------------------------------------

    def choose_files(self) -> None:
        if self.busy:
            return
        files, _ = QFileDialog.getOpenFileNames(
            self, "Add pictures", start_folder(self.settings.last_add_folder), PICTURE_FILTER
        )
        if files:
            self._remember_add_folder(str(Path(files[0]).parent))
            self.add_paths(files)

    def choose_folder(self) -> None:
        if self.busy:
            return
        folder = QFileDialog.getExistingDirectory(
            self, "Add a folder of pictures", start_folder(self.settings.last_add_folder)
        )
        if folder:
            self._remember_add_folder(folder)
            self.add_paths([folder])

    def _remember_add_folder(self, folder: str) -> None:
        self.settings.last_add_folder = folder
        self._save_settings()

    def add_paths(self, paths: list[str]) -> None:
        """Look at the pictures named (and those in the folders named), off the GUI thread: each is listed
        as soon as its report is ready; previews are decoded afterwards."""
        if self.busy or not paths:
            return
        self._stop_previews()
        self.notice.hide()
        known = {r.report.path for r in self.model.rows}
        found: dict[str, int] = {"files": 0}
        passed_over: list[str] = []

        def work(rep: workers.Reporter) -> int:
            inputs = gather(paths)
            passed_over.extend(inputs.summary())  # videos of other kinds, documents...: said, not skipped
            files = [str(p) for p in inputs.files if str(p) not in known]
            found["files"] = len(files)
            rep.progress(0, len(files), "Looking at your pictures…")
            done = 0

            def arrived(_index: int, result: ImageReport) -> None:
                nonlocal done
                done += 1
                rep.result(result)
                rep.progress(done, len(files), f"Looked at {done} of {len(files)}: {Path(result.path).name}")

            pool.run(
                report.report_file,
                files,
                jobs=pool.default_jobs(),
                on_result=arrived,
                cancel=rep.cancel,
                isolate=True,
                crashed=report.crashed,
                limited=report.limited,
            )
            return done

        def finished(done: int) -> None:
            self._flush(everything=True)
            self._show_waiting_details()
            total = found["files"]
            over = " ".join(passed_over)
            if job.cancelled:
                self._say(
                    f"Stopped: {done} of {total} pictures were looked at and listed; the others were not."
                )
            elif total == 0:
                self._say(
                    ("No new pictures were found there: nothing was added to the list. " + over).strip()
                )
            elif over:
                self._say(over)
            self.decode_previews()

        def failed(message: str) -> None:
            self._flush(everything=True)  # what was read before the failure is still listed
            self._show_waiting_details()
            self.summary.show_error(message)

        job = self.run_job(work, finished, failed, self._arrive, self.progress, "Looking at your pictures…")

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()

    def _arrive(self, found: ImageReport) -> None:
        self._arrived.append(found)
        if not self._flush_timer.isActive() and len(self._arrived) == 1:
            self._flush_timer.start()

    def _flush(self, everything: bool = False) -> None:
        """List the pictures that arrived since the last batch: sorted once, merged into the list. While
        pictures are still arriving, a few dozen at a time (the rest on the next turn of the event loop,
        so the window answers between); when the work is over, all of them."""
        self._flush_timer.stop()
        limit = len(self._arrived) if everything else MAX_LISTED_AT_ONCE
        arrived, self._arrived = self._arrived[:limit], self._arrived[limit:]
        if self._arrived:
            QTimer.singleShot(0, self, self._flush)
        if self.model.add(arrived):
            self._auto_selecting = True  # the first row is selected for the user; its details come at the end
            self.list.select_first_if_none()
            self._auto_selecting = False
            self._counted()
        self._set_busy(self.busy)

    def _counted(self) -> None:
        text = count_line(self.model)
        self.count_label.setText(text)
        self.count_label.setVisible(bool(text))

    # Previews -----------------------------------------------------------------------------------------

    def decode_previews(self) -> None:
        self.previews.start()

    def _stop_previews(self, wait: bool = False) -> None:
        self.previews.stop(wait)

    @property
    def decoding(self) -> bool:
        return self.previews.running

    def stop(self, timeout: float = 30.0) -> None:
        self._stop_previews(wait=True)
        super().stop(timeout)

    # The list -----------------------------------------------------------------------------------------

    def _show_current(self, current: ImageReport | None) -> None:
        """The details of the picture chosen. While a big folder is still being listed, the first row is
        selected at once but its details are built when the listing ends (building them takes the window a
        moment; a picture the user clicks is shown at once)."""
        if current is not None and self.busy and self._auto_selecting:
            self._details_waiting = True
            return
        self._details_waiting = False
        if current is None:
            self.details.show_nothing()
        else:
            self.details.show_report(current)

    def _show_waiting_details(self) -> None:
        if self._details_waiting:
            index = self.list.currentIndex()
            self._show_current(self.model.data(index, REPORT_ROLE) if index.isValid() else None)

    def remove_selected(self) -> None:
        if self.busy:
            return
        self.model.remove_rows(self.list.selected_rows())
        self._counted()
        self._set_busy(False)

    def clear(self) -> None:
        if self.busy:
            return
        self._stop_previews()
        self.model.clear()
        self.details.show_nothing()
        self.summary.hide()
        self.notice.hide()
        self._counted()
        self._set_busy(False)

    def reports(self) -> list[ImageReport]:
        return self.model.reports()

    # Making safe copies -------------------------------------------------------------------------------

    def request_copies(self) -> None:
        if self.busy or not self.model.rowCount():
            return
        dialog = CleanDialog(
            self.settings, self.model.rowCount(), self, names=[r.path for r in self.reports()]
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.make_copies(dialog.folder(), dialog.neutral.isChecked(), dialog.keep_icc.isChecked())

    def make_copies(self, folder: str, neutral_names: bool, keep_icc: bool) -> None:
        if self.busy or not self.model.rowCount():
            return
        self.settings.last_output_folder = folder
        self.settings.neutral_names, self.settings.keep_icc = neutral_names, keep_icc
        self._save_settings()
        sources = [r.path for r in self.reports()]
        self.summary.hide()

        def work(rep: workers.Reporter) -> list[CleanResult]:
            def progress(done: int, total: int, name: str) -> None:
                rep.progress(done, total, f"Made {done} of {total}: {name}")

            return clean_paths(
                sources,
                folder,
                rename=neutral_names,
                keep_icc=keep_icc,
                jobs=pool.default_jobs(),
                progress=progress,
                cancel=rep.cancel,
                on_result=rep.result,
            )

        def finished(results: list[CleanResult]) -> None:
            self.summary.show_results(results, folder, stopped=job.cancelled)
            self.model.mark_copied(r.source for r in results if r.status == "cleaned")
            self._counted()
            self._record(results)

        job = self.run_job(
            work, finished, self.summary.show_error, None, self.progress, "Making safe copies…"
        )

    def _record(self, results: list[CleanResult]) -> None:
        """Counts for reviews, in the window's store; a store that cannot be written loses no copies."""
        if self._store is None:
            record_activity(results)
            return
        cleaned = sum(r.status == "cleaned" for r in results)
        log.info("safe copies: %d made and checked, %d not made", cleaned, len(results) - cleaned)
        try:
            self._store.record_images(cleaned, len(results) - cleaned)
        except SafeSpaceError as exc:
            self.summary.where.setText(f"{self.summary.where.text()} (Not counted for reviews: {exc})")

    # Busy ---------------------------------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        for b in (self.add_files_button, self.add_folder_button, self.clear_button, self.remove_button):
            b.setEnabled(not busy)
        self.make_button.setEnabled(not busy and bool(self.model.rowCount()))

    # Drag and drop ------------------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not self.busy and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths and not self.busy:
            event.acceptProposedAction()
            self.add_paths(paths)
