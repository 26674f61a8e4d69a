"""The devices a room check found, one row each: an icon for the kind of device with the severity's mark,
the name as plain text, and a line of what it is and could do. New devices that could listen or watch
stand at the top."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from app import resources
from app.widgets.severity import severity_pixmap
from app.widgets.tooltip import plain_tooltip
from checks import room_check
from checks.network.classify import Device

DEVICE_ROLE = Qt.ItemDataRole.UserRole
ICON = 40


def _order(d: Device) -> tuple[bool, int, bool, str]:
    """New devices that may listen or watch first, then by severity; missing ones after those seen."""
    return (not (d.status == "new" and d.may_listen_or_watch), -d.severity.rank, d.status == "missing",
            room_check.shown_name(d).casefold())  # fmt: skip


class _DeviceItem(QListWidgetItem):
    def __lt__(self, other: QListWidgetItem) -> bool:
        return _order(self.data(DEVICE_ROLE)) < _order(other.data(DEVICE_ROLE))


def device_icon(d: Device, palette: QPalette) -> QPixmap:
    """The kind of device, with its severity's mark (shape and colour) in the corner."""
    pix = QPixmap(ICON * 2, ICON * 2)
    pix.setDevicePixelRatio(2.0)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    kind = resources.tinted_icon(f"device-{d.device_class}", palette.color(QPalette.ColorRole.Text), 64)
    p.drawPixmap(0, 0, kind.pixmap(QSize(ICON - 8, ICON - 8)))
    p.drawPixmap(ICON - 18, ICON - 18, severity_pixmap(d.severity, 18))
    p.end()
    return pix


class DeviceList(QListWidget):
    selected = Signal(object)  # the Device now selected

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Devices found")
        self.setIconSize(QSize(ICON, ICON))
        self.setWordWrap(True)
        self._by_id: dict[str, QListWidgetItem] = {}
        self.currentItemChanged.connect(self._changed)

    def _changed(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.selected.emit(item.data(DEVICE_ROLE))

    def put(self, device: Device, replaced: tuple[str, ...] = ()) -> None:
        """Add a device, or show what is now known of it (dropping the rows it was merged from)."""
        for old in replaced:
            self.remove(old)
        item = self._by_id.get(device.id)
        if item is None:
            item = self._by_id[device.id] = _DeviceItem()
            self.addItem(item)
        item.setText(f"{room_check.shown_name(device)}\n{room_check.one_line(device)}")
        item.setIcon(device_icon(device, self.palette()))
        item.setToolTip(plain_tooltip(device.explanation))
        item.setData(DEVICE_ROLE, device)
        self.sortItems()
        if self.currentItem() is None:
            self.setCurrentRow(0)
        elif item is self.currentItem():
            self.selected.emit(device)

    def remove(self, device_id: str) -> None:
        item = self._by_id.pop(device_id, None)
        if item is not None:
            self.takeItem(self.row(item))

    def show_all(self, devices: list[Device]) -> None:
        """Replace the list, keeping the selection on the same device when it is still there."""
        keep = self.current_device()
        self.reset_devices()
        for d in devices:
            self.put(d)
        item = self._by_id.get(keep.id if keep else "") or self.item(0)
        if item is not None:
            self.setCurrentItem(item)

    def reset_devices(self) -> None:
        self.clear()
        self._by_id.clear()

    def device(self, device_id: str) -> Device | None:
        item = self._by_id.get(device_id)
        return item.data(DEVICE_ROLE) if item is not None else None

    def current_device(self) -> Device | None:
        item = self.currentItem()
        return item.data(DEVICE_ROLE) if item is not None else None

    def devices(self) -> list[Device]:
        return [self.item(i).data(DEVICE_ROLE) for i in range(self.count())]
