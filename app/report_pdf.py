"""PDF reports, rendered by Qt from the report's own HTML (no other service or program is used).

The document is laid out in points on an A4 page (so 11 pt text is 11 pt on paper, whatever the writer's
resolution), broken into pages by Qt's text layout, and painted one page at a time with a header (the
report's title) and a footer ("Page N of M"). Long words such as a SHA-256 digest wrap anywhere, so no line
or table runs past the page's edge.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QTextDocument,
    QTextOption,
)

RESOLUTION = 300  # dots per inch of the PDF's coordinates; text stays text (vector), this is precision
# The layout's dots per inch. Qt rounds a font's size to whole dots of the layout: at 144, to half points.
LAYOUT_DPI = 144
UNITS = LAYOUT_DPI / 72  # layout units to the point
MARGIN_MM = 18.0
BODY_PT = 10.5
BAND_PT = 9.0  # the running header and footer
BAND_HEIGHT = 24.0  # points kept above and below the body for them
DEFAULT_TITLE = "SafeSpace report"
INK = QColor("#111111")
GREY = QColor("#444444")
_keep: list[object] = []  # a QGuiApplication made here, and the layout's paint device, live on


def _layout_device() -> QImage:
    """A paint device of LAYOUT_DPI dots per inch, for the document's layout (whatever the screen is)."""
    if not _keep or not isinstance(_keep[-1], QImage):
        image = QImage(8, 8, QImage.Format.Format_ARGB32)
        image.setDotsPerMeterX(round(LAYOUT_DPI / 0.0254))
        image.setDotsPerMeterY(round(LAYOUT_DPI / 0.0254))
        _keep.append(image)
    device = _keep[-1]
    assert isinstance(device, QImage)
    return device


def _font(size: float) -> QFont:
    font = QFont("DejaVu Sans")
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(size)
    return font


def page_layout() -> QPageLayout:
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Portrait,
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
        QPageLayout.Unit.Millimeter,
    )


def laid_out(html: str) -> QTextDocument:
    """The report laid out in pages of the A4 body (in layout units), less the header's and footer's bands."""
    if QGuiApplication.instance() is None:  # from the command line: no window is shown, none is needed
        from PySide6.QtWidgets import QApplication

        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _keep.insert(0, QApplication([]))
    body = page_layout().paintRect(QPageLayout.Unit.Point)
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(_layout_device())
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    doc.setDefaultTextOption(option)
    doc.setDefaultFont(_font(BODY_PT))
    doc.setDocumentMargin(0)
    doc.setHtml(html)
    doc.setPageSize(QSizeF(body.width() * UNITS, (body.height() - 2 * BAND_HEIGHT) * UNITS))
    return doc


def render(html: str, path: Path) -> None:
    """Write `html` as an A4 PDF to `path`. Works without a display (from the command line too)."""
    doc = laid_out(html)
    title = doc.metaInformation(QTextDocument.MetaInformation.DocumentTitle).strip() or DEFAULT_TITLE
    page = page_layout()
    body = page.paintRect(QPageLayout.Unit.Point)
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(page)
    writer.setTitle(title)
    writer.setCreator("SafeSpace")
    pages = doc.pageCount()
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError("the PDF could not be written")
    try:
        painter.scale(RESOLUTION / 72, RESOLUTION / 72)  # from here on, one unit is one point
        for number in range(pages):
            if number:
                writer.newPage()
            _bands(painter, body.width(), body.height(), title, f"Page {number + 1} of {pages}")
            _body(painter, doc, number)
    finally:
        painter.end()
    del writer  # flushes and closes the file
    if not Path(path).is_file() or Path(path).stat().st_size == 0:
        raise OSError("the PDF could not be written")


def _body(painter: QPainter, doc: QTextDocument, number: int) -> None:
    """Page `number` of the document, below the header's band."""
    width, height = doc.pageSize().width(), doc.pageSize().height()
    painter.save()
    painter.translate(0, BAND_HEIGHT)
    painter.scale(1 / UNITS, 1 / UNITS)
    painter.translate(0, -number * height)
    clip = QRectF(0, number * height, width, height)
    painter.setClipRect(clip)
    context = QAbstractTextDocumentLayout.PaintContext()
    context.clip = clip
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Text, INK)
    context.palette = palette
    doc.documentLayout().draw(painter, context)
    painter.restore()


def _bands(painter: QPainter, width: float, height: float, title: str, page_words: str) -> None:
    """The report's title above the body, with a rule under it, and the page number below it."""
    metrics = QFontMetricsF(_font(BAND_PT), _layout_device())
    painter.save()
    # A painter's font is sized for the device (the writer's dots), not for the scaled units: so much
    # smaller that, scaled, it is BAND_PT points.
    painter.setFont(_font(BAND_PT * 72 / RESOLUTION))
    painter.setPen(GREY)
    shown = metrics.elidedText(title, Qt.TextElideMode.ElideMiddle, width * LAYOUT_DPI / 72)
    painter.drawText(QRectF(0, 0, width, BAND_HEIGHT - 8), Qt.AlignmentFlag.AlignLeft, shown)
    painter.drawLine(QPointF(0, BAND_HEIGHT - 6), QPointF(width, BAND_HEIGHT - 6))
    footer = QRectF(0, height - BAND_HEIGHT + 8, width, BAND_HEIGHT - 8)
    painter.drawLine(QPointF(0, footer.top() - 2), QPointF(width, footer.top() - 2))
    painter.drawText(footer, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, "SafeSpace")
    painter.drawText(footer, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, page_words)
    painter.restore()
