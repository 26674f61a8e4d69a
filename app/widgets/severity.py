"""Severity shown by a shape and a word as well as a colour, never by colour alone (UX.md)."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QLabel

from checks.model import Severity

# Colours with at least 4.5:1 contrast against white for the symbol drawn on them.
COLOURS = {
    Severity.HIGH: "#B3261E",
    Severity.MEDIUM: "#8A5A00",
    Severity.LOW: "#1F5FA8",
    Severity.INFO: "#5F6368",
    Severity.OK: "#1E7B34",
}
# The shape says it too: octagon (stop), triangle (caution), circle (note), square (information), tick.
_SYMBOL = {Severity.HIGH: "!", Severity.MEDIUM: "!", Severity.LOW: "i", Severity.INFO: "i", Severity.OK: ""}


@cache
def severity_pixmap(severity: Severity, size: int = 20) -> QPixmap:
    pix = QPixmap(size * 2, size * 2)  # drawn at twice the size for sharp high-DPI screens
    pix.setDevicePixelRatio(2.0)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(COLOURS[severity])
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colour)
    s = float(size)
    if severity is Severity.HIGH:
        k = s * 0.29
        p.drawPolygon(
            QPolygonF(
                [
                    QPointF(k, 0),
                    QPointF(s - k, 0),
                    QPointF(s, k),
                    QPointF(s, s - k),
                    QPointF(s - k, s),
                    QPointF(k, s),
                    QPointF(0, s - k),
                    QPointF(0, k),
                ]
            )
        )
    elif severity is Severity.MEDIUM:
        p.drawPolygon(QPolygonF([QPointF(s / 2, 0.5), QPointF(s - 0.5, s - 1), QPointF(0.5, s - 1)]))
    elif severity is Severity.INFO:
        p.drawRoundedRect(QRectF(1, 1, s - 2, s - 2), 3, 3)
    else:
        p.drawEllipse(QRectF(0.5, 0.5, s - 1, s - 1))
    pen = QPen(QColor("white"), s * 0.12)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    if severity is Severity.OK:
        p.drawPolyline(
            QPolygonF([QPointF(s * 0.28, s * 0.52), QPointF(s * 0.44, s * 0.68), QPointF(s * 0.73, s * 0.34)])
        )
    else:
        font = QFont()
        font.setBold(True)
        font.setPixelSize(int(s * 0.62))
        p.setFont(font)
        box = QRectF(0, s * 0.12, s, s) if severity is Severity.MEDIUM else QRectF(0, 0, s, s)
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, _SYMBOL[severity])
    p.end()
    return pix


def set_badge(label: QLabel, severity: Severity) -> QLabel:
    """Show a severity's mark in a label, with its words as the accessible name (for screen readers)."""
    label.setPixmap(severity_pixmap(severity))
    label.setAccessibleName(severity.label)
    return label


def badge(severity: Severity) -> QLabel:
    return set_badge(QLabel(), severity)
