"""Reviews: gathered from what the app recorded, decided item by item, signed, then read-only."""

from __future__ import annotations

from datetime import date

import pytest

from checks.guides.loader import guide
from checks.reviews import gather, reviews
from checks.reviews.reviews import FollowUp, ReviewError
from checks.store import Store
from tests.reviews.fixtures import practice


def test_a_review_gathers_the_latest_evidence_of_everything() -> None:
    with Store() as store:
        practice(store)
        items = {i.label: i for i in gather.available(store)}
    assert list(items) == ["Room: Room 2", "Room: Therapy room", "Device: Practice iPad (iPhone and iPad)",
                           "This computer", "Image cleaning"]  # fmt: skip
    room = items["Room: Therapy room"].evidence
    assert room["checked"] == "2026-11-20T09:05:00+00:00" and len(room["devices"]) == 6
    assert room["checklist"][0] == {"id": "speakers", "title": room["checklist"][0]["title"], "done": True}
    assert items["Room: Room 2"].evidence["summary"] == "Never checked"
    assert (
        items["Device: Practice iPad (iPhone and iPad)"]
        .evidence["summary"]
        .startswith(f"1 of {len(guide('ios').steps)} steps finished")
    )
    assert items["This computer"].evidence["summary"].endswith("1 to look at")
    images = items["Image cleaning"].evidence
    assert (images["cleaned"], images["failed"], images["batches"]) == (15, 1, 2)
    assert "no file names" in images["summary"]


def test_sign_needs_every_outcome_and_a_reason_for_accepted_risks_then_it_is_read_only() -> None:
    with Store() as store:
        practice(store)
        review = reviews.new_review(store, "  Review   2026 ", "Sam", gather.available(store))
        assert review.id and review.title == "Review 2026" and review.status == "draft"
        with pytest.raises(ReviewError, match="Give an outcome for every item"):
            reviews.sign(store, review, "Sam")
        for item in review.items:
            item.outcome = "fine"
        review.items[0].outcome = "risk_accepted"
        with pytest.raises(ReviewError, match="Say why each accepted risk is accepted: Room: Room 2"):
            reviews.sign(store, review, "Sam")
        review.items[0].reason = "Used only for admin work"
        with pytest.raises(ReviewError, match="Sign with your name"):
            reviews.sign(store, review, "  ")
        review.followups.append(FollowUp("Unplug the speaker", "Sam", "2026-12-01"))
        reviews.sign(store, review, "Sam Okafor", on="2026-11-25")
        again = reviews.load(store, review.id)
        assert (again.status, again.signed_by, again.signed_on) == ("signed", "Sam Okafor", "2026-11-25")
        again.title = "Changed afterwards"
        with pytest.raises(ReviewError, match="signed, so it can no longer be changed"):
            reviews.save(store, again)
        assert reviews.load(store, review.id).title == "Review 2026"


def test_a_later_review_starts_from_a_signed_one_with_open_follow_ups() -> None:
    with Store() as store:
        practice(store)
        first = reviews.new_review(store, "First", "Sam", gather.available(store)[:2])
        first.followups = [
            FollowUp("Unplug speaker", "Sam", "2026-01-01"),
            FollowUp("Done one", "Jo", "2026-01-01", True),
        ]
        reviews.save(store, first)
        assert [f.what for f in first.overdue(date(2026, 6, 1))] == ["Unplug speaker"]
        second = reviews.start_from(store, first, "Jo")
        assert second.based_on == first.id and second.status == "draft"
        assert [i.label for i in second.items] == [i.label for i in first.items]
        assert [f.what for f in second.followups] == ["Unplug speaker"]
        assert [r.id for r in reviews.all_reviews(store)] == [second.id, first.id]


def test_bad_dates_and_empty_follow_ups_are_refused() -> None:
    with Store() as store:
        review = reviews.new_review(store, "R", "Sam", [])
        review.followups = [FollowUp("Do it", "", "2026-12-01")]
        with pytest.raises(ReviewError, match="who will do it"):
            reviews.save(store, review)
        review.followups = [FollowUp("Do it", "Sam", "next week")]
        with pytest.raises(ReviewError, match="due date must be a date"):
            reviews.save(store, review)
        with pytest.raises(ReviewError, match="no review number 99"):
            reviews.load(store, 99)


def test_one_damaged_review_does_not_break_list_show_or_export(capsys, tmp_path) -> None:
    from app.__main__ import main
    from checks.reviews import gather

    with Store() as store:
        practice(store)
        good = reviews.new_review(store, "Good review", "Sam", gather.available(store)[:1])
        bad = reviews.new_review(store, "Bad review", "Sam", [])
        with store.transaction() as db:
            db.execute("UPDATE reviews SET data = ? WHERE id = ?", ("{not json", bad.id))
        worse = reviews.new_review(store, "Worse", "Sam", [])
        with store.transaction() as db:
            db.execute("UPDATE reviews SET data = ? WHERE id = ?", ('{"title": 1}', worse.id))
        assert [r.id for r in reviews.all_reviews(store)] == [good.id]
        assert sorted(reviews.damaged(store)) == sorted([bad.id, worse.id])
    assert main(["review", "list"]) == 0
    out, err = capsys.readouterr()
    assert "Good review" in out and f"review number {bad.id} is damaged" in err
    assert main(["review", "show", str(good.id)]) == 0
    assert main(["review", "show", str(bad.id)]) == 1
    assert "damaged" in capsys.readouterr().err
    assert (
        main(["review", "export", str(good.id), "--format", "json", "--out", str(tmp_path / "r.json")]) == 0
    )
