"""Before making safe copies: where they go, and how they are named."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QStandardPaths
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
from checks.text import one_line

_WORD = re.compile(r"[^\W\d_]+(?:['’]s)?")
# Capitalised words that start many file names without naming anyone.
_NOT_NAMES = {
    "img", "image", "photo", "picture", "screenshot", "scan", "copy", "edited", "final", "session", "room",
    "drawing", "painting", "sand", "tray", "the", "my", "new", "untitled", "portrait", "whatsapp", "signal",
    "camera", "pxl", "dsc", "dcim", "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday",
}  # fmt: skip


def may_name_a_person(file_name: str) -> bool:
    """Whether a file name looks as if it holds a person's name: two capitalised words in a row ("Emma
    Jones - sand tray.jpg") or a capitalised word with 's ("Tom's drawing.jpg"). A guess, said as one."""
    words = _WORD.findall(Path(file_name).stem)

    def named(w: str) -> bool:
        bare = re.sub(r"['’]s$", "", w)
        return (
            len(bare) > 1 and bare[0].isupper() and bare[1:].islower() and bare.casefold() not in _NOT_NAMES
        )

    if any(named(w) and re.search(r"['’]s$", w) for w in words):
        return True
    return any(named(a) and named(b) for a, b in itertools.pairwise(words))


class CleanDialog(QDialog):
    def __init__(
        self, settings: Settings, count: int, parent: QWidget | None = None, names: Sequence[str] = ()
    ):
        super().__init__(parent)
        self.setWindowTitle("Make safe copies")
        self.setMinimumWidth(520)
        self._personal = [Path(n).name for n in names if may_name_a_person(Path(n).name)]
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
        self.name_warning = PlainLabel(role="error")
        self.name_warning.setAccessibleName("File names that may name a person")
        if self._personal:
            more = len(self._personal) - 1
            self.name_warning.setText(
                f"Worth checking: “{one_line(self._personal[0], 60)}”"
                + (f" and {more} other file name{'s' if more != 1 else ''}" if more else "")
                + " may name a person. Without neutral names, the copies keep these names."
            )
        self.neutral.toggled.connect(self._update)

        self.advanced = QPushButton("Advanced ▸")
        self.advanced.setCheckable(True)
        self.advanced.setAccessibleName("Show advanced choices")
        self.keep_icc = QCheckBox("Keep colour profiles (recommended)")
        self.keep_icc.setAccessibleName("Keep colour profiles")
        self.keep_icc.setChecked(settings.keep_icc)
        icc_why = PlainLabel(
            "A colour profile keeps colours right on screen. Safe copies keep its colours but leave out its "
            "text and date, which can name a person or link pictures to one computer.",
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
        layout.addWidget(self.name_warning)
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
        start = self._folder or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.PicturesLocation
        )
        chosen = QFileDialog.getExistingDirectory(self, "Choose a folder for the safe copies", start)
        if chosen:
            self.set_folder(chosen)

    def _toggle_advanced(self, shown: bool) -> None:
        self.advanced_box.setVisible(shown)
        self.advanced.setText("Advanced ▾" if shown else "Advanced ▸")
        self.adjustSize()  # grow to show the whole of what was opened, never clip it

    def _update(self) -> None:
        self.ok.setEnabled(bool(self._folder))
        self.name_warning.setVisible(bool(self._personal) and not self.neutral.isChecked())
