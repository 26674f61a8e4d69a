"""Services listening on this computer: which programs accept connections, and whether from the network or
only from this computer itself."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import psutil

from checks.computer.common import DataError, cannot, need_date, need_text, read
from checks.model import Finding, Severity

AREA = "sharing"


@dataclass(frozen=True)
class Listener:
    address: str
    port: int
    protocol: str  # "tcp"
    pid: int | None
    program: str | None

    @property
    def loopback_only(self) -> bool:
        try:
            return ipaddress.ip_address(self.address.split("%", 1)[0]).is_loopback
        except ValueError:
            return False


@dataclass(frozen=True)
class Service:
    id: str
    ports: tuple[int, ...]
    protocol: str
    name: str
    kind: str


def validate(doc: Any) -> tuple[dict[str, dict[str, str]], list[Service]]:
    if (
        not isinstance(doc, dict)
        or not isinstance(doc.get("kinds"), dict)
        or not isinstance(doc.get("services"), list)
    ):
        raise DataError("services.json: expected 'kinds' and 'services'")
    kinds = doc["kinds"]
    for kid, k in kinds.items():
        need_text(k, ("says", "advice"), f"services.json: kind {kid}")
        if k.get("severity") not in [s.value for s in Severity]:
            raise DataError(f"services.json: kind {kid}: unknown severity")
    if "other" not in kinds:
        raise DataError("services.json: needs the kind 'other'")
    out, ids = [], set()
    for n, s in enumerate(doc["services"], start=1):
        where = f"services.json: service {n}"
        need_text(s, ("id", "service", "kind", "source"), where)
        need_date(s.get("last_verified"), where)
        if s["id"] in ids:
            raise DataError(f"{where}: id {s['id']!r} is used twice")
        ids.add(s["id"])
        if s["kind"] not in kinds:
            raise DataError(f"{where}: unknown kind {s['kind']!r}")
        if (
            s.get("protocol") != "tcp"
            or not s.get("ports")
            or not all(isinstance(p, int) and 0 < p < 65536 for p in s["ports"])
        ):
            raise DataError(f"{where}: needs tcp ports between 1 and 65535")
        out.append(Service(s["id"], tuple(s["ports"]), "tcp", s["service"], s["kind"]))
    return kinds, out


@cache
def table() -> tuple[dict[str, dict[str, str]], dict[int, Service]]:
    kinds, services = validate(read("services.json"))
    return kinds, {p: s for s in services for p in s.ports}


def listeners(connections: Callable[[], list[Any]] | None = None) -> list[Listener]:
    """TCP sockets listening on this computer (psutil). Raises psutil.AccessDenied where the system hides
    them (macOS without administrator rights)."""
    conns = (connections or (lambda: psutil.net_connections(kind="tcp")))()
    seen: dict[tuple[str, int], Listener] = {}
    for c in conns:
        if c.status != psutil.CONN_LISTEN or not c.laddr:
            continue
        program = None
        if c.pid:
            try:
                program = psutil.Process(c.pid).name()
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                program = None
        key = (c.laddr.ip, c.laddr.port)
        seen.setdefault(key, Listener(c.laddr.ip, c.laddr.port, "tcp", c.pid, program))
    return sorted(seen.values(), key=lambda item: (item.port, item.address))


def _where(address: str) -> str:
    if address in ("0.0.0.0", "::", "*"):
        return "every network this computer is on"
    return f"the network address {address}"


def findings(found: list[Listener]) -> list[Finding]:
    kinds, by_port = table()
    out: list[Finding] = []
    by_service: dict[tuple[str, bool], list[Listener]] = {}
    for item in found:
        service = by_port.get(item.port)
        key = (service.id if service else f"port-{item.port}", item.loopback_only)
        by_service.setdefault(key, []).append(item)
    for (sid, loopback), group in by_service.items():
        item = group[0]
        service = by_port.get(item.port)
        name = service.name if service else f"A program on port {item.port}"
        kind = kinds[service.kind if service else "other"]
        programs = sorted({g.program for g in group if g.program})
        by = f" ({', '.join(programs)})" if programs else ""
        ports = ", ".join(str(p) for p in sorted({g.port for g in group}))
        data = {
            "service": sid,
            "ports": sorted({g.port for g in group}),
            "addresses": sorted({g.address for g in group}),
            "programs": programs,
            "loopback_only": loopback,
        }
        if loopback:
            out.append(
                Finding(
                    f"computer.listening.{sid}",
                    AREA,
                    Severity.INFO,
                    f"{name}{by}: only this computer can connect",
                    f"It listens on port {ports} of this computer's own internal address, which "
                    "nothing on the network can reach. Nothing to do.",
                    data,
                )
            )
        else:
            addresses = ", ".join(_where(g.address) for g in group[:2])
            out.append(
                Finding(
                    f"computer.listening.{sid}",
                    AREA,
                    Severity(kind["severity"]),
                    f"{name}{by} is open to the network",
                    f"{kind['says']} It listens on port {ports}, on {addresses}. {kind['advice']}",
                    data,
                )
            )
    return out


def check(connections: Callable[[], list[Any]] | None = None) -> list[Finding]:
    try:
        found = listeners(connections)
    except psutil.AccessDenied:
        return [
            cannot(
                AREA,
                "listening",
                "what this computer shares with the network",
                "This system shows which programs listen for connections only to an administrator. "
                "Run SafeSpace's command line as an administrator to check it.",
            )
        ]
    result = findings(found)
    open_ = [f for f in result if not f.data.get("loopback_only")]
    if not open_:
        result.append(
            Finding(
                "computer.listening.none",
                AREA,
                Severity.OK,
                "Nothing is open to the network",
                "No program on this computer accepts connections from the network.",
                {},
            )
        )
    return result
