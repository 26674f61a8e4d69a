"""Device profiles and their progress: saved as it goes, resumed where the user was."""

from __future__ import annotations

import pytest

from checks.guides import progress
from checks.guides.loader import guide
from checks.store import Store


def test_progress_is_saved_and_resumed_across_sessions() -> None:
    with Store() as store:
        p = progress.add_profile(store, "  Practice   iPad ", "ios", "iOS 27", "Practitioner")
        assert p.name == "Practice iPad" and p.position is None
        g = guide("ios")
        assert progress.resume_at(g, p, {}) == g.steps[0]
        progress.mark(store, p, "camera-location", "done", when="2026-11-25T10:00:00+00:00")
        progress.mark(store, p, "significant-locations", "needs_help", "  ask Sam  ")
        progress.set_position(store, p, "airdrop")
    with Store() as store:  # closed and opened again: nothing is lost
        p = progress.profile(store, "practice ipad")
        marks = progress.marks(store, p)
        assert marks["camera-location"].status == "done" and marks["significant-locations"].note == "ask Sam"
        assert progress.resume_at(guide("ios"), p, marks).id == "airdrop"
        summary = progress.summary(guide("ios"), marks)
        total = len(guide("ios").steps)
        assert (summary.finished, summary.total, summary.counted["needs_help"]) == (1, total, 1)
        assert summary.line().startswith(f"1 of {total} steps finished, 1 need help")
        progress.unmark(store, p, "camera-location")
        assert "camera-location" not in progress.marks(store, p)


def test_without_a_saved_position_it_resumes_at_the_first_step_not_finished() -> None:
    with Store() as store:
        p = progress.add_profile(store, "Phone", "android")
        progress.mark(store, p, "who-has-access", "done")
        progress.mark(store, p, "camera-location", "done")
        progress.mark(store, p, "photos-location", "not_applicable")
        p = progress.profile(store, "Phone")
        assert progress.resume_at(guide("android"), p, progress.marks(store, p)).id == "timeline"


def test_mistakes_are_explained() -> None:
    with Store() as store:
        progress.add_profile(store, "Laptop", "windows")
        with pytest.raises(progress.ProfileError, match="already a device called"):
            progress.add_profile(store, "laptop", "macos")
        with pytest.raises(progress.ProfileError, match="needs a name"):
            progress.add_profile(store, "  ", "macos")
        with pytest.raises(
            progress.ProfileError, match="covers Newer than macOS 27, macOS 27, macOS 26 Tahoe"
        ):
            progress.add_profile(store, "Mac", "macos", "macOS 9")
        with pytest.raises(progress.ProfileError, match="no device called"):
            progress.profile(store, "Nothing")
        p = progress.profile(store, "Laptop")
        with pytest.raises(progress.ProfileError, match="no step"):
            progress.mark(store, p, "not-a-step", "done")
        with pytest.raises(progress.ProfileError, match="Unknown status"):
            progress.mark(store, p, "camera", "finished")
        progress.remove_profile(store, p)
        assert progress.profiles(store) == []


def test_devices_saved_with_an_older_version_or_a_newer_one_are_accepted() -> None:
    with Store() as store:
        old = progress.add_profile(store, "Old iPad", "ios", "iOS 18")  # saved before the guide moved on
        new = progress.add_profile(store, "New iPhone", "ios", "Newer than iOS 27")
        assert (old.os_version, new.os_version) == ("iOS 18", "Newer than iOS 27")
