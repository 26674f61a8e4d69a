"""What every discovery source gets: the interface, the time left, and a way to stop early."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field

from checks.network.interfaces import Interface


@dataclass
class Context:
    interface: Interface
    deadline: float  # time.monotonic() at which sources stop
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    gateway: str | None = None  # the default gateway's address on this interface, when known
    heard: set[str] = field(default_factory=set)  # addresses that answered mDNS or WS-Discovery
    notes: list[str] = field(default_factory=list)  # what the person should know about this scan, in words

    def remaining(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    @property
    def stopped(self) -> bool:
        return self.stop.is_set() or self.remaining() <= 0

    async def wait(self, seconds: float | None = None) -> None:
        """Sleep until the deadline, a stop, or `seconds` have passed, whichever comes first."""
        limit = self.remaining() if seconds is None else min(seconds, self.remaining())
        if limit <= 0:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stop.wait(), timeout=limit)
