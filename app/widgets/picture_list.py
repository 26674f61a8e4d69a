"""The list of pictures on the images page: a model kept in order as pictures arrive, and its view.

Each row's sort key is computed once, when the picture arrives; a batch of arrivals is sorted once and
merged into the rows already there (never a sort of the whole list per picture, nor a Python comparison
building paths for every pair). Previews arrive later, one by one, and only repaint their own row.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QIcon, QPainter, QPixmap, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from app import resources
from app.widgets.findings_view import verdict
from app.widgets.focus_frame import show_focus
from app.widgets.row_sizes import RowSizes
from app.widgets.severity import severity_pixmap
from app.widgets.tooltip import plain_tooltip
from checks.images.report import ImageReport
from checks.model import Severity
from checks.text import one_line

ICON = 64
REPORT_ROLE = Qt.ItemDataRole.UserRole
Index = QModelIndex | QPersistentModelIndex


def by_name(report: ImageReport) -> tuple[Any, ...]:
    """File name as a person reads it (case aside), then the folder."""
    path = Path(report.path)
    return (path.name.casefold(), report.path)


def by_risk(report: ImageReport) -> tuple[Any, ...]:
    """The most serious first; then by name."""
    return (-verdict(report)[0].rank, *by_name(report))


ORDERS: dict[str, Callable[[ImageReport], tuple[Any, ...]]] = {"name": by_name, "risk": by_risk}


def list_icon(preview_png: bytes | None, severity: Severity, video: bool = False) -> QIcon:
    """The picture's preview (or a plain stand-in until it is decoded; a film for a video, whose frames
    SafeSpace does not decode) with its verdict's mark."""
    canvas = QPixmap(ICON, ICON)
    canvas.fill(Qt.GlobalColor.transparent)
    thumb = QPixmap()
    if not (preview_png and thumb.loadFromData(preview_png)):
        thumb = resources.pixmap("video" if video else "no-preview", ICON)
    thumb = thumb.scaled(
        ICON, ICON, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    p = QPainter(canvas)
    p.drawPixmap((ICON - thumb.width()) // 2, (ICON - thumb.height()) // 2, thumb)
    p.drawPixmap(ICON - 22, ICON - 22, severity_pixmap(severity, 22))
    p.end()
    return QIcon(canvas)


_waiting_icons: dict[tuple[Severity, bool], QIcon] = {}


def waiting_icon(severity: Severity, video: bool = False) -> QIcon:
    """One shared icon per severity (and for videos) for rows whose preview is not decoded yet."""
    if (severity, video) not in _waiting_icons:
        _waiting_icons[severity, video] = list_icon(None, severity, video)
    return _waiting_icons[severity, video]


@dataclass
class Row:
    report: ImageReport
    key: tuple[Any, ...]
    text: str
    severity: Severity
    tooltip: str
    icon: QIcon | None = None  # the preview, once decoded
    copied: bool = False  # a safe copy of it was made
    extra: dict[str, Any] = field(default_factory=dict)


def _row(report: ImageReport, key: tuple[Any, ...]) -> Row:
    severity, line = verdict(report)
    said = line if severity in (Severity.OK, Severity.INFO) else f"{severity.label}: {line}"
    name = one_line(Path(report.path).name)
    return Row(report, key, f"{name}\n{said}", severity, plain_tooltip(report.path))


class PictureModel(QAbstractListModel):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[Row] = []
        self._keys: list[tuple[Any, ...]] = []  # the rows' keys, in order, for bisect
        self._paths: dict[str, Row] = {}
        self.order: Callable[[ImageReport], tuple[Any, ...]] = by_name
        self.sorts = 0  # how many times a batch was sorted (one per batch, for the tests)
        self.sizes = RowSizes(ICON)

    # Qt's side ----------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008  (Qt's own default)
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.text + ("\nSafe copy made" if row.copied else "")
        if role == Qt.ItemDataRole.SizeHintRole:
            return self.sizes.size(row.text + ("\nSafe copy made" if row.copied else ""))
        if role == Qt.ItemDataRole.DecorationRole:
            return row.icon or waiting_icon(row.severity, row.report.format == "video")
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltip
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return row.text.replace("\n", ": ")
        if role == REPORT_ROLE:
            return row.report
        return None

    # Ours ---------------------------------------------------------------------------------------------

    def __contains__(self, path: str) -> bool:
        return path in self._paths

    def add(self, reports: Iterable[ImageReport]) -> int:
        """Add a batch, each where it belongs in the order; returns how many were new."""
        fresh = [r for r in reports if r.path not in self._paths]
        unique = list({r.path: r for r in fresh}.values())
        if not unique:
            return 0
        keyed = sorted(((self.order(r), r) for r in unique), key=lambda pair: pair[0])
        self.sorts += 1
        if not self.rows or keyed[0][0] > self._keys[-1]:  # the usual case: all after what is there
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(keyed) - 1)
            for key, report in keyed:
                self._append(_row(report, key))
            self.endInsertRows()
            return len(keyed)
        for key, report in keyed:  # merged in: each insert is one bisect and one list insert
            at = bisect.bisect_right(self._keys, key)
            self.beginInsertRows(QModelIndex(), at, at)
            row = _row(report, key)
            self.rows.insert(at, row)
            self._keys.insert(at, key)
            self._paths[report.path] = row
            self.endInsertRows()
        return len(keyed)

    def _append(self, row: Row) -> None:
        self.rows.append(row)
        self._keys.append(row.key)
        self._paths[row.report.path] = row

    def set_preview(self, path: str, preview_png: bytes | None) -> None:
        row = self._paths.get(path)
        if row is None:
            return
        video = row.report.format == "video"
        row.icon = list_icon(preview_png, row.severity) if preview_png else waiting_icon(row.severity, video)
        at = bisect.bisect_left(self._keys, row.key)
        index = self.index(at)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    def mark_copied(self, paths: Iterable[str]) -> None:
        for path in paths:
            if (row := self._paths.get(path)) is not None:
                row.copied = True
        if self.rows:
            self.dataChanged.emit(
                self.index(0), self.index(len(self.rows) - 1), [Qt.ItemDataRole.DisplayRole]
            )

    def sort_by(self, order: str) -> None:
        self.layoutAboutToBeChanged.emit()
        self.order = ORDERS[order]
        for row in self.rows:
            row.key = self.order(row.report)
        self.rows.sort(key=lambda r: r.key)
        self._keys = [r.key for r in self.rows]
        self.sorts += 1
        self.layoutChanged.emit()

    def remove_rows(self, rows: Iterable[int]) -> None:
        for at in sorted(set(rows), reverse=True):
            self.beginRemoveRows(QModelIndex(), at, at)
            row = self.rows.pop(at)
            del self._keys[at]
            self._paths.pop(row.report.path, None)
            self.endRemoveRows()

    def clear(self) -> None:
        self.beginResetModel()
        self.rows, self._keys, self._paths = [], [], {}
        self.endResetModel()

    def reports(self) -> list[ImageReport]:
        return [r.report for r in self.rows]

    def counts(self) -> dict[Severity, int]:
        counted = dict.fromkeys(Severity, 0)
        for row in self.rows:
            counted[row.severity] += 1
        return counted

    def without_preview(self) -> list[int]:
        return [
            i
            for i, row in enumerate(self.rows)
            if row.icon is None and row.report.format not in (None, "raw", "video")
        ]


class PictureList(QListView):
    """The view: a row per picture (name, verdict, preview with its mark), several may be selected."""

    current_changed = Signal(object)  # the ImageReport now current, or None

    def __init__(self, model: PictureModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setModel(model)
        self.pictures = model
        self.setAccessibleName("Pictures")
        show_focus(self)
        self.setIconSize(QSize(ICON, ICON))
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setWordWrap(True)  # the whole verdict is read, never cut off
        # Rows are measured one by one (a verdict may wrap to more lines); the model answers from a cache.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.selectionModel().currentChanged.connect(self._current)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.pictures.sizes.set_view(self.font(), self.viewport().width())
        super().resizeEvent(event)

    def _current(self, index: QModelIndex, _previous: QModelIndex) -> None:
        self.current_changed.emit(self.pictures.data(index, REPORT_ROLE) if index.isValid() else None)

    def count(self) -> int:
        return self.pictures.rowCount()

    def currentRow(self) -> int:
        index = self.currentIndex()
        return index.row() if index.isValid() else -1

    def setCurrentRow(self, row: int) -> None:
        self.setCurrentIndex(self.pictures.index(row))

    def text(self, row: int) -> str:
        return str(self.pictures.data(self.pictures.index(row)))

    def icon(self, row: int) -> QIcon:
        return self.pictures.data(self.pictures.index(row), Qt.ItemDataRole.DecorationRole)

    def tooltip(self, row: int) -> str:
        return str(self.pictures.data(self.pictures.index(row), Qt.ItemDataRole.ToolTipRole))

    def selected_rows(self) -> list[int]:
        return sorted(i.row() for i in self.selectionModel().selectedIndexes())

    def visible_rows(self) -> list[int]:
        """The rows on screen now, top to bottom (for decoding their previews first)."""
        top = self.indexAt(self.viewport().rect().topLeft())
        if not top.isValid():
            return []
        bottom = self.indexAt(self.viewport().rect().bottomLeft())
        last = bottom.row() if bottom.isValid() else self.count() - 1
        return list(range(top.row(), last + 1))

    def select_first_if_none(self) -> None:
        if not self.currentIndex().isValid() and self.count():
            self.selectionModel().setCurrentIndex(
                self.pictures.index(0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
