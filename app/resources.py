"""Icons and the style sheet, read from the resources package (never from the network)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap


def _path(*parts: str) -> str:
    # One part at a time: a namespace package's MultiplexedPath takes only one (Python 3.11), and the
    # frozen app's resources, a real package, takes either.
    node = resources.files("resources")
    for part in parts:
        node = node.joinpath(part)
    return str(node)


@cache
def icon(name: str) -> QIcon:
    return QIcon(_path("icons", f"{name}.svg"))


def tinted_icon(name: str, colour: QColor, size: int = 48) -> QIcon:
    """A line icon in the given colour (the palette's text colour), so it reads on light and dark themes."""
    pix = icon(name).pixmap(size, size)
    painter = QPainter(pix)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.fillRect(pix.rect(), colour)
    painter.end()
    return QIcon(pix)


def pixmap(name: str, size: int) -> QPixmap:
    return icon(name).pixmap(size, size)


def style_sheet() -> str:
    return resources.files("resources").joinpath("style.qss").read_text(encoding="utf-8")
