"""Past checks of a room: a line each, and the whole check (as plain text) for the one selected."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import exporting
from app.widgets.plain_label import PlainLabel
from checks import room_check
from checks.reviews import document


class RoomHistory(QDialog):
    def __init__(self, room: str, checks: list[dict[str, Any]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Past checks of {room}")
        self.setAccessibleName(f"Past checks of {room}")
        self.resize(820, 560)
        self.list = QListWidget()
        self.list.setAccessibleName("Past checks, newest first")
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for check in checks:
            item = QListWidgetItem(room_check.summary(check["data"]))
            item.setData(Qt.ItemDataRole.UserRole, check["data"])
            self.list.addItem(item)
        self.text = QPlainTextEdit()  # plain text only: device names came from the network
        self.text.setReadOnly(True)
        self.text.setAccessibleName("The selected check")
        self.list.currentItemChanged.connect(self._show)
        split = QSplitter()
        split.addWidget(self.list)
        split.addWidget(self.text)
        split.setSizes([320, 500])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.room = room
        self.export_button = exporting.ExportButton("Export this check…", self.export)
        self.export_button.setEnabled(bool(checks))
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        if not checks:
            layout.addWidget(PlainLabel("No checks of this room have been saved yet."))
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        if checks:
            self.list.setCurrentRow(0)

    def export(self, fmt: str, path: str | None = None) -> str | None:
        item = self.list.currentItem()
        if item is None:
            return None
        data = item.data(Qt.ItemDataRole.UserRole)
        content = document.room_check_document(self.room, data)
        return exporting.save(self, content, fmt, path, exporting.file_stem(f"room-check-{self.room}"))

    def _show(self, item: QListWidgetItem | None) -> None:
        self.text.setPlainText(room_check.describe(item.data(Qt.ItemDataRole.UserRole)) if item else "")
