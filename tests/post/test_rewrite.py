"""One-click rewordings keep the meaning without the detail, and never apply to text that has changed."""

from __future__ import annotations

import pytest

from checks.post import check_post
from checks.post.rewrite import StaleEdit, apply

EXAMPLE = "Struggling with an 8 year old boy I see at school on Fridays - he only wants to paint."


def offer(text: str, kind: str, replacement: str) -> dict:
    f = next(f for f in check_post(text).details() if f.data["kind"] == kind)
    return next(r for r in f.data["replacements"] if r["text"].lower() == replacement)


def test_an_age_and_gender_becomes_a_young_client() -> None:
    assert apply(EXAMPLE, offer(EXAMPLE, "age_gender", "a young client")).startswith(
        "Struggling with a young client I see"
    )


def test_dropping_the_weekday_takes_its_preposition_too() -> None:
    assert apply(EXAMPLE, offer(EXAMPLE, "weekday", "")) == (
        "Struggling with an 8 year old boy I see at school - he only wants to paint."
    )


def test_dropping_before_punctuation_leaves_no_space() -> None:
    text = "My client is 8 and I see him on Fridays."
    assert apply(text, offer(text, "weekday", "")) == "My client is 8 and I see him."


def test_all_rewordings_in_turn_leave_nothing_identifying() -> None:
    text = EXAMPLE
    for _ in range(10):
        result = check_post(text, "large_group")
        findings = [f for f in result.details() if f.data["kind"] != "session"]
        if not findings:
            break
        f = findings[0]
        text = apply(text, f.data["replacements"][0])
    assert check_post(text, "large_group").severity.rank < check_post(EXAMPLE, "large_group").severity.rank
    assert "Fridays" not in text and "8 year old" not in text


def test_a_replacement_at_the_start_of_a_sentence_is_capitalised() -> None:
    text = "An 8 year old boy I see is struggling."
    assert apply(text, offer(text, "age_gender", "a young client")).startswith("A young client I see")


def test_stale_replacements_are_refused() -> None:
    r = offer(EXAMPLE, "age_gender", "a young client")
    with pytest.raises(StaleEdit):
        apply(EXAMPLE.replace("8", "9"), r)
    with pytest.raises(StaleEdit):
        apply("short", r)
