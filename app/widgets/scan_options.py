"""The room scan's advanced choices: which network connection, and how long to listen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QFrame, QSpinBox, QToolButton, QVBoxLayout, QWidget

from checks import room_check
from checks.network import interfaces

AUTOMATIC = "Automatic: the connection this computer normally uses"


class ScanOptions(QWidget):
    def __init__(self, interface: str, seconds: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.toggle = QToolButton()
        self.toggle.setText("Advanced")
        self.toggle.setAccessibleName("Advanced scan choices")
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.toggled.connect(self._show)
        self.panel = QFrame()
        self.panel.setMaximumWidth(720)
        form = QFormLayout(self.panel)
        self.interface = QComboBox()
        self.interface.setAccessibleName("Network connection to scan")
        self.seconds = QSpinBox()
        self.seconds.setAccessibleName("How long to listen, in seconds")
        low, high = room_check.SCAN_SECONDS
        self.seconds.setRange(low, high)
        self.seconds.setSuffix(" seconds")
        self.seconds.setValue(max(low, min(high, seconds)))
        form.addRow("Network connection:", self.interface)
        form.addRow("Listen for:", self.seconds)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.panel)
        self.panel.hide()
        self.refresh(interface)

    def _show(self, on: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.panel.setVisible(on)
        if on:
            self.refresh(self.interface_name() or "")

    def refresh(self, chosen: str) -> None:
        """List this computer's connections (they come and go), keeping the choice when it is still there."""
        self.interface.clear()
        self.interface.addItem(AUTOMATIC, "")
        for iface in interfaces.list_interfaces():
            self.interface.addItem(iface.describe(), iface.name)
        index = self.interface.findData(chosen)
        self.interface.setCurrentIndex(max(index, 0))

    def interface_name(self) -> str | None:
        return self.interface.currentData() or None

    def listen_seconds(self) -> int:
        return self.seconds.value()
