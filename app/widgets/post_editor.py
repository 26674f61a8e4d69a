"""The box where a draft is typed or pasted. Findings are shown in the text by an underline and a marker
in the margin beside the line (a severity symbol), never by colour alone; the words stay plain text."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QResizeEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from app.widgets.severity import COLOURS, severity_pixmap
from checks.model import Severity

MARK = 16


def utf16(text: str, index: int) -> int:
    """Qt counts text in UTF-16 units: an emoji is two. Python counts code points."""
    return len(text[:index].encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Mark:
    start: int  # Python string positions in the text that was checked
    end: int
    severity: Severity
    title: str


class _Margin(QWidget):
    def __init__(self, editor: DraftEditor):
        super().__init__(editor)
        self.editor = editor

    def sizeHint(self) -> QSize:
        return QSize(MARK + 6, 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self.editor.paint_margin(self, event)


class DraftEditor(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Your draft")
        self.setAccessibleDescription(
            "Type or paste the post, caption or message. Details that could identify a client are underlined "
            "and marked in the margin, and listed beside the text."
        )
        self.setPlaceholderText("Type or paste your draft here: a post, a caption, a message to a group…")
        self.setTabChangesFocus(True)
        self.marks: list[Mark] = []
        self._severities: list[Severity] = []  # one for each extra selection, in the same order
        self.margin = _Margin(self)
        self.setViewportMargins(MARK + 6, 0, 0, 0)
        self.updateRequest.connect(self._scrolled)
        self.textChanged.connect(self.margin.update)

    # Marks ---------------------------------------------------------------------------------------------

    def show_marks(self, text: str, marks: list[Mark]) -> None:
        """Underline the marks, which were found in `text` (ignored if the draft has changed since)."""
        if text != self.toPlainText():
            return
        self.marks = sorted(marks, key=lambda m: -m.severity.rank)
        selections, self._severities = [], []
        for mark in reversed(self.marks):  # worst drawn last, on top
            cursor = QTextCursor(self.document())
            cursor.setPosition(utf16(text, mark.start))
            cursor.setPosition(utf16(text, mark.end), QTextCursor.MoveMode.KeepAnchor)
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(
                QTextCharFormat.UnderlineStyle.WaveUnderline
                if mark.severity is Severity.HIGH
                else QTextCharFormat.UnderlineStyle.SingleUnderline
            )
            fmt.setUnderlineColor(QColor(COLOURS[mark.severity]))
            fmt.setFontUnderline(True)
            fmt.setToolTip(f"{mark.severity.label}: {mark.title}")
            sel = QTextEdit.ExtraSelection()
            sel.cursor = cursor
            sel.format = fmt
            selections.append(sel)
            self._severities.append(mark.severity)
        self.setExtraSelections(selections)
        self.margin.update()

    def clear_marks(self) -> None:
        self.marks, self._severities = [], []
        self.setExtraSelections([])
        self.margin.update()

    def marked_lines(self) -> dict[int, Severity]:
        """Block (line) number -> the worst severity marked in it. The underlines' cursors move with the text
        as it is edited, so the markers stay beside their words until the next check."""
        lines: dict[int, Severity] = {}
        for sel, severity in zip(self.extraSelections(), self._severities, strict=False):
            cursor = sel.cursor
            if not cursor.hasSelection():
                continue  # its words were deleted
            block = self.document().findBlock(cursor.selectionStart()).blockNumber()
            if block not in lines or severity.rank > lines[block].rank:
                lines[block] = severity
        return lines

    def select(self, start: int, end: int) -> None:
        """Select a finding's words (positions in the checked text) and show them."""
        text = self.toPlainText()
        cursor = QTextCursor(self.document())
        cursor.setPosition(utf16(text, min(start, len(text))))
        cursor.setPosition(utf16(text, min(end, len(text))), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.setFocus()

    def replace_all(self, text: str) -> None:
        """Replace the whole draft as one step that Undo takes back."""
        cursor = QTextCursor(self.document())
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)

    # The margin ----------------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        r = self.contentsRect()
        self.margin.setGeometry(QRect(r.left(), r.top(), MARK + 6, r.height()))

    def _scrolled(self, rect: QRect, dy: int) -> None:
        if dy:
            self.margin.scroll(0, dy)
        else:
            self.margin.update(0, rect.y(), self.margin.width(), rect.height())

    def paint_margin(self, margin: QWidget, event: QPaintEvent) -> None:
        lines = self.marked_lines()
        if not lines:
            return
        painter = QPainter(margin)
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > event.rect().bottom():
                break
            severity = lines.get(block.blockNumber())
            if severity is not None and block.isVisible():
                top = int(geometry.top()) + max(0, (self.fontMetrics().height() - MARK) // 2)
                painter.drawPixmap(3, top, severity_pixmap(severity, MARK))
            block = block.next()
        painter.end()

    def sizeHint(self) -> QSize:
        return QSize(420, 220)
