"""GIF: block walker, report and lossless clean.

Kept: header, screen descriptor and colour tables, images with their data, graphic control and the looping
extensions (NETSCAPE2.0, ANIMEXTS1.0), and the ICC extension unless dropped. Comments, XMP, plain-text and
other application extensions go, and so does everything after the trailer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from checks.errors import DamagedImage
from checks.images.common import CUT_SHORT, check_pixels, icc_description
from checks.images.facts import Facts
from checks.images.xmp import read_xmp

_LOOP_APPS = (b"NETSCAPE2.0", b"ANIMEXTS1.0")
_ICC_APP = b"ICCRGBG1012"


@dataclass
class Gif:
    data: bytes
    facts: Facts
    header_end: int = 0
    image_blocks: list[tuple[int, int]] = field(default_factory=list)  # images and graphic controls
    loop_blocks: list[tuple[int, int]] = field(default_factory=list)
    icc_blocks: list[tuple[int, int]] = field(default_factory=list)
    end: int | None = None

    def clean(self, keep_icc: bool) -> list[bytes | memoryview]:
        if self.end is None:
            raise DamagedImage(CUT_SHORT)
        kept = sorted(self.image_blocks + self.loop_blocks + (self.icc_blocks if keep_icc else []))
        view = memoryview(self.data)
        return [view[: self.header_end], *(view[a:b] for a, b in kept), b"\x3b"]

    def image_ranges(self) -> list[tuple[int, int]]:
        return [(0, self.header_end), *sorted(self.image_blocks)]


def _sub_blocks(data: bytes, pos: int) -> int:
    """Position just after the sub-block chain that starts at `pos` (ends with a zero-length block)."""
    n = len(data)
    while True:
        if pos >= n:
            raise DamagedImage(CUT_SHORT)
        size = data[pos]
        pos += 1 + size
        if size == 0:
            return pos


def parse(data: bytes, facts: Facts) -> Gif:
    if data[:6] not in (b"GIF87a", b"GIF89a") or len(data) < 13:
        raise DamagedImage("Not a GIF picture.")
    gif = Gif(data, facts)
    facts.width, facts.height = int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
    check_pixels(facts.width, facts.height)
    packed = data[10]
    pos = 13 + (3 * 2 ** ((packed & 7) + 1) if packed & 0x80 else 0)
    gif.header_end = pos
    n = len(data)
    while pos < n:
        kind = data[pos]
        if kind == 0x3B:
            gif.end = pos + 1
            break
        if kind == 0x2C:  # image descriptor, optional local colour table, LZW code size, data
            if pos + 10 > n:
                break
            local = data[pos + 9]
            start, pos = pos, pos + 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0)
            end = _sub_blocks(data, pos + 1)
            gif.image_blocks.append((start, end))
            pos = end
        elif kind == 0x21 and pos + 2 <= n:
            label, start = data[pos + 1], pos
            end = _sub_blocks(data, pos + 2)
            _extension(gif, label, start, end)
            pos = end
        else:
            raise DamagedImage(f"The picture is damaged: an unknown block at byte {pos}.")
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
        gif.image_blocks.append((start, end))
    elif label == 0xFE:
        facts.add("image.comment", "Comment", _joined(data, start + 2, end).decode("utf-8", "replace"))
    elif label == 0x01:
        text = _joined(data, start + 2, end)[12:]
        facts.add("image.text", "Hidden text block", text.decode("latin-1", "replace"))
    elif label == 0xFF and start + 14 <= end and data[start + 2] == 11:
        ident = data[start + 3 : start + 14]
        if ident in _LOOP_APPS:
            gif.loop_blocks.append((start, end))
        elif ident == _ICC_APP:
            gif.icc_blocks.append((start, end))
            facts.icc_description = icc_description(_joined(data, start + 14, end)) or "unnamed profile"
        elif ident == b"XMP DataXMP":
            raw = data[start + 14 : end]
            stop = raw.rfind(b"<?xpacket end")
            read_xmp(raw[: raw.find(b">", stop) + 1] if stop >= 0 else raw, facts)
        else:
            name = "".join(c for c in ident.decode("latin-1") if c.isprintable())
            facts.c2pa = facts.c2pa or ident.startswith(b"C2PA")
            facts.unknown.append(f"application block '{name}'")
    else:
        facts.unknown.append(f"extension 0x{label:02X}")
