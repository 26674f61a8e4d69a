"""A label that shows its text as plain text, always: untrusted text (file names, photo details) can never
be read as rich text or HTML."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

ZWSP = "\u200b"  # a zero-width space: a place a line may break, showing nothing
_LONG = re.compile(r"\S{24,}")


def breakable(text: str) -> str:
    """Long runs without spaces (a phone's file name, a serial number) made breakable: after each . _ - /
    and every 12 characters, so a label can wrap them anywhere instead of growing past its pane."""

    def split(match: re.Match[str]) -> str:
        run = re.sub(r"([._\-/\\])", rf"\1{ZWSP}", match.group(0))
        parts = run.split(ZWSP)
        return ZWSP.join(ZWSP.join(p[i : i + 12] for i in range(0, len(p), 12)) for p in parts)

    return _LONG.sub(split, text)


class PlainLabel(QLabel):
    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        *,
        wrap: bool = True,
        selectable: bool = False,
        role: str = "",
        anywhere: bool = False,
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
        self._anywhere = anywhere
        self.setText(text)

    def setText(self, text: str) -> None:
        super().setText(breakable(text) if self._anywhere else text)

    def plain_text(self) -> str:
        """The text as given (without the invisible break points added for wrapping)."""
        return self.text().replace(ZWSP, "")

    def setTextFormat(self, fmt: Qt.TextFormat) -> None:
        super().setTextFormat(Qt.TextFormat.PlainText)  # whatever is asked, stay plain
