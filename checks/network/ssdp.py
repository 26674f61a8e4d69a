"""SSDP / UPnP: devices that answer a multicast search (TVs, speakers, routers, media servers, cameras).

After a search, each device's description is fetched, but only from the address that answered, only when
that address is on the local network and was also seen another way (it answered mDNS or WS-Discovery, or
this computer's neighbour table knows its hardware address: a UDP answer's source can be forged, and a
forger must not make SafeSpace send a request to any host it names), and only from a plain description
address (no query, no odd characters, a path ending in .xml or the root). With limits on size and time,
without following redirects, and parsed with defusedxml. Nothing else is ever sent to a device.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp.http_exceptions import InvalidHeader
from async_upnp_client import ssdp as upnp_ssdp
from async_upnp_client.search import SsdpSearchListener
from defusedxml import ElementTree

from checks.network.context import Context
from checks.network.neighbours import read_table
from checks.network.records import Sighting, bounded_fields, clip

MAX_DESCRIPTION = 256 * 1024
FETCH_SECONDS = 2.0
MAX_DEVICES = 500
MX = 1  # seconds devices may wait before answering
SEARCH_AT = (0.0, 1.0, 2.5)  # seconds after the start: a lost datagram gets two more chances
_DESCRIPTION_FIELDS = ("friendlyName", "manufacturer", "modelName", "modelNumber", "deviceType")

log = logging.getLogger(__name__)


# A description's path: the root, or folders and a file ending in .xml; and Samsung TVs' "/dmr".
_PLAIN_PATH = re.compile(r"^/(?:(?:[A-Za-z0-9_.~-]+/)*(?:[A-Za-z0-9_.~-]+\.xml)?|dmr/?)$", re.IGNORECASE)
MAX_LOCATION = 256


_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ODD_NOTE = "_safespace_odd"


def lenient(decode: Callable[..., tuple[str, Any]]) -> Callable[..., tuple[str, Any]]:
    """The library's SSDP decoder, made to keep an answer with a control character in a header (it drops
    such an answer whole, and the device would vanish): the characters become '?' and the answer says so."""

    def decode_kept(data: bytes, local_addr: Any, remote_addr: Any) -> tuple[str, Any]:
        try:
            return decode(data, local_addr, remote_addr)
        except InvalidHeader:
            cleaned = _CONTROL.sub(b"?", data)
            if cleaned == data:
                raise
            line, headers = decode(cleaned, local_addr, remote_addr)
            return line, headers.combine_lower_dict({ODD_NOTE: "yes"})

    return decode_kept


def description_allowed(location: str, responder: str, ctx: Context) -> str | None:
    """None when the description may be fetched; otherwise the reason it is not."""
    if len(location) > MAX_LOCATION or not location.isascii() or not location.isprintable():
        return "its description address is too long or holds odd characters"
    try:
        url = urlsplit(location)
        host = url.hostname
        port = url.port
    except ValueError:
        return "its description address is not a valid web address"
    if url.scheme != "http" or not host:
        return "its description address is not a plain local web address"
    if url.username or url.password or url.query or url.fragment or ".." in url.path:
        return "its description address looks crafted (it is not a plain description path)"
    if (port is not None and not 1 <= port <= 65535) or not _PLAIN_PATH.match(url.path or "/"):
        return "its description address looks crafted (it is not a plain description path)"
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
    odd: bool = False  # its answer held control characters (kept, shown as '?')

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
        if self.odd:
            evidence += "; its answer held control characters, shown as '?'"
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
        if not await corroborated(dev.address):
            dev.problem = (
                "its description was not fetched: nothing else confirmed that a device is at the address "
                "that answered (the answer's source can be forged)"
            )
            emit(dev.sighting())
            return
        try:
            dev.description = parse_description(
                await fetch(session, location, min(FETCH_SECONDS, ctx.remaining()))
            )
            if dev.udn is None and dev.description.get("udn", "").lower().startswith("uuid:"):
                dev.udn = dev.description["udn"].lower()
        except ElementTree.ParseError:
            dev.problem = "its description is not valid XML"
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            dev.problem = f"{exc}" if isinstance(exc, ValueError) else "the device did not send it in time"
        except Exception as exc:  # defusedxml refusals and other hostile content
            dev.problem = f"it was refused as unsafe ({type(exc).__name__})"
        emit(dev.sighting())

    async def corroborated(address: str) -> bool:
        """Whether another source heard this address, or the neighbour table knows its hardware address
        (a device that answers us has asked for ours, so a real one is there). Waits a little for them."""
        for _ in range(4):
            if address in ctx.heard:
                return True
            entries = await asyncio.get_running_loop().run_in_executor(None, read_table)
            if any(a == address and mac and state != "FAILED" for a, mac, _dev, state in entries):
                return True
            await ctx.wait(0.25)
        return address in ctx.heard

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
        dev.odd = dev.odd or bool(get(ODD_NOTE))
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

    if not getattr(upnp_ssdp.decode_ssdp_packet, "safespace", False):
        kept = lenient(upnp_ssdp.decode_ssdp_packet)
        kept.safespace = True  # type: ignore[attr-defined]
        upnp_ssdp.decode_ssdp_packet = kept  # the library's protocol looks it up in its module
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
