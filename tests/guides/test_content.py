"""The guides' content: complete, sourced, and covering what a practitioner needs."""

from __future__ import annotations

import copy
import json
from importlib import resources

import pytest

from checks.guides.loader import guides
from checks.guides.probes import PROBES
from checks.guides.schema import TOPICS, GuideError, sentences, validate


def test_every_guide_needed_is_there_with_enough_steps() -> None:
    found = guides()
    for needed in (
        "ios",
        "android",
        "windows",
        "macos",
        "facebook",
        "instagram",
        "linkedin",
        "x",
        "whatsapp",
    ):
        assert needed in found
    assert all(len(g.steps) >= 6 for g in found.values())
    assert sum(len(g.steps) for g in found.values()) >= 80
    versions = {v for g in found.values() for v in g.versions}
    for v in ("iOS 17", "iOS 18", "Android 14 (Pixel)", "Android 15 (Pixel)", "Android 14 (Samsung One UI 6)",
              "Android 15 (Samsung One UI 7)", "Windows 11 24H2", "macOS 14", "macOS 15"):  # fmt: skip
        assert v in versions


def test_every_topic_the_practice_needs_is_covered() -> None:
    covered = {s.topic for g in guides().values() for s in g.steps}
    assert covered == set(TOPICS)


def test_every_step_is_complete_and_sourced() -> None:
    for g in guides().values():
        for s in g.steps:
            assert s.title and s.recommended and s.how, s.key
            assert 1 <= sentences(s.why) <= 2, s.key
            assert len(s.source) >= 10 and s.verified_date and s.verified_os, s.key
            assert s.probe is None or s.probe in PROBES, s.key


def test_steps_that_may_be_noticed_are_marked() -> None:
    flagged = {s.key for g in guides().values() for s in g.steps if s.may_alert_others}
    assert {"ios.share-my-location", "android.location-sharing", "facebook.friends-list"} <= flagged


def _doc() -> dict:
    return json.loads(resources.files("resources").joinpath("guides", "ios.json").read_text("utf-8"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["steps"][0].pop("why"), "why must be a non-empty text"),
        (lambda d: d["steps"][0].update(why="One. Two. Three."), "one or two sentences"),
        (lambda d: d["steps"][0].update(source=""), "source must be a non-empty text"),
        (lambda d: d["steps"][1].update(id=d["steps"][0]["id"]), "used twice"),
        (lambda d: d["steps"][0].update(priority="urgent"), "priority must be"),
        (lambda d: d["steps"][0].update(topic="weather"), "unknown topic"),
        (lambda d: d["steps"][0].update(probe="ios.magic"), "unknown probe"),
        (lambda d: d["steps"][0].update(may_alert_others="maybe"), "true or false"),
        (lambda d: d["steps"][0].update(how=[]), "at least one menu path"),
        (lambda d: d["steps"][0]["how"][0].update(versions=["iOS 3"]), "among the guide's versions"),
        (lambda d: d["steps"][0]["last_verified"].update(marker="trust me"), "marker must be"),
        (lambda d: d["steps"][0]["last_verified"].pop("os"), "exactly date, os and marker"),
        (lambda d: d.update(steps=d["steps"][:5]), "at least 6 steps"),
        (lambda d: d.update(id="android"), "file's name"),
    ],
)
def test_mistakes_in_a_guide_are_named(change, message: str) -> None:
    doc = copy.deepcopy(_doc())
    change(doc)
    with pytest.raises(GuideError, match=message):
        validate(doc, "ios", set(PROBES))
