"""JPEG header segments rebuilt in canonical form, so that only what decoding reads is ever copied.

A segment a decoder reads (frame and scan headers, quantisation and Huffman tables, restart interval) can
still carry hidden bytes: a length longer than its fields, or a table that no scan uses. Each segment is
parsed into its fields and written again from them alone; tables are kept only when a scan uses them
(a quantisation table is latched when its component first appears in a scan, as libjpeg does; a Huffman
table is used by the scans that follow it until it is defined again).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from checks.errors import DamagedImage

SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
JPEG_LS = 0xF7
DHT, DAC, DQT, DRI, DNL, SOS = 0xC4, 0xCC, 0xDB, 0xDD, 0xDC, 0xDA
EXP, LSE = 0xDF, 0xF8


def segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


@dataclass
class Table:
    """One table inside a DQT or DHT segment: its slot ("q", id) / ("dc"|"ac", id) and its bytes."""

    slot: tuple[str, int]
    body: bytes
    used: bool = False


@dataclass
class Header:
    """A decoding segment in file order; `tables` for DQT/DHT, `body` (canonical payload) otherwise."""

    marker: int
    body: bytes = b""
    tables: list[Table] = field(default_factory=list)
    scan: tuple[int, int] | None = None  # for SOS: the entropy-coded data after it (start, end)

    def rebuilt(self) -> bytes | None:
        """The canonical segment, or None when nothing in it is needed."""
        if self.marker in (DQT, DHT):
            kept = b"".join(t.body for t in self.tables if t.used)
            return segment(self.marker, kept) if kept else None
        return segment(self.marker, self.body)


def quant_tables(payload: bytes) -> list[Table]:
    tables, pos = [], 0
    while pos < len(payload):
        pq, tq = payload[pos] >> 4, payload[pos] & 15
        size = 1 + 64 * (2 if pq else 1)
        if pq > 1 or tq > 3 or pos + size > len(payload):
            break  # what follows is not a table a decoder would read
        tables.append(Table(("q", tq), payload[pos : pos + size]))
        pos += size
    return tables


def huffman_tables(payload: bytes) -> list[Table]:
    tables, pos = [], 0
    while pos + 17 <= len(payload):
        tc, th = payload[pos] >> 4, payload[pos] & 15
        count = sum(payload[pos + 1 : pos + 17])
        size = 17 + count
        if tc > 1 or th > 3 or count > 256 or pos + size > len(payload):
            break
        tables.append(Table(("ac" if tc else "dc", th), payload[pos : pos + size]))
        pos += size
    return tables


def frame_body(payload: bytes) -> tuple[bytes, dict[int, int], int, int]:
    """(canonical SOF payload, component id -> quantisation table id, width, height)."""
    if len(payload) < 6:
        raise DamagedImage("The picture is damaged (its frame header is too short).")
    n = payload[5]
    size = 6 + 3 * n
    if n == 0 or len(payload) < size:
        raise DamagedImage("The picture is damaged (its frame header is cut short).")
    height, width = struct.unpack_from(">HH", payload, 1)
    quant = {payload[6 + 3 * i]: payload[8 + 3 * i] & 3 for i in range(n)}
    return payload[:size], quant, width, height


def scan_body(payload: bytes) -> tuple[bytes, list[int], list[tuple[int, int]], int, int]:
    """(canonical SOS payload, component ids, (dc, ac) table ids per component, Ss, Ah)."""
    if not payload:
        raise DamagedImage("The picture is damaged (a scan header is empty).")
    n = payload[0]
    size = 1 + 2 * n + 3
    if n == 0 or len(payload) < size:
        raise DamagedImage("The picture is damaged (a scan header is cut short).")
    comps = [payload[1 + 2 * i] for i in range(n)]
    tables = [(payload[2 + 2 * i] >> 4, payload[2 + 2 * i] & 15) for i in range(n)]
    ss, ah = payload[1 + 2 * n], payload[3 + 2 * n] >> 4
    return payload[:size], comps, tables, ss, ah


PROGRESSIVE = {0xC2, 0xC6, 0xCA, 0xCE}
LOSSLESS = {0xC3, 0xC7, 0xCB, 0xCF}


def mark_used(headers: list[Header], quant_of: dict[int, int], frame: int) -> None:
    """Set `used` on every table that a later scan reads before the table is defined again."""
    current: dict[tuple[str, int], Table] = {}
    latched: set[int] = set()  # components whose quantisation table is already fixed
    for h in headers:
        if h.marker in (DQT, DHT):
            for defined in h.tables:
                current[defined.slot] = defined
            continue
        if h.marker != SOS:
            continue
        _, comps, tables, ss, ah = scan_body(h.body)
        for comp, (dc, ac) in zip(comps, tables, strict=True):
            if comp not in latched:
                latched.add(comp)
                quant = current.get(("q", quant_of.get(comp, -1)))
                if quant is not None:
                    quant.used = True
            if frame in LOSSLESS:
                wants = [("dc", dc)]  # lossless coding reads one table per component, of the DC class
            elif frame in PROGRESSIVE:
                # A first DC scan reads DC tables, a DC refinement none, an AC scan its AC tables.
                wants = [("ac", ac)] if ss > 0 else ([("dc", dc)] if ah == 0 else [])
            else:
                wants = [("dc", dc), ("ac", ac)]
            for slot in wants:
                table = current.get(slot)
                if table is not None:
                    table.used = True
