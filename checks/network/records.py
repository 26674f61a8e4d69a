"""What one discovery protocol said about one device: a Sighting. Sightings are merged into devices.

Every string here came from the network and is untrusted: shown as plain text, escaped in reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from checks.text import one_line

MAX_TEXT = 200  # characters kept of any one announced value
MAX_FIELDS = 40  # announced key/value pairs kept per sighting

_MAC = re.compile(
    r"^([0-9a-f]{2})([:-]?)([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})$"
)


def clip(value: object) -> str:
    """An announced value as bounded text: control characters replaced, long values cut."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return one_line(value, MAX_TEXT)


def norm_mac(value: str | None) -> str | None:
    """aa:bb:cc:dd:ee:ff, or None when the value is not a usable MAC address."""
    if not value:
        return None
    m = _MAC.match(value.strip().lower())
    if m is None:
        # macOS prints leading zeros away: 0:11:2:33:4:55
        parts = re.split(r"[:-]", value.strip().lower())
        if len(parts) != 6 or not all(re.fullmatch(r"[0-9a-f]{1,2}", p) for p in parts):
            return None
        octets = [p.zfill(2) for p in parts]
    else:
        octets = [m.group(i) for i in (1, 3, 4, 5, 6, 7)]
    mac = ":".join(octets)
    if mac in ("00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff") or int(octets[0], 16) & 1:
        return None  # empty, broadcast or multicast
    return mac


def is_randomised(mac: str) -> bool:
    """A locally administered address (bit 0x02 of the first octet): phones make one up per network."""
    return bool(int(mac[:2], 16) & 0x02)


@dataclass
class Sighting:
    protocol: str  # "mdns", "ssdp", "wsd", "neighbours"
    addresses: tuple[str, ...] = ()
    name: str | None = None  # the name the device announces (a friendly name, or an instance name)
    host: str | None = None  # its host name (mDNS server name)
    mac: str | None = None
    keys: tuple[str, ...] = ()  # stable identifiers: "udn:…", "wsd:…", "host:…", "cast:…"
    kind: str | None = None  # service type, UPnP device type or WS-Discovery types
    fields: dict[str, str] = field(default_factory=dict)  # TXT record, description fields, scopes
    evidence: str = ""  # one plain line of what was heard
    port: int | None = None  # the service's port (mDNS), for the curious: nothing ever connects to it
    ref: str = ""  # what it answers for ("mdns:<instance>"): a later sighting with the same ref replaces it

    def to_dict(self) -> dict[str, Any]:
        return {
            "protocol": self.protocol,
            "addresses": list(self.addresses),
            "name": self.name,
            "host": self.host,
            "mac": self.mac,
            "keys": list(self.keys),
            "kind": self.kind,
            "fields": dict(self.fields),
            "evidence": self.evidence,
            "port": self.port,
            "ref": self.ref,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Sighting:
        return cls(
            protocol=str(d["protocol"]),
            addresses=tuple(d.get("addresses", ())),
            name=d.get("name"),
            host=d.get("host"),
            mac=d.get("mac"),
            keys=tuple(d.get("keys", ())),
            kind=d.get("kind"),
            fields=dict(d.get("fields", {})),
            evidence=d.get("evidence", ""),
            port=d.get("port"),
            ref=d.get("ref", ""),
        )


def bounded_fields(pairs: dict[Any, Any]) -> dict[str, str]:
    """At most MAX_FIELDS announced pairs, keys lower-cased, values clipped; empty keys dropped."""
    out: dict[str, str] = {}
    for key, value in pairs.items():
        k = clip(key).lower()
        if not k or k in out:
            continue
        out[k] = clip(value) if value is not None else ""
        if len(out) >= MAX_FIELDS:
            break
    return out
