"""Share images safely: see what pictures give away, and make safe copies to share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import resources, workers
from app.dialogs.clean_dialog import CleanDialog
from app.widgets.clean_summary import CleanSummary
from app.widgets.findings_view import FindingsView, verdict
from app.widgets.plain_label import PlainLabel
from app.widgets.progress_panel import ProgressPanel
from app.widgets.severity import severity_pixmap
from app.widgets.tooltip import plain_tooltip
from checks import pool
from checks.images import preview
from checks.images.clean import CleanResult, clean_paths, record_activity
from checks.images.report import ImageReport, expand
from checks.model import Severity
from checks.settings import Settings

ICON = 64
PICTURE_FILTER = "Pictures (*.jpg *.jpeg *.png *.webp *.gif *.tif *.tiff *.heic *.heif *.avif);;All files (*)"
REPORT_ROLE = Qt.ItemDataRole.UserRole


def _list_icon(preview_png: bytes | None, report: ImageReport) -> QPixmap:
    """The picture's preview with its verdict's severity mark in the corner."""
    canvas = QPixmap(ICON, ICON)
    canvas.fill(Qt.GlobalColor.transparent)
    thumb = QPixmap()
    if not (preview_png and thumb.loadFromData(preview_png)):
        thumb = resources.pixmap("no-preview", ICON)
    thumb = thumb.scaled(
        ICON, ICON, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    p = QPainter(canvas)
    p.drawPixmap((ICON - thumb.width()) // 2, (ICON - thumb.height()) // 2, thumb)
    p.drawPixmap(ICON - 22, ICON - 22, severity_pixmap(verdict(report)[0], 22))
    p.end()
    return canvas


class _PictureItem(QListWidgetItem):
    """Sorts by file name as a person reads it (case aside), then by folder."""

    def __lt__(self, other: QListWidgetItem) -> bool:
        return _order(self) < _order(other)


def _order(item: QListWidgetItem) -> tuple[str, str]:
    path = Path(item.data(REPORT_ROLE).path)
    return (path.name.casefold(), str(path))


class ImagesPage(QWidget, workers.JobHolder):
    def __init__(self, settings: Settings, save_settings: Callable[[], None], parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Share images safely")
        self.settings, self._save_settings = settings, save_settings
        self._items: dict[str, QListWidgetItem] = {}
        self._job: workers.Job | None = None
        # Pictures arrive faster than a list can take them one by one; they are added a batch at a time.
        self._arrived: list[preview.Inspection] = []
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(100)
        self._flush_timer.timeout.connect(self._flush)

        self.add_files_button = self._button("Add pictures…", "Add pictures", self.choose_files)
        self.add_folder_button = self._button("Add a folder…", "Add a folder of pictures", self.choose_folder)
        self.clear_button = self._button("Clear the list", "Clear the list of pictures", self.clear)
        QShortcut(QKeySequence.StandardKey.Open, self, self.choose_files)
        tools = QHBoxLayout()
        for b in (self.add_files_button, self.add_folder_button, self.clear_button):
            tools.addWidget(b)
        tools.addWidget(PlainLabel("…or drop pictures and folders here.", role="muted", wrap=False), 1)

        self.list = QListWidget()
        self.list.setAccessibleName("Pictures")
        self.list.setIconSize(QSize(ICON, ICON))
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.list.setWordWrap(True)  # the whole verdict is read, never cut off
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentItemChanged.connect(self._show_current)
        QShortcut(QKeySequence.StandardKey.Delete, self.list, self.remove_selected)
        self.details = FindingsView()
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.list)
        split.addWidget(self.details)
        split.setSizes([380, 520])
        split.setChildrenCollapsible(False)

        self.progress = ProgressPanel()
        self.progress.cancel_requested.connect(self.cancel)
        self.summary = CleanSummary()
        self.make_button = self._button("Make safe copies…", "Make safe copies", self.request_copies)
        self.make_button.setObjectName("primary")
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.make_button)

        layout = QVBoxLayout(self)
        layout.addWidget(PlainLabel("Share images safely", role="page-title"))
        layout.addWidget(
            PlainLabel(
                "See what your pictures give away without showing it, such as where and when they were "
                "taken and whose camera took them, and make safe copies to share. Your originals are never "
                "changed.",
                role="subtitle",
            )
        )
        layout.addLayout(tools)
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

    # Adding pictures ----------------------------------------------------------------------------------

    def choose_files(self) -> None:
        if self.busy:
            return
        files, _ = QFileDialog.getOpenFileNames(
            self, "Add pictures", self.settings.last_add_folder, PICTURE_FILTER
        )
        if files:
            self._remember_add_folder(str(Path(files[0]).parent))
            self.add_paths(files)

    def choose_folder(self) -> None:
        if self.busy:
            return
        folder = QFileDialog.getExistingDirectory(
            self, "Add a folder of pictures", self.settings.last_add_folder
        )
        if folder:
            self._remember_add_folder(folder)
            self.add_paths([folder])

    def _remember_add_folder(self, folder: str) -> None:
        self.settings.last_add_folder = folder
        self._save_settings()

    def add_paths(self, paths: list[str]) -> None:
        """Look at the pictures named (and those in the folders named), off the GUI thread."""
        if self.busy or not paths:
            return
        known = set(self._items)

        def work(rep: workers.Reporter) -> int:
            files = [str(p) for p in expand(paths) if str(p) not in known]
            rep.progress(0, len(files), "Looking at your pictures…")
            done = 0

            def arrived(_index: int, found: preview.Inspection) -> None:
                nonlocal done
                done += 1
                rep.result(found)
                rep.progress(
                    done, len(files), f"Looked at {done} of {len(files)}: {Path(found.report.path).name}"
                )

            pool.run(
                preview.inspect,
                files,
                jobs=pool.default_jobs(),
                on_result=arrived,
                cancel=rep.cancel,
                isolate=True,
                crashed=preview.crashed,
            )
            return len(files)

        self._start(work, "Looking at your pictures…", self._arrive, self._flush, self._reading_failed)

    def _reading_failed(self, message: str) -> None:
        self._flush()  # what was read before the failure is still listed
        self.summary.show_error(message)

    def _arrive(self, found: preview.Inspection) -> None:
        self._arrived.append(found)
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def _flush(self, _value: object = None) -> None:
        """Add the pictures that arrived since the last batch, sorting the list once."""
        self._flush_timer.stop()
        arrived, self._arrived = self._arrived, []
        for found in arrived:
            self._add_item(found)
        # By file name, whatever order the workers finish in: neutral names are numbered in this order.
        self.list.sortItems()
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self._set_busy(self.busy)

    def _add_item(self, found: preview.Inspection) -> None:
        report = found.report
        if report.path in self._items:
            return
        severity, line = verdict(report)
        said = line if severity in (Severity.OK, Severity.INFO) else f"{severity.label}: {line}"
        item = _PictureItem(f"{Path(report.path).name}\n{said}")
        item.setIcon(_list_icon(found.preview_png, report))
        item.setToolTip(plain_tooltip(report.path))
        item.setData(REPORT_ROLE, report)
        self._items[report.path] = item
        self.list.addItem(item)

    def _show_current(self, item: QListWidgetItem | None) -> None:
        if item is None:
            self.details.show_nothing()
        else:
            self.details.show_report(item.data(REPORT_ROLE))

    def remove_selected(self) -> None:
        if self.busy:
            return
        for item in self.list.selectedItems():
            self._items.pop(item.data(REPORT_ROLE).path, None)
            self.list.takeItem(self.list.row(item))
        self._set_busy(False)

    def clear(self) -> None:
        if self.busy:
            return
        self.list.clear()
        self._items.clear()
        self.details.show_nothing()
        self.summary.hide()
        self._set_busy(False)

    def reports(self) -> list[ImageReport]:
        return [self.list.item(i).data(REPORT_ROLE) for i in range(self.list.count())]

    # Making safe copies -------------------------------------------------------------------------------

    def request_copies(self) -> None:
        if self.busy or not self._items:
            return
        dialog = CleanDialog(self.settings, len(self._items), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.make_copies(dialog.folder(), dialog.neutral.isChecked(), dialog.keep_icc.isChecked())

    def make_copies(self, folder: str, neutral_names: bool, keep_icc: bool) -> None:
        if self.busy or not self._items:
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
            record_activity(results)

        job = self._start(work, "Making safe copies…", lambda _r: None, finished, self.summary.show_error)

    # Background work ----------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._job is not None

    def _start(
        self,
        fn: Callable[[workers.Reporter], Any],
        message: str,
        on_result: Callable[[Any], None],
        on_finished: Callable[[Any], None],
        on_failed: Callable[[str], None],
    ) -> workers.Job:
        self.progress.begin(message)
        job = workers.Job(fn)
        job.signals.progress.connect(self.progress.set_progress)
        job.signals.result.connect(on_result)
        job.signals.finished.connect(self._job_ended)
        job.signals.finished.connect(on_finished)
        job.signals.failed.connect(self._job_ended)
        job.signals.failed.connect(on_failed)
        self._job = job
        self._set_busy(True)
        job.start()
        return job

    def _job_ended(self, _value: object = None) -> None:
        self._job = None
        self.progress.hide()
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        for b in (self.add_files_button, self.add_folder_button, self.clear_button):
            b.setEnabled(not busy)
        self.make_button.setEnabled(not busy and bool(self._items))

    # Drag and drop ------------------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not self.busy and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths and not self.busy:
            event.acceptProposedAction()
            self.add_paths(paths)
