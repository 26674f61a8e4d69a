"""The details of one picture: what it gives away, grouped by what it reveals, each with why it matters."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from app.widgets.column_view import ColumnView
from app.widgets.elided_label import ElidedLabel
from app.widgets.plain_label import PlainLabel
from app.widgets.severity import badge
from checks.images import findings as words
from checks.images.report import ImageReport
from checks.model import Finding, Severity, sort_findings


def verdict(report: ImageReport) -> tuple[Severity, str]:
    """The one-line verdict for a picture: its most serious finding, or that nothing was found."""
    if report.error and not report.findings:
        return Severity.INFO, f"Could not be read: {report.error}"
    serious = [f for f in sort_findings(report.findings) if f.severity not in (Severity.INFO, Severity.OK)]
    if not serious:
        return Severity.OK, "Nothing found"
    more = len(serious) - 1
    return serious[0].severity, serious[0].title + (f" (and {more} more)" if more else "")


class FindingRow(QFrame):
    def __init__(self, finding: Finding, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("finding")
        self.setAccessibleName(f"{finding.severity.label}: {finding.title}")
        icon = badge(finding.severity)
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(PlainLabel(finding.severity.label, role="severity"))
        text.addWidget(PlainLabel(finding.title, role="finding-title", selectable=True))
        text.addWidget(PlainLabel(finding.detail, selectable=True, anywhere=True))
        fields = finding.data.get("fields") or []
        if fields:
            lines = "\n".join(f"{f['name']}: {f['value']}" for f in fields)
            text.addWidget(PlainLabel(lines, role="muted", selectable=True, anywhere=True))
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 6, 8, 6)
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)


FIRST_ROWS = 3
ROWS_AT_A_TIME = 2


class FindingsView(ColumnView):
    def __init__(self, parent: QWidget | None = None):
        super().__init__("What this picture gives away", parent)
        self._generation = 0
        self._waiting: tuple[int, QVBoxLayout, list[QWidget | Finding]] = (0, QVBoxLayout(), [])
        self.show_nothing()

    def show_nothing(self) -> None:
        self._generation += 1
        layout = self.fresh()
        layout.addWidget(PlainLabel("Select a picture to see what it gives away.", role="muted"))

    def show_report(self, report: ImageReport) -> None:
        layout = self.fresh()
        name = report.path.replace("\\", "/").rsplit("/", 1)[-1]
        layout.addWidget(PlainLabel(name, role="heading", selectable=True, anywhere=True))
        layout.addWidget(ElidedLabel(report.path, role="muted"))
        if report.error:
            layout.addWidget(PlainLabel(f"Could not be fully read: {report.error}", role="error"))
        serious = [f for f in report.findings if f.severity not in (Severity.INFO, Severity.OK)]
        if not serious and not report.error:
            ok = QHBoxLayout()
            ok.addWidget(badge(Severity.OK), 0)
            ok.addWidget(
                PlainLabel(
                    "Nothing found: no hidden details that point to a person, a place or a "
                    "device. Look at the picture itself too: faces, signs and uniforms can "
                    "identify people."
                ),
                1,
            )
            layout.addLayout(ok)
        rest: list[QWidget | Finding] = []
        for category, heading in words.CATEGORIES.items():
            group = sort_findings([f for f in report.findings if f.category == category])
            if group:
                rest += [PlainLabel(heading, role="subheading"), *group]
        # The first few rows now, the rest a few at a time as the window has a moment: a picture with
        # dozens of findings never holds the window up while its details are built.
        self._generation += 1
        self._waiting = (self._generation, layout, rest)
        self._build_some(self._generation, FIRST_ROWS)

    def _build_some(self, generation: int, count: int = ROWS_AT_A_TIME) -> None:
        waiting_for, layout, rest = self._waiting
        if generation != self._generation or generation != waiting_for:
            return  # another picture (or none) was chosen meanwhile
        try:
            while rest and count > 0:
                item = rest.pop(0)
                layout.addWidget(item if isinstance(item, QWidget) else FindingRow(item))
                count -= isinstance(item, Finding)
        except RuntimeError:  # the pane was deleted meanwhile (the window closed): nothing left to build
            return
        if rest:
            # With this view as the timer's context: a view deleted meanwhile cancels the call.
            QTimer.singleShot(0, self, lambda: self._build_some(generation))

    def finish(self) -> None:
        """Build what is still waiting, now (for tests and screenshots)."""
        generation, _layout, rest = self._waiting
        if rest and generation == self._generation:
            self._build_some(generation, len(rest))
