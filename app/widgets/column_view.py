"""A scrolling column of widgets, replaced as a whole when what it shows changes (the details of the item
selected, a page's results)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from app.widgets.focus_frame import show_focus


class ColumnView(QScrollArea):
    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName(name)
        show_focus(self)

    def fresh(self) -> QVBoxLayout:
        """An empty column, in place of what was shown; add the new content to it."""
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.setWidget(body)
        return layout
