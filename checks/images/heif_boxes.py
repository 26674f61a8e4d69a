"""HEIF/AVIF structure: a strict walker for the boxes that describe items (ISO/IEC 23008-12, 14496-12).

Used to report what a file holds and to rebuild it. Every count and size read from the file is checked
against the bytes that are really there before it is used, so a hostile file gives a DamagedImage (never a
traceback, a huge loop or a read past the end). Item data that cannot be located is noted on the item, not
raised: only items that are kept in a clean copy must be readable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from checks.errors import DamagedImage, UnsupportedImage

MAX_BOXES = 20_000  # boxes in one container, items, extents or references: far beyond any camera's
DAMAGED = "The picture is damaged ({}), so SafeSpace cannot read it safely."


def damaged(what: str) -> DamagedImage:
    return DamagedImage(DAMAGED.format(what))


@dataclass(frozen=True)
class Box:
    type: bytes
    start: int  # where the box header starts
    payload: int  # where its content starts
    end: int

    @property
    def size(self) -> int:
        return self.end - self.start


def boxes(data: bytes, start: int, end: int, *, top: bool = False) -> tuple[list[Box], bool]:
    """The boxes between start and end, and whether the last one runs past the end of the file.

    At the top level, once the item list has been seen, what follows is other software's business: bytes
    that do not form a box (an appended trailer) become one typeless box, and a box that runs past the end
    of the file is taken to end with it, as decoders do (the items a copy keeps must still lie inside the
    file). Anywhere else a bad size is damage."""
    out: list[Box] = []
    pos = start
    cut = False
    seen_meta = False
    while pos < end:
        if len(out) >= MAX_BOXES:
            raise damaged("it has far too many parts")
        try:
            found = _one_box(data, pos, end)
        except DamagedImage:
            if not (top and seen_meta):
                raise
            out.append(Box(b"", pos, pos, end))  # trailing bytes that are not a box
            break
        if found.end > end:
            if not (top and seen_meta) or found.type in (b"ftyp", b"meta"):
                raise damaged(f"a part at byte {pos} runs past the end of its container")
            found, cut = Box(found.type, found.start, found.payload, end), True
        seen_meta = seen_meta or found.type == b"meta"
        out.append(found)
        pos = found.end
    return out, cut


def _one_box(data: bytes, pos: int, end: int) -> Box:
    """The box starting at pos; its end may lie past `end` (the caller decides)."""
    if pos + 8 > end:
        raise damaged(f"a part at byte {pos} is cut short")
    size = int.from_bytes(data[pos : pos + 4], "big")
    btype = bytes(data[pos + 4 : pos + 8])
    header = 8
    if size == 1:
        if pos + 16 > end:
            raise damaged(f"a part at byte {pos} is cut short")
        size = int.from_bytes(data[pos + 8 : pos + 16], "big")
        header = 16
    elif size == 0:
        size = end - pos
    if btype == b"uuid":
        header += 16
    if size < header or pos + header > end:
        raise damaged(f"a part at byte {pos} has an impossible size")
    return Box(btype, pos, pos + header, pos + size)


class Reader:
    """Reads big-endian fields from one box's content, refusing to go past its end."""

    def __init__(self, data: bytes, pos: int, end: int, what: str) -> None:
        self.data, self.pos, self.end, self.what = data, pos, end, what

    def left(self) -> int:
        return self.end - self.pos

    def need(self, n: int) -> None:
        if n < 0 or self.pos + n > self.end:
            raise damaged(f"its {self.what} is cut short")

    def uint(self, n: int) -> int:
        if n == 0:
            return 0
        self.need(n)
        value = int.from_bytes(self.data[self.pos : self.pos + n], "big")
        self.pos += n
        return value

    def take(self, n: int) -> bytes:
        self.need(n)
        value = bytes(self.data[self.pos : self.pos + n])
        self.pos += n
        return value

    def cstring(self) -> bytes:
        """A NUL-terminated string (an unterminated one runs to the end of the box, as readers accept)."""
        stop = self.data.find(b"\x00", self.pos, self.end)
        if stop < 0:
            value, self.pos = bytes(self.data[self.pos : self.end]), self.end
            return value
        value = bytes(self.data[self.pos : stop])
        self.pos = stop + 1
        return value

    def count(self, n: int, each: int) -> int:
        """A count of entries of at least `each` bytes, checked against the bytes left."""
        value = self.uint(n)
        if value > MAX_BOXES or value * each > self.left():
            raise damaged(f"its {self.what} lists more entries than it holds")
        return value


@dataclass
class Item:
    id: int
    type: bytes
    content_type: str = ""
    hidden: bool = False
    name: bytes = b""
    protected: bool = False
    located: bool = False
    method: int = 0  # 0: bytes in the file, 1: bytes in the idat box
    extents: list[tuple[int, int]] = field(default_factory=list)  # (absolute offset, length)
    problem: str | None = None  # why its data cannot be read, when it cannot

    def body(self, data: bytes) -> bytes:
        return b"".join(data[o : o + n] for o, n in self.extents)


@dataclass
class Structure:
    """What the meta box says: items, the primary, references and properties."""

    ftyp: Box
    meta: Box
    top: list[Box]
    cut_short: bool
    children: dict[bytes, Box]
    items: dict[int, Item]
    primary: int | None
    refs: list[tuple[bytes, int, list[int]]]  # (type, from item, to items)
    props: list[Box]  # ipco children; property index i is props[i - 1]
    assoc: dict[int, list[tuple[bool, int]]]  # item -> [(essential, property index)]
    idat: Box | None


def parse_structure(data: bytes) -> Structure:
    top, cut = boxes(data, 0, len(data), top=True)
    if not top or top[0].type != b"ftyp":
        raise damaged("it does not start with a file type box")
    meta = next((b for b in top if b.type == b"meta"), None)
    if meta is None:
        raise DamagedImage("The picture is damaged (it has no item list).")
    if meta.end - meta.payload < 4:
        raise damaged("its item list is empty")
    kids, _ = boxes(data, meta.payload + 4, meta.end)
    children: dict[bytes, Box] = {}
    for kid in kids:
        if kid.type in children and kid.type in (b"iinf", b"iloc", b"pitm", b"iref", b"iprp", b"idat"):
            raise damaged(f"its item list has two '{kid.type.decode('latin-1')}' boxes")
        children.setdefault(kid.type, kid)
    items = _read_iinf(data, children.get(b"iinf"))
    idat = children.get(b"idat")
    _read_iloc(data, children.get(b"iloc"), items, idat)
    primary = None
    if b"pitm" in children:
        pitm = children[b"pitm"]
        r = Reader(data, pitm.payload, pitm.end, "primary item box")
        version = r.uint(1)
        r.uint(3)
        primary = r.uint(2 if version == 0 else 4)
    refs = _read_iref(data, children.get(b"iref"))
    props, assoc = _read_iprp(data, children.get(b"iprp"))
    return Structure(top[0], meta, top, cut, children, items, primary, refs, props, assoc, idat)


def _read_iinf(data: bytes, box: Box | None) -> dict[int, Item]:
    items: dict[int, Item] = {}
    if box is None:
        return items
    r = Reader(data, box.payload, box.end, "item list")
    version = r.uint(1)
    r.uint(3)
    r.uint(2 if version == 0 else 4)  # entry count: the boxes themselves are what counts
    entries, _ = boxes(data, r.pos, box.end)
    for entry in entries:
        if entry.type != b"infe":
            continue
        e = Reader(data, entry.payload, entry.end, "item entry")
        version = e.uint(1)
        flags = e.uint(3)
        if version < 2:  # an old-style entry without an item type: kept as an unknown item
            item = Item(e.uint(2), b"", protected=e.uint(2) != 0)
        else:
            item = Item(e.uint(2 if version == 2 else 4), b"")
            item.protected = e.uint(2) != 0
            item.type = e.take(4)
            item.name = e.cstring()
            if item.type == b"mime":
                item.content_type = e.cstring().decode("latin-1").lower()
            elif item.type == b"uri ":
                item.content_type = e.cstring().decode("latin-1")
        item.hidden = bool(flags & 1)
        if item.id in items:
            raise damaged(f"two items have the number {item.id}")
        items[item.id] = item
    return items


def _read_iloc(data: bytes, box: Box | None, items: dict[int, Item], idat: Box | None) -> None:
    if box is None:
        return
    r = Reader(data, box.payload, box.end, "item locations")
    version = r.uint(1)
    r.uint(3)
    if version > 2:
        raise UnsupportedImage("The picture uses a newer way of storing its data that SafeSpace cannot read.")
    sizes = r.uint(1)
    offset_size, length_size = sizes >> 4, sizes & 15
    sizes = r.uint(1)
    base_size, index_size = sizes >> 4, (sizes & 15) if version in (1, 2) else 0
    if any(s not in (0, 4, 8) for s in (offset_size, length_size, base_size, index_size)):
        raise damaged("its item locations use an impossible field size")
    id_size = 4 if version == 2 else 2
    count = r.count(4 if version == 2 else 2, id_size + 2 + base_size + 2)
    extent_size = index_size + offset_size + length_size
    for _ in range(count):
        item_id = r.uint(id_size)
        method = r.uint(2) & 15 if version in (1, 2) else 0
        reference = r.uint(2)
        base = r.uint(base_size)
        n = r.count(2, extent_size) if extent_size else r.uint(2)
        if n > MAX_BOXES:
            raise damaged("an item has far too many pieces")
        raw = []
        for _ in range(n):
            r.uint(index_size)
            raw.append((r.uint(offset_size), r.uint(length_size)))
        item = items.get(item_id)
        if item is None:
            continue
        if item.located:
            raise damaged(f"item {item_id} is located twice")
        item.located, item.method = True, method
        if reference != 0:
            item.problem = "its data is in another file"
        elif method == 0:
            item.extents, item.problem = _extents(raw, base, 0, len(data))
        elif method == 1:
            if idat is None:
                item.problem = "its data box is missing"
            else:
                item.extents, item.problem = _extents(raw, base, idat.payload, idat.end)
        else:
            item.problem = "its data is stored as part of another item"


def _extents(
    raw: list[tuple[int, int]], base: int, start: int, end: int
) -> tuple[list[tuple[int, int]], str | None]:
    out = []
    for offset, length in raw:
        where = start + base + offset
        if length == 0:  # "the rest of the data", as ISO/IEC 14496-12 defines it
            length = end - where
        if where < start or length < 0 or where + length > end:
            return [], "its data lies past the end of the file"
        out.append((where, length))
    return out, None


def _read_iref(data: bytes, box: Box | None) -> list[tuple[bytes, int, list[int]]]:
    refs: list[tuple[bytes, int, list[int]]] = []
    if box is None:
        return refs
    r = Reader(data, box.payload, box.end, "item references")
    version = r.uint(1)
    r.uint(3)
    id_size = 2 if version == 0 else 4
    kids, _ = boxes(data, r.pos, box.end)
    for kid in kids:
        k = Reader(data, kid.payload, kid.end, "item references")
        from_id = k.uint(id_size)
        n = k.count(2, id_size)
        refs.append((kid.type, from_id, [k.uint(id_size) for _ in range(n)]))
    return refs


def _read_iprp(data: bytes, box: Box | None) -> tuple[list[Box], dict[int, list[tuple[bool, int]]]]:
    props: list[Box] = []
    assoc: dict[int, list[tuple[bool, int]]] = {}
    if box is None:
        return props, assoc
    kids, _ = boxes(data, box.payload, box.end)
    ipco = [k for k in kids if k.type == b"ipco"]
    if len(ipco) > 1:
        raise damaged("it has two property lists")
    if ipco:
        props, _ = boxes(data, ipco[0].payload, ipco[0].end)
    for kid in kids:
        if kid.type != b"ipma":
            continue
        r = Reader(data, kid.payload, kid.end, "property links")
        version = r.uint(1)
        flags = r.uint(3)
        id_size, index_size = (2 if version < 1 else 4), (2 if flags & 1 else 1)
        for _ in range(r.count(4, id_size + 1)):
            item_id = r.uint(id_size)
            links = []
            for _ in range(r.count(1, index_size)):
                raw = r.uint(index_size)
                bits = 15 if index_size == 2 else 7
                index = raw & ((1 << bits) - 1)
                if index > len(props):
                    raise damaged("a picture is linked to a property that does not exist")
                if index:
                    links.append((bool(raw >> bits), index))
            if item_id in assoc:
                raise damaged(f"item {item_id} has its properties listed twice")
            assoc[item_id] = links
    return props, assoc
