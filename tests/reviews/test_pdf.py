"""PDF reports as a person sees them: body text 10-11 pt, nothing past the page's edge, long reports broken
across pages with the title above and "Page N of M" below, and page 1 not blank. Read with poppler."""

from __future__ import annotations

from pathlib import Path

import pytest

from checks.reviews import document, gather, reviews
from checks.store import Store
from tests.reviews.fixtures import HOSTILE, practice
from tests.reviews.pdfpages import Pages, ink, read

LONG_WORD = "x" * 300  # no place to break: it must wrap anywhere, not run off the page


def long_review(store: Store, followups: int) -> dict:
    practice(store)
    review = reviews.new_review(store, "Autumn review", "Sam", gather.available(store))
    for item in review.items:
        item.outcome, item.comment = "fine", f"comment {HOSTILE} {LONG_WORD}"
    for k in range(followups):
        review.followups.append(reviews.FollowUp(f"Follow-up {k} {LONG_WORD[:80]}", "Sam", "2026-12-01"))
    reviews.sign(store, review, "Sam Okafor", on="2026-11-25")
    return document.review_document(review)


def render(content: dict, path: Path) -> Pages:
    from app import report_pdf

    report_pdf.render(document.to_html(content), path)
    return read(path)


def assert_fits(pages: Pages) -> None:
    for w in pages.words:
        width, height = pages.sizes[w.page - 1]
        assert w.x0 > 40 and w.x1 < width - 40, f"{w.text!r} runs past the page's side margin"
        assert w.y0 > 30 and w.y1 < height - 30, f"{w.text!r} runs past the page's top or bottom margin"


def test_a_long_review_is_readable_on_a4_pages_with_a_header_and_footer(tmp_path: Path) -> None:
    with Store(Store.MEMORY) as store:
        content = long_review(store, followups=80)
    pages = render(content, tmp_path / "r.pdf")
    assert all(abs(w - 595) < 2 and abs(h - 842) < 2 for w, h in pages.sizes), "A4 portrait"
    total = len(pages.sizes)
    assert total >= 3, "80 follow-ups do not fit on two pages of readable text"
    assert 10.0 <= pages.body_size() <= 11.0, f"body text is {pages.body_size()} pt"
    assert min(w.size for w in pages.words) >= 8.5, "no text smaller than the 9 pt footer"
    assert_fits(pages)
    for page in range(1, total + 1):
        text = pages.text(page)
        title = [w for w in pages.on(page) if w.text == "Autumn" and w.size < 9.5]  # the running header
        assert title and title[0].y1 < 70, f"page {page} has no title above: {text[:60]!r}"
        footer = [w for w in pages.on(page) if w.text == "Page"]
        assert footer and footer[-1].y0 > 842 - 70 and f"Page {page} of {total}" in text
    # The page is used: text spans most of the width and height of page 1, not a corner of it.
    first = pages.on(1)
    assert max(w.x1 for w in first) - min(w.x0 for w in first) > 0.75 * 595
    assert max(w.y1 for w in first) - min(w.y0 for w in first) > 0.8 * 842
    assert 0.02 < ink(tmp_path / "r.pdf", tmp_path) < 0.5, "page 1 renders blank (or black)"
    # The table's header row is repeated on the pages it runs onto.
    assert sum("What Who Due State" in pages.text(p) for p in range(1, total + 1)) >= 2


def test_the_digest_and_the_long_word_are_all_on_the_page(tmp_path: Path) -> None:
    with Store(Store.MEMORY) as store:
        content = long_review(store, followups=1)
    pages = render(content, tmp_path / "r.pdf")
    assert_fits(pages)
    joined = "".join(w.text for w in pages.words)
    assert document.digest(content) in joined
    assert joined.count("x" * 300) >= 1, "the 300-letter word is shown whole, wrapped"


@pytest.mark.parametrize("kind", ["room_check", "device"])
def test_room_check_and_walkthrough_reports_are_readable(tmp_path: Path, kind: str) -> None:
    with Store(Store.MEMORY) as store:
        practice(store)
        if kind == "room_check":
            content = document.room_check_document(
                "Therapy room", store.checks(store.room("Therapy room"))[0]["data"]
            )
            title = "Room check of Therapy room"
        else:
            content = document.device_document(gather.device_progress(store, "Practice iPad"))
            title = "Privacy walkthrough: Practice iPad"
    pages = render(content, tmp_path / "r.pdf")
    assert 10.0 <= pages.body_size() <= 11.0
    assert_fits(pages)
    assert pages.text(1).startswith(title) and f"Page 1 of {len(pages.sizes)}" in pages.text(1)
    assert ink(tmp_path / "r.pdf", tmp_path) > 0.01
