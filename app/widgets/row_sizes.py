"""Row heights for long lists, measured once per text and width: a list of a thousand wrapped rows asks its
model one question per row (its size) instead of a dozen, so laying the list out after each batch of
arrivals stays cheap. The estimate leaves the text a little less room than the view will, so a row is never
too short for its text."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics

SLACK = 24  # room for the style's margins and the icon's spacing, beyond the icon itself


class RowSizes:
    def __init__(self, icon: int, padding: int = 10):
        self.icon, self.padding = icon, padding
        self._width = 320
        self._metrics = QFontMetrics(QFont())
        self._cache: dict[str, QSize] = {}

    def set_view(self, font: QFont, width: int) -> None:
        """The view's font and the width its rows have (its viewport's); forgets sizes when they change."""
        metrics = QFontMetrics(font)
        if width != self._width or metrics.height() != self._metrics.height():
            self._width, self._metrics = width, metrics
            self._cache.clear()

    def size(self, text: str) -> QSize:
        known = self._cache.get(text)
        if known is None:
            room = max(60, self._width - self.icon - SLACK)
            box = self._metrics.boundingRect(QRect(0, 0, room, 100_000), Qt.TextFlag.TextWordWrap, text)
            known = QSize(max(self._width - 4, 60), max(self.icon, box.height()) + self.padding)
            self._cache[text] = known
        return known
