"""HEIF/HEIC and AVIF (ISO base media file format items): report by walking boxes; clean by re-encoding.

Metadata items (Exif, XMP as a `mime` item) hang off the primary picture; thumbnails (`thmb`) and auxiliary
pictures (`auxl`: depth maps, HDR gain maps) can show the picture too. A clean copy is a new file holding only
the decoded main picture (rotation already applied), converted to a high-quality JPEG (PNG when it has
transparency): encoding HEIC again takes many seconds a photo, and a JPEG opens anywhere. The result says so.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from checks.errors import DamagedImage
from checks.images.common import check_pixels, icc_description
from checks.images.exif import read_exif
from checks.images.facts import Facts
from checks.images.xmp import read_xmp

C2PA_UUID = bytes.fromhex("d8fec3d61b0e483c92975828877ec481")
_MAX_BOXES = 10_000

if TYPE_CHECKING:
    from checks.images.pixels import Reencoded


@dataclass
class Item:
    id: int
    type: bytes
    content_type: str = ""
    extents: list[tuple[int, int]] = field(default_factory=list)  # (absolute offset, length)
    in_idat: bool = False


@dataclass
class Heif:
    data: bytes
    facts: Facts
    kind: str  # "heif" or "avif"

    def reencode(self, keep_icc: bool) -> Reencoded:
        from checks.images import pixels  # Pillow is loaded only when pictures are decoded

        return pixels.convert_for_sharing(self.data, keep_icc, "HEIC" if self.kind == "heif" else "AVIF")


def _boxes(data: bytes, start: int, end: int) -> list[tuple[bytes, int, int]]:
    """(type, payload start, box end) for the boxes between start and end."""
    out: list[tuple[bytes, int, int]] = []
    pos = start
    while pos + 8 <= end and len(out) < _MAX_BOXES:
        size, btype = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1:
            if pos + 16 > end:
                break
            (size,) = struct.unpack_from(">Q", data, pos + 8)
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise DamagedImage(f"The file is cut short or damaged (a box at byte {pos} runs past the end).")
        out.append((btype, pos + header, pos + size))
        pos += size
    return out


def _uint(data: bytes, pos: int, size: int) -> int:
    return int.from_bytes(data[pos : pos + size], "big") if size else 0


def parse(data: bytes, facts: Facts, kind: str) -> Heif:
    heif = Heif(data, facts, kind)
    top = _boxes(data, 0, len(data))
    meta = next(((a, b) for t, a, b in top if t == b"meta"), None)
    for btype, a, _b in top:
        if btype == b"uuid" and data[a : a + 16] == C2PA_UUID:
            facts.c2pa = True
    if meta is None:
        raise DamagedImage("The picture is damaged (it has no item list).")
    children = {t: (a, b) for t, a, b in _boxes(data, meta[0] + 4, meta[1])}
    items = _read_iinf(data, children.get(b"iinf"))
    idat = children.get(b"idat")
    _read_iloc(data, children.get(b"iloc"), items, idat)
    refs = _read_iref(data, children.get(b"iref"))
    primary = _uint(data, children[b"pitm"][0] + 4, 2) if b"pitm" in children else None
    props = _read_properties(data, children.get(b"iprp"))
    if primary is not None and primary in props.get("ispe", {}):
        facts.width, facts.height = props["ispe"][primary]
        check_pixels(facts.width, facts.height)
    for icc in props.get("icc", []):
        facts.icc_description = icc_description(icc) or "unnamed profile"
    for item in items.values():
        body = b"".join(data[o : o + n] for o, n in item.extents)
        if item.type == b"Exif" and len(body) > 4:
            (skip,) = struct.unpack_from(">I", body)
            read_exif(body[4 + skip :] if 4 + skip < len(body) else b"", facts)
        elif item.type == b"mime" and ("xml" in item.content_type or "xmp" in item.content_type):
            read_xmp(body, facts)
        elif item.type == b"mime" or item.type == b"uri ":
            facts.unknown.append(f"attached data ({item.content_type or 'unknown kind'})")
        elif item.type == b"tmap":
            facts.extra_images.append("an HDR gain map picture")
    for ref_type, from_id, _to in refs:
        if ref_type == b"thmb":
            facts.thumbnails.append(f"preview picture (item {from_id})")
        elif ref_type == b"auxl":
            facts.extra_images.append(f"an auxiliary picture such as a depth or gain map (item {from_id})")
    facts.orientation = None  # HEIF rotation lives in irot/imir; decoders apply it; EXIF's is not used
    return heif


def _read_iinf(data: bytes, span: tuple[int, int] | None) -> dict[int, Item]:
    items: dict[int, Item] = {}
    if span is None:
        return items
    a, b = span
    start = a + 4 + (2 if data[a] == 0 else 4)
    for btype, pa, pb in _boxes(data, start, b):
        if btype != b"infe" or pb - pa < 8:
            continue
        version = data[pa]
        if version < 2:
            continue
        id_size = 2 if version == 2 else 4
        item_id = _uint(data, pa + 4, id_size)
        pos = pa + 4 + id_size + 2
        item_type = data[pos : pos + 4]
        name_end = data.find(b"\x00", pos + 4, pb)
        content_type = ""
        if item_type == b"mime" and name_end >= 0:
            ct_end = data.find(b"\x00", name_end + 1, pb)
            content_type = data[name_end + 1 : ct_end if ct_end >= 0 else pb].decode("latin-1").lower()
        items[item_id] = Item(item_id, item_type, content_type)
    return items


def _read_iloc(
    data: bytes, span: tuple[int, int] | None, items: dict[int, Item], idat: tuple[int, int] | None
) -> None:
    if span is None:
        return
    a, b = span
    version = data[a]
    offset_size, length_size = data[a + 4] >> 4, data[a + 4] & 15
    base_size, index_size = data[a + 5] >> 4, (data[a + 5] & 15) if version in (1, 2) else 0
    pos = a + 6
    count_size = 4 if version == 2 else 2
    count = _uint(data, pos, count_size)
    pos += count_size
    for _ in range(min(count, _MAX_BOXES)):
        if pos >= b:
            break
        id_size = 4 if version == 2 else 2
        item_id = _uint(data, pos, id_size)
        pos += id_size
        method = 0
        if version in (1, 2):
            method = _uint(data, pos, 2) & 15
            pos += 2
        pos += 2  # data reference index
        base = _uint(data, pos, base_size)
        pos += base_size
        extents = _uint(data, pos, 2)
        pos += 2
        item = items.get(item_id)
        for _ in range(min(extents, 1000)):
            pos += index_size
            offset = _uint(data, pos, offset_size)
            length = _uint(data, pos + offset_size, length_size)
            pos += offset_size + length_size
            if item is None:
                continue
            where = base + offset + (idat[0] if method == 1 and idat else 0)
            if method in (0, 1) and where + length <= len(data):
                item.extents.append((where, length))


def _read_iref(data: bytes, span: tuple[int, int] | None) -> list[tuple[bytes, int, list[int]]]:
    refs: list[tuple[bytes, int, list[int]]] = []
    if span is None:
        return refs
    a, b = span
    id_size = 2 if data[a] == 0 else 4
    for ref_type, pa, _end in _boxes(data, a + 4, b):
        from_id = _uint(data, pa, id_size)
        count = _uint(data, pa + id_size, 2)
        to = [_uint(data, pa + id_size + 2 + i * id_size, id_size) for i in range(min(count, 1000))]
        refs.append((ref_type, from_id, to))
    return refs


def _read_properties(data: bytes, span: tuple[int, int] | None) -> dict[str, dict]:
    """Image sizes per item (ispe via ipma) and any embedded ICC profiles (colr)."""
    out: dict = {"ispe": {}, "icc": []}
    if span is None:
        return out
    boxes = {t: (a, b) for t, a, b in _boxes(data, span[0], span[1])}
    if b"ipco" not in boxes:
        return out
    props = _boxes(data, *boxes[b"ipco"])
    for t, a, b in props:
        if t == b"colr" and data[a : a + 4] in (b"prof", b"rICC"):
            out["icc"].append(data[a + 4 : b])
    if b"ipma" in boxes:
        a, b = boxes[b"ipma"]
        version, flags = data[a], _uint(data, a + 1, 3)
        pos = a + 8
        for _ in range(min(_uint(data, a + 4, 4), _MAX_BOXES)):
            if pos >= b:
                break
            item_id = _uint(data, pos, 2 if version < 1 else 4)
            pos += 2 if version < 1 else 4
            n = data[pos]
            pos += 1
            for _ in range(n):
                raw = _uint(data, pos, 2 if flags & 1 else 1)
                pos += 2 if flags & 1 else 1
                index = raw & (0x7FFF if flags & 1 else 0x7F)
                if 1 <= index <= len(props) and props[index - 1][0] == b"ispe":
                    pa = props[index - 1][1]
                    out["ispe"][item_id] = struct.unpack_from(">II", data, pa + 4)
    return out
