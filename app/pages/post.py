"""Before you post: what in a draft post, caption or message could identify a client, checked as you type.

Typing never waits for the check: each change restarts a short timer, and when typing pauses the text is
checked on the thread pool; a result is shown only if the draft is still the text it was made from. The draft
is never saved, logged or sent: it lives in the box and in memory only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import workers
from app.widgets.plain_label import PlainLabel
from app.widgets.post_editor import DraftEditor, Mark
from app.widgets.post_findings import PostFindings
from app.widgets.post_pictures import PostPictures
from checks.errors import SafeSpaceError
from checks.model import Severity
from checks.post import PostCheck, check_post, destinations, load
from checks.post.rewrite import StaleEdit, apply
from checks.settings import Settings

log = logging.getLogger(__name__)
PAUSE_MS = 350  # how long typing must pause before the draft is checked


class CheckFailed(SafeSpaceError):
    """The check of a draft failed; the message says so without repeating any of the draft."""


def _check(text: str, where: str) -> Callable[[workers.Reporter], tuple[str, str, PostCheck]]:
    def work(_rep: workers.Reporter) -> tuple[str, str, PostCheck]:
        try:
            return text, where, check_post(text, where)
        except Exception as exc:
            # An error's message or traceback could quote the draft: only the kind of error is logged.
            log.error("checking a draft failed (%s)", type(exc).__name__)
            raise CheckFailed(
                "The draft could not be checked, so nothing is known about it. Try again, or check it by eye."
            ) from None

    return work


class PostPage(QWidget, workers.JobHolder):
    def __init__(self, settings: Settings, save_settings: Callable[[], None], parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Before you post")
        self._job: workers.Job | None = None
        self._pending = False  # the draft changed while a check was running
        self.result: PostCheck | None = None
        self.checks_started = 0  # for tests: how many checks were handed to the thread pool

        self.editor = DraftEditor()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PAUSE_MS)
        self.timer.timeout.connect(self.check_now)
        self.editor.textChanged.connect(self._typed)

        self.where = QComboBox()
        self.where.setAccessibleName("Where is it going?")
        for key, label in destinations().items():
            self.where.addItem(label, key)
        self.where.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel never changes it unless focused
        self.where.currentIndexChanged.connect(self._where_changed)
        where_row = QHBoxLayout()
        where_label = QLabel("Where is it going?")
        where_label.setBuddy(self.where)
        where_row.addWidget(where_label)
        where_row.addWidget(self.where, 1)
        self.advice = PlainLabel(selectable=True)
        self.advice.setAccessibleName("Advice for where it is going")
        self.not_supervision = PlainLabel(selectable=True, role="finding-title")
        self.sources = PlainLabel(selectable=True, role="muted")
        self.sources.hide()
        self.sources_button = QPushButton("Where this advice comes from ▸")
        self.sources_button.setCheckable(True)
        self.sources_button.setAccessibleName("Show where this advice comes from")
        self.sources_button.toggled.connect(self._toggle_sources)
        advice_box = QFrame()
        advice_box.setObjectName("finding")
        advice_layout = QVBoxLayout(advice_box)
        advice_layout.addWidget(self.not_supervision)
        advice_layout.addWidget(self.advice)
        advice_layout.addWidget(self.sources_button, 0, Qt.AlignmentFlag.AlignLeft)
        advice_layout.addWidget(self.sources)

        self.copy_button = QPushButton("Copy the text")
        self.copy_button.setObjectName("primary")
        self.copy_button.setAccessibleName("Copy the checked text to the clipboard")
        self.copy_button.clicked.connect(self.copy_text)
        self.clear_button = QPushButton("Clear")
        self.clear_button.setAccessibleName("Clear the draft")
        self.clear_button.clicked.connect(self.clear)
        self.status = PlainLabel(role="muted")
        actions = QHBoxLayout()
        actions.addWidget(self.status, 1)
        actions.addWidget(self.clear_button)
        actions.addWidget(self.copy_button)

        self.pictures = PostPictures(settings, save_settings)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(where_row)
        left_layout.addWidget(self.editor, 1)
        left_layout.addLayout(actions)
        left_layout.addWidget(advice_box)
        left_layout.addWidget(self.pictures)
        self.findings = PostFindings()
        self.findings.reword.connect(self.reword)
        self.findings.show_words.connect(self.editor.select)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.findings)
        split.setSizes([560, 440])
        split.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(PlainLabel("Before you post", role="page-title"))
        layout.addWidget(
            PlainLabel(
                "See what in a post, a caption or a message could identify a client before you share it: "
                "ages, names, schools, places, days, and what happened in a session. It is checked on this "
                "computer; "
                "your draft is not saved and nothing is sent anywhere.",
                role="subtitle",
            )
        )
        layout.addWidget(split, 1)
        self._show_advice()
        self._update_buttons()
        self._warmed = False

    # Checking ------------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        """The first time the page is shown, read the word lists (half a second) off the GUI thread, so the
        first check is as quick as the rest; not before, so opening the app costs nothing."""
        super().showEvent(event)
        if not self._warmed:
            self._warmed = True
            workers.Job(lambda _rep: load() and None).start()

    def _typed(self) -> None:
        self.timer.start()  # restarts: the check waits for a pause in typing
        self._update_buttons()

    def _where_changed(self) -> None:
        self._show_advice()
        self.check_now()

    def where_key(self) -> str:
        return str(self.where.currentData())

    def check_now(self) -> None:
        """Check the draft on the thread pool: one check at a time, and a change meanwhile is checked next."""
        self.timer.stop()
        if self._job is not None:
            self._pending = True
            return
        text = self.editor.toPlainText()
        if not text.strip():
            self.result = None
            self.editor.clear_marks()
            self.findings.show_waiting()
            self.status.setText("")
            return
        job = workers.Job(_check(text, self.where_key()))
        job.signals.finished.connect(self._checked)
        job.signals.failed.connect(self._failed)
        self._job = job
        self.checks_started += 1
        job.start()

    def _checked(self, value: tuple[str, str, PostCheck]) -> None:
        self._job = None
        text, where, result = value
        if self._pending or text != self.editor.toPlainText() or where != self.where_key():
            self._pending = False
            self.check_now()  # the draft moved on: this result is out of date
            return
        self.result = result
        details = result.details()
        marks = [
            Mark(int(s[0]), int(s[1]), f.severity, f.title)
            for f in details
            for s in f.data.get("spans", [])
            if f.severity is not Severity.OK
        ]
        self.editor.show_marks(text, marks)
        self.findings.show_result(result.severity, result.combination(), details)
        self._show_advice()
        self.status.setText(self._status_line(result))
        self._update_buttons()

    def _failed(self, message: str) -> None:
        self._job = None
        self._pending = False
        self.status.setText(message)

    def _status_line(self, result: PostCheck) -> str:
        n = len(result.details())
        line = (
            f"{result.severity.label}."
            if not n
            else f"{result.severity.label}: {n} detail{'s' if n > 1 else ''}."
        )
        if result.truncated:
            line += " Only the first part of a very long draft was checked."
        return line

    def _show_advice(self) -> None:
        from checks.post import destination_finding

        key = self.where_key()
        doc = load().destinations
        kind = doc["kinds"][key]
        social = bool(kind["social"])
        self.not_supervision.setText(doc["not_supervision"] if social else kind["audience"])
        self.advice.setText(f"{kind['audience']} {kind['advice']}" if social else kind["advice"])
        self.sources.setText(
            "\n".join(f"{s['title']}: {s['url']}" for s in destination_finding(key).data.get("sources", []))
        )

    def _toggle_sources(self, shown: bool) -> None:
        self.sources.setVisible(shown)
        self.sources_button.setText(f"Where this advice comes from {'▾' if shown else '▸'}")

    # Rewording and copying -----------------------------------------------------------------------------

    def reword(self, replacement: dict[str, Any]) -> None:
        try:
            new = apply(self.editor.toPlainText(), replacement)
        except StaleEdit as exc:
            self.status.setText(str(exc))
            self.check_now()
            return
        self.editor.replace_all(new)
        self.check_now()

    def copy_text(self) -> None:
        text = self.editor.toPlainText()
        if not text:
            return
        QGuiApplication.clipboard().setText(text)
        verdict = self.result.severity if self.result else None
        if verdict is Severity.HIGH:
            self.status.setText(
                "Copied. It still has details that could identify a client: reword them before you post."
            )
        else:
            self.status.setText("Copied to the clipboard.")

    def clear(self) -> None:
        self.editor.clear()
        self.check_now()

    def _update_buttons(self) -> None:
        has_text = bool(self.editor.toPlainText())
        self.copy_button.setEnabled(has_text)
        self.clear_button.setEnabled(has_text)

    def stop(self, timeout: float = 30.0) -> None:
        self.timer.stop()
        self.pictures.stop(timeout)
        super().stop(timeout)
