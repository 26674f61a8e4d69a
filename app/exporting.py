"""Saving a report where the user chooses: PDF, HTML or JSON, with the digest said afterwards."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QPushButton, QWidget

from app import report_pdf
from checks.errors import SafeSpaceError
from checks.reviews import document

document.PDF_RENDERER = report_pdf.render
FILTERS = {"pdf": "PDF document (*.pdf)", "html": "Web page (*.html)", "json": "JSON data (*.json)"}
WORDS = {"pdf": "PDF…", "html": "Web page (HTML)…", "json": "Data (JSON)…"}


def start_folder(last: str) -> str:
    """Where the save dialog opens: the folder a report was last saved in, else Documents, else home."""
    if last and Path(last).is_dir():
        return last
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return documents if documents and Path(documents).is_dir() else str(Path.home())


def file_stem(text: str) -> str:
    return re.sub(r"[^\w.-]+", "-", text).strip("-")[:60] or "report"


def save(
    parent: QWidget, content: dict[str, Any], fmt: str, path: str | None = None, stem: str = "report"
) -> str | None:
    """Ask where (unless given), write, and tell the user. Returns the path written, or None."""
    window = parent.window()
    settings = getattr(window, "settings", None)
    if path is None:
        start = Path(start_folder(getattr(settings, "last_report_folder", "")))
        path, _ = QFileDialog.getSaveFileName(
            parent, "Save the report", str(start / f"{stem}.{fmt}"), FILTERS[fmt]
        )
        if not path:
            return None
    try:
        sha = document.export(content, fmt, Path(path))
    except (SafeSpaceError, OSError) as exc:
        QMessageBox.warning(parent, "The report was not saved", f"{exc}")
        return None
    if settings is not None and hasattr(window, "save_settings"):
        settings.last_report_folder = str(Path(path).parent)
        window.save_settings()
    said = f"Saved {Path(path).name}. SHA-256 of its content: {sha}"
    bar = getattr(parent.window(), "statusBar", None)
    if bar is not None:
        bar().showMessage(said, 15_000)
    else:
        QMessageBox.information(parent, "Report saved", said)
    return path


class ExportButton(QPushButton):
    """A button with a menu of the three formats."""

    def __init__(self, text: str, on_format: Any, parent: QWidget | None = None):
        super().__init__(text, parent)
        self.setAccessibleName(text.rstrip("…"))
        menu = QMenu(self)
        for fmt, words in WORDS.items():
            menu.addAction(words, functools.partial(on_format, fmt))
        self.setMenu(menu)
