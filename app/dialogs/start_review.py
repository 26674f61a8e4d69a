"""Start a review: its title, who reviews, and what it covers (every room, device and check, by default)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.widgets.plain_label import PlainLabel
from checks.reviews.gather import Item


class StartReview(QDialog):
    def __init__(self, items: list[Item], title: str, reviewer: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Start a review")
        self.setMinimumSize(560, 420)  # the title, the names and what it covers are read without cutting
        self.items = items
        self.title = QLineEdit(title)
        self.title.setAccessibleName("Title of the review")
        self.reviewer = QLineEdit(reviewer)
        self.reviewer.setAccessibleName("Who reviews")
        self.scope = QListWidget()
        self.scope.setAccessibleName("What the review covers")
        for item in items:
            row = QListWidgetItem(item.label)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(Qt.CheckState.Checked)
            self.scope.addItem(row)
        form = QFormLayout()
        form.addRow("Title:", self.title)
        form.addRow("Reviewed by:", self.reviewer)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(PlainLabel("What it covers (the latest check of each is gathered for you):"))
        layout.addWidget(self.scope, 1)
        layout.addWidget(buttons)

    def chosen(self) -> list[Item]:
        return [
            i for n, i in enumerate(self.items) if self.scope.item(n).checkState() == Qt.CheckState.Checked
        ]
