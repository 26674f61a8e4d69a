"""WebP (RIFF): chunk walker, report and lossless clean (RFC 9649).

Kept, by an allow-list and rebuilt from their fields: VP8X (flags of what was removed cleared), ANIM (its
six bytes), each ANMF frame (its header and only its picture chunks), ALPH only beside a lossy VP8
picture, and the VP8 data. The RIFF size is rewritten and anything past it dropped. A lossless (VP8L)
picture ends where its decoder stops reading, which only a full decode can tell, so bytes could hide after
it inside its chunk: lossless WebPs are encoded again, losslessly and exactly, and checked pixel for pixel.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from checks.errors import DamagedImage
from checks.images import jumbf
from checks.images.common import (
    check_pixels,
    kept_profile,
    needs_orientation,
    orientation_exif,
    record_profile,
)
from checks.images.exif import read_exif
from checks.images.facts import Facts
from checks.images.xmp import read_xmp

if TYPE_CHECKING:
    from checks.images.pixels import Reencoded

_IMAGE = {b"VP8 ", b"VP8L", b"ALPH", b"ANIM", b"ANMF"}
_FRAME = {b"VP8 ", b"VP8L", b"ALPH"}
FLAG_ICC, FLAG_ALPHA, FLAG_EXIF, FLAG_XMP, FLAG_ANIM = 0x20, 0x10, 0x08, 0x04, 0x02


@dataclass
class WebP:
    data: bytes
    facts: Facts
    chunks: list[tuple[bytes, int, int]] = field(default_factory=list)  # (fourcc, start, end incl. pad)
    vp8x: bytes | None = None  # the VP8X payload (10 bytes)
    icc: bytes | None = None
    lossless_data: bool = False  # a VP8L picture anywhere (still or in a frame)
    truncated: bool = False

    @property
    def reencode_needed(self) -> bool:
        return self.lossless_data

    def reencode(self, keep_icc: bool) -> Reencoded:
        from checks.images import pixels

        icc = kept_profile(self.icc, self.facts) if keep_icc else None
        return pixels.lossless_webp(self.data, icc, self.facts.orientation)

    def clean(self, keep_icc: bool) -> list[bytes | memoryview]:
        body = self.decoding()
        if not any(p[:4] in (b"VP8 ", b"ANMF") for p in body):
            raise DamagedImage("The file holds no picture data.")
        icc = kept_profile(self.icc, self.facts) if keep_icc else None
        orient = needs_orientation(self.facts.orientation)
        if self.vp8x is not None or orient or icc:
            flags = (self.vp8x[0] if self.vp8x else 0) & (FLAG_ALPHA | FLAG_ANIM)
            flags |= (FLAG_ICC if icc else 0) | (FLAG_EXIF if orient else 0)
            canvas = self.vp8x[4:10] if self.vp8x else _canvas(self.facts)
            head = [_chunk(b"VP8X", bytes([flags, 0, 0, 0]) + canvas)]
            if icc:
                head.append(_chunk(b"ICCP", icc))
            body = head + body
            if orient:
                body.append(_chunk(b"EXIF", orientation_exif(self.facts.orientation or 1)))
        size = 4 + sum(len(b) for b in body)
        return [b"RIFF", struct.pack("<I", size), b"WEBP", *body]

    def decoding(self) -> list[bytes]:
        """The picture chunks, rebuilt (VP8X is written by clean, from its flags and canvas)."""
        data, out = self.data, []
        lossy = any(t == b"VP8 " for t, _, _ in self.chunks)
        for t, a, _end in self.chunks:
            payload = data[a + 8 : a + 8 + _size(data, a)]
            if t == b"ANIM" and len(payload) >= 6:
                out.append(_chunk(t, payload[:6]))
            elif t == b"ANMF" and len(payload) >= 16:
                out.append(_chunk(t, payload[:16] + b"".join(_frame_chunks(None, payload[16:]))))
            elif t == b"VP8 " or (t == b"ALPH" and lossy):
                out.append(_chunk(t, payload))
        return out


def _size(data: bytes, at: int) -> int:
    return int(struct.unpack_from("<I", data, at + 4)[0])


def _frame_chunks(webp: WebP | None, body: bytes) -> list[bytes]:
    """The picture chunks inside one animation frame; anything else in it is dropped."""
    out, pos = [], 0
    lossy = False
    found: list[tuple[bytes, bytes]] = []
    while pos + 8 <= len(body):
        fourcc, size = struct.unpack_from("<4sI", body, pos)
        payload = body[pos + 8 : pos + 8 + size]
        if fourcc in _FRAME:
            found.append((fourcc, payload))
            lossy = lossy or fourcc == b"VP8 "
        elif webp is not None:
            webp.facts.unknown.append("data inside an animation frame")
        pos += 8 + size + (size % 2)
    for fourcc, payload in found:
        if fourcc == b"VP8L" and webp is not None:
            webp.lossless_data = True
        if fourcc == b"VP8 " or (fourcc == b"ALPH" and lossy):
            out.append(_chunk(fourcc, payload))
    return out


def _chunk(fourcc: bytes, payload: bytes) -> bytes:
    pad = b"\x00" if len(payload) % 2 else b""
    return fourcc + struct.pack("<I", len(payload)) + payload + pad


def _canvas(facts: Facts) -> bytes:
    w, h = (facts.width or 1) - 1, (facts.height or 1) - 1
    return w.to_bytes(3, "little") + h.to_bytes(3, "little")


def parse(data: bytes, facts: Facts) -> WebP:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise DamagedImage("Not a WebP picture.")
    (riff_size,) = struct.unpack_from("<I", data, 4)
    riff_end = 8 + riff_size
    webp = WebP(data, facts)
    if riff_end > len(data):
        webp.truncated, riff_end = True, len(data)
    pos = 12
    while pos + 8 <= riff_end:
        fourcc, size = struct.unpack_from("<4sI", data, pos)
        end = pos + 8 + size + (size % 2)
        if pos + 8 + size > riff_end:
            webp.truncated = True  # the picture ends with the blocks before this one
            break
        payload = data[pos + 8 : pos + 8 + size]
        webp.chunks.append((fourcc, pos, min(end, riff_end)))
        _read_chunk(webp, fourcc, payload)
        pos = end
    if not any(t in (b"VP8 ", b"VP8L", b"ANMF") for t, _, _ in webp.chunks):
        raise DamagedImage(
            "The file holds no picture data" + (" (it looks cut short)." if webp.truncated else ".")
        )
    if riff_end < len(data):
        tail = data[riff_end:]
        facts.trailer_bytes = len(tail)
        facts.trailer_kinds = ["data"] if tail.strip(b"\x00") else ["padding"]
    return webp


def _read_chunk(webp: WebP, fourcc: bytes, payload: bytes) -> None:
    facts = webp.facts
    if fourcc == b"VP8X" and len(payload) >= 10:
        webp.vp8x = payload[:10]
        facts.width = int.from_bytes(payload[4:7], "little") + 1
        facts.height = int.from_bytes(payload[7:10], "little") + 1
        check_pixels(facts.width, facts.height)
    elif fourcc == b"VP8 " and len(payload) >= 10 and facts.width is None:
        w, h = struct.unpack_from("<HH", payload, 6)
        facts.width, facts.height = w & 0x3FFF, h & 0x3FFF
    elif fourcc == b"VP8L":
        webp.lossless_data = True
        if len(payload) >= 5 and facts.width is None:
            bits = int.from_bytes(payload[1:5], "little")
            facts.width, facts.height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    elif fourcc == b"ANMF":
        _frame_chunks(webp, payload[16:])  # notes lossless frames and data hidden in frames
    elif fourcc == b"EXIF":
        read_exif(payload[6:] if payload.startswith(b"Exif\x00\x00") else payload, facts)
    elif fourcc == b"XMP ":
        read_xmp(payload, facts)
    elif fourcc == b"ICCP":
        webp.icc = payload
        record_profile(facts, payload)
    elif fourcc == b"C2PA":
        facts.c2pa = True
        jumbf.read_c2pa(payload, facts)
    elif fourcc not in _IMAGE and fourcc != b"VP8X":
        name = fourcc.decode("latin-1", "replace")
        facts.unknown.append(f"'{name.strip()}' block" if name.isprintable() else "unnamed block")
