"""One item of a review: what was found (the evidence), and the reviewer's outcome, reason and comment."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from app.widgets.plain_label import PlainLabel
from checks.reviews.gather import Item
from checks.reviews.reviews import OUTCOMES


def evidence_text(item: Item) -> str:
    ev = item.evidence
    lines = [str(ev.get("summary", ""))]
    if item.kind == "room":
        new = [d for d in ev.get("devices", []) if d.get("status") == "new"]
        missing = [d for d in ev.get("devices", []) if d.get("status") == "missing"]
        if new:
            lines.append("New devices: " + "; ".join(str(d.get("label")) for d in new))
        if missing:
            lines.append("Not seen: " + "; ".join(str(d.get("label")) for d in missing))
        left = [c["title"] for c in ev.get("checklist", []) if not c.get("done")]
        if left:
            lines.append("Checklist not ticked: " + "; ".join(left))
    elif item.kind == "computer":
        serious = [f for f in ev.get("findings", []) if f.get("severity") in ("high", "medium")]
        lines += [f"• {f.get('title')}" for f in serious]
    return "\n".join(line for line in lines if line)


class ReviewItem(QGroupBox):
    def __init__(self, item: Item, parent: QWidget | None = None):
        super().__init__(item.label, parent)
        self.item = item
        self.setAccessibleName(item.label)
        self.outcome = QComboBox()
        self.outcome.setAccessibleName(f"Outcome for {item.label}")
        self.outcome.addItem("Not decided yet", None)
        for key, words in OUTCOMES.items():
            self.outcome.addItem(words, key)
        self.outcome.setCurrentIndex(max(0, self.outcome.findData(item.outcome)))
        self.reason = QLineEdit(item.reason or "")
        self.reason.setAccessibleName(f"Why the risk is accepted, for {item.label}")
        self.reason.setPlaceholderText("Why the risk is accepted")
        self.comment = QLineEdit(item.comment or "")
        self.comment.setAccessibleName(f"Comment on {item.label}")
        self.comment.setPlaceholderText("A comment, if you like")
        self.outcome.currentIndexChanged.connect(self._changed)
        # A signed review shows its outcome as words, readable (a disabled box would be greyed out).
        self.outcome_words = PlainLabel(self.outcome.currentText(), selectable=True)
        self.outcome_words.setAccessibleName(f"Outcome for {item.label}")
        self.outcome_words.hide()
        outcome_row = QHBoxLayout()
        outcome_row.setContentsMargins(0, 0, 0, 0)
        outcome_row.addWidget(self.outcome)
        outcome_row.addWidget(self.outcome_words)
        outcome_row.addStretch(1)
        form = QFormLayout()
        form.addRow("Outcome:", outcome_row)
        form.addRow("Reason:", self.reason)
        form.addRow("Comment:", self.comment)
        col = QVBoxLayout(self)
        col.addWidget(PlainLabel(evidence_text(item), role="muted", selectable=True))
        col.addLayout(form)
        self._changed()

    def _changed(self) -> None:
        self.reason.setEnabled(self.outcome.currentData() == "risk_accepted" or self.reason.isReadOnly())

    def apply(self) -> None:
        self.item.outcome = self.outcome.currentData()
        self.item.reason = self.reason.text().strip() or None
        self.item.comment = self.comment.text().strip() or None

    def set_read_only(self, read_only: bool) -> None:
        """Read-only is not disabled: the text stays as readable as any other (never greyed out)."""
        self.outcome.setVisible(not read_only)
        self.outcome_words.setText(self.outcome.currentText())
        self.outcome_words.setVisible(read_only)
        for w in (self.reason, self.comment):
            w.setReadOnly(read_only)
            if read_only:
                w.setPlaceholderText("")  # an empty field says nothing, rather than look filled in
        self.reason.setEnabled(read_only or self.outcome.currentData() == "risk_accepted")
