"""A busy network: mDNS resolves are asked a few at a time, asked again when no answer came, the socket gets a
larger receive buffer, and instances whose details never came are told to the person. The resolver is replaced
by a fake here (no packets); the namespace lab measures the real thing (make bench)."""

from __future__ import annotations

import asyncio
import socket
import time
from types import SimpleNamespace
from typing import Any, ClassVar

import pytest

from checks.network import mdns
from checks.network.context import Context
from checks.network.interfaces import Interface
from checks.network.records import Sighting


class FakeInfo:
    """Answers after a short delay; names in `silent` never answer, those in `late` only the second time."""

    in_flight = 0
    most = 0
    asked: ClassVar[dict[str, int]] = {}
    silent: ClassVar[set[str]] = set()
    late: ClassVar[set[str]] = set()

    def __init__(self, type_: str, name: str) -> None:
        self.type_, self.name = type_, name
        self.server = f"{name.split('.')[0].lower()}.local."
        self.port = 80
        self.decoded_properties: dict[str, str] = {}
        self.answered = False

    async def async_request(self, zc: Any, timeout_ms: int) -> bool:
        cls = FakeInfo
        cls.asked[self.name] = cls.asked.get(self.name, 0) + 1
        cls.in_flight += 1
        cls.most = max(cls.most, cls.in_flight)
        try:
            await asyncio.sleep(0.01)
        finally:
            cls.in_flight -= 1
        self.answered = not (self.name in cls.silent or (self.name in cls.late and cls.asked[self.name] == 1))
        return self.answered

    def parsed_scoped_addresses(self) -> list[str]:
        return ["192.168.1.9"] if self.answered else []


def _context(seconds: float) -> Context:
    iface = Interface("lab0", 2, True)
    return Context(iface, time.monotonic() + seconds)


async def _run(names: list[str], seconds: float) -> tuple[list[Sighting], mdns._Browse, Context]:
    ctx = _context(seconds)
    seen: list[Sighting] = []
    run = mdns._Browse(ctx, SimpleNamespace(zeroconf=None), seen.append)  # type: ignore[arg-type]
    for n in names:
        run.on_change(None, "_ipp._tcp.local.", n, mdns.ServiceStateChange.Added)  # type: ignore[arg-type]
    await ctx.wait(seconds)
    return seen, run, ctx


@pytest.fixture(autouse=True)
def fake(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mdns, "AsyncServiceInfo", FakeInfo)
    FakeInfo.in_flight = FakeInfo.most = 0
    FakeInfo.asked.clear()
    FakeInfo.silent.clear()
    FakeInfo.late.clear()


def test_only_a_few_resolves_are_in_flight_at_once() -> None:
    names = [f"Printer {i}._ipp._tcp.local." for i in range(200)]
    seen, _, _ = asyncio.run(_run(names, 1.5))
    assert len(seen) == 200
    assert FakeInfo.most == mdns.IN_FLIGHT


def test_an_instance_that_did_not_answer_is_asked_again() -> None:
    FakeInfo.late.add("Late._ipp._tcp.local.")
    seen, run, _ = asyncio.run(_run(["Late._ipp._tcp.local.", "Quick._ipp._tcp.local."], 1.0))
    assert {s.name for s in seen} == {"Late", "Quick"}
    assert FakeInfo.asked["Late._ipp._tcp.local."] == 2 and FakeInfo.asked["Quick._ipp._tcp.local."] == 1
    assert run.unanswered() == 0


def test_an_instance_that_never_answers_is_asked_a_bounded_number_of_times_and_counted() -> None:
    FakeInfo.silent.add("Mute._ipp._tcp.local.")
    seen, run, _ = asyncio.run(_run(["Mute._ipp._tcp.local."], 2.0))
    assert seen == [] and FakeInfo.asked["Mute._ipp._tcp.local."] == mdns.TRIES
    assert run.unanswered() == 1


def test_the_receive_buffer_is_enlarged_on_the_librarys_sockets() -> None:
    socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(2)]
    try:
        before = socks[0].getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
        engine = SimpleNamespace(_listen_socket=socks[0], _respond_sockets=[socks[1]])
        mdns.enlarge_receive_buffer(SimpleNamespace(zeroconf=SimpleNamespace(engine=engine)), 1 << 20)  # type: ignore[arg-type]
        for s in socks:
            assert s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF) > before
    finally:
        for s in socks:
            s.close()
