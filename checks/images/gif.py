"""GIF: block walker, report and lossless clean.

Kept, each rebuilt from its fields: the header, screen descriptor and colour tables, each image (its
descriptor, local colour table and LZW data, cut where the LZW stream's end code stands), the graphic
control blocks, the loop count (NETSCAPE2.0, ANIMEXTS1.0), and the colour profile extension unless dropped.
Comments, XMP, plain-text and other application blocks go, and so does everything after the trailer. A file
without a trailer, or cut short inside a picture, keeps what it has and gets a trailer.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from checks.errors import DamagedImage
from checks.images import jumbf
from checks.images.common import check_pixels, kept_profile, record_profile
from checks.images.facts import Facts
from checks.images.xmp import read_xmp

_LOOP_APPS = (b"NETSCAPE2.0", b"ANIMEXTS1.0")
_ICC_APP = b"ICCRGBG1012"


@dataclass
class Gif:
    data: bytes
    facts: Facts
    header_end: int = 0
    blocks: list[bytes] = field(default_factory=list)  # rebuilt images and graphic controls, in order
    loop: bytes | None = None  # the rebuilt looping extension
    icc: bytes | None = None  # the profile, joined from its sub-blocks
    end: int | None = None

    @property
    def truncated(self) -> bool:
        return self.end is None

    def clean(self, keep_icc: bool) -> list[bytes | memoryview]:
        out: list[bytes | memoryview] = [memoryview(self.data)[: self.header_end]]
        if self.loop:
            out.append(self.loop)
        profile = kept_profile(self.icc, self.facts) if keep_icc else None
        if profile:
            out.append(b"\x21\xff\x0b" + _ICC_APP + _sub_blocks_of(profile))
        out.extend(self.blocks)
        out.append(b"\x3b")
        return out

    def decoding(self) -> list[bytes | memoryview]:
        return [memoryview(self.data)[: self.header_end], *([self.loop] if self.loop else []), *self.blocks]


def _sub_blocks_of(payload: bytes | memoryview) -> bytes:
    view = memoryview(payload)
    parts = [bytes([len(view[i : i + 255])]) + bytes(view[i : i + 255]) for i in range(0, len(view), 255)]
    return b"".join(parts) + b"\x00"


def _chain_end(data: bytes, pos: int) -> int | None:
    """Position just after the sub-block chain that starts at `pos`; None when the file ends first."""
    n = len(data)
    while pos < n:
        size = data[pos]
        pos += 1 + size
        if size == 0:
            return pos if pos <= n else None
    return None


def _lzw_end(payload: bytes, min_code: int) -> int:
    """How many bytes of LZW data a decoder reads: up to the end-of-information code (or all of it)."""
    if not 2 <= min_code <= 11:
        return len(payload)
    clear, eoi = 1 << min_code, (1 << min_code) + 1
    width, next_code, first = min_code + 1, eoi + 1, True
    value = bits = pos = 0
    n = len(payload)
    while True:
        while bits < width:
            if pos >= n:
                return n
            value |= payload[pos] << bits
            pos += 1
            bits += 8
        code = value & ((1 << width) - 1)
        value >>= width
        bits -= width
        if code == clear:
            width, next_code, first = min_code + 1, eoi + 1, True
            continue
        if code == eoi:
            return pos
        if first:
            first = False
            continue
        if next_code < 4096:
            next_code += 1
            if next_code == 1 << width and width < 12:
                width += 1


def _image(gif: Gif, pos: int) -> int:
    """Rebuild the image at `pos`; return where the next block starts (len(data) when cut short)."""
    data, n = gif.data, len(gif.data)
    if pos + 11 > n:
        gif.end = None
        return n
    local = data[pos + 9]
    table_end = pos + 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0)
    if table_end + 1 > n:
        return n
    min_code = data[table_end]
    end = _chain_end(data, table_end + 1)
    chain = data[table_end + 1 : end if end is not None else n]
    lzw = bytearray()
    i = 0
    while i < len(chain) and chain[i]:
        lzw += chain[i + 1 : i + 1 + chain[i]]
        i += 1 + chain[i]
    used = _lzw_end(bytes(lzw), min_code)
    if used < len(lzw):
        gif.facts.unknown.append("data after the end of a picture's data")
    gif.blocks.append(data[pos:table_end] + bytes([min_code]) + _sub_blocks_of(bytes(lzw[:used])))
    return end if end is not None else n


def parse(data: bytes, facts: Facts) -> Gif:
    if data[:6] not in (b"GIF87a", b"GIF89a") or len(data) < 13:
        raise DamagedImage("Not a GIF picture.")
    gif = Gif(data, facts)
    facts.width, facts.height = struct.unpack_from("<HH", data, 6)
    check_pixels(facts.width, facts.height)
    packed = data[10]
    pos = 13 + (3 * 2 ** ((packed & 7) + 1) if packed & 0x80 else 0)
    if pos > len(data):
        raise DamagedImage("The picture is damaged (it ends inside its colour table).")
    gif.header_end = pos
    n = len(data)
    while pos < n:
        kind = data[pos]
        if kind == 0x3B:
            gif.end = pos + 1
            break
        if kind == 0x2C:
            pos = _image(gif, pos)
        elif kind == 0x21 and pos + 2 <= n:
            label, start = data[pos + 1], pos
            end = _chain_end(data, pos + 2)
            if end is None:
                break  # cut short inside an extension: what came before is the picture
            _extension(gif, label, start, end)
            pos = end
        else:
            # Decoders stop at a block they do not know; so does this walk. What follows is not copied.
            facts.unknown.append("data after the last picture")
            break
    if not any(b[0] == 0x2C for b in gif.blocks):
        raise DamagedImage("The file holds no picture data (it may be cut short).")
    if gif.end is not None and gif.end < n:
        tail = data[gif.end :]
        facts.trailer_bytes = len(tail)
        facts.trailer_kinds = ["data"] if tail.strip(b"\x00") else ["padding"]
    return gif


def _joined(data: bytes, pos: int, end: int) -> bytes:
    """The payload of a sub-block chain, lengths removed."""
    out = []
    while pos < end:
        size = data[pos]
        out.append(data[pos + 1 : pos + 1 + size])
        pos += 1 + size
    return b"".join(out)


def _extension(gif: Gif, label: int, start: int, end: int) -> None:
    data, facts = gif.data, gif.facts
    if label == 0xF9:
        # Decoders read the first sub-block's four bytes: flags, delay and transparent colour index.
        if data[start + 2] >= 4:
            gif.blocks.append(b"\x21\xf9\x04" + data[start + 3 : start + 7] + b"\x00")
        if data[start + 2] != 4 or end != start + 8:
            facts.unknown.append("graphic control block of an unusual size")
    elif label == 0xFE:
        facts.add("image.comment", "Comment", _joined(data, start + 2, end).decode("utf-8", "replace"))
    elif label == 0x01:
        text = _joined(data, start + 2, end)[12:]
        facts.add("image.text", "Hidden text block", text.decode("latin-1", "replace"))
    elif label == 0xFF and start + 14 <= end and data[start + 2] == 11:
        ident = data[start + 3 : start + 14]
        if ident in _LOOP_APPS:
            sub = _joined(data, start + 14, end)
            if len(sub) >= 3 and sub[0] == 1 and gif.loop is None:
                gif.loop = b"\x21\xff\x0bNETSCAPE2.0\x03\x01" + sub[1:3] + b"\x00"
            if len(sub) != 3:
                facts.unknown.append("looping block of an unusual size")
        elif ident == _ICC_APP:
            gif.icc = _joined(data, start + 14, end)
            record_profile(facts, gif.icc)
        elif ident == b"XMP DataXMP":
            raw = data[start + 14 : end]
            stop = raw.rfind(b"<?xpacket end")
            read_xmp(raw[: raw.find(b">", stop) + 1] if stop >= 0 else raw, facts)
        else:
            name = "".join(c for c in ident.decode("latin-1") if c.isprintable())
            if ident.startswith(b"C2PA"):
                facts.c2pa = True
                jumbf.read_c2pa(_joined(data, start + 14, end), facts)
            facts.unknown.append(f"application block '{name}'")
    else:
        facts.unknown.append(f"extension 0x{label:02X}")
