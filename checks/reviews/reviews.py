"""A practice manager's review: what it covers, the outcome of each item, follow-ups, the next review date,
and a sign-off after which it can no longer change. A later review can start from a signed one."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from checks.errors import SafeSpaceError
from checks.reviews.gather import Item, refresh
from checks.store import Store
from checks.text import one_line

OUTCOMES = {"fine": "Fine", "action_needed": "Action needed", "risk_accepted": "Risk accepted"}


class ReviewError(SafeSpaceError):
    """A review cannot be saved, signed or found as asked."""


@dataclass
class FollowUp:
    what: str
    owner: str
    due: str  # YYYY-MM-DD
    done: bool = False

    def overdue(self, today: date) -> bool:
        try:
            return not self.done and date.fromisoformat(self.due) < today
        except (TypeError, ValueError):  # a damaged date is not counted as overdue, nor does it stop a list
            return False


@dataclass
class Review:
    id: int | None
    title: str
    reviewer: str
    created: str
    items: list[Item] = field(default_factory=list)
    followups: list[FollowUp] = field(default_factory=list)
    next_review: str | None = None
    signed_by: str | None = None
    signed_on: str | None = None
    based_on: int | None = None

    @property
    def signed(self) -> bool:
        return self.signed_by is not None

    @property
    def status(self) -> str:
        return "signed" if self.signed else "draft"

    def overdue(self, today: date | None = None) -> list[FollowUp]:
        return [f for f in self.followups if f.overdue(today or date.today())]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "reviewer": self.reviewer,
            "created": self.created,
            "items": [i.to_dict() for i in self.items],
            "followups": [vars(f).copy() for f in self.followups],
            "next_review": self.next_review,
            "signed_by": self.signed_by,
            "signed_on": self.signed_on,
            "based_on": self.based_on,
            "status": self.status,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any], review_id: int | None = None) -> Review:
        return cls(
            review_id if review_id is not None else d.get("id"),
            d["title"],
            d["reviewer"],
            d["created"],
            [Item.from_dict(i) for i in d.get("items", [])],
            [FollowUp(**f) for f in d.get("followups", [])],
            d.get("next_review"),
            d.get("signed_by"),
            d.get("signed_on"),
            d.get("based_on"),
        )


def _check_date(value: str | None, what: str) -> None:
    if value is None:
        return
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ReviewError(f"{what} must be a date, such as 2027-05-01.") from None


def validate(review: Review) -> None:
    if not review.title.strip():
        raise ReviewError("A review needs a title.")
    for item in review.items:
        if item.outcome is not None and item.outcome not in OUTCOMES:
            raise ReviewError(f"Unknown outcome {item.outcome!r}.")
    for f in review.followups:
        if not f.what.strip() or not f.owner.strip():
            raise ReviewError("Each follow-up needs what is to be done and who will do it.")
        _check_date(f.due, "A follow-up's due date")
    _check_date(review.next_review, "The next review date")


def new_review(
    store: Store, title: str, reviewer: str, items: list[Item], based_on: int | None = None
) -> Review:
    review = Review(
        None,
        one_line(title),
        one_line(reviewer),
        datetime.now().astimezone().isoformat(timespec="seconds"),
        items,
        based_on=based_on,
    )
    save(store, review)
    return review


def save(store: Store, review: Review) -> None:
    """Save a draft. A signed review is read-only: saving it again is refused."""
    validate(review)
    with store.transaction() as db:
        if review.id is not None:
            row = db.execute("SELECT status FROM reviews WHERE id = ?", (review.id,)).fetchone()
            if row is None:
                raise ReviewError(f"There is no review number {review.id}.")
            if row["status"] == "signed":
                raise ReviewError(
                    "This review is signed, so it can no longer be changed. Start a new one from it."
                )
            db.execute(
                "UPDATE reviews SET status = ?, data = ? WHERE id = ?",
                (review.status, json.dumps(review.to_dict(), ensure_ascii=False), review.id),
            )
        else:
            cur = db.execute(
                "INSERT INTO reviews(created, status, based_on, data) VALUES(?,?,?,?)",
                (review.created, review.status, review.based_on, "{}"),
            )
            review.id = int(cur.lastrowid or 0)
            db.execute(
                "UPDATE reviews SET data = ? WHERE id = ?",
                (json.dumps(review.to_dict(), ensure_ascii=False), review.id),
            )


def sign(store: Store, review: Review, name: str, on: str | None = None) -> None:
    """Sign off: every item needs an outcome, and an accepted risk its reason. Then it is read-only."""
    if review.signed:
        raise ReviewError("This review is already signed.")
    if not name.strip():
        raise ReviewError("Sign with your name.")
    undecided = [i.label for i in review.items if i.outcome is None]
    if undecided:
        raise ReviewError("Give an outcome for every item before signing: " + "; ".join(undecided) + ".")
    unexplained = [
        i.label for i in review.items if i.outcome == "risk_accepted" and not (i.reason or "").strip()
    ]
    if unexplained:
        raise ReviewError("Say why each accepted risk is accepted: " + "; ".join(unexplained) + ".")
    on = on or date.today().isoformat()
    _check_date(on, "The date of signing")
    review.signed_by, review.signed_on = one_line(name), on
    try:
        save(store, review)
    except BaseException:
        review.signed_by, review.signed_on = None, None
        raise


def _parse(data: str, review_id: int) -> Review:
    """A saved review, or ReviewError when its saved form is damaged (not JSON, or missing what a review
    must have): one damaged review never stops the others from being listed, shown or exported."""
    try:
        d = json.loads(data)
        if not isinstance(d, dict):
            raise TypeError("not a review")
        return Review.from_dict(d, review_id)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        what = type(exc).__name__
        raise ReviewError(
            f"Review number {review_id} is damaged in the saved data and cannot be read ({what})."
        ) from None


def load(store: Store, review_id: int) -> Review:
    row = store.db.execute("SELECT id, data FROM reviews WHERE id = ?", (review_id,)).fetchone()
    if row is None:
        raise ReviewError(f"There is no review number {review_id}.")
    return _parse(row["data"], row["id"])


def all_reviews(store: Store) -> list[Review]:
    """The reviews that can be read, newest first (see `damaged` for those that cannot)."""
    return [r for r in _all(store) if isinstance(r, Review)]


def damaged(store: Store) -> list[int]:
    """The numbers of the saved reviews that cannot be read."""
    return [r for r in _all(store) if isinstance(r, int)]


def _all(store: Store) -> list[Review | int]:
    out: list[Review | int] = []
    for row in store.db.execute("SELECT id, data FROM reviews ORDER BY created DESC, id DESC"):
        try:
            out.append(_parse(row["data"], row["id"]))
        except ReviewError:
            out.append(int(row["id"]))
    return out


def start_from(store: Store, previous: Review, reviewer: str, title: str | None = None) -> Review:
    """A new draft covering the same things, with today's evidence, and the follow-ups not yet done."""
    items = [i for i in (refresh(store, old.kind, old.ref) for old in previous.items) if i is not None]
    review = Review(
        None,
        title or f"Review of {date.today().isoformat()}",
        one_line(reviewer),
        datetime.now().astimezone().isoformat(timespec="seconds"),
        items,
        [FollowUp(f.what, f.owner, f.due) for f in previous.followups if not f.done],
        based_on=previous.id,
    )
    save(store, review)
    return review
