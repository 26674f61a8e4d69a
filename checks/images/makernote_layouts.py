"""Where camera makers keep serial numbers in their maker notes: one Layout per kind of note.

Each entry follows ExifTool's MakerNotes.pm (the condition that recognises the note, where its directory
starts, its byte order and what its offsets count from) and its tag tables (exiftool.org/TagNames/{Nikon,
Canon,FujiFilm,Panasonic,Pentax,Olympus,Ricoh,Sigma,Motorola,Samsung,Sony,Reconyx,Apple}.html; Leica
notes are in Panasonic.html). The reader is `makernotes.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SERIAL = "image.serial"


@dataclass(frozen=True)
class Tag:
    """How one tag's value is read: as text or a number ("value"), or from inside a binary block."""

    label: str
    kind: str = "value"  # value | u32 | string (inside a binary block) | padded7 | ricoh | sony | sony9050
    at: int = 0  # position inside the block (u32, string)
    size: int = 0  # length of a string inside the block
    fid: str = SERIAL


@dataclass(frozen=True)
class Layout:
    name: str
    prefix: bytes | re.Pattern[bytes]
    ifd_at: int  # where the IFD starts, counted from the start of the note
    base: str  # offsets inside count from: "tiff" (the EXIF header), "note" (the note's start), "inner"
    endian_at: int | None = None  # position of an "II"/"MM" mark in the note
    fixed_endian: str | None = None
    guess_endian: bool = False  # ExifTool's "Unknown" byte order: told from the entry count
    fix_base: bool = False  # offsets are unreliable: align the first value with the end of the IFD
    make: str = ""  # a pattern the camera maker's name must match, when the prefix alone is not enough
    tags: list[tuple[int, Tag]] = field(default_factory=list)
    sub_ifds: dict[int, list[tuple[int, Tag]]] = field(default_factory=dict)
    sub_header: bytes = b""  # what a sub-IFD's data starts with before its IFD (Ricoh)
    sub_endian: str | None = None  # a sub-IFD's fixed byte order, when it has one


_OLYMPUS_TAGS = [(0x0404, Tag("Serial number (Olympus)")), (0x101A, Tag("Serial number (Olympus)"))]
_OLYMPUS_EQUIPMENT = {
    0x2010: [
        (0x0101, Tag("Serial number (Olympus)")),
        (0x0102, Tag("Internal serial number (Olympus)")),
        (0x0202, Tag("Lens serial number (Olympus)")),
        (0x0302, Tag("Extender serial number (Olympus)")),
        (0x1003, Tag("Flash serial number (Olympus)")),
    ]
}
_PENTAX_TAGS = [
    (0x0229, Tag("Serial number (Pentax)")),
    (0x0215, Tag("Internal serial number (Pentax)", "u32", at=16)),  # CameraInfo, 5th int32u
]
_PANASONIC_TAGS = [
    (0x0025, Tag("Internal serial number (Panasonic)")),
    (0x0052, Tag("Lens serial number (Panasonic)")),
    (0x0054, Tag("Accessory serial number (Panasonic)")),
]
_LEICA5 = [(0x0305, Tag("Serial number (Leica)")), (0x0500, Tag("Internal serial number (Leica)"))]
_LEICA_SUBDIRS = {  # M9: blocks 0x3000, 0x3100, 0x3400 and 0x3900, each an IFD
    sub: [(0x3103, Tag("Serial number (Leica)"))] for sub in (0x3000, 0x3100, 0x3400, 0x3900)
}
_RICOH_TAGS = [(0x0005, Tag("Serial number (Ricoh)", "ricoh"))]
_RICOH_SUBDIR = {  # 0x2001: "[Ricoh Camera Info]\0", then a big-endian IFD whose 0x002C is SerialInfo
    0x2001: [
        (0x002C, Tag("Body serial number (Ricoh)", "string", at=16, size=16)),
        (0x002C, Tag("Lens serial number (Ricoh)", "string", at=48, size=16)),
    ]
}
RICOH_TYPE2 = re.compile(
    rb"MM\x00\x2a\x00\x00\x00\x08\x00.\x00\x00|II\x2a\x00\x08\x00\x00\x00.\x00\x00\x00", re.S
)
_SONY_TAGS = [
    (0x2031, Tag("Serial number (Sony)", "sony")),
    (0x9050, Tag("Internal serial number (Sony)", "sony9050")),
]
LAYOUTS = [
    Layout(
        "Nikon",
        b"Nikon\x00\x02",
        18,
        "inner",
        endian_at=10,
        tags=[(0x001D, Tag("Serial number (Nikon)")), (0x00A0, Tag("Serial number (Nikon)"))],
    ),
    Layout("Nikon", b"Nikon\x00\x01", 8, "tiff"),
    Layout(
        "Fujifilm",
        b"FUJIFILM",
        -1,
        "note",
        fixed_endian="<",
        tags=[(0x0010, Tag("Internal serial number (Fujifilm)"))],
    ),
    Layout("Panasonic", b"Panasonic\x00\x00\x00", 12, "tiff", tags=_PANASONIC_TAGS),
    # Leica: ExifTool's MakerNoteLeica, Leica2-5, Leica8 and Leica10, in its order.
    Layout("Leica", b"", 8, "tiff", guess_endian=True, make="LEICA$", tags=_PANASONIC_TAGS),
    Layout(
        "Leica",
        b"LEICA\x00\x00\x00",
        8,
        "tiff",
        guess_endian=True,
        make="Leica Camera AG",
        tags=[(0x0303, Tag("Serial number (Leica)", "padded7"))],
    ),
    Layout(
        "Leica",
        re.compile(rb"(?!LEICA)"),
        0,
        "tiff",
        guess_endian=True,
        make="Leica Camera AG",
        tags=[(0x000B, Tag("Serial number (Leica)", "string", at=4, size=8))],  # R8/R9: SerialInfo
    ),
    Layout("Leica", b"LEICA0", 8, "note", guess_endian=True, make="Leica Camera AG", sub_ifds=_LEICA_SUBDIRS),
    Layout(
        "Leica",
        re.compile(rb"LEICA\x00[\x01\x04\x05\x06\x07\x10\x1a]\x00"),
        8,
        "note",
        guess_endian=True,
        tags=_LEICA5,
    ),
    Layout("Leica", re.compile(rb"LEICA\x00[\x08\x09]\x00"), 8, "tiff", guess_endian=True, tags=_LEICA5),
    Layout("Leica", b"LEICA CAMERA AG\x00", 18, "tiff", guess_endian=True, tags=_PANASONIC_TAGS),
    Layout("Pentax", b"AOC\x00", 6, "tiff", guess_endian=True, fix_base=True, tags=_PENTAX_TAGS),
    Layout("Pentax", b"PENTAX \x00", 10, "note", endian_at=8, tags=_PENTAX_TAGS),
    Layout("Ricoh", re.compile(rb"RICOH\x00(II|MM)"), 8, "note", endian_at=6, tags=_PENTAX_TAGS),
    Layout(
        "Ricoh",
        re.compile(rb"(?i:ricoh|      |MM\x00\x2a|II\x2a\x00)"),
        8,
        "tiff",
        guess_endian=True,
        make=r"(PENTAX )?RICOH",
        tags=_RICOH_TAGS,
        sub_ifds=_RICOH_SUBDIR,
        sub_header=b"[Ricoh Camera Info]\0",
        sub_endian=">",
    ),
    Layout(
        "Olympus",
        b"OLYMPUS\x00",
        12,
        "note",
        guess_endian=True,
        tags=_OLYMPUS_TAGS,
        sub_ifds=_OLYMPUS_EQUIPMENT,
    ),
    Layout(
        "Olympus",
        b"OM SYSTEM\x00",
        16,
        "note",
        guess_endian=True,
        tags=_OLYMPUS_TAGS,
        sub_ifds=_OLYMPUS_EQUIPMENT,
    ),
    Layout(
        "Olympus",
        re.compile(rb"(OLYMP|EPSON)\x00"),
        8,
        "tiff",
        guess_endian=True,
        tags=_OLYMPUS_TAGS,
        sub_ifds=_OLYMPUS_EQUIPMENT,
    ),
    Layout(
        "Sigma",
        re.compile(rb"SIGMA|FOVEON"),
        10,
        "tiff",
        guess_endian=True,
        make="SIGMA|FOVEON",
        tags=[(0x0002, Tag("Serial number (Sigma)"))],
    ),
    Layout(
        "Motorola", b"MOT\x00", 8, "note", guess_endian=True, tags=[(0x5501, Tag("Serial number (Motorola)"))]
    ),
    Layout(
        "Samsung",
        re.compile(rb"(\x00.\x00\x01\x00\x07\x00{3}\x04|.\x00\x01\x00\x07\x00\x04\x00{3})0100", re.S),
        0,
        "tiff",
        guess_endian=True,
        fix_base=True,
        make="(?i:samsung)$",
        tags=[(0xA002, Tag("Serial number (Samsung)")), (0xA005, Tag("Lens serial number (Samsung)"))],
    ),
    Layout(
        "Sony",
        re.compile(rb"SONY (DSC|CAM|MOBILE)|\x00\x00SONY PIC\x00|VHAB     \x00"),
        12,
        "tiff",
        guess_endian=True,
        tags=_SONY_TAGS,
    ),
    Layout(
        "Apple",
        b"Apple iOS\x00",
        14,
        "note",
        endian_at=12,
        tags=[
            (0x0011, Tag("Content ID (Apple; links a Live Photo)", fid="image.unique_id")),
            (0x0020, Tag("Image capture ID (Apple)", fid="image.unique_id")),
        ],
    ),
]
BY_MAKE = [
    Layout(
        "Canon",
        b"",
        0,
        "tiff",
        make="(?i)canon",
        tags=[
            (0x0009, Tag("Owner name (Canon)", fid="image.owner")),
            (0x000C, Tag("Serial number (Canon)")),
            (0x0096, Tag("Internal serial number (Canon)")),
        ],
    ),
    Layout(
        "Sony",
        b"",
        0,
        "tiff",
        guess_endian=True,
        make="SONY",
        tags=_SONY_TAGS,
    ),
]
# Reconyx trail cameras: fixed binary records, little-endian (ExifTool's Reconyx.pm).
# (prefix, serial position, size, UTF-16?, label position, label size)
RECONYX = [
    (b"RECONYXUF\x00", 0x4B, 15, False, 0x5A, 21),
    (b"RECONYXH2\x00", 0x7E, 30, True, 0x68, 22),
    (b"\x01\xf1", 0x2A, 30, True, 0x56, 22),
]


# Sony's 0x9050 block is enciphered: each byte b (below 249) is stored as b**3 % 249 (ExifTool's Decipher).
SONY_DECIPHER = bytes.maketrans(bytes(pow(b, 3, 249) for b in range(249)), bytes(range(249)))
# Where the internal serial number sits in it, by model (ExifTool's Tag9050a/b/c conditions, in order).
SONY_9050 = [
    (
        r"(?!(DSC-|Stellar|ILCE-(1|6100|6300|6400|6500|6600|7C|7M3|7M4|7RM2|7RM3A?|7RM4A?|7RM5|7SM2|7SM3|9|9M2)"
        r"|ILCA-99M2|ILME-FX3|ZV-))(?!(Lunar|NEX-(5N|7|VG20E)|SLT-|HV|ILCA-))",
        0x7C,
        4,
    ),
    (
        r"(?!(DSC-|Stellar|ILCE-(1|6100|6300|6400|6500|6600|7C|7M3|7M4|7RM2|7RM3A?|7RM4A?|7RM5|7SM2|7SM3|9|9M2)"
        r"|ILCA-99M2|ILME-FX3|ZV-))(SLT-|HV|ILCA-)",
        0xF0,
        5,
    ),
    (r"ILCE-(6100|6300|6400|6500|6600|7C|7M3|7RM2|7RM3A?|7RM4A?|7SM2|9|9M2)|ILCA-99M2|ZV-E10", 0x88, 6),
    (r"ILCE-(7M4|7RM5|7SM3)|ILME-FX3", 0x88, 6),
    (r"ILCE-1", 0x8A, 6),
]
