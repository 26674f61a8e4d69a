"""Recorded discovery results, replayed in place of the real sources (no network at all)."""

from __future__ import annotations

import copy
import ipaddress
import json
from collections.abc import Callable, Iterable
from pathlib import Path

from checks.network.context import Context
from checks.network.interfaces import Interface
from checks.network.records import Sighting
from checks.network.scan import Source

FIXTURES = Path(__file__).with_name("fixtures") / "network"


def load(name: str = "lab_room") -> list[Sighting]:
    doc = json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))
    return [Sighting.from_dict(s) for s in doc["sightings"]]


def interface(name: str = "lab0", address: str = "10.99.0.2/24", **kw: object) -> Interface:
    values: dict = {
        "name": name,
        "index": 7,
        "up": True,
        "ipv4": (ipaddress.IPv4Interface(address),),
        "kind": "wired",
    }
    values.update(kw)
    return Interface(**values)


def replay(sightings: Iterable[Sighting], gap: float = 0.0, hang: bool = False) -> Source:
    """A source that emits the sightings (with `gap` seconds between them), then waits for the scan's end.
    With hang, it ignores the end, as a misbehaving source might."""
    items = list(sightings)

    async def source(ctx: Context, emit: Callable[[Sighting], None]) -> None:
        import asyncio

        for s in items:
            emit(copy.deepcopy(s))
            if gap:
                await ctx.wait(gap)
            if ctx.stop.is_set():
                return
        if hang:
            await asyncio.sleep(3600)
        await ctx.wait()

    return source


def by_protocol(sightings: list[Sighting]) -> dict[str, Source]:
    """One replaying source per protocol, as the real scan has."""
    protocols = sorted({s.protocol for s in sightings})
    return {p: replay([s for s in sightings if s.protocol == p]) for p in protocols}


CAMERA_ADDRESS = "10.99.0.50"


def seeded_room(name: str = "Therapy room") -> list[Sighting]:
    """A room that already knows its printer and its camera (from a check on 20 November). Returns what a
    scan hears today: everything but the camera, which is unplugged."""
    from checks.network import classify
    from checks.store import Store

    sightings = load()
    with Store() as store:
        room = store.room(name)
        seen = store.record_scan(
            room, classify.devices(sightings, lambda mac: None), when="2026-11-20T09:00:00+00:00"
        )
        store.accept(room, [d for d in seen if d.device_class in ("printer", "camera")])
    return [s for s in sightings if CAMERA_ADDRESS not in s.addresses]
