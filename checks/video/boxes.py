"""A bounded reader for ISO base media files (MP4, MOV, M4V, 3GP): the boxes of the file, read from disk
without loading the media data.

Top-level boxes are found by seeking from header to header, so a 2 GB video costs a few reads. The movie
box (`moov`, the index of the media) is read whole, within a limit, and walked in memory. Every size is
checked against what holds it: a box that claims more than its parent is an error for that file, never a
read past the end or an endless loop.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import BinaryIO

from checks.errors import DamagedImage, TooLarge

MAX_MOOV = 256 << 20  # a movie index larger than this is refused (a long 4K video has a few MB)
MAX_BOXES = 200_000
# Boxes whose children are boxes, as far as SafeSpace reads them.
CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"udta", b"edts", b"dinf", b"mvex", b"moof",
              b"traf", b"tref", b"ilst", b"gmhd", b"tapt", b"sinf", b"schi", b"mfra"}  # fmt: skip
# Boxes with a version and flags before their children.
FULL_CONTAINERS = {b"meta"}


class VideoDamaged(DamagedImage):
    """The video's structure is broken (the message says where)."""


@dataclass
class Box:
    type: bytes
    start: int  # absolute offset of the box's first byte
    header: int  # header length (8, 16, or 8/16 plus 4 for a full box's version and flags)
    size: int  # whole box, header included
    children: list[Box] = field(default_factory=list)

    @property
    def end(self) -> int:
        return self.start + self.size

    @property
    def body(self) -> int:
        return self.start + self.header

    def find(self, *path: bytes) -> Box | None:
        box: Box | None = self
        for kind in path:
            box = next((c for c in box.children if c.type == kind), None) if box else None
        return box

    def all(self, kind: bytes) -> list[Box]:
        return [c for c in self.children if c.type == kind]

    def walk(self) -> list[Box]:
        out, stack = [], [self]
        while stack:
            box = stack.pop()
            out.append(box)
            stack.extend(reversed(box.children))
        return out


def read_header(raw: bytes | memoryview, pos: int, limit: int) -> tuple[bytes, int, int]:
    """(type, header length, size) of the box at `pos`, checked against `limit`."""
    if pos + 8 > limit:
        raise VideoDamaged(f"The video is cut short or damaged (a box at byte {pos} is incomplete).")
    size, kind = struct.unpack_from(">I4s", raw, pos)
    header = 8
    if size == 1:
        if pos + 16 > limit:
            raise VideoDamaged(f"The video is cut short or damaged (a box at byte {pos} is incomplete).")
        (size,) = struct.unpack_from(">Q", raw, pos + 8)
        header = 16
    elif size == 0:  # to the end of what holds it
        size = limit - pos
    if kind == b"uuid":
        header += 16
    if size < header or pos + size > limit:
        raise VideoDamaged(
            f"The video is cut short or damaged (a '{_name(kind)}' box at byte {pos} claims {size} bytes, "
            f"more than there are)."
        )
    return bytes(kind), header, size


def _name(kind: bytes) -> str:
    return "".join(chr(c) if 32 <= c < 127 else "?" for c in kind)


def top_level(f: BinaryIO, file_size: int) -> list[Box]:
    boxes: list[Box] = []
    pos = 0
    while pos < file_size:
        f.seek(pos)
        head = f.read(16)
        if len(head) < 8:
            raise VideoDamaged(f"The video is cut short (it ends inside a box at byte {pos}).")
        kind, header, size = read_header(head, 0, file_size - pos)
        boxes.append(Box(kind, pos, header, size))
        pos += size
        if len(boxes) > MAX_BOXES:
            raise TooLarge("The video holds too many boxes to handle safely.")
    return boxes


def children(raw: bytes | memoryview, box: Box, base: int, count: list[int]) -> None:
    """Fill in `box.children` from `raw` (which holds the box, starting at absolute offset `base`)."""
    start = box.body - base
    # An ISO `meta` has a version and flags before its boxes; QuickTime's starts with a box at once.
    if box.type in FULL_CONTAINERS and bytes(raw[start + 4 : start + 8]) not in (b"hdlr", b"keys", b"ilst"):
        start += 4
    pos, end = start, box.end - base
    while pos + 8 <= end:
        kind, header, size = read_header(raw, pos, end)
        child = Box(kind, base + pos, header, size)
        count[0] += 1
        if count[0] > MAX_BOXES:
            raise TooLarge("The video holds too many boxes to handle safely.")
        if kind in CONTAINERS or kind in FULL_CONTAINERS:
            children(raw, child, base, count)
        box.children.append(child)
        pos += size


def full_box(raw: bytes | memoryview, box: Box, base: int) -> tuple[int, int, int]:
    """(version, flags, offset of the content after them) of a full box held in `raw`."""
    at = box.body - base
    if at + 4 > box.end - base:
        raise VideoDamaged(f"The video is damaged (a '{_name(box.type)}' box is too short).")
    version, flags = raw[at], int.from_bytes(bytes(raw[at + 1 : at + 4]), "big")
    return version, flags, at + 4
