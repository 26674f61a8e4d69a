"""The "Reviews and reports" page, offscreen: start a review, fill it in, sign it, export it; reports of a
room check and of a device's progress from their own places."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox

from app.window import MainWindow
from checks.reviews import document
from checks.store import Store
from tests.app.areas import area_row
from tests.reviews.fixtures import practice
from tests.reviews.pdfpages import read


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two colours."""

    def lum(c: QColor) -> float:
        def ch(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def assert_readable_read_only(page) -> None:
    """A signed review cannot be changed, and every field of it reads at 4.5:1 or better (not greyed)."""
    fields = [page.title, page.reviewer, *(b.comment for b in page.item_boxes)]
    fields += [w for r in page.followup_rows for w in (r.what, r.owner)]
    for field in fields:
        assert field.isReadOnly() and field.isEnabled(), field.accessibleName()
        pal = field.palette()
        ratio = contrast(pal.color(pal.ColorGroup.Active, pal.ColorRole.Text), pal.color(pal.ColorRole.Base))
        assert ratio >= 4.5, f"{field.accessibleName()}: {ratio:.1f}:1"
        assert not field.placeholderText() or field.text(), "no placeholder that looks like typed text"
    for box in page.item_boxes:
        assert box.outcome.isHidden() and not box.outcome_words.isHidden()
        assert box.outcome_words.text() in ("Fine", "Risk accepted", "Action needed")
    assert page.next_review.isReadOnly() and page.next_review.isEnabled()
    label = page.sign_as
    assert label.buddy() is page.signer, "the name field next to Sign has its label"


def test_create_fill_sign_and_export_a_review(qtbot, window: MainWindow, tmp_path: Path) -> None:
    with Store() as store:
        practice(store)
    page = window.reviews
    window.sidebar.setCurrentRow(area_row("reviews"))
    review = page.start("Review of November", "Sam Okafor")
    assert review is not None and page.list.count() == 1 and page.review.id == review.id
    assert [box.item.label for box in page.item_boxes][:2] == ["Room: Room 2", "Room: Therapy room"]
    for box in page.item_boxes:
        box.outcome.setCurrentIndex(box.outcome.findData("fine"))
    first = page.item_boxes[0]
    first.outcome.setCurrentIndex(first.outcome.findData("risk_accepted"))
    assert first.reason.isEnabled()
    row = page.add_followup()
    row.what.setText("Unplug the smart speaker")
    row.owner.setText("Sam")
    page.signer.setText("Sam Okafor")
    assert not page.sign(), "an accepted risk needs its reason"
    assert "Say why each accepted risk is accepted" in page.message.text()
    first.reason.setText("Used for admin only")
    assert page.sign()
    assert page.review.signed and page.list.item(0).text().startswith("Review of November\nSigned")
    assert not page.save_button.isEnabled()
    assert_readable_read_only(page)
    path = page.export("json", str(tmp_path / "review.json"))
    exported = Path(path).read_bytes()
    assert (
        document.verify(exported) and json.loads(exported)["content"]["review"]["signed_by"] == "Sam Okafor"
    )
    assert page.export("pdf", str(tmp_path / "review.pdf"))
    pages = read(tmp_path / "review.pdf")  # the PDF from the app, as poppler reads it
    assert 10.0 <= pages.size_of("Okafor") <= 11.0 and pages.text(1).startswith("Review of November")
    assert "Sam Okafor" in pages.text(1) and f"Page 1 of {len(pages.sizes)}" in pages.text(1)
    assert "SHA-256 of its content" in window.statusBar().currentMessage()
    again = page.start_again()
    assert (
        again is not None
        and again.based_on == review.id
        and [f.what for f in again.followups] == ["Unplug the smart speaker"]
    )


def test_room_checks_and_device_progress_export_from_where_they_are(
    qtbot, window: MainWindow, tmp_path, monkeypatch
) -> None:
    with Store() as store:
        practice(store)
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    window.room._load_rooms("Therapy room")
    history = window.room.history()
    assert history.export("html", str(tmp_path / "check.html"))
    assert "Room check of Therapy room" in (tmp_path / "check.html").read_text()
    history.close()
    window.guides._load_devices("Practice iPad")
    assert window.guides.export("html", str(tmp_path / "ipad.html"))
    assert "Privacy walkthrough: Practice iPad" in (tmp_path / "ipad.html").read_text()


def test_a_draft_is_kept_when_the_user_moves_on_or_closes(qtbot, window: MainWindow) -> None:
    page = window.reviews
    first = page.start("First", "Sam", [])
    page.start("Second", "Sam", [])
    page.list.setCurrentRow(1)  # "First" (newest first)
    assert page.review.id == first.id
    row = page.add_followup()
    row.what.setText("Buy a lockable cabinet")
    page.list.setCurrentRow(0)
    assert page.review.id == first.id, "a follow-up without an owner cannot be saved, so the draft stays open"
    assert "who will do it" in page.message.text()
    row.owner.setText("Jo")
    page.list.setCurrentRow(0)
    assert page.review.title == "Second"
    window.close()
    with Store() as store:
        from checks.reviews import reviews

        assert [f.what for f in reviews.load(store, first.id).followups] == ["Buy a lockable cabinet"]
