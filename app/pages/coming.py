"""An area that a later version delivers: its name, what it will do, and that it is not ready yet."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.widgets.plain_label import PlainLabel


class ComingPage(QWidget):
    def __init__(self, title: str, purpose: str, coming: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(PlainLabel(title, role="page-title"))
        layout.addWidget(PlainLabel(purpose, role="subtitle"))
        layout.addSpacing(16)
        layout.addWidget(PlainLabel("Not ready yet", role="subheading"))
        layout.addWidget(PlainLabel(coming))
