"""A small, bounded reader for TIFF-structured data: EXIF blocks, maker notes and TIFF files.

Written for untrusted input: every offset is checked against the buffer, IFD chains are followed at most
a fixed number of times and never twice to the same place, and values are decoded only when asked for.
Nothing here allocates more than the input's size.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from checks.errors import DamagedImage

# TIFF field types: size in bytes of one value.
_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
MAX_ENTRIES = 1000  # entries in one IFD; real files have a few dozen
MAX_IFDS = 64  # IFDs followed in one chain
MAX_STRING = 64 * 1024  # longest text value decoded

# Tags that point to other IFDs.
EXIF_IFD = 0x8769
GPS_IFD = 0x8825
INTEROP_IFD = 0xA005


@dataclass(frozen=True, slots=True)
class Entry:
    tag: int
    type: int
    count: int
    offset: int  # absolute position of the value bytes in the buffer


class Ifd:
    """One image file directory: tag -> entry, with typed accessors that never raise on bad data."""

    def __init__(self, reader: TiffReader, offset: int, entries: dict[int, Entry], next_offset: int):
        self.reader = reader
        self.offset = offset
        self.entries = entries
        self.next_offset = next_offset

    def __contains__(self, tag: int) -> bool:
        return tag in self.entries

    def raw(self, tag: int) -> bytes | None:
        e = self.entries.get(tag)
        if e is None:
            return None
        size = _TYPE_SIZES[e.type] * e.count
        return bytes(self.reader.buf[e.offset : e.offset + size])

    def text(self, tag: int) -> str | None:
        """ASCII or UNDEFINED text, trimmed of NULs and spaces; None when absent or empty."""
        raw = self.raw(tag)
        if raw is None:
            return None
        raw = raw[:MAX_STRING].split(b"\0", 1)[0] if self.entries[tag].type == 2 else raw[:MAX_STRING]
        value = _decode_text(raw).strip(" \0")
        return value or None

    def ints(self, tag: int) -> list[int]:
        e = self.entries.get(tag)
        if e is None or e.type not in (1, 3, 4, 6, 8, 9, 13):
            return []
        fmt = {1: "B", 3: "H", 4: "I", 6: "b", 8: "h", 9: "i", 13: "I"}[e.type]
        count = min(e.count, 4096)
        try:
            return list(struct.unpack_from(self.reader.endian + fmt * count, self.reader.buf, e.offset))
        except struct.error:
            return []

    def first_int(self, tag: int) -> int | None:
        values = self.ints(tag)
        return values[0] if values else None

    def rationals(self, tag: int) -> list[float]:
        e = self.entries.get(tag)
        if e is None or e.type not in (5, 10):
            return []
        fmt = "II" if e.type == 5 else "ii"
        out: list[float] = []
        for i in range(min(e.count, 64)):
            try:
                num, den = struct.unpack_from(self.reader.endian + fmt, self.reader.buf, e.offset + 8 * i)
            except struct.error:
                break
            out.append(num / den if den else float("nan"))
        return out

    def rational_denominators(self, tag: int) -> list[int]:
        e = self.entries.get(tag)
        if e is None or e.type not in (5, 10):
            return []
        out = []
        for i in range(min(e.count, 64)):
            try:
                _, den = struct.unpack_from(self.reader.endian + "II", self.reader.buf, e.offset + 8 * i)
            except struct.error:
                break
            out.append(den)
        return out

    def ucs2(self, tag: int) -> str | None:
        """Windows XP* tags: UTF-16LE stored as BYTE."""
        raw = self.raw(tag)
        if not raw:
            return None
        value = raw[:MAX_STRING].decode("utf-16-le", "replace").split("\0", 1)[0].strip()
        return value or None

    def sub_ifd(self, tag: int) -> Ifd | None:
        offset = self.first_int(tag)
        if offset is None:
            return None
        return self.reader.ifd_at(self.reader.base + offset)

    def next(self) -> Ifd | None:
        if not self.next_offset:
            return None
        return self.reader.ifd_at(self.reader.base + self.next_offset)


def _decode_text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


class TiffReader:
    """Reads IFDs from a buffer that holds a TIFF header at `base`.

    Offsets inside the structure are relative to `base` (the TIFF header), as in EXIF. A maker note may use
    a different base; pass it explicitly with `ifd_at_relative`.
    """

    def __init__(self, buf: bytes | memoryview, base: int = 0, endian: str | None = None):
        self.buf = buf
        self.base = base
        self.odd_magic = False
        self._seen: set[int] = set()
        if endian is None:
            order = bytes(buf[base : base + 2])
            if order == b"II":
                endian = "<"
            elif order == b"MM":
                endian = ">"
            else:
                raise DamagedImage("The hidden photo details are damaged (no valid byte-order mark).")
            try:
                (magic,) = struct.unpack_from(endian + "H", buf, base + 2)
            except struct.error as exc:
                raise DamagedImage("The hidden photo details are cut short.") from exc
            # TIFF, Olympus ORF, Panasonic RW2. Another number after a valid byte-order mark is read all the
            # same, as ExifTool does (with a warning): a wrong magic number must not hide a GPS position.
            self.odd_magic = magic not in (42, 0x4F52, 0x5352, 0x55)
        self.endian = endian

    def first_ifd(self) -> Ifd | None:
        try:
            (offset,) = struct.unpack_from(self.endian + "I", self.buf, self.base + 4)
        except struct.error:
            return None
        return self.ifd_at(self.base + offset)

    def ifd_at(self, position: int) -> Ifd | None:
        """The IFD at an absolute position, or None when it is out of range or was already read."""
        buf = self.buf
        if position in self._seen or len(self._seen) >= MAX_IFDS or position < 0 or position + 2 > len(buf):
            return None
        self._seen.add(position)
        e = self.endian
        (count,) = struct.unpack_from(e + "H", buf, position)
        if count == 0 or count > MAX_ENTRIES or position + 2 + 12 * count > len(buf):
            return None
        entries: dict[int, Entry] = {}
        for i in range(count):
            tag, typ, n, value = struct.unpack_from(e + "HHII", buf, position + 2 + 12 * i)
            size = _TYPE_SIZES.get(typ)
            if size is None or n == 0:
                continue
            total = size * n
            where = position + 2 + 12 * i + 8 if total <= 4 else self.base + value
            if where < 0 or where + total > len(buf):
                continue  # points outside the data: ignore this entry, keep the rest
            entries.setdefault(tag, Entry(tag, typ, n, where))
        next_at = position + 2 + 12 * count
        next_offset = struct.unpack_from(e + "I", buf, next_at)[0] if next_at + 4 <= len(buf) else 0
        return Ifd(self, position, entries, next_offset)
