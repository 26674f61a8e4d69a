"""Add a device or account to walk through: its name, its guide, its system version, whose it is."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.widgets.plain_label import PlainLabel
from checks.guides.loader import guides
from checks.guides.progress import ROLES

# Which guide describes the computer SafeSpace is running on.
THIS_SYSTEM = {"win32": "windows", "darwin": "macos", "linux": "linux"}.get(sys.platform)


class AddDevice(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Add a device or account")
        self.name = QLineEdit()
        self.name.setAccessibleName("Name of the device or account")
        self.name.setPlaceholderText("For example “Practice iPad” or “My Facebook”")
        self.name.setMaxLength(80)
        self.guide = QComboBox()
        self.guide.setAccessibleName("Which guide")
        for g in guides().values():
            self.guide.addItem(g.title, g.id)
        self.version = QComboBox()
        self.version.setAccessibleName("System or app version")
        self.role = QComboBox()
        self.role.setAccessibleName("Whose it is")
        self.role.addItems(ROLES)
        self.this_computer = QCheckBox(
            "This is the computer SafeSpace is running on (it can check some settings for you)"
        )
        self.this_computer.setAccessibleName("This is the computer SafeSpace is running on")
        self.guide.currentIndexChanged.connect(self._guide_changed)
        form = QFormLayout()
        form.addRow("Name:", self.name)
        form.addRow("Guide:", self.guide)
        form.addRow("Version:", self.version)
        form.addRow("Whose it is:", self.role)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Add")
        self.ok.setAccessibleName("Add this device")
        self.name.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        layout = QVBoxLayout(self)
        layout.addWidget(
            PlainLabel("Name it so that you can tell it apart; the name stays on this computer.")
        )
        layout.addLayout(form)
        layout.addWidget(self.this_computer)
        layout.addWidget(buttons)
        self.ok.setEnabled(False)
        self._guide_changed()

    def _guide_changed(self) -> None:
        g = guides()[self.guide.currentData()]
        self.version.clear()
        self.version.addItems(list(g.versions))
        self.version.setCurrentIndex(len(g.versions) - 1)
        mine = g.id == THIS_SYSTEM
        self.this_computer.setEnabled(mine)
        self.this_computer.setChecked(mine and self.this_computer.isChecked())

    def values(self) -> tuple[str, str, str, str, bool]:
        return (
            self.name.text(),
            self.guide.currentData(),
            self.version.currentText(),
            self.role.currentText(),
            self.this_computer.isChecked(),
        )
