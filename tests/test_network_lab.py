"""Room scans against real protocol peers, in network namespaces this test builds and removes.

Nothing here touches a real interface. Skipped, with the reason, where namespaces cannot be made.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.netlab import world
from tests.netlab.lab import Lab

SAFESPACE = str(Path(sys.executable).with_name("safespace"))
SECONDS = 4

why_not = Lab.unavailable()
pytestmark = pytest.mark.skipif(why_not is not None, reason=f"network lab: {why_not}")


@pytest.fixture(scope="module")
def lab() -> Iterator[tuple[Lab, dict]]:
    with Lab() as built:
        hosts = world.build(built)
        yield built, hosts


def scan(lab: tuple[Lab, dict], *args: str) -> tuple[dict, str, float]:
    built, hosts = lab
    started = time.monotonic()
    done = built.run(
        hosts["scan"], [SAFESPACE, "scan", "--interface", "lab0", "--seconds", str(SECONDS), "--json", *args]
    )
    took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), done.stderr, took


def by_name(doc: dict) -> dict[str, dict]:
    return {d["name"]: d for d in doc["devices"]}


def test_every_peer_is_found_and_classified_in_time(lab) -> None:
    doc, live, took = scan(lab)
    assert took < SECONDS + 3, "bounded in time (with the program's start)"
    assert doc["interface"] == "lab0" and doc["room"] is None and not doc["problems"]
    devices = by_name(doc)
    speaker = devices["Therapy Room"]
    assert (speaker["class"], speaker["microphone"], speaker["camera"]) == ("smart_speaker", True, False)
    assert speaker["label"] == "Google Nest Mini" and speaker["confidence"] == "high"
    assert speaker["addresses"][0] == "10.99.0.30" and speaker["mac"]
    assert speaker["findings"][0]["title"].startswith("Google Nest Mini, “Therapy Room”: a smart speaker")

    volumio = next(d for d in doc["devices"] if any("_Volumio._tcp" in e for e in d["evidence"]))
    assert "10.99.0.30" in volumio["addresses"], "a service type with capitals is found"

    phone = devices["Jane Smith's iPhone"]
    assert phone["class"] == "phone" and phone["addresses"] == ["10.99.0.31"]
    assert any(f["id"] == "room.names_person" and f["severity"] == "high" for f in phone["findings"])

    tv = devices["Living Room TV"]
    assert (tv["class"], tv["label"]) == ("tv", "Samsung TV")
    assert any("Samsung Electronics UE55TU7100" in e for e in tv["evidence"])

    camera = devices["HIKVISION"]
    assert (camera["class"], camera["camera"]) == ("camera", True)
    assert camera["id"] == "wsd:urn:uuid:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"

    if "printer" in lab[1]:
        printer = devices["Reception Printer"]
        assert (printer["class"], printer["microphone"], printer["camera"]) == ("printer", False, False)
        assert printer["label"] == "Brother HL-L2350DW series"
    found = [line for line in live.splitlines() if line.startswith("Found: ")]
    assert len(found) == len(doc["devices"]), "one live line per device, as it appears"
    for d in doc["devices"]:
        assert any(d["addresses"][0] in line for line in found)
    assert "not found does not mean not there" in doc["note"]


def test_hostile_peers_are_contained(lab) -> None:
    built, _hosts = lab
    doc, _live, _took = scan(lab)
    odd = next(d for d in doc["devices"] if "10.99.0.60" in d["addresses"])
    # HTML in a name stays literal text; many long TXT values are cut down.
    assert odd["name"] == world.HOSTILE_NAME
    mdns = next(s for s in odd["sightings"] if s["protocol"] == "mdns")
    assert len(mdns["fields"]) <= 40 and all(len(v) <= 200 for v in mdns["fields"].values())
    # The UPnP description was announced at another address: it was not fetched from there.
    assert any("different address from the one that answered" in e for e in odd["evidence"])
    http = next(p for p in built.procs if "http" in p.args and "10.99.0.61" in p.args)
    assert http.poll() is None, "the address it pointed to was up, and would have answered"
    assert not _requests_seen(http), "the counter prints each request it gets; there must be none"


def _requests_seen(proc: subprocess.Popen[str]) -> list[str]:
    import select

    seen = []
    assert proc.stdout is not None
    while select.select([proc.stdout], [], [], 0.2)[0]:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line)
    return [line for line in seen if line.startswith("GET")]


def test_a_device_heard_over_ipv6_only_is_found(lab) -> None:
    doc, _live, _took = scan(lab)
    tv = by_name(doc)["Waiting Room"]
    assert (tv["label"], tv["class"]) == ("Apple TV", "tv")
    assert tv["addresses"] and all(a.startswith("fe80::") for a in tv["addresses"])
    assert tv["mac"] and any(e.startswith("Neighbour table: fe80::") for e in tv["evidence"])
    others = [d for d in doc["devices"] if d is not tv and set(d["addresses"]) & set(tv["addresses"])]
    assert not others, "its neighbour-table entry joined the same record"


def test_a_room_remembers_its_devices_and_notices_what_is_new_or_missing(lab) -> None:
    """Last in this file: it unplugs the camera."""
    built, hosts = lab
    first, _, _ = scan(lab, "--room", "Therapy room", "--accept-new")
    assert first["room"] == "Therapy room"
    assert {d["status"] for d in first["devices"]} == {"new"}
    second, _, _ = scan(lab, "--room", "Therapy room")
    assert {d["status"] for d in second["devices"]} == {"known"}
    assert all(d["first_seen"] <= d["last_seen"] for d in second["devices"])
    # The camera is unplugged (its link goes down, and the scanner's neighbour entry for it is forgotten):
    # the next check says it is missing.
    camera_peer = next(p for p in built.procs if "wsd" in p.args)
    camera_peer.terminate()
    camera_peer.wait(5)
    for ns, command in (
        (hosts["camera"].ns, ["link", "set", "lab0", "down"]),
        (hosts["scan"].ns, ["neigh", "flush", "dev", "lab0"]),
    ):
        subprocess.run(["ip", "-n", ns, *command], check=True)
    third, _, _ = scan(lab, "--room", "Therapy room")
    status = {d["name"]: d["status"] for d in third["devices"]}
    assert status["HIKVISION"] == "missing" and status["Therapy Room"] == "known"
