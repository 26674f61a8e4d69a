"""What a draft gives away, beside the text: the verdict for the whole draft first, then each detail, worst
first, with why it matters and one-click rewordings."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.widgets.column_view import ColumnView
from app.widgets.plain_label import PlainLabel
from app.widgets.severity import badge
from checks.model import Finding, Severity
from checks.text import one_line


class PostFindingRow(QFrame):
    reword = Signal(object)  # a replacement (dict from checks.post.rewrite)
    show_words = Signal(int, int)

    def __init__(self, finding: Finding, parent: QWidget | None = None):
        super().__init__(parent)
        self.finding = finding
        self.setObjectName("finding")
        title = one_line(finding.title, 120)
        self.setAccessibleName(f"{finding.severity.label}: {title}")
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(PlainLabel(finding.severity.label, role="severity"))
        text.addWidget(PlainLabel(title, role="finding-title", selectable=True))
        text.addWidget(PlainLabel(finding.detail, selectable=True))
        buttons = QGridLayout()  # two a row, so the column never needs to scroll sideways
        buttons.setSpacing(6)
        self.buttons: list[QPushButton] = []
        for replacement in finding.data.get("replacements", []):
            button = QPushButton(one_line(replacement["label"], 60))
            button.setAccessibleName(f"{one_line(replacement['label'], 60)} instead of {title}")
            button.setToolTip(
                "Replace these words in your draft"
                if replacement["text"]
                else "Take these words out of your draft"
            )
            button.clicked.connect(lambda _=False, r=replacement: self.reword.emit(r))
            self.buttons.append(button)
            buttons.addWidget(button, (len(self.buttons) - 1) // 2, (len(self.buttons) - 1) % 2)
        spans = finding.data.get("spans") or []
        if spans:
            show = QPushButton("Show")
            show.setAccessibleName(f"Show {title} in the draft")
            show.clicked.connect(lambda _=False, s=spans[0]: self.show_words.emit(int(s[0]), int(s[1])))
            n = len(self.buttons)
            buttons.addWidget(show, n // 2, n % 2)
        buttons.setColumnStretch(2, 1)
        text.addLayout(buttons)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 6, 8, 6)
        row.addWidget(badge(finding.severity), 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)


SHOWN = 60  # rows built at most; a pasted essay can have hundreds of details, all still underlined


class PostFindings(ColumnView):
    reword = Signal(object)
    show_words = Signal(int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__("What your draft gives away", parent)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.rows: list[PostFindingRow] = []
        self.verdict: PlainLabel | None = None
        self.show_waiting()

    def show_waiting(self) -> None:
        layout = self.fresh()
        self.rows, self.verdict = [], None
        layout.addWidget(
            PlainLabel(
                "Type or paste a draft. It is checked as you type, on this computer: it is not saved and "
                "nothing is sent anywhere.",
                role="muted",
            )
        )

    def show_result(self, verdict: Severity, combination: Finding | None, details: list[Finding]) -> None:
        layout = self.fresh()
        self.rows = []
        top = QHBoxLayout()
        top.addWidget(badge(verdict), 0, Qt.AlignmentFlag.AlignTop)
        head = QVBoxLayout()
        self.verdict = PlainLabel(verdict.label, role="heading")
        head.addWidget(self.verdict)
        if combination is not None and combination.title != verdict.label:
            head.addWidget(PlainLabel(one_line(combination.title), role="finding-title"))
        if combination is not None:
            head.addWidget(PlainLabel(combination.detail, selectable=True))
        elif not details:
            head.addWidget(
                PlainLabel(
                    "Nothing found that points to a client. A reader who already knows your client may still "
                    "recognise them from less: read it once more with them in mind."
                )
            )
        top.addLayout(head, 1)
        layout.addLayout(top)
        for finding in details[:SHOWN]:
            row = PostFindingRow(finding)
            row.reword.connect(self.reword)
            row.show_words.connect(self.show_words)
            self.rows.append(row)
            layout.addWidget(row)
        if len(details) > SHOWN:
            layout.addWidget(
                PlainLabel(
                    f"…and {len(details) - SHOWN} more, all underlined in the text. Reword the ones above "
                    "and they will appear here.",
                    role="muted",
                )
            )

    def titles(self) -> list[str]:
        return [r.finding.title for r in self.rows]

    def replacement_buttons(self) -> list[tuple[Finding, QPushButton, dict[str, Any]]]:
        out = []
        for row in self.rows:
            for button, replacement in zip(
                row.buttons, row.finding.data.get("replacements", []), strict=True
            ):
                out.append((row.finding, button, replacement))
        return out
