"""mDNS / DNS-SD (Bonjour, Avahi): devices announcing their services on the local network.

Enumerates the service types on the network (`_services._dns-sd._udp.local.`) and also browses a fixed
watch list, since some devices do not answer the enumeration; resolves each instance it hears.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable, Coroutine

from zeroconf import IPVersion, ServiceStateChange, Zeroconf
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

from checks.network import signatures
from checks.network.context import Context
from checks.network.records import Sighting, bounded_fields, clip, norm_mac

ENUMERATE = "_services._dns-sd._udp.local."
MAX_TYPES = 200  # service types followed per scan; a hostile network could announce thousands
MAX_INSTANCES = 2000
RESOLVE_MS = 1500
# A busy network: hundreds of instances arrive within a fraction of a second. Resolving them all at once
# floods the socket (the kernel drops the answers), so only this many are asked at a time, a failed one is
# asked again while the scan lasts, and the socket gets a larger receive buffer.
IN_FLIGHT = 16
TRIES = 3
RECEIVE_BUFFER = 4 * 1024 * 1024
_EXTRA_WATCH = ("_http._tcp", "_googlezone._tcp", "_nvstream._tcp", "_mediaremotetv._tcp", "_touch-able._tcp")

log = logging.getLogger(__name__)


def watch_list() -> list[str]:
    """The service types browsed whether or not the network lists them."""
    types = {s.match["mdns_type"] for s in signatures.all_signatures() if "mdns_type" in s.match}
    return sorted(f"{t}.local." for t in types | set(_EXTRA_WATCH))


def sighting_from(type_: str, name: str, info: AsyncServiceInfo) -> Sighting:
    """What one resolved service instance says. `name` is the full instance name."""
    kind = type_.removesuffix(".local.").rstrip(".")
    instance = clip(name.removesuffix("." + type_).removesuffix(type_)) or None
    fields = bounded_fields(info.decoded_properties)
    host = clip(info.server).lower() if info.server else None
    keys = []
    if host:
        keys.append(f"host:{host}")
    if kind == "_googlecast._tcp" and fields.get("id"):
        keys.append(f"cast:{fields['id'].lower()}")
    mac = norm_mac(fields.get("deviceid")) or norm_mac(fields.get("macaddress"))
    model = next((fields[k] for k in ("md", "model", "am", "rpmd", "ty") if fields.get(k)), None)
    evidence = f"mDNS: announces {kind}" + (f" as “{instance}”" if instance else "")
    if info.port:
        evidence += f" on port {info.port}"
    if model:
        evidence += f", model “{model}”"
    return Sighting(
        protocol="mdns",
        addresses=tuple(dict.fromkeys(a.split("%", 1)[0] for a in info.parsed_scoped_addresses())),
        port=info.port,
        name=instance,
        host=host,
        mac=mac,
        keys=tuple(keys),
        kind=kind,
        fields=fields,
        evidence=evidence,
        ref=f"mdns:{name.lower()}",
    )


class _Browse:
    def __init__(self, ctx: Context, aiozc: AsyncZeroconf, emit: Callable[[Sighting], None]):
        self.ctx, self.aiozc, self.emit = ctx, aiozc, emit
        self.types: set[str] = set()
        self.resolving: set[str] = set()
        self.browsers: list[AsyncServiceBrowser] = []
        self.tasks: set[asyncio.Task[None]] = set()
        self.gate = asyncio.Semaphore(IN_FLIGHT)
        self.resolved: set[str] = set()

    def browse(self, types: list[str]) -> None:
        fresh = [t for t in types if t not in self.types][: MAX_TYPES - len(self.types)]
        if not fresh:
            return
        self.types.update(fresh)
        self.browsers.append(AsyncServiceBrowser(self.aiozc.zeroconf, fresh, handlers=[self.on_change]))

    def on_change(
        self, zeroconf: Zeroconf, service_type: str, name: str, state_change: ServiceStateChange
    ) -> None:
        if state_change is ServiceStateChange.Removed:
            return
        if service_type == ENUMERATE:
            found = name.lower()
            if found.endswith((".local.", ".local")) and "._" in found:
                type_ = name if name.endswith(".") else name + "."
                self.browse([type_])
                self.later(self.recase(type_))
            return
        if name in self.resolving or len(self.resolving) >= MAX_INSTANCES:
            return
        self.resolving.add(name)
        task = asyncio.ensure_future(self.resolve(service_type, name))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def later(self, job: Coroutine[None, None, None]) -> None:
        task = asyncio.ensure_future(job)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def recase(self, type_: str) -> None:
        """Browse a service type in the case its devices answer in. A type with capitals
        (`_Volumio._tcp`) can reach us lower-cased in the list of types, while its devices' answers keep
        the capitals, and a browser matches the case exactly: the answers it drew are in the cache."""
        from zeroconf.const import _CLASS_IN, _TYPE_PTR

        for pause in (0.3, 0.6, 1.2, 2.4):
            await self.ctx.wait(pause)
            if self.ctx.stopped:
                return
            cache = self.aiozc.zeroconf.cache
            spelled = {r.name for r in cache.async_all_by_details(type_, _TYPE_PTR, _CLASS_IN)}
            self.browse(sorted(spelled - {type_}))

    async def resolve(self, type_: str, name: str) -> None:
        """Ask for one instance's details, a few at a time, again after a pause when no answer came."""
        for attempt in range(TRIES):
            async with self.gate:
                remaining = int(self.ctx.remaining() * 1000)
                if remaining <= 50:
                    return
                info = AsyncServiceInfo(type_, name)
                try:
                    ok = await info.async_request(self.aiozc.zeroconf, min(RESOLVE_MS, remaining))
                except Exception as exc:  # a malformed answer must not end the scan
                    log.debug("mDNS resolve of %r failed: %s", name, exc)
                    return
            if ok or info.parsed_scoped_addresses():
                self.resolved.add(name)
                self.emit(sighting_from(type_, name, info))
                return
            await self.ctx.wait(0.2 * (attempt + 1))

    def unanswered(self) -> int:
        """Instances that were announced but whose details never came."""
        return len(self.resolving - self.resolved)


def enlarge_receive_buffer(aiozc: AsyncZeroconf, size: int = RECEIVE_BUFFER) -> None:
    """Ask for a larger receive buffer on the library's sockets (the system may grant less)."""
    engine = aiozc.zeroconf.engine
    sockets = [getattr(engine, "_listen_socket", None), *getattr(engine, "_respond_sockets", [])]
    for sock in sockets:
        if sock is None:
            continue
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, size)
        except OSError as exc:
            log.debug("could not enlarge the mDNS receive buffer: %s", exc)


async def discover(ctx: Context, emit: Callable[[Sighting], None]) -> None:
    iface = ctx.interface
    choice: list[str | int] = [iface.address]
    version = IPVersion.V4Only
    if iface.link_local_v6 and iface.index:
        choice.append(iface.index)
        version = IPVersion.All
    try:
        aiozc = AsyncZeroconf(interfaces=choice, ip_version=version)
    except OSError:
        aiozc = AsyncZeroconf(interfaces=[iface.address], ip_version=IPVersion.V4Only)
    enlarge_receive_buffer(aiozc)
    run = _Browse(ctx, aiozc, emit)
    try:
        run.browse([ENUMERATE, *watch_list()])
        await ctx.wait()
        missing = run.unanswered()
        if missing:
            ctx.notes.append(
                f"{missing} {'device was' if missing == 1 else 'devices were'} heard announcing "
                "themselves but did not send their details in time (a busy network): scan again to see "
                f"{'it' if missing == 1 else 'them'}."
            )
    finally:
        for task in list(run.tasks):
            task.cancel()
        for browser in run.browsers:
            await browser.async_cancel()
        await aiozc.async_close()
