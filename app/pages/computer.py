"""The "This computer" page: what this computer shares, runs and records, grouped, with what to do."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app import workers
from app.widgets.column_view import ColumnView
from app.widgets.findings_view import FindingRow
from app.widgets.plain_label import PlainLabel
from app.widgets.progress_panel import ProgressPanel
from checks.computer.common import AREAS
from checks.computer.run import ComputerReport, check_computer
from checks.errors import SafeSpaceError
from checks.model import Severity
from checks.store import Store


def headline(report: ComputerReport) -> str:
    counts = {s: sum(f.severity is s for f in report.findings) for s in (Severity.HIGH, Severity.MEDIUM)}
    parts = []
    if counts[Severity.HIGH]:
        parts.append(f"{counts[Severity.HIGH]} could identify a client")
    if counts[Severity.MEDIUM]:
        parts.append(f"{counts[Severity.MEDIUM]} worth checking")
    if not parts:
        return "Nothing found that needs doing. Details of each check are below."
    return "Found: " + ", ".join(parts) + ". What to do is under each one."


class ComputerPage(QWidget, workers.JobHolder):
    def __init__(self, store: Store | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("This computer")
        self._store = store  # the window's (None: open the saved data when saving)
        self._job: workers.Job | None = None
        self.report: ComputerReport | None = None

        self.check_button = QPushButton("Check this computer")
        self.check_button.setObjectName("primary")
        self.check_button.setAccessibleName("Check this computer")
        self.check_button.clicked.connect(self.start)
        self.save_button = QPushButton("Save these results")
        self.save_button.setAccessibleName("Save these results for reviews")
        self.save_button.clicked.connect(self.save)
        self.saved = PlainLabel("", role="muted")
        top = QHBoxLayout()
        top.addWidget(self.save_button)
        top.addWidget(self.saved, 1)
        top.addWidget(self.check_button)
        self.progress = ProgressPanel()
        self.progress.cancel_requested.connect(self.cancel)
        self.summary = PlainLabel("", role="notice")
        self.summary.hide()
        self.results = ColumnView("What was found")
        self._show_empty()

        layout = QVBoxLayout(self)
        layout.addWidget(PlainLabel("This computer", role="page-title"))
        layout.addWidget(
            PlainLabel(
                "See what this computer shares with the network, which programs could let someone else see "
                "or hear what happens on it, and whether its name points to you. Everything is checked on "
                "this computer; nothing is sent anywhere.",
                role="subtitle",
            )
        )
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.results, 1)
        self._update_buttons()

    def _show_empty(self) -> None:
        self.results.fresh().addWidget(
            PlainLabel("Press “Check this computer” to start. It takes a few seconds.", role="muted")
        )

    def start(self) -> None:
        if self.busy:
            return
        self.run_job(lambda rep: check_computer(rep.progress, rep.cancel), self._done, self._failed,
                     progress=self.progress, message="Checking this computer…")  # fmt: skip

    def _set_busy(self, _busy: bool) -> None:
        self._update_buttons()

    def _done(self, report: ComputerReport) -> None:
        self.report = report
        self.saved.setText("")
        self.summary.setText(("The check was stopped early. " if report.cancelled else "") + headline(report))
        self.summary.show()
        col = self.results.fresh()
        for area, findings in report.by_area().items():
            if not findings:
                continue
            col.addWidget(PlainLabel(AREAS[area], role="subheading"))
            for finding in findings:
                col.addWidget(FindingRow(finding))
        self.check_button.setText("Check again")
        self._update_buttons()

    def _failed(self, message: str) -> None:
        self.summary.setText(message)
        self.summary.show()
        self._update_buttons()

    def save(self) -> int | None:
        if self.report is None or self.busy:
            return None
        try:
            if self._store is not None:
                saved = self._store.save_computer(self.report.to_dict())
            else:
                with Store() as store:
                    saved = store.save_computer(self.report.to_dict())
        except SafeSpaceError as exc:
            self.saved.setText(str(exc))
            return None
        self.saved.setText("Saved for reviews.")
        self.save_button.setEnabled(False)
        return saved

    def _update_buttons(self) -> None:
        self.check_button.setEnabled(not self.busy)
        self.save_button.setEnabled(not self.busy and self.report is not None and not self.report.cancelled)
