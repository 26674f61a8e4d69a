"""`safespace guides`."""

from __future__ import annotations

import json

from checks import cli
from checks.guides import progress
from checks.store import Store


def test_list_and_show(capsys) -> None:
    assert cli.main(["guides", "list", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {g["id"] for g in doc["guides"]} >= {"ios", "android", "windows", "macos", "facebook"}
    assert cli.main(["guides", "show", "ios", "--json"]) == 0
    ios = json.loads(capsys.readouterr().out)
    assert ios["steps"][0]["why"] and ios["steps"][0]["how"][0]["path"]
    assert cli.main(["guides", "show", "ios"]) == 0
    assert "1. Stop the camera recording where photos are taken [Essential]" in capsys.readouterr().out
    assert cli.main(["guides", "show", "nokia"]) == 1
    assert "no guide called “nokia”" in capsys.readouterr().err


def test_progress(capsys) -> None:
    assert cli.main(["guides", "progress"]) == 0
    assert "No devices yet" in capsys.readouterr().out
    with Store() as store:
        p = progress.add_profile(store, "Practice iPad", "ios", "iOS 18", "Practitioner")
        progress.mark(store, p, "camera-location", "done")
        progress.mark(store, p, "airdrop", "needs_help", "which setting?")
    assert cli.main(["guides", "progress", "--device", "Practice iPad"]) == 0
    out = capsys.readouterr().out
    assert "Practice iPad (iPhone and iPad, iOS 18): 1 of 12 steps finished, 1 need help" in out
    assert "Needs help       Make AirDrop visible to contacts only, or off (which setting?)" in out
    assert cli.main(["guides", "progress", "--json"]) == 0
    [device] = json.loads(capsys.readouterr().out)["devices"]
    assert device["finished"] == 1 and device["steps"][0]["status"] == "done"
