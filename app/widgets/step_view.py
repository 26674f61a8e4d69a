"""One step of a guide: a caution first when changing it may be noticed, then why it matters, how to do it
on this version, what is recommended, what this computer says about it, and the buttons to mark it."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.widgets.column_view import ColumnView
from app.widgets.plain_label import PlainLabel
from app.widgets.severity import badge
from checks.guides.probes import Observation
from checks.guides.progress import STATUSES, Mark
from checks.guides.schema import PRIORITIES, TOPICS, Step
from checks.model import Severity


def when(iso: str) -> str:
    """A saved time in words: "1 Dec 2026, 21:11"."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%d %b %Y, %H:%M").lstrip("0")
    except ValueError:
        return iso


CAUTION = (
    "Before you change this: someone who shares this device or account may notice the change. If that could "
    "put you or someone else at risk, talk to someone you trust or a support service first, and consider "
    "making changes from a safer device."
)
BUTTONS = {
    "done": "Done",
    "not_applicable": "Does not apply",
    "skipped": "Skip for now",
    "needs_help": "I need help",
}


def source_line(step: Step) -> str:
    """Where the step comes from, in words (the address is shown below it)."""
    whose = (
        step.source.publisher
        if step.source.kind == "maker"
        else f"{step.source.publisher}, a secondary source"
    )
    return f"Source: {step.source.title} ({whose})."


def breakable(url: str) -> str:
    """The address with invisible break points after each slash, so that a long one wraps in a narrow
    pane; shown only, never copied (the copy button copies the address itself)."""
    return url.replace("/", "/\u200b").replace("-", "-\u200b")


def how_rows(step: Step, version: str | None) -> list[tuple[str, str]]:
    """The menu paths to show: those for this version, each named by its versions when there are several."""
    shown = step.how_for(version)
    label = len(shown) > 1 and any(h.versions for h in shown) and version is None
    return [("How", (f"{', '.join(h.versions)}: " if label and h.versions else "") + h.text()) for h in shown]


class StepView(ColumnView):
    marked = Signal(str, str, str)  # step id, status, note

    def __init__(self, parent: QWidget | None = None):
        super().__init__("This step", parent)
        self.step: Step | None = None
        self.buttons: dict[str, QPushButton] = {}
        self.copy_button: QPushButton | None = None
        self.fresh()

    def show_step(
        self,
        step: Step,
        number: int,
        total: int,
        version: str | None,
        mark: Mark | None,
        observed: Observation | None,
        probing: bool,
        version_note: str | None = None,
    ) -> None:
        """Show a step; `version` is the guide version whose paths apply, `version_note` says why when it
        is not the person's own (a newer system, or one the guide no longer covers)."""
        self.step = step
        col = self.fresh()
        col.addWidget(
            PlainLabel(
                f"Step {number} of {total} · {PRIORITIES[step.priority]} · {TOPICS[step.topic]}", role="muted"
            )
        )
        col.addWidget(PlainLabel(step.title, role="heading"))
        if step.may_alert_others:
            caution = QFrame()
            caution.setObjectName("finding")
            caution.setAccessibleName("Caution: changing this may be noticed")
            row = QHBoxLayout(caution)
            row.addWidget(badge(Severity.MEDIUM), 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(PlainLabel(CAUTION), 1)
            col.addWidget(caution)
        grid = QGridLayout()
        rows = [("Why it matters", step.why)]
        if step.checklist:
            rows.append(("Ask yourself", "\n".join(f"• {q}" for q in step.checklist)))
        if version_note:
            rows.append(("Your version", version_note))
        rows += how_rows(step, version)
        rows.append(("Recommended", step.recommended))
        if probing:
            rows.append(("On this computer", "Reading this computer's setting…"))
        elif observed is not None:
            verdict = {True: " (as recommended)", False: " (not as recommended)", None: ""}[observed.ok]
            rows.append(("On this computer", f"{observed.value}{verdict}"))
        for r, (label, text) in enumerate(rows):
            grid.addWidget(
                PlainLabel(label, role="finding-title", wrap=False), r, 0, Qt.AlignmentFlag.AlignTop
            )
            grid.addWidget(PlainLabel(text, selectable=True), r, 1)
        grid.setColumnStretch(1, 1)
        col.addLayout(grid)
        col.addWidget(PlainLabel(source_line(step), role="muted"))
        address = PlainLabel(breakable(step.source.url), role="muted")
        address.setAccessibleName(f"Address of the source: {step.source.url}")
        col.addWidget(address)
        copy = QPushButton("Copy the source's address")
        copy.setAccessibleName("Copy the source's web address, to open it in your browser")
        copy.clicked.connect(lambda _c=False, url=step.source.url: QGuiApplication.clipboard().setText(url))
        self.copy_button = copy
        col.addWidget(copy, 0, Qt.AlignmentFlag.AlignLeft)
        col.addWidget(PlainLabel(step.verified.words(step.source, version), role="muted"))
        self.note = QLineEdit(mark.note if mark and mark.note else "")
        self.note.setAccessibleName("A note about this step")
        self.note.setPlaceholderText(
            "A note, if you like (for example what you changed, or what you need help with)"
        )
        self.note.setMaxLength(500)
        col.addWidget(self.note)
        row = QHBoxLayout()
        self.buttons = {}
        for status, text in BUTTONS.items():
            button = QPushButton(text)
            button.setAccessibleName(f"{text}: {STATUSES[status].lower()}")
            button.setCheckable(True)
            button.setChecked(mark is not None and mark.status == status)
            button.clicked.connect(lambda _c=False, s=status: self.marked.emit(step.id, s, self.note.text()))
            self.buttons[status] = button
            row.addWidget(button)
        row.addStretch(1)
        col.addLayout(row)
        if mark is not None:
            col.addWidget(
                PlainLabel(
                    f"Marked “{STATUSES[mark.status]}” on {when(mark.time)}.",
                    role="muted",
                )
            )
