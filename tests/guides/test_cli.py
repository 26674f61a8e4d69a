"""`safespace guides`."""

from __future__ import annotations

import json

from checks import cli
from checks.guides import progress
from checks.guides.loader import guide
from checks.store import Store


def test_list_and_show(capsys) -> None:
    assert cli.main(["guides", "list", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {g["id"] for g in doc["guides"]} >= {
        "ios",
        "android",
        "windows",
        "macos",
        "facebook",
        "apple-account",
    }
    assert cli.main(["guides", "show", "ios", "--json"]) == 0
    ios = json.loads(capsys.readouterr().out)
    step = ios["steps"][1]
    assert step["why"] and step["how"][0]["path"] and step["source"]["url"].startswith("https://")
    assert ios["steps"][0]["checklist"] and ios["review_by"] and ios["versions"] == ["iOS 26", "iOS 27"]
    assert cli.main(["guides", "list"]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith("last checked 2026-12-02.")
    assert cli.main(["guides", "show", "ios"]) == 0
    out = capsys.readouterr().out
    assert "2. Stop the camera recording where photos are taken [Essential]" in out
    assert (
        "Source: How Safety Check on iPhone works to keep you safe (Apple): https://support.apple.com/" in out
    )
    assert "Checked against Apple Support, December 2026, for iOS 26, iOS 27." in out and "shared/" not in out
    assert cli.main(["guides", "show", "nokia"]) == 1
    assert "no guide called “nokia”" in capsys.readouterr().err


def test_show_accepts_other_names_and_a_version(capsys) -> None:
    assert cli.main(["guides", "show", "iphone"]) == 0
    assert capsys.readouterr().out.startswith("iPhone and iPad (iOS 26, iOS 27)")
    assert cli.main(["guides", "show", "whatsapp", "--version", "WhatsApp for iPhone"]) == 0
    out = capsys.readouterr().out
    assert "How: You > Privacy > Profile photo" in out and "Settings > Privacy > Profile photo" not in out
    assert cli.main(["guides", "show", "ios", "--version", "Newer than iOS 27"]) == 0
    assert "written for iOS 27, the newest version it knows" in capsys.readouterr().out
    assert cli.main(["guides", "show", "ios", "--version", "iOS 3"]) == 1
    assert "covers Newer than iOS 27, iOS 27, iOS 26" in capsys.readouterr().err


def test_progress(capsys) -> None:
    total = len(guide("ios").steps)
    assert cli.main(["guides", "progress"]) == 0
    assert "No devices yet" in capsys.readouterr().out
    with Store() as store:
        p = progress.add_profile(store, "Practice iPad", "ios", "iOS 26", "Practitioner")
        progress.mark(store, p, "camera-location", "done")
        progress.mark(store, p, "airdrop", "needs_help", "which setting?")
    assert cli.main(["guides", "progress", "--device", "Practice iPad"]) == 0
    out = capsys.readouterr().out
    assert f"Practice iPad (iPhone and iPad, iOS 26): 1 of {total} steps finished, 1 need help" in out
    assert "Needs help       Make AirDrop visible to contacts only, or off (which setting?)" in out
    assert cli.main(["guides", "progress", "--json"]) == 0
    [device] = json.loads(capsys.readouterr().out)["devices"]
    assert device["finished"] == 1 and device["steps"][1]["status"] == "done"
