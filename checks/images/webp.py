"""WebP (RIFF): chunk walker, report and lossless clean (RFC 9649).

Cleaning keeps image chunks by an allow-list, clears the VP8X flags of what was removed, rewrites the RIFF
size, keeps chunks padded to even length and drops anything past the RIFF size.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from checks.errors import DamagedImage
from checks.images.common import check_pixels, icc_description, needs_orientation, orientation_exif
from checks.images.exif import read_exif
from checks.images.facts import Facts
from checks.images.xmp import read_xmp

_IMAGE = {b"VP8 ", b"VP8L", b"ALPH", b"ANIM", b"ANMF"}
FLAG_ICC, FLAG_ALPHA, FLAG_EXIF, FLAG_XMP, FLAG_ANIM = 0x20, 0x10, 0x08, 0x04, 0x02


@dataclass
class WebP:
    data: bytes
    facts: Facts
    chunks: list[tuple[bytes, int, int]] = field(default_factory=list)  # (fourcc, start, end incl. pad)
    vp8x: bytes | None = None  # the VP8X payload (10 bytes)
    vp8x_at: int = 0  # where that payload starts

    def clean(self, keep_icc: bool) -> list[bytes | memoryview]:
        kept = [(t, a, b) for t, a, b in self.chunks if t in _IMAGE or (keep_icc and t == b"ICCP")]
        if not any(t in (b"VP8 ", b"VP8L", b"ANMF") for t, _, _ in kept):
            raise DamagedImage("The file holds no picture data.")
        view = memoryview(self.data)
        body: list[bytes | memoryview] = [view[a:b] for _, a, b in kept]
        orient = needs_orientation(self.facts.orientation)
        if self.vp8x is not None or orient:
            flags = self.vp8x[0] if self.vp8x else 0
            flags &= FLAG_ALPHA | FLAG_ANIM
            if any(t == b"ICCP" for t, _, _ in kept):
                flags |= FLAG_ICC
            if orient:
                flags |= FLAG_EXIF
            canvas = self.vp8x[4:10] if self.vp8x else _canvas(self.facts)
            body.insert(0, _chunk(b"VP8X", bytes([flags, 0, 0, 0]) + canvas))
            if orient:
                body.append(_chunk(b"EXIF", orientation_exif(self.facts.orientation or 1)))
        size = 4 + sum(len(b) for b in body)  # memoryview slices of bytes: len is the byte count
        return [b"RIFF", struct.pack("<I", size), b"WEBP", *body]

    def image_ranges(self) -> list[tuple[int, int]]:
        canvas = [(self.vp8x_at + 4, self.vp8x_at + 10)] if self.vp8x else []
        return canvas + [(a, b) for t, a, b in self.chunks if t in _IMAGE]


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
    if riff_end > len(data):
        raise DamagedImage("The file is cut short (it is smaller than its header says).")
    webp = WebP(data, facts)
    pos = 12
    while pos + 8 <= riff_end:
        fourcc, size = struct.unpack_from("<4sI", data, pos)
        end = pos + 8 + size + (size % 2)
        if pos + 8 + size > riff_end:
            raise DamagedImage(f"The file is cut short or damaged (a block at byte {pos} runs past the end).")
        payload = data[pos + 8 : pos + 8 + size]
        webp.chunks.append((fourcc, pos, min(end, riff_end)))
        if fourcc == b"VP8X":
            webp.vp8x_at = pos + 8
        _read_chunk(webp, fourcc, payload)
        pos = end
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
    elif fourcc == b"VP8L" and len(payload) >= 5 and facts.width is None:
        bits = int.from_bytes(payload[1:5], "little")
        facts.width, facts.height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    elif fourcc == b"EXIF":
        read_exif(payload[6:] if payload.startswith(b"Exif\x00\x00") else payload, facts)
    elif fourcc == b"XMP ":
        read_xmp(payload, facts)
    elif fourcc == b"ICCP":
        facts.icc_description = icc_description(payload) or "unnamed profile"
    elif fourcc == b"C2PA":
        facts.c2pa = True
    elif fourcc not in _IMAGE:
        name = fourcc.decode("latin-1", "replace")
        facts.unknown.append(f"'{name.strip()}' block" if name.isprintable() else "unnamed block")
