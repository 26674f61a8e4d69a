"""HEIF/AVIF lossless clean: a new file holding the main picture's own coded bytes, untouched.

What is kept: the primary item, the items it is built from (grid tiles, iden/iovl inputs, followed through
`dimg` references) and its alpha picture (an `auxl` item whose type says alpha: without it a transparent
picture would show a wrong background, so it is part of what the picture looks like). Everything else goes:
Exif and XMP items, thumbnails (`thmb`), depth maps and portrait mattes (`auxl` of other types), HDR gain
maps (`tmap` and its inputs), item groups, and every top-level box other than ftyp/meta/mdat (Samsung's
`mpvd` motion-photo video, C2PA `uuid` boxes, free/skip, an appended MP4).

The boxes that describe the kept items are written anew in canonical form (hdlr, pitm, iloc, iinf, iref,
iprp, idat): only known fields, sizes checked, item names empty. Properties are rebuilt from their parsed
fields (ispe, irot, imir, clap, pasp, pixi, colr nclx, clli, mdcv, ...) or cut to what their parser read
(hvcC); text properties (udes, altt) and dates (crtt, mdft) are dropped.
"""

from __future__ import annotations

import bisect
import struct

from checks.errors import DamagedImage, UnsupportedImage
from checks.images.heif_boxes import MAX_BOXES, Box, Reader, Structure, damaged

ALPHA_URNS = {b"urn:mpeg:mpegB:cicp:systems:auxiliary:alpha", b"urn:mpeg:hevc:2015:auxid:1"}
IMAGE_TYPES = {b"hvc1", b"av01", b"grid", b"iden", b"iovl", b"jpeg", b"unci", b"vvc1", b"j2k1", b"avc1"}
DECODER_CONFIG = {b"hvc1": b"hvcC", b"av01": b"av1C", b"vvc1": b"vvcC", b"avc1": b"avcC"}
_COPIED = {b"av1C", b"vvcC", b"avcC", b"jpgC", b"j2kH", b"uncC", b"cmpd", b"cclv", b"amve", b"auxC", b"a1lx"}
_BRANDS = {
    b"mif1", b"mif2", b"mif3", b"heic", b"heix", b"heim", b"heis", b"avif", b"miaf", b"MiHA", b"MiHB",
    b"MiHE", b"MiPr", b"MiAC", b"ma1b", b"ma1a", b"avio", b"iso8", b"unif", b"jpeg", b"vvic", b"j2ki",
}  # fmt: skip
_SEQUENCE_MAJOR = {b"msf1": b"mif1", b"hevc": b"heic", b"hevx": b"heix", b"avis": b"avif"}


def _profile_for_copy(profile: bytes) -> bytes | None:
    """The colour profile a clean copy carries in place of `profile` (the one place it is chosen): its
    colours rebuilt without its text; None (no profile) when it cannot be rebuilt safely."""
    from checks.images.icc import neutral_profile

    return neutral_profile(profile)


def box(btype: bytes, *payload: bytes) -> bytes:
    body = b"".join(payload)
    if len(body) + 8 > 0xFFFFFFFF:
        return struct.pack(">I4sQ", 1, btype, len(body) + 16) + body
    return struct.pack(">I4s", len(body) + 8, btype) + body


def full(version: int, flags: int = 0) -> bytes:
    return struct.pack(">I", (version << 24) | flags)


def aux_type(data: bytes, s: Structure, item_id: int) -> bytes | None:
    for _essential, index in s.assoc.get(item_id, []):
        prop = s.props[index - 1]
        if prop.type == b"auxC":
            r = Reader(data, prop.payload, prop.end, "auxiliary picture type")
            r.uint(4)
            return r.cstring()
    return None


def kept_items(data: bytes, s: Structure) -> list[int]:
    """The primary item and what it needs to be shown, in a fixed order (primary first)."""
    if s.primary is None:
        raise DamagedImage("The picture is damaged (it does not say which picture is the main one).")
    if s.primary not in s.items:
        raise damaged("its main picture is missing")
    inputs: dict[int, list[int]] = {}
    for rtype, from_id, to in s.refs:
        if rtype == b"dimg":
            inputs.setdefault(from_id, []).extend(to)
    order: list[int] = []
    state: dict[int, int] = {}  # 1: being visited, 2: done

    def visit(root: int) -> None:
        stack = [(root, 0)]
        while stack:
            node, i = stack.pop()
            if i == 0:
                if state.get(node) == 2:
                    continue
                if state.get(node) == 1:
                    raise damaged("its pictures are built from each other in a loop")
                if node not in s.items:
                    raise damaged(f"its main picture is built from an item ({node}) that does not exist")
                state[node] = 1
            children = inputs.get(node, [])
            if i < len(children):
                stack.append((node, i + 1))
                child = children[i]
                if state.get(child) == 1:
                    raise damaged("its pictures are built from each other in a loop")
                if state.get(child) != 2:
                    stack.append((child, 0))
                continue
            state[node] = 2
            order.append(node)
            if len(order) > MAX_BOXES:
                raise damaged("its main picture is built from far too many parts")

    visit(s.primary)
    picture = set(order)  # an alpha may belong to the primary or to its tiles
    for rtype, from_id, to in s.refs:
        if rtype == b"auxl" and picture.intersection(to) and aux_type(data, s, from_id) in ALPHA_URNS:
            visit(from_id)
    order.remove(s.primary)
    order.insert(0, s.primary)
    for item_id in order:
        item = s.items[item_id]
        if item.protected:
            raise UnsupportedImage("The picture is encrypted, so SafeSpace cannot make a clean copy.")
        if item.type not in IMAGE_TYPES:
            raise damaged(f"its main picture is built from a part that is not a picture ({item_id})")
        if not item.located:
            raise damaged(f"the data of picture item {item_id} is missing")
        if item.problem:
            raise damaged(f"the data of picture item {item_id} cannot be used: {item.problem}")
    _check_extents(s, order)
    return order


def merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) spans covering the same bytes."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _check_extents(s: Structure, kept: list[int]) -> None:
    """Kept picture data must lie in a media data box and share no byte with an item that is left out: a
    file that points its picture at its own metadata would otherwise carry it into the copy."""
    media = merged([(b.payload, b.end) for b in s.top if b.type == b"mdat"])
    keep = set(kept)
    dropped = merged([(o, o + n) for i, item in s.items.items() if i not in keep for o, n in item.extents])
    media_starts, dropped_starts = [a for a, _ in media], [a for a, _ in dropped]
    for item_id in kept:
        item = s.items[item_id]
        for offset, length in item.extents:  # (extents in idat were checked to lie inside it)
            i = bisect.bisect_right(media_starts, offset) - 1
            if item.method == 0 and (i < 0 or offset + length > media[i][1]):
                raise damaged(f"the data of picture item {item_id} lies outside its media data")
            j = (
                bisect.bisect_left(dropped_starts, offset + length) - 1
            )  # the last span starting before it ends
            if length and j >= 0 and dropped[j][1] > offset:
                raise damaged(f"the data of picture item {item_id} overlaps other data")


def rebuild_property(data: bytes, prop: Box, keep_icc: bool) -> bytes | None:
    """The property in canonical form for a clean copy, or None when it is left out."""
    t = prop.type
    r = Reader(data, prop.payload, prop.end, f"'{t.decode('latin-1')}' property")
    if t == b"ispe":
        r.uint(4)
        return box(t, full(0), struct.pack(">II", r.uint(4), r.uint(4)))
    if t == b"irot":
        return box(t, bytes([r.uint(1) & 3]))
    if t == b"imir":
        return box(t, bytes([r.uint(1) & 1]))
    if t == b"clap":
        return box(t, r.take(32))
    if t == b"pasp":
        return box(t, r.take(8))
    if t == b"pixi":
        r.uint(4)
        n = r.uint(1)
        return box(t, full(0), bytes([n]), r.take(n))
    if t == b"colr":
        kind = r.take(4)
        if kind == b"nclx":
            return box(t, kind, r.take(7))
        if kind in (b"prof", b"rICC") and keep_icc:
            profile = _profile_for_copy(bytes(data[r.pos : prop.end]))
            return box(t, kind, profile) if profile else None
        return None
    if t == b"clli":
        return box(t, r.take(4))
    if t == b"mdcv":
        return box(t, r.take(24))
    if t == b"lsel":
        return box(t, r.take(2))
    if t == b"a1op":
        return box(t, r.take(1))
    if t == b"hvcC":
        r.take(22)
        for _ in range(r.uint(1)):
            r.uint(1)
            for _ in range(r.uint(2)):
                r.take(r.uint(2))
        return box(t, bytes(data[prop.payload : r.pos]))  # what the parser read; trailing bytes go
    if t in _COPIED:
        return box(t, bytes(data[prop.payload : prop.end]))
    return None


def _ftyp(data: bytes, ftyp: Box) -> bytes:
    r = Reader(data, ftyp.payload, ftyp.end, "file type")
    major = r.take(4)
    r.uint(4)
    brands = [r.take(4) for _ in range(min(r.left() // 4, 64))]
    major = _SEQUENCE_MAJOR.get(major, major)
    if major not in _BRANDS:
        major = b"avif" if b"avif" in brands else b"heic" if b"heic" in brands else b"mif1"
    kept = [b"mif1"] + [b for b in brands if b in _BRANDS and b != b"mif1"]
    if major not in kept:
        kept.append(major)
    return box(b"ftyp", major, b"\0\0\0\0", *dict.fromkeys(kept))


def clean_pieces(data: bytes, s: Structure, keep_icc: bool) -> list[bytes | memoryview]:
    """The clean copy's bytes in order: new ftyp and meta, then one mdat of the kept items' extents."""
    kept = kept_items(data, s)
    keep = set(kept)
    new_props: list[bytes] = []
    new_index: dict[int, int] = {}
    assoc: list[tuple[int, list[tuple[bool, int]]]] = []
    for item_id in kept:
        links: list[tuple[bool, int]] = []
        for essential, index in s.assoc.get(item_id, []):
            if index not in new_index:
                rebuilt = rebuild_property(data, s.props[index - 1], keep_icc)
                new_index[index] = 0 if rebuilt is None else len(new_props) + 1
                if rebuilt is not None:
                    new_props.append(rebuilt)
            if new_index[index]:
                links.append((essential, new_index[index]))
        config = DECODER_CONFIG.get(s.items[item_id].type)
        if config and not any(new_props[i - 1][4:8] == config for _, i in links):
            raise damaged(f"picture item {item_id} has no decoder settings")
        assoc.append((item_id, links))
    refs = []
    for rtype, from_id, to in s.refs:
        if from_id in keep and rtype in (b"dimg", b"auxl", b"prem"):
            targets = [t for t in to if t in keep]
            if targets:
                refs.append((rtype, from_id, targets))

    view = memoryview(data)
    mdat_pieces: list[memoryview] = []
    idat_pieces: list[memoryview] = []
    located: list[tuple[int, int, list[tuple[int, int]]]] = []  # (item, method, [(relative offset, length)])
    sizes = {0: 0, 1: 0}
    for item_id in kept:
        item = s.items[item_id]
        pieces = idat_pieces if item.method == 1 else mdat_pieces
        extents = []
        for offset, length in item.extents:
            extents.append((sizes[item.method], length))
            sizes[item.method] += length
            pieces.append(view[offset : offset + length])
        located.append((item_id, item.method, extents))
    big = len(data) + (1 << 20) > 0xFFFFFFFF  # offsets and the mdat size need 64 bits
    wide = max(kept) > 0xFFFF  # item numbers need 32 bits
    if big:
        mdat_header = struct.pack(">I4sQ", 1, b"mdat", sizes[0] + 16)
    else:
        mdat_header = struct.pack(">I4s", sizes[0] + 8, b"mdat")
    ftyp = _ftyp(data, s.ftyp)

    def meta(base: int) -> bytes:
        return box(
            b"meta",
            full(0),
            box(b"hdlr", full(0), b"\0\0\0\0pict", bytes(12), b"\0"),
            box(b"pitm", full(1 if wide else 0), struct.pack(">I" if wide else ">H", kept[0])),
            _iloc(located, base, big, wide),
            _iinf(s, kept, wide),
            _iref(refs, wide) if refs else b"",
            box(b"iprp", box(b"ipco", *new_props), _ipma(assoc, wide, len(new_props) > 127)),
            box(b"idat", *[bytes(p) for p in idat_pieces]) if idat_pieces else b"",
        )

    size = len(meta(0))
    head = meta(len(ftyp) + size + len(mdat_header))
    if len(head) != size:
        raise damaged("its item list could not be rebuilt")
    out: list[bytes | memoryview] = [ftyp, head]
    if mdat_pieces:
        out.append(mdat_header)
        out.extend(mdat_pieces)
    return out


def _iloc(located: list[tuple[int, int, list[tuple[int, int]]]], base: int, big: bool, wide: bool) -> bytes:
    n = 8 if big else 4
    fmt = ">Q" if big else ">I"
    parts = [
        full(2 if wide else 1),
        bytes([n << 4 | n, 0]),
        struct.pack(">I" if wide else ">H", len(located)),
    ]
    for item_id, method, extents in located:
        parts.append(struct.pack(">I" if wide else ">H", item_id))
        parts.append(struct.pack(">HHH", method, 0, len(extents)))
        for offset, length in extents:
            parts.append(struct.pack(fmt, offset + (base if method == 0 else 0)) + struct.pack(fmt, length))
    return box(b"iloc", *parts)


def _iinf(s: Structure, kept: list[int], wide: bool) -> bytes:
    entries = []
    for item_id in kept:
        item = s.items[item_id]
        head = full(3 if item_id > 0xFFFF else 2, 1 if item.hidden else 0)
        ident = struct.pack(">I" if item_id > 0xFFFF else ">H", item_id)
        entries.append(box(b"infe", head, ident, b"\0\0", item.type, b"\0"))
    count = struct.pack(">I" if len(kept) > 0xFFFF else ">H", len(kept))
    return box(b"iinf", full(1 if len(kept) > 0xFFFF else 0), count, *entries)


def _iref(refs: list[tuple[bytes, int, list[int]]], wide: bool) -> bytes:
    f = ">I" if wide else ">H"
    kids = [
        box(rtype, struct.pack(f, from_id), struct.pack(">H", len(to)), *[struct.pack(f, t) for t in to])
        for rtype, from_id, to in refs
    ]
    return box(b"iref", full(1 if wide else 0), *kids)


def _ipma(assoc: list[tuple[int, list[tuple[bool, int]]]], wide: bool, long_index: bool) -> bytes:
    parts = [full(1 if wide else 0, 1 if long_index else 0), struct.pack(">I", len(assoc))]
    for item_id, links in assoc:
        parts.append(struct.pack(">I" if wide else ">H", item_id) + bytes([len(links)]))
        for essential, index in links:
            if long_index:
                parts.append(struct.pack(">H", (0x8000 if essential else 0) | index))
            else:
                parts.append(bytes([(0x80 if essential else 0) | index]))
    return box(b"ipma", *parts)
