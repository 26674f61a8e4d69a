"""A label that shows its text as plain text, always: untrusted text (file names, photo details) can never
be read as rich text or HTML."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


class PlainLabel(QLabel):
    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        *,
        wrap: bool = True,
        selectable: bool = False,
        role: str = "",
    ):
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(wrap)
        if selectable:
            self.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
        if role:
            self.setObjectName(role)  # styled by role in style.qss (heading, subtitle, muted)
        self.setText(text)

    def setTextFormat(self, fmt: Qt.TextFormat) -> None:
        super().setTextFormat(Qt.TextFormat.PlainText)  # whatever is asked, stay plain
