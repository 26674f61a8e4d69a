"""The guides' content: current versions, the menus that moved, sources anyone can open, honest markers."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import pytest

from checks.guides.loader import guide, guides
from checks.guides.probes import PROBES
from checks.guides.schema import TOPICS, GuideError, Step, sentences, validate
from checks.guides.sources import MAKERS, internal, on_maker_site

NEEDED = ["ios", "android", "windows", "macos", "linux", "facebook", "instagram", "linkedin", "x", "whatsapp",
          "apple-account", "google-account", "microsoft-account", "meta-accounts-center", "strava", "youtube",
          "tiktok", "snapchat", "threads"]  # fmt: skip


def paths(s: Step, version: str | None = None) -> list[str]:
    return [" > ".join(h.path) + " | " + (h.note or "") for h in (s.paths_for(version) if version else s.how)]


def test_every_guide_needed_is_there_with_enough_steps() -> None:
    found = guides()
    assert set(NEEDED) <= set(found)
    assert all(len(g.steps) >= 6 for g in found.values())


@pytest.mark.parametrize(
    ("gid", "current"),
    [
        ("ios", ["iOS 26", "iOS 27"]),
        ("macos", ["macOS 26 Tahoe", "macOS 27"]),
        ("android", ["Android 16 (Pixel)", "Android 17 (Pixel)", "Android 16 (Samsung One UI 8 or 8.5)",
                     "Android 17 (Samsung One UI 9)"]),
        ("windows", ["Windows 11 24H2", "Windows 11 25H2"]),
        ("linux", ["Ubuntu 24.04 (GNOME 46)", "Debian 13 (GNOME 48)", "Ubuntu 26.04 (GNOME 50)"]),
    ],
)  # fmt: skip
def test_device_guides_cover_the_current_and_previous_versions_newest_last(
    gid: str, current: list[str]
) -> None:
    g = guide(gid)
    assert list(g.versions) == current and g.version_kind == "system"
    assert g.newer == f"Newer than {current[-1]}" and g.choices()[0] == g.newer
    for s in g.steps:
        for v in g.versions:
            assert s.paths_for(v), (s.key, v)


def test_account_guides_say_they_are_account_level() -> None:
    for g in guides().values():
        assert (g.kind == "account") == (g.version_kind == "platform"), g.id
        if g.kind == "account":
            assert g.newer is None


def test_the_menus_that_moved_are_where_they_are_now() -> None:
    ios = guide("ios")
    assert "Significant Locations & Routes" in paths(ios.step("significant-locations"))[0]
    assert "every device" in ios.step("significant-locations").why
    assert paths(ios.step("shared-library"), "iOS 26")[0].startswith(
        "Settings > Apps > Photos > Shared Library"
    )
    assert "Everyone for 10 Minutes" in paths(ios.step("airdrop"))[0]
    assert "Bringing Devices Together" in paths(ios.step("namedrop"))[0]
    assert "Visited Places" in paths(ios.step("maps-visited-places"))[0]
    for key in ("ios.siri-listen", "ios.siri-locked", "macos.siri"):
        g, sid = key.split(".")
        assert "Apple Intelligence & Siri" in paths(guide(g).step(sid))[0], key
    android = guide("android")
    for sid in ("hey-google", "assistant-lock-screen"):
        assert all(p.startswith("Gemini > ") for p in paths(android.step(sid))), sid
    assert not [p for s in android.steps for p in paths(s) if "Google Assistant >" in p]
    wa = guide("whatsapp")
    for s in wa.steps:
        assert all(p.startswith("You > ") for p in paths(s, "WhatsApp for iPhone")), s.key
    linux = guide("linux")
    privacy = [p for s in linux.steps for p in paths(s) if "Privacy" in p.split(" | ")[0]]
    assert privacy and all("Privacy & Security" in p for p in privacy), "one name for GNOME's privacy pane"
    assert "no page for the microphone" in paths(linux.step("camera-microphone"))[0]
    assert "country" in guide("x").step("about-your-account").why
    assert "No one" in guide("instagram").step("map-location").recommended
    scan = paths(android.step("tracker-scan"))
    assert all("Unknown tracker alerts > Scan now" in p for p in scan)


def test_the_new_steps_and_accounts_are_there() -> None:
    wanted = ["ios.tracker-alerts", "ios.check-in", "ios.shared-albums", "ios.shared-calendars",
              "android.tracker-scan",
              "windows.recall", "windows.find-my-device", "windows.phone-link", "macos.shared-calendars",
              "apple-account.contact-key-verification", "facebook.active-status",
              "facebook.people-you-may-know", "linkedin.off-linkedin", "whatsapp.linked-devices",
              "whatsapp.protect-ip", "whatsapp.strict-account",
              "snapchat.ghost-mode", "strava.heatmaps"]  # fmt: skip
    keys = {s.key for g in guides().values() for s in g.steps}
    assert set(wanted) <= keys, set(wanted) - keys
    for gid in ("apple-account", "google-account", "microsoft-account", "meta-accounts-center", "whatsapp"):
        topics = {s.topic for s in guide(gid).steps}
        assert {"sessions", "two_step"} <= topics, gid
    for gid in ("apple-account", "google-account"):
        topics = {s.topic for s in guide(gid).steps}
        assert {"location_sharing", "family", "recovery", "third_party"} <= topics, gid


def test_every_guide_starts_with_who_else_has_access() -> None:
    for g in guides().values():
        first = g.steps[0]
        assert first.topic == "access_review" and len(first.checklist) == 4, g.id
        words = " ".join(first.checklist).lower()
        assert "password" in words and "pays" in words and "location" in words and "devices" in words, g.id


def test_every_topic_the_practice_needs_is_covered() -> None:
    covered = {s.topic for g in guides().values() for s in g.steps}
    assert covered == set(TOPICS)


def _texts(s: Step) -> list[str]:
    return [s.title, s.why, s.recommended, s.source.title, s.source.publisher, *s.checklist,
            *(h.text() for h in s.how), *(v for h in s.how for v in h.versions)]  # fmt: skip


def test_every_step_is_complete_sourced_and_names_no_internal_file() -> None:
    for g in guides().values():
        for s in g.steps:
            assert s.title and s.recommended and s.how, s.key
            assert 1 <= sentences(s.why) <= 2, s.key
            assert s.probe is None or s.probe in PROBES, s.key
            assert s.source.url.startswith("https://") and s.source.title, s.key
            assert not [t for t in _texts(s) if internal(t)], s.key


def test_checked_means_a_makers_page_read_on_a_date() -> None:
    for g in guides().values():
        for s in g.steps:
            if s.marker == "checked":
                assert s.source.kind == "maker" and on_maker_site(s.source.url, s.source.publisher), s.key
                assert s.verified.date and s.verified.date <= g.content_version and s.verified.versions, s.key
            elif s.marker == "secondary":
                assert s.source.kind == "secondary" and s.verified.date, s.key
            else:
                assert s.verified.date is None and not s.verified.versions, s.key
            if s.source.kind == "maker":
                assert on_maker_site(s.source.url, s.source.publisher), s.key
    # Not every step carries the same date: most have none, because most are not confirmed.
    dates = {s.verified.date for g in guides().values() for s in g.steps}
    assert None in dates


def test_no_guide_file_mentions_the_developers_notes() -> None:
    folder = resources.files("resources").joinpath("guides")
    for entry in folder.iterdir():
        text = entry.read_text("utf-8")
        assert "shared/reference" not in text and "guides-sources" not in text and "§" not in text, entry.name


def test_steps_that_may_be_noticed_are_marked() -> None:
    flagged = {s.key for g in guides().values() for s in g.steps if s.may_alert_others}
    assert {"ios.share-my-location", "android.location-sharing", "facebook.friends-list",
            "ios.who-has-access", "snapchat.ghost-mode", "google-account.devices"} <= flagged  # fmt: skip


def test_the_words_say_how_far_a_step_was_checked() -> None:
    safety = guide("ios").step("safety-check")
    assert safety.verified.words(safety.source, "iOS 27") == (
        "Checked against Apple Support, December 2026. Not yet confirmed on a device."
    )
    recall = guide("windows").step("recall")
    assert recall.verified.words(recall.source, "Windows 11 25H2").startswith(
        "Taken from Windows Central (not the maker's own help), December 2026, for Windows 11 24H2; "
        "not yet confirmed for Windows 11 25H2."
    )
    devices = guide("apple-account").step("devices")
    assert devices.verified.words(devices.source, None).startswith(
        "Checked against Apple Support, December 2026, for iPhone or iPad, Mac."
    )
    assert "not yet confirmed for Web (account.apple.com)" in devices.verified.words(
        devices.source, "Web (account.apple.com)"
    )
    camera = guide("ios").step("camera-location")
    assert camera.verified.words(camera.source, "iOS 27").startswith("Not yet confirmed on a device")
    assert set(MAKERS[safety.source.publisher][1]) == {"support.apple.com"}


def _doc(gid: str = "ios") -> dict[str, Any]:
    return json.loads(resources.files("resources").joinpath("guides", f"{gid}.json").read_text("utf-8"))


def _lv(**value: Any) -> Any:
    return lambda d: d["steps"][1].update(last_verified=value)


def _src(**change: Any) -> Any:
    return lambda d: d["steps"][1]["source"].update(change)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["steps"][1].pop("why"), "why must be a non-empty text"),
        (lambda d: d["steps"][1].update(why="One. Two. Three."), "one or two sentences"),
        (lambda d: d["steps"][1].update(source="shared/reference/guides-sources.md"), "source needs exactly"),
        (_src(url="http://support.apple.com/x"), "must start with https://"),
        (_src(url="https://support.apple.com/a b"), "without spaces"),
        (_src(url="https://localhost/help"), "public web host"),
        (_src(url="https://192.168.1.1/help"), "public web host"),
        (_src(url="https://user:pw@support.apple.com/"), "user name, password or port"),
        (_src(url="support.apple.com/guide"), "must start with https://"),
        (_src(url="https://evil.example.org/apple"), "not on Apple's own help site"),
        (_src(url="https://support.apple.com.evil.org/x"), "not on Apple's own help site"),
        (_src(publisher="Apple Inc"), "needs a maker's name"),
        (_src(kind="blog"), "source kind must be"),
        (_src(title="See shared/reference/guides-sources.md"), "internal file"),
        (lambda d: d["steps"][1].update(why="As the ISDi template says."), "internal file"),
        (lambda d: d["steps"][1]["how"][0].update(note="see §4"), "internal file"),
        (_lv(marker="checked"), "exactly marker, date and versions"),
        (_lv(marker="unconfirmed", date="2026-11-25"), "no last_verified date"),
        (_lv(marker="secondary", date="2026-12-01", versions=["iOS 27"]), "needs a secondary source"),
        (_lv(marker="checked", date="2026-12-01", versions=["iOS 18"]), "among the guide's versions"),
        (_lv(marker="checked", date="2027-01-05", versions=["iOS 27"]), "checked after"),
        (_lv(marker="checked", date="2026-12-01", versions=[]), "what the page speaks for"),
        (_lv(marker="checked", date="yesterday", versions=["iOS 27"]), "must be a date"),
        (_lv(marker="trust me"), "marker must be"),
        (lambda d: d["steps"][2].update(id=d["steps"][1]["id"]), "used twice"),
        (lambda d: d["steps"][1].update(priority="urgent"), "priority must be"),
        (lambda d: d["steps"][1].update(topic="weather"), "unknown topic"),
        (lambda d: d["steps"][1].update(probe="ios.magic"), "unknown probe"),
        (lambda d: d["steps"][1].update(may_alert_others="maybe"), "true or false"),
        (lambda d: d["steps"][1].update(how=[]), "at least one menu path"),
        (lambda d: d["steps"][1]["how"][0].update(versions=["iOS 3"]), "among the guide's versions"),
        (lambda d: d["steps"][1]["how"][0].update(versions=["iOS 26"]), r"no menu path for \['iOS 27'\]"),
        (lambda d: d["steps"][1].update(checklist="who?"), "list of texts"),
        (lambda d: d.update(steps=d["steps"][1:]), "who else has access"),
        (lambda d: d.update(steps=d["steps"][:5]), "at least 6 steps"),
        (lambda d: d.update(id="android"), "file's name"),
        (lambda d: d.update(review_by="2026-11-01"), "review_by must come after"),
        (lambda d: d.update(review_by="soon"), "must be a date"),
        (lambda d: d.update(older_versions=["iOS 26"]), "each once"),
        (lambda d: d.update(version_kind="vibes"), "version_kind must be"),
        (lambda d: d.pop("review_by"), "needs exactly"),
    ],
)  # fmt: skip
def test_mistakes_in_a_guide_are_named(change, message: str) -> None:
    doc = copy.deepcopy(_doc())
    change(doc)
    with pytest.raises(GuideError, match=message):
        validate(doc, "ios", set(PROBES))


def test_devices_saved_with_a_version_no_longer_covered_still_open() -> None:
    ios = guide("ios")
    assert ios.accepts("iOS 18") and ios.accepts("Newer than iOS 27") and not ios.accepts("iOS 3")
    shown, note = ios.resolve("iOS 18")
    assert shown == "iOS 26" and note and "no longer covers iOS 18" in note
    shown, note = ios.resolve("Newer than iOS 27")
    assert shown == "iOS 27" and note and "newest version it knows" in note
    assert ios.resolve("iOS 27") == ("iOS 27", None)
