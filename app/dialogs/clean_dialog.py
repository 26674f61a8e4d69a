"""Before making safe copies: where they go, and how they are named."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.widgets.elided_label import ElidedLabel
from app.widgets.plain_label import PlainLabel
from checks.settings import Settings


class CleanDialog(QDialog):
    def __init__(self, settings: Settings, count: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Make safe copies")
        self._folder = (
            settings.last_output_folder
            if Path(settings.last_output_folder or "/nonexistent").is_dir()
            else ""
        )
        what = "a clean copy of this picture" if count == 1 else f"clean copies of these {count} pictures"
        intro = PlainLabel(
            f"SafeSpace will write {what} into the folder you choose, and check every copy before "
            "keeping it. Your originals are not changed."
        )
        self.folder_label = ElidedLabel(self._folder or "No folder chosen yet")
        choose = QPushButton("Choose folder…")
        choose.setAccessibleName("Choose the folder for the safe copies")
        choose.clicked.connect(self._choose)
        folder_row = QHBoxLayout()
        folder_row.addWidget(PlainLabel("Save the copies in:", wrap=False))
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(choose)

        self.neutral = QCheckBox("Give the copies neutral names (image-001.jpg, image-002.jpg, …)")
        self.neutral.setAccessibleName("Give the copies neutral names")
        self.neutral.setChecked(settings.neutral_names)
        neutral_why = PlainLabel(
            "File names can identify clients too, such as “Tom’s drawing.jpg”.", role="muted"
        )

        self.advanced = QPushButton("Advanced ▸")
        self.advanced.setCheckable(True)
        self.advanced.setAccessibleName("Show advanced choices")
        self.keep_icc = QCheckBox("Keep colour profiles (recommended)")
        self.keep_icc.setAccessibleName("Keep colour profiles")
        self.keep_icc.setChecked(settings.keep_icc)
        icc_why = PlainLabel(
            "A colour profile keeps colours right on screen. It names a maker of screens or cameras, "
            "not a person.",
            role="muted",
        )
        self.advanced_box = QWidget()
        box = QVBoxLayout(self.advanced_box)
        box.setContentsMargins(16, 0, 0, 0)
        box.addWidget(self.keep_icc)
        box.addWidget(icc_why)
        self.advanced_box.setVisible(False)
        self.advanced.toggled.connect(self._toggle_advanced)

        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton("Make safe copies", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("primary")
        self.ok.setAccessibleName("Make safe copies")
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(folder_row)
        layout.addWidget(self.neutral)
        layout.addWidget(neutral_why)
        layout.addWidget(self.advanced, 0)
        layout.addWidget(self.advanced_box)
        layout.addWidget(self.buttons)
        self._update()

    def folder(self) -> str:
        return self._folder

    def set_folder(self, folder: str) -> None:
        self._folder = folder
        self.folder_label.set_full_text(folder or "No folder chosen yet")
        self._update()

    def _choose(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Choose a folder for the safe copies", self._folder)
        if chosen:
            self.set_folder(chosen)

    def _toggle_advanced(self, shown: bool) -> None:
        self.advanced_box.setVisible(shown)
        self.advanced.setText("Advanced ▾" if shown else "Advanced ▸")

    def _update(self) -> None:
        self.ok.setEnabled(bool(self._folder))
