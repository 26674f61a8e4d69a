"""PDF reports, rendered by Qt from the report's own HTML (no other service or program is used)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument


def render(html: str, path: Path) -> None:
    """Write `html` as an A4 PDF to `path`. Works without a display (from the command line too)."""
    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        render.app = QGuiApplication([])  # type: ignore[attr-defined]  # kept alive for later reports
    writer = QPdfWriter(str(path))
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(18, 18, 18, 18)
        )
    )
    writer.setTitle("SafeSpace report")
    writer.setCreator("SafeSpace")
    doc = QTextDocument()
    doc.setHtml(html)
    doc.setPageSize(QSizeF(writer.width(), writer.height()))
    doc.print_(writer)
    del writer  # flushes and closes the file
    if not Path(path).is_file() or Path(path).stat().st_size == 0:
        raise OSError("the PDF could not be written")
