"""WS-Discovery: a multicast Probe that network cameras (ONVIF), Windows computers and printers answer.

Only the Probe is sent; the answers (ProbeMatches) say what the device is. No further request is made:
asking a camera for its details needs a password, and SafeSpace never logs in to anything.
"""

from __future__ import annotations

import asyncio
import re
import socket
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from defusedxml import ElementTree

from checks.network.context import Context
from checks.network.records import Sighting, bounded_fields, clip

GROUP, PORT = "239.255.255.250", 3702
MAX_DEVICES = 500
PROBE_AT = (0.0, 1.5)
SOAP = "http://www.w3.org/2003/05/soap-envelope"
WSA = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
WSD = "http://schemas.xmlsoap.org/ws/2005/04/discovery"
ONVIF_NVT = ("http://www.onvif.org/ver10/network/wsdl", "NetworkVideoTransmitter")
_NS_DECL = re.compile(rb'xmlns:([A-Za-z_][\w.\-]*)\s*=\s*"([^"]*)"')


def probe(message_id: str, types: tuple[str, str] | None = None) -> bytes:
    """A WS-Discovery Probe; with types, only devices of that type answer (some cameras need this)."""
    ns, wanted = ("", "")
    if types:
        ns = f' xmlns:dn="{types[0]}"'
        wanted = f"<wsd:Types>dn:{types[1]}</wsd:Types>"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<soap:Envelope xmlns:soap="{SOAP}" xmlns:wsa="{WSA}" xmlns:wsd="{WSD}"{ns}>'
        "<soap:Header>"
        f"<wsa:Action>{WSD}/Probe</wsa:Action>"
        f"<wsa:MessageID>{message_id}</wsa:MessageID>"
        "<wsa:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</wsa:To>"
        "</soap:Header>"
        f"<soap:Body><wsd:Probe>{wanted}</wsd:Probe></soap:Body>"
        "</soap:Envelope>"
    ).encode()


def _qualified(qname: str, prefixes: dict[str, str]) -> str:
    prefix, _, local = qname.rpartition(":")
    return f"{prefixes.get(prefix, prefix)}:{local}".lower() if prefix else local.lower()


def parse_matches(data: bytes, address: str, expected: set[str]) -> list[Sighting]:
    """The devices in one ProbeMatches message that answers one of our probes (`expected` message ids)."""
    root = ElementTree.fromstring(data, forbid_dtd=True)
    relates = root.findtext(f"{{{SOAP}}}Header/{{{WSA}}}RelatesTo")
    if relates is None or relates.strip() not in expected:
        return []
    prefixes = {p.decode(): u.decode() for p, u in _NS_DECL.findall(data)}
    found = []
    for match in root.iter(f"{{{WSD}}}ProbeMatch"):
        endpoint = (match.findtext(f"{{{WSA}}}EndpointReference/{{{WSA}}}Address") or "").strip()
        types = [_qualified(t, prefixes) for t in (match.findtext(f"{{{WSD}}}Types") or "").split()]
        scopes = (match.findtext(f"{{{WSD}}}Scopes") or "").split()
        fields: dict[str, str] = {
            "types": " ".join(types[:20]),
            "scopes": " ".join(s.lower() for s in scopes[:40]),
        }
        name = None
        for scope in scopes:
            low = scope.lower()
            for key, prefix in (
                ("hardware", "onvif://www.onvif.org/hardware/"),
                ("name", "onvif://www.onvif.org/name/"),
            ):
                if low.startswith(prefix):
                    fields[key] = unquote(scope[len(prefix) :]).replace("_", " ")
        name = fields.get("name")
        xaddrs = (match.findtext(f"{{{WSD}}}XAddrs") or "").split()
        if xaddrs:
            fields["xaddrs"] = " ".join(xaddrs[:4])
        fields = bounded_fields(fields)
        what = ", ".join(t.rsplit(":", 1)[-1] for t in types) or "no type"
        evidence = f"WS-Discovery: answers a probe as {clip(what)}" + (
            f", “{fields['name']}”" if name else ""
        )
        if fields.get("hardware"):
            evidence += f", hardware “{fields['hardware']}”"
        found.append(
            Sighting(
                protocol="wsd",
                addresses=(address,),
                name=fields.get("name"),
                keys=(f"wsd:{clip(endpoint).lower()}",) if endpoint else (),
                kind=fields["types"] or None,
                fields=fields,
                evidence=evidence,
                ref=f"wsd:{address}:{endpoint.lower()}",
            )
        )
    return found


class _Protocol(asyncio.DatagramProtocol):
    def __init__(self, handle: Callable[[bytes, str], None]):
        self.handle = handle

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        self.handle(data, addr[0])


async def discover(ctx: Context, emit: Callable[[Sighting], None]) -> None:
    ids = {f"urn:uuid:{uuid.uuid4()}" for _ in PROBE_AT for _ in range(2)}
    seen: set[str] = set()

    def handle(data: bytes, address: str) -> None:
        if ctx.stopped or not ctx.interface.on_local_network(address) or len(seen) >= MAX_DEVICES:
            return
        try:
            sightings = parse_matches(data, address, ids)
        except Exception:  # malformed or hostile XML: ignore that datagram
            return
        for s in sightings:
            seen.add(s.ref)
            emit(s)

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(ctx.interface.address))
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
    sock.bind((ctx.interface.address, 0))
    sock.setblocking(False)
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(lambda: _Protocol(handle), sock=sock)
    pending = sorted(ids)
    try:
        started = loop.time()
        for at in PROBE_AT:
            await ctx.wait(max(0.0, started + at - loop.time()))
            if ctx.stopped:
                break
            transport.sendto(probe(pending.pop()), (GROUP, PORT))
            transport.sendto(probe(pending.pop(), ONVIF_NVT), (GROUP, PORT))
        await ctx.wait()
    finally:
        transport.close()
