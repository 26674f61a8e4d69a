"""The "Reviews and reports" page: start a review of the practice's rooms, devices and this computer, record
an outcome for each, follow-ups and the next review date, sign it, and export it as a report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import exporting
from app.dialogs.start_review import StartReview
from app.widgets.column_view import ColumnView
from app.widgets.plain_label import PlainLabel
from app.widgets.review_item import ReviewItem
from checks.errors import SafeSpaceError
from checks.reviews import document, gather, reviews
from checks.reviews.reviews import FollowUp, Review
from checks.reviews.words import when
from checks.settings import Settings
from checks.store import Store

ROLE = Qt.ItemDataRole.UserRole


class _FollowUpRow:
    def __init__(self, grid: QGridLayout, row: int, f: FollowUp | None):
        self.what = QLineEdit(f.what if f else "")
        self.what.setAccessibleName("What is to be done")
        self.what.setPlaceholderText("What is to be done")
        self.owner = QLineEdit(f.owner if f else "")
        self.owner.setAccessibleName("Who will do it")
        self.owner.setPlaceholderText("Who")
        self.due = QDateEdit(QDate.fromString(f.due, "yyyy-MM-dd") if f else QDate.currentDate().addDays(30))
        self.due.setAccessibleName("Due date")
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("d MMM yyyy")  # "1 Dec 2026", as everywhere a person reads a date
        self.done = QCheckBox("Done")
        self.done.setAccessibleName("Done")
        self.done.setChecked(bool(f and f.done))
        for col, w in enumerate((self.what, self.owner, self.due, self.done)):
            grid.addWidget(w, row, col)

    def value(self) -> FollowUp | None:
        if not self.what.text().strip() and not self.owner.text().strip():
            return None
        return FollowUp(
            self.what.text().strip(),
            self.owner.text().strip(),
            self.due.date().toString("yyyy-MM-dd"),
            self.done.isChecked(),
        )

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.what, self.owner, self.due, self.done)

    def set_read_only(self, read_only: bool) -> None:
        for field in (self.what, self.owner):
            field.setReadOnly(read_only)
        self.due.setReadOnly(read_only)
        self.done.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, read_only)
        self.done.setFocusPolicy(Qt.FocusPolicy.NoFocus if read_only else Qt.FocusPolicy.StrongFocus)


class ReviewsPage(QWidget):
    def __init__(
        self,
        settings: Settings,
        save_settings: Callable[[], None],
        parent: QWidget | None = None,
        *,
        store: Store,
    ):
        super().__init__(parent)
        self.setAccessibleName("Reviews and reports")
        self.settings, self._save_settings = settings, save_settings
        self.store = store  # the window's
        self.review: Review | None = None
        self.item_boxes: list[ReviewItem] = []
        self.followup_rows: list[_FollowUpRow] = []

        self.start_button = QPushButton("Start a review…")
        self.start_button.setObjectName("primary")
        self.start_button.setAccessibleName("Start a review")
        self.start_button.clicked.connect(self.ask_start)
        self.again_button = QPushButton("Start a new review from this one")
        self.again_button.setAccessibleName("Start a new review from the selected one")
        self.again_button.clicked.connect(self.start_again)
        self.list = QListWidget()
        self.list.setAccessibleName("Reviews, newest first")
        self.list.setWordWrap(True)
        self.list.currentItemChanged.connect(self._chosen)
        left = QWidget()
        lcol = QVBoxLayout(left)
        lcol.setContentsMargins(0, 0, 0, 0)
        lcol.addWidget(self.start_button)
        lcol.addWidget(self.list, 1)
        lcol.addWidget(self.again_button)

        self.editor = ColumnView("The review")
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.editor)
        split.setSizes([280, 760])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(PlainLabel("Reviews and reports", role="page-title"))
        layout.addWidget(
            PlainLabel(
                "Review each room and device of the practice: what was checked, when, by whom, and what is "
                "left to do. A signed review can be exported as a report that shows whether it was altered. "
                "Reports hold no client data.",
                role="subtitle",
            )
        )
        layout.addWidget(split, 1)
        self._load()

    # The list --------------------------------------------------------------------------------------------

    def _load(self, select: int | None = None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for r in reviews.all_reviews(self.store):
            late = len(r.overdue())
            words = "Signed" if r.signed else "Draft"
            line = f"{r.title}\n{words} · {when(r.created[:10])}" + (
                f" · {late} follow-ups overdue" if late else ""
            )
            item = QListWidgetItem(line)
            item.setData(ROLE, r.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        ids = [self.list.item(i).data(ROLE) for i in range(self.list.count())]
        if ids:
            self.list.setCurrentRow(ids.index(select) if select in ids else 0)
        else:
            self._show_empty()
        self.again_button.setEnabled(bool(ids))

    def _show_empty(self) -> None:
        self.review = None
        self.editor.fresh().addWidget(
            PlainLabel(
                "No reviews yet. “Start a review…” gathers the latest room checks, walkthrough progress and "
                "checks of this computer, for you to give each an outcome.",
                role="notice",
            )
        )

    def _chosen(self, item: QListWidgetItem | None, previous: QListWidgetItem | None = None) -> None:
        """Open a review; a draft being left is saved first, and if it cannot be, it stays open."""
        if previous is not None and self.review is not None and not self.review.signed and not self.save():
            self.list.blockSignals(True)
            self.list.setCurrentItem(previous)
            self.list.blockSignals(False)
            return
        if item is not None:
            self.show_review(reviews.load(self.store, item.data(ROLE)))

    def leave(self) -> None:
        """Keep the draft being edited (the window is closing)."""
        if self.review is not None and not self.review.signed:
            self.save()

    # Starting ----------------------------------------------------------------------------------------------

    def ask_start(self) -> None:
        dialog = StartReview(
            gather.available(self.store),
            f"Review of {date.today():%d %B %Y}",
            self.settings.practitioner_name,
            self,
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.start(dialog.title.text(), dialog.reviewer.text(), dialog.chosen())

    def start(self, title: str, reviewer: str, items: list[gather.Item] | None = None) -> Review | None:
        try:
            review = reviews.new_review(
                self.store, title, reviewer, items if items is not None else gather.available(self.store)
            )
        except SafeSpaceError as exc:
            QMessageBox.warning(self, "The review was not started", str(exc))
            return None
        self._load(review.id)
        return review

    def start_again(self) -> Review | None:
        if self.review is None:
            return None
        review = reviews.start_from(
            self.store, self.review, self.settings.practitioner_name or self.review.reviewer
        )
        self._load(review.id)
        return review

    # Editing -----------------------------------------------------------------------------------------------

    def show_review(self, review: Review) -> None:
        self.review = review
        col = self.editor.fresh()
        self.title = QLineEdit(review.title)
        self.title.setAccessibleName("Title of the review")
        self.reviewer = QLineEdit(review.reviewer)
        self.reviewer.setAccessibleName("Reviewed by")
        form = QFormLayout()
        form.addRow("Title:", self.title)
        form.addRow("Reviewed by:", self.reviewer)
        col.addLayout(form)
        if review.signed:
            col.addWidget(
                PlainLabel(
                    f"Signed by {review.signed_by} on {when(review.signed_on)}. It can no longer be changed; "
                    "start a new review from it to review again.",
                    role="notice",
                )
            )
        col.addWidget(PlainLabel("What was reviewed", role="subheading"))
        self.item_boxes = [ReviewItem(i) for i in review.items]
        for box in self.item_boxes:
            col.addWidget(box)
        col.addWidget(PlainLabel("Follow-ups", role="subheading"))
        self.followups = QGridLayout()
        self.followup_rows = [_FollowUpRow(self.followups, n, f) for n, f in enumerate(review.followups)]
        col.addLayout(self.followups)
        self.add_followup_button = QPushButton("Add a follow-up")
        self.add_followup_button.setAccessibleName("Add a follow-up")
        self.add_followup_button.clicked.connect(self.add_followup)
        col.addWidget(self.add_followup_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.next_review = QDateEdit(
            QDate.fromString(review.next_review, "yyyy-MM-dd")
            if review.next_review
            else QDate.fromString((date.today() + timedelta(days=365)).isoformat(), "yyyy-MM-dd")
        )
        self.next_review.setAccessibleName("Next review date")
        self.next_review.setCalendarPopup(True)
        self.next_review.setDisplayFormat("d MMM yyyy")
        form2 = QFormLayout()
        form2.addRow("Next review:", self.next_review)
        col.addLayout(form2)
        self.save_button = QPushButton("Save")
        self.save_button.setAccessibleName("Save this review")
        self.save_button.clicked.connect(self.save)
        self.signer = QLineEdit(self.settings.practitioner_name)
        self.signer.setAccessibleName("Your name, to sign")
        self.signer.setPlaceholderText("Your name")
        self.sign_as = PlainLabel("Sign as:", wrap=False)
        self.sign_as.setBuddy(self.signer)
        self.sign_button = QPushButton("Sign this review…")
        self.sign_button.setAccessibleName("Sign this review")
        self.sign_button.clicked.connect(self.ask_sign)
        self.export_button = exporting.ExportButton("Export…", self.export)
        row = QHBoxLayout()
        for w in (self.save_button, self.sign_as, self.signer, self.sign_button, self.export_button):
            row.addWidget(w)
        col.addLayout(row)
        self.message = PlainLabel("", role="muted")
        col.addWidget(self.message)
        self._read_only(review.signed)

    def _read_only(self, read_only: bool) -> None:
        """A signed review is read-only, not disabled: its text stays readable (never greyed out); only
        the buttons that would change it go."""
        for field in (self.title, self.reviewer):
            field.setReadOnly(read_only)
        self.next_review.setReadOnly(read_only)
        for w in (self.add_followup_button, self.save_button, self.sign_button):
            w.setEnabled(not read_only)
        self.sign_as.setVisible(not read_only)
        self.signer.setVisible(not read_only)
        for box in self.item_boxes:
            box.set_read_only(read_only)
        for r in self.followup_rows:
            r.set_read_only(read_only)

    def add_followup(self) -> _FollowUpRow:
        row = _FollowUpRow(self.followups, len(self.followup_rows), None)
        self.followup_rows.append(row)
        return row

    def _apply(self) -> None:
        assert self.review is not None
        self.review.title = self.title.text().strip()
        self.review.reviewer = self.reviewer.text().strip()
        for box in self.item_boxes:
            box.apply()
        self.review.followups = [f for f in (r.value() for r in self.followup_rows) if f is not None]
        self.review.next_review = self.next_review.date().toString("yyyy-MM-dd")

    def save(self) -> bool:
        if self.review is None or self.review.signed:
            return False
        self._apply()
        try:
            reviews.save(self.store, self.review)
        except SafeSpaceError as exc:
            self.message.setText(str(exc))
            return False
        self.message.setText("Saved.")
        self._refresh_list_item()
        return True

    def ask_sign(self) -> None:
        answer = QMessageBox.question(
            self, "Sign this review", "Once signed, this review can no longer be changed. Sign it now?"
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.sign()

    def sign(self) -> bool:
        if self.review is None or not self.save():
            return False
        try:
            reviews.sign(self.store, self.review, self.signer.text())
        except SafeSpaceError as exc:
            self.message.setText(str(exc))
            return False
        self.settings.practitioner_name = self.signer.text().strip() or self.settings.practitioner_name
        self._save_settings()
        self._load(self.review.id)
        return True

    def _refresh_list_item(self) -> None:
        item = self.list.currentItem()
        if item is not None and self.review is not None:
            state = "Signed" if self.review.signed else "Draft"
            item.setText(f"{self.review.title}\n{state} · {when(self.review.created[:10])}")

    def export(self, fmt: str, path: str | None = None) -> str | None:
        if self.review is None:
            return None
        if not self.review.signed and not self.save():
            return None
        content = document.review_document(self.review)
        return exporting.save(self, content, fmt, path, exporting.file_stem(self.review.title))
