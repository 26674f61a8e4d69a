"""Add a device or account to walk through: its name, its guide (guessed from the name, "Practice iPhone"
is an iPhone), its system version (newest first, with "newer than this guide"), and whose it is."""

from __future__ import annotations

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
from checks.guides.guess import guess, this_system, this_version
from checks.guides.loader import guides
from checks.guides.progress import ROLES
from checks.text import one_line

# Which guide describes the computer SafeSpace is running on.
THIS_SYSTEM = this_system()


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
        self.guide_by_hand = False  # once the person picks a guide, the name no longer changes it
        self.guide.activated.connect(self._picked)
        self.guessed = PlainLabel("", role="muted")
        self.version = QComboBox()
        self.version.setAccessibleName("System or app version")
        self.version_hint = PlainLabel("", role="muted")
        self.role = QComboBox()
        self.role.setAccessibleName("Whose it is")
        self.role.addItems(ROLES)
        self.this_computer = QCheckBox(
            "This is the computer SafeSpace is running on (it can check some settings for you)"
        )
        self.this_computer.setAccessibleName("This is the computer SafeSpace is running on")
        self.this_computer.toggled.connect(lambda _on: self._default_version())
        self.guide.currentIndexChanged.connect(self._guide_changed)
        form = QFormLayout()
        form.addRow("Name:", self.name)
        form.addRow("Guide:", self.guide)
        form.addRow("", self.guessed)
        form.addRow("Version:", self.version)
        form.addRow("", self.version_hint)
        form.addRow("Whose it is:", self.role)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Add")
        self.ok.setAccessibleName("Add this device")
        self.name.textChanged.connect(self._named)
        layout = QVBoxLayout(self)
        layout.addWidget(
            PlainLabel("Name it so that you can tell it apart; the name stays on this computer.")
        )
        layout.addLayout(form)
        layout.addWidget(self.this_computer)
        layout.addWidget(buttons)
        self.ok.setEnabled(False)
        self._guide_changed()

    def _picked(self, _index: int) -> None:
        self.guide_by_hand = True
        self.guessed.setText("")

    def _named(self, text: str) -> None:
        self.ok.setEnabled(bool(text.strip()))
        if self.guide_by_hand:
            return
        found = guess(text, THIS_SYSTEM)
        if found is not None and found != self.guide.currentData():
            self.guide.setCurrentIndex(self.guide.findData(found))
        self.guessed.setText(
            f"Chosen from the name: change it if “{one_line(text, 40)}” is something else." if found else ""
        )

    def _guide_changed(self) -> None:
        g = guides()[self.guide.currentData()]
        self.version.clear()
        self.version.addItems(g.choices())
        mine = g.id == THIS_SYSTEM
        self.this_computer.setEnabled(mine)
        self.this_computer.setChecked(mine and self.this_computer.isChecked())
        self.version_hint.setText(
            f"If yours is newer than {g.versions[-1]}, choose “{g.newer}”: the guide shows the newest paths "
            "it knows, with a note."
            if g.newer
            else "Accounts and apps change their menus without version numbers: choose where you use it."
        )
        self._default_version()

    def _default_version(self) -> None:
        """This computer's own version when SafeSpace can tell it, else the newest the guide lists."""
        g = guides()[self.guide.currentData()]
        own = this_version(g.id) if self.this_computer.isChecked() else None
        self.version.setCurrentText(own or g.default)

    def values(self) -> tuple[str, str, str, str, bool]:
        return (
            self.name.text(),
            self.guide.currentData(),
            self.version.currentText(),
            self.role.currentText(),
            self.this_computer.isChecked(),
        )
