"""Show the log: what SafeSpace did and what went wrong, to send to whoever helps with it. It holds no
client data (no file names or folders); the user can read all of it before sending it."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from app import logfile
from app.widgets.plain_label import PlainLabel


class LogView(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("SafeSpace's log")
        self.setMinimumSize(640, 420)
        path = logfile.log_path()
        intro = PlainLabel(
            "What SafeSpace did and what went wrong, newest at the end. It holds no client data: no file "
            f"names or folders, no device names. It is kept in {path}. You can copy it into an email to "
            "whoever helps you with SafeSpace.",
            selectable=True,
        )
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("The log")
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setPlainText(logfile.read() or "The log is empty.")
        self.text.moveCursor(self.text.textCursor().MoveOperation.End)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        copy = QPushButton("Copy the log")
        copy.setAccessibleName("Copy the whole log")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.text.toPlainText()))
        folder = QPushButton("Open its folder")
        folder.setAccessibleName("Open the folder with the log")
        folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))))
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(folder, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
