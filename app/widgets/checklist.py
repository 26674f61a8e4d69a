"""The physical checklist beside the scan: what to look at that no network scan can see."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QVBoxLayout, QWidget

from app.widgets.plain_label import PlainLabel
from checks.room_check import NOT_PRESENT, Checklist


class _Words(PlainLabel):
    """A check box's words: clicking them ticks the box, as clicking a check box's own text would."""

    def __init__(self, text: str, box: QCheckBox, role: str = ""):
        super().__init__(text, role=role)
        self.box = box
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.box.toggle()
            self.box.setFocus()


class ChecklistPanel(QGroupBox):
    changed = Signal()

    def __init__(self, checklist: Checklist, parent: QWidget | None = None):
        super().__init__("Look around the room", parent)
        self.setAccessibleName("Look around the room: a checklist")
        self.boxes: dict[str, QCheckBox] = {}
        layout = QVBoxLayout(self)
        for item in checklist.items:
            # A check box cannot wrap its text: the box stands alone, its words beside it, wrapped.
            box = QCheckBox()
            box.setAccessibleName(item.title)
            box.setAccessibleDescription(item.why)
            box.toggled.connect(lambda _on: self.changed.emit())
            self.boxes[item.id] = box
            words = QVBoxLayout()
            words.setSpacing(1)
            words.addWidget(_Words(item.title, box))
            words.addWidget(_Words(item.why, box, role="muted"))
            row = QHBoxLayout()
            row.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
            row.addLayout(words, 1)
            row.setContentsMargins(0, 0, 0, 6)
            layout.addLayout(row)
        layout.addWidget(PlainLabel("What a scan cannot see", role="subheading"))
        layout.addWidget(PlainLabel(NOT_PRESENT))

    def answers(self) -> dict[str, bool]:
        return {key: box.isChecked() for key, box in self.boxes.items()}

    def any_ticked(self) -> bool:
        return any(box.isChecked() for box in self.boxes.values())

    def reset(self) -> None:
        for box in self.boxes.values():
            box.setChecked(False)
