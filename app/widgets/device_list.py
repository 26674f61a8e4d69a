"""The devices a room check found, one row each: an icon for the kind of device with the severity's mark,
the name as plain text, and a line of what it is and could do. New devices that could listen or watch
stand at the top.

The devices live in a model kept in order: each device's sort key is computed when it arrives or changes,
and it is put in its place with one bisect (never a sort of the whole list per device). The page reads the
devices back from the model, never from the widget's rows.
"""

from __future__ import annotations

import bisect
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPainter, QPalette, QPixmap, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from app import resources
from app.widgets.focus_frame import show_focus
from app.widgets.row_sizes import RowSizes
from app.widgets.severity import severity_pixmap
from app.widgets.tooltip import plain_tooltip
from checks import room_check
from checks.model import Severity
from checks.network.classify import Device

DEVICE_ROLE = Qt.ItemDataRole.UserRole
ICON = 40
Index = QModelIndex | QPersistentModelIndex
Key = tuple[bool, int, bool, str, str]


def _order(d: Device) -> Key:
    """New devices that may listen or watch first, then by severity; missing ones after those seen."""
    return (not (d.status == "new" and d.may_listen_or_watch), -d.severity.rank, d.status == "missing",
            room_check.shown_name(d).casefold(), d.id)  # fmt: skip


_icons: dict[tuple[str, Severity, str], QIcon] = {}


def device_icon(d: Device, palette: QPalette) -> QIcon:
    """The kind of device, with its severity's mark (shape and colour) in the corner; one per kind,
    severity and text colour, drawn once."""
    ink = palette.color(QPalette.ColorRole.Text)
    key = (d.device_class, d.severity, ink.name())
    if key not in _icons:
        pix = QPixmap(ICON * 2, ICON * 2)
        pix.setDevicePixelRatio(2.0)
        pix.fill(Qt.GlobalColor.transparent)
        p = QPainter(pix)
        kind = resources.tinted_icon(f"device-{d.device_class}", ink, 64)
        p.drawPixmap(0, 0, kind.pixmap(QSize(ICON - 8, ICON - 8)))
        p.drawPixmap(ICON - 18, ICON - 18, severity_pixmap(d.severity, 18))
        p.end()
        _icons[key] = QIcon(pix)
    return _icons[key]


class DeviceModel(QAbstractListModel):
    def __init__(self, palette: QPalette, parent: QWidget | None = None):
        super().__init__(parent)
        self._palette = palette
        self._devices: list[Device] = []
        self._keys: list[Key] = []
        self._texts: dict[str, str] = {}
        self._key_of: dict[str, Key] = {}
        self.sizes = RowSizes(ICON)
        self.inserts = 0  # how many devices were put in place (for the tests: one bisect each)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008  (Qt's own default)
        return 0 if parent.isValid() else len(self._devices)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._devices):
            return None
        d = self._devices[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[d.id]
        if role == Qt.ItemDataRole.SizeHintRole:
            return self.sizes.size(self._texts[d.id])
        if role == Qt.ItemDataRole.DecorationRole:
            return device_icon(d, self._palette)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(d.explanation)
        if role == DEVICE_ROLE:
            return d
        return None

    def row_of(self, device_id: str) -> int:
        key = self._key_of.get(device_id)
        return -1 if key is None else bisect.bisect_left(self._keys, key)

    def put(self, device: Device) -> int:
        """Add or update a device, in its place; returns its row. An update moves the row (the selection
        moves with it) only when its place in the order changed."""
        key = _order(device)
        old = self.row_of(device.id)
        at = bisect.bisect_left(self._keys, key)
        self.inserts += 1
        self._texts[device.id] = f"{room_check.shown_name(device)}\n{room_check.one_line(device)}"
        if old < 0:
            self.beginInsertRows(QModelIndex(), at, at)
            self._devices.insert(at, device)
            self._keys.insert(at, key)
            self._key_of[device.id] = key
            self.endInsertRows()
            return at
        place = at if at <= old else at - 1  # its place once taken out of where it was
        if place != old:
            self.beginMoveRows(QModelIndex(), old, old, QModelIndex(), place if place < old else place + 1)
            del self._devices[old], self._keys[old]
            self._devices.insert(place, device)
            self._keys.insert(place, key)
            self._key_of[device.id] = key
            self.endMoveRows()
        else:
            self._devices[old], self._keys[old] = device, key
            self._key_of[device.id] = key
        index = self.index(place)
        self.dataChanged.emit(index, index)
        return place

    def remove(self, device_id: str) -> None:
        at = self.row_of(device_id)
        if at >= 0:
            self._take(at)

    def _take(self, at: int) -> None:
        self.beginRemoveRows(QModelIndex(), at, at)
        d = self._devices.pop(at)
        del self._keys[at]
        self._texts.pop(d.id, None)
        self._key_of.pop(d.id, None)
        self.endRemoveRows()

    def replace_all(self, devices: list[Device]) -> None:
        self.beginResetModel()
        keyed = sorted(((_order(d), d) for d in devices), key=lambda pair: pair[0])
        self._keys = [k for k, _ in keyed]
        self._devices = [d for _, d in keyed]
        self._texts = {d.id: f"{room_check.shown_name(d)}\n{room_check.one_line(d)}" for d in self._devices}
        self._key_of = {d.id: k for k, d in keyed}
        self.endResetModel()

    def devices(self) -> list[Device]:
        return list(self._devices)

    def device(self, device_id: str) -> Device | None:
        at = self.row_of(device_id)
        return self._devices[at] if at >= 0 else None


class DeviceList(QListView):
    selected = Signal(object)  # the Device now selected

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Devices found")
        show_focus(self)
        self.setIconSize(QSize(ICON, ICON))
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.model_ = DeviceModel(self.palette(), self)
        self.setModel(self.model_)
        self.selectionModel().currentChanged.connect(self._changed)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.model_.sizes.set_view(self.font(), self.viewport().width())
        super().resizeEvent(event)

    def _changed(self, index: QModelIndex, _previous: QModelIndex) -> None:
        if index.isValid():
            self.selected.emit(self.model_.data(index, DEVICE_ROLE))

    def put(self, device: Device, replaced: tuple[str, ...] = ()) -> None:
        """Add a device, or show what is now known of it (dropping the rows it was merged from)."""
        current = self.current_device()
        for old in replaced:
            self.model_.remove(old)
        at = self.model_.put(device)
        if current is None:
            self.setCurrentIndex(self.model_.index(0))
        elif current.id in replaced:  # merged into this device: select what it became
            self.setCurrentIndex(self.model_.index(at))
        elif current.id == device.id:  # what is shown of it is brought up to date
            self.selected.emit(device)
        # Otherwise the current row follows its device as rows come and go (Qt keeps it).

    def remove(self, device_id: str) -> None:
        self.model_.remove(device_id)

    def show_all(self, devices: list[Device]) -> None:
        """Replace the list, keeping the selection on the same device when it is still there."""
        keep = self.current_device()
        self.model_.replace_all(devices)
        at = self.model_.row_of(keep.id) if keep is not None else -1
        if self.model_.rowCount():
            self.setCurrentIndex(self.model_.index(max(at, 0)))

    def reset_devices(self) -> None:
        self.model_.replace_all([])

    def device(self, device_id: str) -> Device | None:
        return self.model_.device(device_id)

    def current_device(self) -> Device | None:
        index = self.currentIndex()
        return self.model_.data(index, DEVICE_ROLE) if index.isValid() else None

    def devices(self) -> list[Device]:
        return self.model_.devices()

    def count(self) -> int:
        return self.model_.rowCount()

    def text(self, row: int) -> str:
        return str(self.model_.data(self.model_.index(row)))

    def setCurrentRow(self, row: int) -> None:
        self.setCurrentIndex(self.model_.index(row))

    def select_starting(self, text: str) -> bool:
        """Select the first device whose row starts with `text` (as a person finds it by its name)."""
        for row in range(self.count()):
            if self.text(row).startswith(text):
                self.setCurrentRow(row)
                return True
        return False
