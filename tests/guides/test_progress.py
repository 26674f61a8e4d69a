"""Device profiles and their progress: saved as it goes, resumed where the user was."""

from __future__ import annotations

import pytest

from checks.guides import progress
from checks.guides.loader import guide
from checks.store import Store


def test_progress_is_saved_and_resumed_across_sessions() -> None:
    with Store() as store:
        p = progress.add_profile(store, "  Practice   iPad ", "ios", "iOS 17", "Practitioner")
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
        assert (summary.finished, summary.total, summary.counted["needs_help"]) == (1, 12, 1)
        assert summary.line().startswith("1 of 12 steps finished, 1 need help")
        progress.unmark(store, p, "camera-location")
        assert "camera-location" not in progress.marks(store, p)


def test_without_a_saved_position_it_resumes_at_the_first_step_not_finished() -> None:
    with Store() as store:
        p = progress.add_profile(store, "Phone", "android")
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
        with pytest.raises(progress.ProfileError, match="covers macOS 14, macOS 15"):
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
