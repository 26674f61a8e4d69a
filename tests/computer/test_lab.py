"""Listening services seen for real: inside a network namespace this test makes (never on a real network),
one program listens on the namespace's own address and one on its loopback; the check tells them apart."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.netlab.lab import Lab

why_not = Lab.unavailable()
pytestmark = pytest.mark.skipif(why_not is not None, reason=f"network lab: {why_not}")

LISTEN = """
import socket, sys, time
held = []
for address, port in (("10.99.0.20", 445), ("127.0.0.1", 5900)):
    s = socket.socket()
    s.bind((address, port))
    s.listen()
    held.append(s)
print("ready", flush=True)
time.sleep(120)
"""


def test_a_share_open_to_the_network_and_a_loopback_listener_are_told_apart() -> None:
    with Lab() as lab:
        host = lab.host("pc", 20)
        lab.start(host, [sys.executable, "-c", LISTEN])
        done = lab.run(host, [str(Path(sys.executable).with_name("safespace")), "computer", "--json"])
    assert done.returncode == 0, done.stderr
    sharing = {f["id"]: f for f in json.loads(done.stdout)["areas"]["sharing"]}
    smb, vnc = sharing["computer.listening.smb"], sharing["computer.listening.vnc"]
    assert smb["severity"] == "high" and smb["title"].startswith("Windows file sharing (SMB) (python")
    assert smb["title"].endswith("is open to the network") and smb["data"]["addresses"] == ["10.99.0.20"]
    assert vnc["severity"] == "info" and vnc["title"].endswith("only this computer can connect")
    assert vnc["data"]["loopback_only"] is True
