"""The "Privacy walkthroughs" page: devices and accounts, each taken through its guide step by step, with
progress saved as it goes, so that closing and coming back resumes where the user was."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import exporting, workers
from app.dialogs.add_device import AddDevice
from app.widgets.banner import Banner
from app.widgets.plain_label import PlainLabel
from app.widgets.step_view import StepView
from checks.errors import SafeSpaceError
from checks.guides import progress
from checks.guides.loader import counts
from checks.guides.loader import guide as find_guide
from checks.guides.probes import Observation, observe
from checks.guides.schema import Guide, Step
from checks.guides.sources import MAKERS
from checks.model import Severity
from checks.reviews import document, gather
from checks.store import Store, open_store

ROLE = Qt.ItemDataRole.UserRole


def today() -> date:
    """The day to judge a guide's review date by (replaced in tests)."""
    return date.today()


def help_text(step: Step, moved: bool) -> str:
    """What "I need help" means: who to ask, and what to note for them (short: it sits above the steps)."""
    if step.source.kind == "maker":
        where = f"{MAKERS[step.source.publisher][0]} ({step.source.url})"
    else:
        where = f"the maker's own help, or the page this step came from ({step.source.url})"
    return (
        f"“{step.title}” needs help: it stays on the list of what is left"
        + ("; here is the next step. " if moved else ". ")
        + f"Ask your practice manager or whoever looks after the practice's devices, or see {where}. If "
        "someone who shares this device or account could notice a change, talk to a support service first; "
        "in danger now, call the emergency number. Note what you see on the screen, the version and what "
        "you changed: your note is saved with the step."
    )


class GuidesPage(QWidget):
    def __init__(self, parent: QWidget | None = None, *, store: Store | None = None):
        super().__init__(parent)
        self.setAccessibleName("Privacy walkthroughs")
        # The window's one store (its trouble is said once, by the window); on its own, the page opens one.
        self.own_store = store is None
        if store is not None:
            self.store = store
        else:
            self.store, trouble = open_store()
            self.store.trouble = trouble
        self.profile: progress.Profile | None = None
        self.guide: Guide | None = None
        self.observed: dict[str, Observation | None] = {}
        self._probes: set[workers.Job] = set()  # readings of this computer still running

        self.devices = QListWidget()
        self.devices.setAccessibleName("Devices and accounts")
        self.devices.setWordWrap(True)
        self.devices.currentItemChanged.connect(self._device_chosen)
        self.add_button = QPushButton("Add a device or account…")
        self.add_button.setAccessibleName("Add a device or account")
        self.add_button.clicked.connect(self.ask_new_device)
        self.remove_button = QPushButton("Remove this device…")
        self.remove_button.setAccessibleName("Remove this device and its progress")
        self.remove_button.clicked.connect(self.ask_remove)
        left = QWidget()
        lcol = QVBoxLayout(left)
        lcol.setContentsMargins(0, 0, 0, 0)
        lcol.addWidget(self.devices, 1)
        lcol.addWidget(self.add_button)
        lcol.addWidget(self.remove_button)
        self.export_button = exporting.ExportButton("Export progress…", self.export)
        lcol.addWidget(self.export_button)

        self.heading = PlainLabel("", role="heading")
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Steps finished")
        self.left_text = PlainLabel("", role="muted")
        self.steps = QListWidget()
        self.steps.setAccessibleName("Steps of this guide")
        self.steps.setWordWrap(True)
        self.steps.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.steps.currentRowChanged.connect(self._step_chosen)
        self.review_note = PlainLabel("", role="notice")
        self.review_note.setAccessibleName("This guide may be out of date")
        self.review_note.hide()
        self.help_note = PlainLabel("", role="notice", selectable=True)
        self.help_note.setAccessibleName("What help means for the step you marked")
        self.help_note.hide()
        self._help_shown_at = -1  # the row the note about help was shown for
        self.shown_version: str | None = None
        self.version_note: str | None = None
        self.view = StepView()
        self.view.marked.connect(self.mark)
        self.previous_button = QPushButton("Previous step")
        self.previous_button.setAccessibleName("Previous step")
        self.previous_button.clicked.connect(lambda: self.go(self.steps.currentRow() - 1))
        self.next_button = QPushButton("Next step")
        self.next_button.setAccessibleName("Next step")
        self.next_button.setObjectName("primary")
        self.next_button.clicked.connect(lambda: self.go(self.steps.currentRow() + 1))
        nav = QHBoxLayout()
        nav.addWidget(self.previous_button)
        nav.addStretch(1)
        nav.addWidget(self.next_button)
        inner = QSplitter(Qt.Orientation.Horizontal)
        inner.addWidget(self.steps)
        inner.addWidget(self.view)
        inner.setSizes([260, 520])
        inner.setChildrenCollapsible(False)
        self.walk = QWidget()
        wcol = QVBoxLayout(self.walk)
        wcol.setContentsMargins(0, 0, 0, 0)
        wcol.addWidget(self.heading)
        wcol.addWidget(self.bar)
        wcol.addWidget(self.left_text)
        wcol.addWidget(self.review_note)
        wcol.addWidget(self.help_note)
        wcol.addWidget(inner, 1)
        wcol.addLayout(nav)
        self.empty = PlainLabel(
            "Add a device or account to start: a phone, a laptop, or a social-media account. Each gets its "
            "own guide, and SafeSpace remembers how far you got.",
            role="notice",
        )
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        right = QWidget()
        rcol = QVBoxLayout(right)
        rcol.setContentsMargins(0, 0, 0, 0)
        rcol.addWidget(self.empty)
        rcol.addWidget(self.walk, 1)
        split.addWidget(right)
        split.setSizes([240, 800])
        split.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(PlainLabel("Privacy walkthroughs", role="page-title"))
        layout.addWidget(
            PlainLabel(
                "Step-by-step guides to the settings of phones, computers and social-media accounts that "
                "could give away where you work or who your clients are, and the accounts behind them "
                f"({counts()[0]} guides, {counts()[1]} steps). Your progress is saved as you go.",
                role="subtitle",
            )
        )
        if self.own_store and self.store.trouble:
            layout.addWidget(
                Banner("Your saved progress could not be read", self.store.trouble, "OK", Severity.MEDIUM)
            )
        layout.addWidget(split, 1)
        self._load_devices()

    # Devices ---------------------------------------------------------------------------------------------

    def _load_devices(self, select: str | None = None) -> None:
        self.devices.blockSignals(True)
        self.devices.clear()
        for p in progress.profiles(self.store):
            g = find_guide(p.guide)
            summary = progress.summary(g, progress.marks(self.store, p))
            item = QListWidgetItem(f"{p.name}\n{g.title} · {summary.finished} of {summary.total} done")
            item.setData(ROLE, p.name)
            self.devices.addItem(item)
        self.devices.blockSignals(False)
        names = [self.devices.item(i).data(ROLE) for i in range(self.devices.count())]
        self.empty.setVisible(not names)
        self.walk.setVisible(bool(names))
        self.remove_button.setEnabled(bool(names))
        self.export_button.setEnabled(bool(names))
        if names:
            self.devices.setCurrentRow(names.index(select) if select in names else 0)

    def ask_new_device(self) -> None:
        dialog = AddDevice(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add_device(*dialog.values())

    def add_device(
        self, name: str, guide_id: str, version: str | None, role: str | None, this_computer: bool
    ) -> None:
        try:
            p = progress.add_profile(self.store, name, guide_id, version, role, this_computer)
        except SafeSpaceError as exc:
            self.left_text.setText(str(exc))
            return
        self._load_devices(p.name)

    def ask_remove(self) -> None:
        if self.profile is None:
            return
        answer = QMessageBox.question(
            self,
            "Remove this device",
            f"Remove “{self.profile.name}” and the progress saved for it? This cannot be undone.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.remove_device()

    def remove_device(self) -> None:
        if self.profile is None:
            return
        progress.remove_profile(self.store, self.profile)
        self.profile, self.guide = None, None
        self._load_devices()

    def _device_chosen(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        self.profile = progress.profile(self.store, item.data(ROLE))
        self.guide = find_guide(self.profile.guide)
        self.observed = {}
        marks = progress.marks(self.store, self.profile)
        who = f", {self.profile.role.lower()}" if self.profile.role else ""
        version = f" ({self.profile.os_version})" if self.profile.os_version else ""
        self.heading.setText(f"{self.profile.name}: {self.guide.title}{version}{who}")
        self.shown_version, self.version_note = self.guide.resolve(self.profile.os_version)
        overdue = self.guide.overdue(today())
        self.review_note.setText(overdue or "")
        self.review_note.setVisible(bool(overdue))
        self.help_note.hide()
        self.steps.blockSignals(True)
        self.steps.clear()
        for _ in self.guide.steps:
            self.steps.addItem(QListWidgetItem(""))
        self.steps.blockSignals(False)
        self._refresh(marks)
        if self.profile.this_computer:
            self._probe()
        at = progress.resume_at(self.guide, self.profile, marks)
        self.steps.setCurrentRow(self.guide.steps.index(at))

    def _probe(self) -> None:
        """Read what this computer can tell, off the GUI thread (a command may take a moment)."""
        guide = self.guide
        assert guide is not None
        wanted = [s for s in guide.steps if s.probe]

        def work(rep: workers.Reporter) -> dict[str, Observation | None]:
            return {s.id: observe(s.probe) for s in wanted if not rep.cancel.is_set()}

        job = workers.Job(work)
        job.signals.finished.connect(lambda found, j=job, g=guide: self._probed(j, g, found))
        job.signals.failed.connect(lambda _m, j=job, g=guide: self._probed(j, g, {}))
        self._probes.add(job)
        job.start()

    @property
    def probing(self) -> bool:
        return bool(self._probes)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the readings still running, and wait for them (the window is closing)."""
        for job in list(self._probes):
            job.cancel()
            job.done.wait(timeout)

    def _probed(self, job: workers.Job, guide: Guide, found: dict[str, Observation | None]) -> None:
        self._probes.discard(job)
        if guide is self.guide:
            self.observed = found or {s.id: None for s in guide.steps if s.probe}
            self._show(self.steps.currentRow())

    # Steps -----------------------------------------------------------------------------------------------

    def _refresh(self, marks: dict[str, progress.Mark]) -> None:
        assert self.guide is not None
        for n, s in enumerate(self.guide.steps):
            status = progress.STATUSES[marks[s.id].status] if s.id in marks else "To do"
            self.steps.item(n).setText(f"{n + 1}. {s.title}\n{status}")
        summary = progress.summary(self.guide, marks)
        self.bar.setRange(0, summary.total)
        self.bar.setValue(summary.finished)
        self.bar.setFormat(f"{summary.finished} of {summary.total} steps finished")
        left = summary.essential_left
        words = summary.line() + "."
        if left:
            words += (
                " Essential steps left: "
                + "; ".join(s.title for s in left[:4])
                + ("…" if len(left) > 4 else ".")
            )
        elif not summary.left:
            words += (
                " Every step is finished. Check again after a system or app update: updates can reset them."
            )
        self.left_text.setText(words)

    def _step_chosen(self, row: int) -> None:
        if self.profile is None or self.guide is None or not 0 <= row < len(self.guide.steps):
            return
        if row != self._help_shown_at:
            self.help_note.hide()  # the note about help belongs to the step just after the one marked
        progress.set_position(self.store, self.profile, self.guide.steps[row].id)
        self.profile = progress.profile(self.store, self.profile.name)
        self._show(row)

    def _show(self, row: int) -> None:
        if self.profile is None or self.guide is None or not 0 <= row < len(self.guide.steps):
            return
        step = self.guide.steps[row]
        marks = progress.marks(self.store, self.profile)
        probing = bool(self.profile.this_computer and step.probe and step.id not in self.observed)
        self.view.show_step(
            step,
            row + 1,
            len(self.guide.steps),
            self.shown_version,
            marks.get(step.id),
            self.observed.get(step.id),
            probing,
            self.version_note,
        )
        self.previous_button.setEnabled(row > 0)
        self.next_button.setEnabled(row < len(self.guide.steps) - 1)

    def go(self, row: int) -> None:
        if self.guide is not None and 0 <= row < len(self.guide.steps):
            self.steps.setCurrentRow(row)

    def mark(self, step_id: str, status: str, note: str) -> None:
        if self.profile is None or self.guide is None:
            return
        progress.mark(self.store, self.profile, step_id, status, note)
        marks = progress.marks(self.store, self.profile)
        self._refresh(marks)
        self._update_device_item()
        row = self.steps.currentRow()
        step = self.guide.step(step_id)
        moves = row < len(self.guide.steps) - 1
        self.help_note.setText(help_text(step, moves) if status == "needs_help" else "")
        self.help_note.setVisible(status == "needs_help")
        self._help_shown_at = row + 1 if moves else row
        if moves:
            self.go(row + 1)  # every mark moves on, "I need help" too: its note stays above
        else:
            self._show(row)

    def _update_device_item(self) -> None:
        item = self.devices.currentItem()
        if item is None or self.profile is None or self.guide is None:
            return
        summary = progress.summary(self.guide, progress.marks(self.store, self.profile))
        item.setText(f"{self.profile.name}\n{self.guide.title} · {summary.finished} of {summary.total} done")

    def export(self, fmt: str, path: str | None = None) -> str | None:
        if self.profile is None:
            return None
        content = document.device_document(gather.device_progress(self.store, self.profile.name))
        return exporting.save(
            self, content, fmt, path, exporting.file_stem(f"walkthrough-{self.profile.name}")
        )
