"""One step of a guide: a caution first when changing it may be noticed, then why it matters, how to do it
on this version, what is recommended, what this computer says about it, and the buttons to mark it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
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
from checks.guides.schema import MARKERS, PRIORITIES, TOPICS, Step
from checks.model import Severity

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


def checked(step: Step) -> str:
    """When and how far the step's menu path was checked, in words."""
    if step.marker == "unconfirmed":
        return f"Written on {step.verified_date} for {step.verified_os}, and {MARKERS[step.marker]}."
    return f"Last checked on {step.verified_date} for {step.verified_os}: {MARKERS[step.marker]}."


class StepView(ColumnView):
    marked = Signal(str, str, str)  # step id, status, note

    def __init__(self, parent: QWidget | None = None):
        super().__init__("This step", parent)
        self.step: Step | None = None
        self.buttons: dict[str, QPushButton] = {}
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
    ) -> None:
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
        rows += [("How", h.text()) for h in step.how_for(version)]
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
        col.addWidget(
            PlainLabel(
                f"Source: {step.source}. " + checked(step),
                role="muted",
            )
        )
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
                    f"Marked “{STATUSES[mark.status]}” on {mark.time[:16].replace('T', ' at ')}.",
                    role="muted",
                )
            )
