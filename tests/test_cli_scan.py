"""`safespace scan`, with recorded sources in place of the network."""

from __future__ import annotations

import json

import pytest

from checks import cli, room_check
from checks.network import interfaces, scan
from checks.store import Store
from tests.netfixtures import by_protocol, interface, load


@pytest.fixture(autouse=True)
def recorded_room(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan, "SOURCES", by_protocol(load()))
    monkeypatch.setattr(
        interfaces,
        "list_interfaces",
        lambda: [
            interface("docker0", "172.17.0.1/16", kind="container"),
            interface("lab0", "10.99.0.2/24", default_route=True),
            interface("lo", "127.0.0.1/8", kind="loopback"),
        ],
    )


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["scan", "--seconds", "2", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_the_documented_shape(capsys) -> None:
    code, out, err = run(capsys, "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["room"] is None and doc["interface"] == "lab0"
    assert len(doc["devices"]) == 6
    for d in doc["devices"]:
        for key, kinds in {
            "id": str, "name": (str, type(None)), "addresses": list, "mac": (str, type(None)),
            "vendor": (str, type(None)), "class": str, "microphone": (bool, type(None)),
            "camera": (bool, type(None)), "confidence": str, "status": type(None), "evidence": list,
            "findings": list,
        }.items():  # fmt: skip
            assert isinstance(d[key], kinds), key
    assert err.count("Found: ") == 6 and "Listening on lab0" in err


def test_the_summary_groups_by_risk_and_says_what_a_scan_cannot_see(capsys) -> None:
    code, out, _ = run(capsys)
    assert code == 0
    assert "Room check on lab0: 6 devices found." in out
    high = out.index("Could identify a client (")
    low = out.index("Low risk (")
    assert high < out.index("Google Nest Mini, “Therapy Room”") < low < out.index("Reception Printer")
    assert "What to do: Unplug it or move it out of the room before sessions." in out
    assert "Its name points to a person: “Jane Smith's iPhone”" in out
    assert scan.NOT_PRESENT in out


def test_a_room_remembers_what_is_accepted(capsys) -> None:
    code, out, _ = run(capsys, "--room", "Therapy room", "--accept-new", "--json")
    assert code == 0 and {d["status"] for d in json.loads(out)["devices"]} == {"new"}
    code, out, _ = run(capsys, "--room", "therapy ROOM")
    assert code == 0 and "Room check of “therapy ROOM”" in out and "NEW" not in out
    assert "  known Google Nest Mini, “Therapy Room”" in out
    code, out, _ = run(capsys, "--room", "Therapy room", "--json")
    assert {d["status"] for d in json.loads(out)["devices"]} == {"known"}
    with Store() as store:
        history = store.checks(store.room("Therapy room"))
    assert len(history) == 3, "each check is saved, as the app saves them"
    assert room_check.summary(history[-1]["data"]).endswith(
        "6 devices (6 new, 0 not seen) · no checklist (a scan from the command line)"
    )


def test_hostile_names_are_printed_without_control_characters(capsys, monkeypatch) -> None:
    sightings = load()
    sightings[0].name = "Evil\x1b[2J\x07name"
    sightings[0].fields["name"] = "Evil\x1b[2J\x07name"
    monkeypatch.setattr(scan, "SOURCES", by_protocol(sightings))
    _code, out, err = run(capsys)
    assert "\x1b" not in out + err and "\x07" not in out + err and "Evil?[2J?name" in out


def test_clear_errors(capsys) -> None:
    code, _out, err = run(capsys, "--accept-new")
    assert code == 2 and "--accept-new needs --room NAME" in err
    code, _out, err = run(capsys, "--interface", "wlan9")
    assert code == 1 and "no network connection called “wlan9” (it has: docker0, lab0, lo)" in err
    code, out, _err = run(capsys, "--list-interfaces")
    assert code == 0 and "lab0 (cable, 10.99.0.2/24, default)" in out and "docker0 (virtual" in out
    with pytest.raises(SystemExit):
        cli.main(["scan", "--seconds", "600"])
    assert "must be between 2 and 60" in capsys.readouterr().err


INTERRUPTED = """
import sys
from checks import cli, room_check
from checks.store import Store
from checks.network import interfaces, scan
from tests.netfixtures import by_protocol, interface, load
scan.SOURCES = by_protocol(load())
interfaces.list_interfaces = lambda: [interface()]
sys.exit(cli.main(["scan", "--seconds", "30", "--room", "Therapy room"]))
"""


def test_ctrl_c_stops_the_scan_and_shows_what_was_found() -> None:
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTED],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    while "Found:" not in proc.stderr.readline():
        pass
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, _err = proc.communicate(timeout=20)
    assert proc.returncode == 130 and time.monotonic() - started < 5
    assert "(stopped early)" in out and "Google Nest Mini" in out
    with Store() as store:  # a part of a scan is not saved, and says nothing of what is missing
        room = store.room("Therapy room")
        assert store.checks(room) == [] and store.known_devices(room) == []
