"""SSDP / UPnP: devices that answer a multicast search (TVs, speakers, routers, media servers, cameras).

After a search, each device's description is fetched, but only from the address that answered and only when
that address is on the local network; with limits on size and time, without following redirects, and parsed
with defusedxml. Nothing else is ever sent to a device.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import aiohttp
from async_upnp_client.search import SsdpSearchListener
from defusedxml import ElementTree

from checks.network.context import Context
from checks.network.records import Sighting, bounded_fields, clip

MAX_DESCRIPTION = 256 * 1024
FETCH_SECONDS = 2.0
MAX_DEVICES = 500
MX = 1  # seconds devices may wait before answering
SEARCH_AT = (0.0, 1.0, 2.5)  # seconds after the start: a lost datagram gets two more chances
_DESCRIPTION_FIELDS = ("friendlyName", "manufacturer", "modelName", "modelNumber", "deviceType")

log = logging.getLogger(__name__)


def description_allowed(location: str, responder: str, ctx: Context) -> str | None:
    """None when the description may be fetched; otherwise the reason it is not."""
    try:
        url = urlsplit(location)
        host = url.hostname
    except ValueError:
        return "its description address is not a valid web address"
    if url.scheme != "http" or not host:
        return "its description address is not a plain local web address"
    if host != responder:
        return "its description is on a different address from the one that answered"
    if not ctx.interface.on_local_network(host):
        return "its address is outside the local network"
    return None


def parse_description(xml: bytes) -> dict[str, str]:
    """The root device's identity, and every device and service type it lists (embedded ones included)."""
    root = ElementTree.fromstring(xml, forbid_dtd=True)
    ns = ""
    if root.tag.startswith("{"):
        ns = root.tag[: root.tag.index("}") + 1]
    device = root.find(f"{ns}device")
    if device is None:
        raise ValueError("no <device> in the description")
    out = {}
    for name in (*_DESCRIPTION_FIELDS, "UDN"):
        value = device.findtext(f"{ns}{name}")
        if value and value.strip():
            out[name.lower()] = value.strip()
    types = [
        t.strip()
        for tag in ("deviceType", "serviceType")
        for t in (e.text for e in root.iter(f"{ns}{tag}"))
        if t
    ]
    out["types"] = " ".join(dict.fromkeys(types))
    return bounded_fields(out)


async def fetch(session: aiohttp.ClientSession, location: str, seconds: float) -> bytes:
    timeout = aiohttp.ClientTimeout(total=seconds)
    async with session.get(location, allow_redirects=False, timeout=timeout) as resp:
        if resp.status != 200:
            raise ValueError(f"the device answered HTTP {resp.status}")
        body = await resp.content.read(MAX_DESCRIPTION + 1)
        if len(body) > MAX_DESCRIPTION:
            raise ValueError("its description is too large")
        return body


@dataclass
class _Device:
    address: str
    udn: str | None
    headers: dict[str, str] = field(default_factory=dict)
    types: dict[str, None] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    problem: str | None = None
    fetching: bool = False

    def sighting(self) -> Sighting:
        d = self.description
        types = dict(self.types)
        types.update(dict.fromkeys(d.get("types", "").split()))
        fields = bounded_fields({**self.headers, **{k: v for k, v in d.items() if k != "types"}})
        fields["types"] = clip(" ".join(list(types)[:30]))
        name = d.get("friendlyname")
        made = " ".join(x for x in (d.get("manufacturer"), d.get("modelname")) if x)
        evidence = (
            "UPnP: answers a search" + (f" as “{name}”" if name else "") + (f" ({made})" if made else "")
        )
        if self.problem:
            evidence += f"; description not read: {self.problem}"
        keys = (f"udn:{self.udn}",) if self.udn else ()
        return Sighting(
            protocol="ssdp",
            addresses=(self.address,),
            name=name,
            keys=keys,
            kind=d.get("devicetype") or self.headers.get("st"),
            fields=fields,
            evidence=evidence,
            ref=f"ssdp:{self.address}:{self.udn or ''}",
        )


def _udn(usn: str) -> str | None:
    head = usn.split("::", 1)[0].strip().lower()
    return clip(head) if head.startswith("uuid:") else None


async def discover(ctx: Context, emit: Callable[[Sighting], None]) -> None:
    devices: dict[tuple[str, str | None], _Device] = {}
    tasks: set[asyncio.Task[None]] = set()
    session = aiohttp.ClientSession(trust_env=False, connector=aiohttp.TCPConnector(limit_per_host=2))

    async def describe(dev: _Device, location: str) -> None:
        try:
            dev.description = parse_description(
                await fetch(session, location, min(FETCH_SECONDS, ctx.remaining()))
            )
            if dev.udn is None and dev.description.get("udn", "").lower().startswith("uuid:"):
                dev.udn = dev.description["udn"].lower()
        except (aiohttp.ClientError, TimeoutError, ValueError, ElementTree.ParseError) as exc:
            dev.problem = f"{exc}" if isinstance(exc, ValueError) else "the device did not send it in time"
        except Exception as exc:  # defusedxml refusals and other hostile content
            dev.problem = f"it was refused as unsafe ({type(exc).__name__})"
        emit(dev.sighting())

    def on_response(headers: object) -> None:
        get = headers.get  # type: ignore[attr-defined]
        remote = get("_remote_addr") or ("", 0)
        address = str(remote[0])
        if not address or not ctx.interface.on_local_network(address) or ctx.stopped:
            return
        udn = _udn(str(get("usn", "")))
        key = (address, udn)
        dev = devices.get(key)
        if dev is None:
            if len(devices) >= MAX_DEVICES:
                return
            dev = devices[key] = _Device(address, udn)
        st = clip(get("st", "") or get("nt", ""))
        fresh = bool(st) and st not in dev.types
        if st:
            dev.types[st] = None
        for name in ("st", "server", "location"):
            if get(name) and name not in dev.headers:
                dev.headers[name] = clip(get(name))
        location = str(get("location", ""))
        if not dev.fetching and location:
            dev.fetching = True
            dev.problem = description_allowed(location, address, ctx)
            if dev.problem is None:
                task = asyncio.ensure_future(describe(dev, location))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
                return
        if fresh or len(dev.types) == 1:
            emit(dev.sighting())

    listener = SsdpSearchListener(callback=on_response, source=(ctx.interface.address, 0), timeout=MX)
    try:
        await listener.async_start()
        started = asyncio.get_running_loop().time()
        for at in SEARCH_AT:
            await ctx.wait(max(0.0, started + at - asyncio.get_running_loop().time()))
            if ctx.stopped:
                break
            listener.async_search()
        await ctx.wait()
    finally:
        listener.async_stop()
        for task in list(tasks):
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await session.close()
