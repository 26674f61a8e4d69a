"""The pictures that go with a draft: checked with the same engine as "Share pictures and videos safely",
with "Make safe copies" from there. Pictures are read in worker processes, so a broken file cannot take the
app down."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import resources, workers
from app.dialogs.clean_dialog import CleanDialog
from app.widgets.clean_summary import CleanSummary
from app.widgets.findings_view import verdict
from app.widgets.plain_label import PlainLabel
from app.widgets.severity import severity_pixmap
from app.widgets.tooltip import plain_tooltip
from checks import pool
from checks.images import preview
from checks.images.clean import CleanResult, clean_paths, record_activity
from checks.images.report import ImageReport
from checks.model import Severity
from checks.settings import Settings

ICON = 48
PICTURE_FILTER = "Pictures (*.jpg *.jpeg *.png *.webp *.gif *.tif *.tiff *.heic *.heif *.avif);;All files (*)"
REPORT_ROLE = Qt.ItemDataRole.UserRole


def _icon(found: preview.Inspection) -> QPixmap:
    canvas = QPixmap(ICON, ICON)
    canvas.fill(Qt.GlobalColor.transparent)
    thumb = QPixmap()
    if not (found.preview_png and thumb.loadFromData(found.preview_png)):
        thumb = resources.pixmap("no-preview", ICON)
    thumb = thumb.scaled(
        ICON, ICON, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    p = QPainter(canvas)
    p.drawPixmap((ICON - thumb.width()) // 2, (ICON - thumb.height()) // 2, thumb)
    p.drawPixmap(ICON - 18, ICON - 18, severity_pixmap(verdict(found.report)[0], 18))
    p.end()
    return canvas


class PostPictures(QFrame, workers.JobHolder):
    changed = Signal()  # pictures were added, checked or removed

    def __init__(self, settings: Settings, save_settings: Callable[[], None], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("finding")
        self.setAccessibleName("Pictures with this post")
        self.settings, self._save_settings = settings, save_settings
        self._job: workers.Job | None = None
        self.list = QListWidget()
        self.list.setAccessibleName("Pictures with this post")
        self.list.setIconSize(QSize(ICON, ICON))
        self.list.setWordWrap(True)
        self.list.setMaximumHeight(ICON * 2 + 24)
        self.add_button = QPushButton("Add pictures…")
        self.add_button.setAccessibleName("Add the pictures that go with this post")
        self.add_button.clicked.connect(self.choose)
        self.make_button = QPushButton("Make safe copies…")
        self.make_button.setAccessibleName("Make safe copies of these pictures")
        self.make_button.clicked.connect(self.request_copies)
        self.clear_button = QPushButton("Remove")
        self.clear_button.setAccessibleName("Remove the pictures from this check")
        self.clear_button.clicked.connect(self.clear)
        self.status = PlainLabel(
            "Pictures can give away where and when they were taken, and whose camera took them. A child's "
            "drawing or a sand tray in a photo can identify a client on its own.",
            role="muted",
        )
        self.summary = CleanSummary()
        buttons = QHBoxLayout()
        for b in (self.add_button, self.make_button, self.clear_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(PlainLabel("Pictures with this post (optional)", role="finding-title"))
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        layout.addWidget(self.list)
        layout.addWidget(self.summary)
        self.list.hide()
        self._update()

    @property
    def busy(self) -> bool:
        return self._job is not None

    def reports(self) -> list[ImageReport]:
        return [self.list.item(i).data(REPORT_ROLE) for i in range(self.list.count())]

    def worst(self) -> Severity:
        return max((verdict(r)[0] for r in self.reports()), key=lambda s: s.rank, default=Severity.OK)

    def choose(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "Add pictures", self.settings.last_add_folder, PICTURE_FILTER
        )
        if files:
            self.settings.last_add_folder = str(Path(files[0]).parent)
            self._save_settings()
            self.add_paths(files)

    def add_paths(self, paths: list[str]) -> None:
        known = {r.path for r in self.reports()}
        files = [p for p in paths if p not in known]
        if self.busy or not files:
            return

        def work(rep: workers.Reporter) -> int:
            pool.run(
                preview.inspect,
                files,
                jobs=pool.default_jobs(),
                on_result=lambda _i, found: rep.result(found),
                cancel=rep.cancel,
                isolate=True,
                crashed=preview.crashed,
                limited=preview.limited,
            )
            return len(files)

        self.status.setText("Looking at your pictures…")
        self._start(work, self._arrived, lambda _n: self._checked(), self._failed)

    def _arrived(self, found: preview.Inspection) -> None:
        report = found.report
        severity, line = verdict(report)
        said = line if severity in (Severity.OK, Severity.INFO) else f"{severity.label}: {line}"
        item = QListWidgetItem(f"{Path(report.path).name}\n{said}")
        item.setIcon(_icon(found))
        item.setToolTip(plain_tooltip(report.path))
        item.setData(REPORT_ROLE, report)
        self.list.addItem(item)
        self.list.show()

    def _checked(self) -> None:
        n = self.list.count()
        worst = self.worst()
        if worst in (Severity.OK, Severity.INFO):
            self.status.setText(
                f"{n} picture{'s' if n != 1 else ''}: no hidden details found. Look at the pictures "
                "themselves too: "
                "faces, names, uniforms, school logos and a child's work can identify a client."
            )
        else:
            self.status.setText(
                f"{worst.label}: hidden details in {'this picture' if n == 1 else 'these pictures'} give "
                "things away. Make safe copies and share those instead, and look at the pictures "
                "themselves too."
            )
        self.changed.emit()

    def _failed(self, message: str) -> None:
        self.status.setText(message)

    def clear(self) -> None:
        if self.busy:
            return
        self.list.clear()
        self.list.hide()
        self.summary.hide()
        self.changed.emit()
        self._update()

    def request_copies(self) -> None:
        if self.busy or not self.list.count():
            return
        dialog = CleanDialog(self.settings, self.list.count(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.make_copies(dialog.folder(), dialog.neutral.isChecked(), dialog.keep_icc.isChecked())

    def make_copies(self, folder: str, neutral_names: bool, keep_icc: bool) -> None:
        if self.busy or not self.list.count():
            return
        self.settings.last_output_folder = folder
        self.settings.neutral_names, self.settings.keep_icc = neutral_names, keep_icc
        self._save_settings()
        sources = [r.path for r in self.reports()]

        def work(rep: workers.Reporter) -> list[CleanResult]:
            return clean_paths(
                sources,
                folder,
                rename=neutral_names,
                keep_icc=keep_icc,
                jobs=pool.default_jobs(),
                cancel=rep.cancel,
            )

        def finished(results: list[CleanResult]) -> None:
            self.summary.show_results(results, folder, stopped=job.cancelled)
            record_activity(results)

        self.status.setText("Making safe copies…")
        job = self._start(work, lambda _r: None, finished, self.summary.show_error)

    def _start(
        self,
        fn: Callable[[workers.Reporter], Any],
        on_result: Callable[[Any], None],
        on_finished: Callable[[Any], None],
        on_failed: Callable[[str], None],
    ) -> workers.Job:
        job = workers.Job(fn)
        job.signals.result.connect(on_result)
        job.signals.finished.connect(self._ended)
        job.signals.finished.connect(on_finished)
        job.signals.failed.connect(self._ended)
        job.signals.failed.connect(on_failed)
        self._job = job
        self._update()
        job.start()
        return job

    def _ended(self, _value: object = None) -> None:
        self._job = None
        self._update()

    def _update(self) -> None:
        has = bool(self.list.count())
        self.add_button.setEnabled(not self.busy)
        self.make_button.setEnabled(not self.busy and has)
        self.clear_button.setEnabled(not self.busy and has)
