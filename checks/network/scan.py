"""A room scan: every discovery source at once, for a bounded time, merged into classified devices that are
streamed as they are found."""

from __future__ import annotations

import asyncio
import itertools
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from checks.network import classify, mdns, neighbours, signatures, ssdp, wsd
from checks.network.classify import Device
from checks.network.context import Context
from checks.network.interfaces import Interface, gateway_of
from checks.network.records import Sighting

DEFAULT_SECONDS = 5.0
MIN_SECONDS, MAX_SECONDS = 2.0, 60.0
NOT_PRESENT = (
    "A scan can only see devices on this network that announce themselves. A phone on mobile data, a "
    "camera on another network or a recorder with a memory card will not show up: not found does not mean "
    "not there. Look around the room too."
)

Emit = Callable[[Sighting], None]
Source = Callable[[Context, Emit], Awaitable[None]]
Progress = Callable[[int, int, str], None]
OnDevice = Callable[[Device, tuple[str, ...]], None]

SOURCES: dict[str, Source] = {
    "mdns": mdns.discover,
    "ssdp": ssdp.discover,
    "wsd": wsd.discover,
    "neighbours": neighbours.discover,
}
SOURCE_WORDS = {
    "mdns": "devices announcing their services (mDNS)",
    "ssdp": "devices answering a UPnP search (SSDP)",
    "wsd": "cameras and computers answering WS-Discovery",
    "neighbours": "this computer's neighbour table",
}

log = logging.getLogger(__name__)


@dataclass
class ScanResult:
    interface: str
    started: str  # ISO 8601, UTC
    seconds: float
    devices: list[Device] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # sources that could not run, in words
    cancelled: bool = False
    first_device_after: float | None = None  # seconds from the start
    last_change_after: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "interface": self.interface,
            "started": self.started,
            "seconds": self.seconds,
            "cancelled": self.cancelled,
            "problems": self.problems,
            "note": NOT_PRESENT,
            "devices": [d.to_dict() for d in self.devices],
        }


def order(devices: list[Device]) -> list[Device]:
    """Worst first; then devices that may listen or watch; then by name."""
    return sorted(
        devices, key=lambda d: (-d.severity.rank, not d.may_listen_or_watch, (d.name or d.label).casefold())
    )


class _Merger:
    """Keeps every sighting and rebuilds only the device a new sighting belongs to.

    Groups are joined as sightings arrive (a sighting that shares an address, a MAC address or a key with a
    group joins it, and joins groups it links), so each arrival costs the size of its own device, not of
    the whole network. Groups only grow while streaming; the final result regroups everything once."""

    def __init__(self, vendor_of: Callable[[str], str | None], on_device: OnDevice | None, started: float):
        self.vendor_of, self.on_device, self.started = vendor_of, on_device, started
        self.sightings: dict[str, Sighting] = {}
        self.owner: dict[str, str] = {}  # sighting ref -> device id
        self.shown: dict[str, dict[str, Any]] = {}  # device id -> what on_device last heard of it
        self.first: float | None = None
        self.last: float | None = None
        self._n = 0
        self._group_of_token: dict[str, int] = {}
        self._group_of_ref: dict[str, int] = {}
        self._groups: dict[int, set[str]] = {}  # group number -> sighting refs
        self._numbers = itertools.count()

    def _join(self, s: Sighting) -> list[Sighting]:
        """The sightings of s's device, s included, after joining every group s links."""
        mine = classify.tokens(s)
        linked = {self._group_of_token[t] for t in mine if t in self._group_of_token}
        if s.ref in self._group_of_ref:
            linked.add(self._group_of_ref[s.ref])
        if linked:
            target = max(linked, key=lambda g: len(self._groups[g]))
        else:
            target = next(self._numbers)
            self._groups[target] = set()
        for g in linked - {target}:  # the smaller groups move into the largest
            for ref in self._groups.pop(g):
                self._groups[target].add(ref)
                self._group_of_ref[ref] = target
                for t in classify.tokens(self.sightings[ref]):
                    self._group_of_token[t] = target
        self._groups[target].add(s.ref)
        self._group_of_ref[s.ref] = target
        for t in mine:
            self._group_of_token[t] = target
        return [self.sightings[r] for r in self._groups[target]]

    def add(self, s: Sighting) -> None:
        if not s.ref:
            self._n += 1
            s.ref = f"anon:{self._n}"
        if self.sightings.get(s.ref) == s:
            return
        self.sightings[s.ref] = s
        members = self._join(s)
        if not classify.standing(members):
            return
        device = classify.build(members, self.vendor_of)
        before = {self.owner[m.ref] for m in members if m.ref in self.owner}
        for m in members:
            self.owner[m.ref] = device.id
        now = time.monotonic() - self.started
        self.last = now
        if self.first is None:
            self.first = now
        replaced = tuple(sorted(before - {device.id}))
        summary = {k: v for k, v in device.to_dict().items() if k != "sightings"}
        if self.on_device is not None and (replaced or self.shown.get(device.id) != summary):
            self.shown[device.id] = summary
            for old in replaced:
                self.shown.pop(old, None)
            self.on_device(device, replaced)

    def devices(self) -> list[Device]:
        return order(classify.devices(list(self.sightings.values()), self.vendor_of))


def scan(
    interface: Interface,
    seconds: float = DEFAULT_SECONDS,
    *,
    cancel: threading.Event | None = None,
    on_device: OnDevice | None = None,
    progress: Progress | None = None,
    sources: dict[str, Source] | None = None,
    vendor_of: Callable[[str], str | None] = neighbours.vendor_of,
) -> ScanResult:
    """Listen for devices on `interface` for `seconds` (cancel stops early). `on_device(device, replaced)`
    is called, on this thread, each time a device is found or learnt more about; `replaced` lists the ids
    of devices it was merged from."""
    seconds = min(MAX_SECONDS, max(MIN_SECONDS, seconds))
    signatures.all_signatures()  # read and checked once, before the scan's clock starts
    result = ScanResult(interface.name, datetime.now(UTC).isoformat(timespec="seconds"), seconds)
    asyncio.run(_run(interface, seconds, cancel, on_device, progress, sources or SOURCES, vendor_of, result))
    return result


async def _run(
    interface: Interface,
    seconds: float,
    cancel: threading.Event | None,
    on_device: OnDevice | None,
    progress: Progress | None,
    sources: dict[str, Source],
    vendor_of: Callable[[str], str | None],
    result: ScanResult,
) -> None:
    started = time.monotonic()
    ctx = Context(interface, started + seconds, gateway=gateway_of(interface.name))
    merger = _Merger(vendor_of, on_device, started)

    def emit(s: Sighting) -> None:
        if s.protocol in ("mdns", "wsd"):
            ctx.heard.update(s.addresses)
        try:
            merger.add(s)
        except Exception:  # one odd answer must never end the scan
            log.exception("could not use a sighting")

    async def guarded(name: str, source: Source) -> None:
        try:
            await source(ctx, emit)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.debug("source %s failed", name, exc_info=True)
            result.problems.append(f"Could not check {SOURCE_WORDS.get(name, name)}: {exc}")

    tasks = [asyncio.ensure_future(guarded(n, s)) for n, s in sources.items()]
    total = int(seconds * 10)
    while not ctx.stopped:
        if cancel is not None and cancel.is_set():
            result.cancelled = True
            ctx.stop.set()
            break
        if progress is not None:
            done = min(total, int((time.monotonic() - started) * 10))
            count = len({merger.owner[r] for r in merger.sightings if r in merger.owner})
            progress(done, total, f"Listening for devices… {count} found so far")
        await ctx.wait(0.1)
    ctx.stop.set()
    _done, late = await asyncio.wait(tasks, timeout=1.0)
    for task in late:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    result.devices = merger.devices()
    result.problems += ctx.notes
    result.first_device_after, result.last_change_after = merger.first, merger.last
    if progress is not None:
        progress(total, total, f"Finished: {len(result.devices)} devices found")
