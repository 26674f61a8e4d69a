"""Serial numbers and unique IDs inside common camera maker notes.

A maker note is the camera maker's private block inside EXIF. Layouts below follow ExifTool's
documentation of the MakerNotes tags (exiftool.org/TagNames/{Nikon,Canon,FujiFilm,Panasonic,Pentax,Olympus,
Apple}.html). Only tags that identify a device or link photos are read; anything odd is ignored quietly,
and the whole note is removed by cleaning in any case.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from checks.errors import DamagedImage
from checks.images.facts import Facts
from checks.images.tiffparse import TiffReader


@dataclass(frozen=True)
class Layout:
    name: str
    prefix: bytes
    ifd_at: int  # where the IFD starts, counted from the start of the note
    base: str  # offsets inside are relative to: "tiff" (the EXIF header) or "note" (the note's start)
    endian_at: int | None = None  # position of an "II"/"MM" mark in the note; None: same as EXIF
    fixed_endian: str | None = None
    tags: dict[int, tuple[str, str]] = field(default_factory=dict)
    sub_ifds: dict[int, dict[int, tuple[str, str]]] = field(default_factory=dict)


_SERIAL = "image.serial"
_LAYOUTS = [
    Layout(
        "Nikon",
        b"Nikon\x00\x02",
        18,
        "inner",
        endian_at=10,
        tags={0x001D: (_SERIAL, "Serial number (Nikon)"), 0x00A0: (_SERIAL, "Serial number (Nikon)")},
    ),
    Layout("Nikon", b"Nikon\x00\x01", 8, "tiff"),
    Layout(
        "Fujifilm",
        b"FUJIFILM",
        -1,
        "note",
        fixed_endian="<",
        tags={0x0010: (_SERIAL, "Internal serial number (Fujifilm)")},
    ),
    Layout(
        "Panasonic",
        b"Panasonic\x00\x00\x00",
        12,
        "tiff",
        tags={0x0025: (_SERIAL, "Internal serial number (Panasonic)")},
    ),
    Layout("Pentax", b"AOC\x00", 6, "tiff", endian_at=4, tags={0x0229: (_SERIAL, "Serial number (Pentax)")}),
    Layout(
        "Pentax", b"PENTAX \x00", 10, "note", endian_at=8, tags={0x0229: (_SERIAL, "Serial number (Pentax)")}
    ),
    Layout(
        "Olympus",
        b"OLYMPUS\x00",
        12,
        "note",
        endian_at=8,
        sub_ifds={
            0x2010: {
                0x0101: (_SERIAL, "Serial number (Olympus)"),
                0x0102: (_SERIAL, "Internal serial number (Olympus)"),
                0x0202: (_SERIAL, "Lens serial number (Olympus)"),
            }
        },
    ),
    Layout("Olympus", b"OLYMP\x00", 8, "tiff"),
    Layout(
        "Apple",
        b"Apple iOS\x00",
        14,
        "note",
        endian_at=12,
        tags={
            0x0011: ("image.unique_id", "Content ID (Apple; links a Live Photo)"),
            0x0020: ("image.unique_id", "Image capture ID (Apple)"),
        },
    ),
]
_CANON = Layout(
    "Canon",
    b"",
    0,
    "tiff",
    tags={
        0x0009: ("image.owner", "Owner name (Canon)"),
        0x000C: (_SERIAL, "Serial number (Canon)"),
        0x0096: (_SERIAL, "Internal serial number (Canon)"),
    },
)


def read(exif: TiffReader, start: int, length: int, make: str, facts: Facts) -> str:
    """Record what the maker note at `start` gives away; return the maker's name or "unknown"."""
    note = bytes(exif.buf[start : start + min(length, 64)])
    layout = next((lay for lay in _LAYOUTS if note.startswith(lay.prefix)), None)
    if layout is None and make.lower().startswith("canon"):
        layout = _CANON
    if layout is None:
        return "unknown"
    # A damaged maker note is still removed by cleaning; there is just nothing more to report from it.
    with contextlib.suppress(DamagedImage, IndexError, ValueError):
        _read_layout(exif, start, layout, facts)
    return layout.name


def _read_layout(exif: TiffReader, start: int, layout: Layout, facts: Facts) -> None:
    buf = exif.buf
    endian = layout.fixed_endian or exif.endian
    if layout.endian_at is not None:
        mark = bytes(buf[start + layout.endian_at : start + layout.endian_at + 2])
        endian = {b"II": "<", b"MM": ">"}.get(mark, exif.endian)
    if layout.base == "inner":
        reader = TiffReader(buf, start + (layout.endian_at or 0), None)  # a whole TIFF header inside the note
        ifd = reader.first_ifd()
    else:
        base = start if layout.base == "note" else exif.base
        reader = TiffReader(buf, base, endian)
        ifd_at = layout.ifd_at
        if ifd_at < 0:  # Fujifilm: the IFD offset is stored at +8
            ifd_at = int.from_bytes(bytes(buf[start + 8 : start + 12]), "little")
        ifd = reader.ifd_at(start + ifd_at)
    if ifd is None:
        return
    for tag, (fid, label) in layout.tags.items():
        if tag in ifd:
            entry = ifd.entries[tag]
            facts.add(fid, label, ifd.text(tag) if entry.type in (2, 7) else ifd.first_int(tag))
    for tag, tags in layout.sub_ifds.items():
        sub = ifd.sub_ifd(tag)
        if sub is None:
            continue
        for sub_tag, (fid, label) in tags.items():
            if sub_tag in sub:
                facts.add(fid, label, sub.text(sub_tag))
