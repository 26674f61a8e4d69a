"""Older vendor blocks found in JPEG application segments.

- Canon CIFF (APP0 "II....HEAPJPGM"): a heap of records; OwnerName 0x0810 and SerialNumber 0x180B.
  Layout: ExifTool's CanonRaw documentation (exiftool.org/TagNames/CanonRaw.html).
- "[picture info]" text (APP12, Olympus and others): key=value lines with the camera's serial number.
"""

from __future__ import annotations

import struct

from checks.images.facts import Facts

_CIFF_TAGS = {0x0810: ("image.owner", "Owner name (Canon)"), 0x0805: ("image.caption", "Description (Canon)")}
_CIFF_SERIAL = 0x180B
_PICTURE_INFO_KEYS = {
    "serial#": ("image.serial", "Serial number"),
    "serialnumber": ("image.serial", "Serial number"),
    "type": ("image.camera", "Camera model"),
    "id": ("image.caption", "Camera text"),
}


def is_ciff(payload: bytes) -> bool:
    return payload[:2] in (b"II", b"MM") and payload[6:14] == b"HEAPJPGM"


def read_ciff(payload: bytes, facts: Facts) -> None:
    endian = "<" if payload[:2] == b"II" else ">"
    (header,) = struct.unpack_from(endian + "I", payload, 2)
    _heap(payload, header, len(payload), endian, facts, depth=0)


def _heap(buf: bytes, start: int, end: int, endian: str, facts: Facts, depth: int) -> None:
    if depth > 4 or end - start < 6 or end > len(buf):
        return
    (table,) = struct.unpack_from(endian + "I", buf, end - 4)
    table += start
    if table + 2 > end:
        return
    (count,) = struct.unpack_from(endian + "H", buf, table)
    for i in range(min(count, 512)):
        at = table + 2 + 10 * i
        if at + 10 > end:
            return
        tag, size, offset = struct.unpack_from(endian + "HII", buf, at)
        kind, tag_id = (tag >> 8) & 0x38, tag & 0x3FFF
        in_record = tag & 0xC000 == 0x4000
        value = buf[at + 2 : at + 10] if in_record else buf[start + offset : start + offset + size]
        if kind in (0x28, 0x30) and not in_record and start + offset + size <= end:
            _heap(buf, start + offset, start + offset + size, endian, facts, depth + 1)
        elif tag_id in _CIFF_TAGS:
            fid, label = _CIFF_TAGS[tag_id]
            facts.add(fid, label, value.split(b"\x00", 1)[0].decode("latin-1"))
        elif tag_id == _CIFF_SERIAL and len(value) >= 4:
            facts.add("image.serial", "Serial number (Canon)", struct.unpack_from(endian + "I", value)[0])


def is_picture_info(payload: bytes) -> bool:
    return payload.startswith(b"PictureInfo") or b"[picture info]" in payload[:64]


def read_picture_info(payload: bytes, facts: Facts) -> None:
    for line in payload.decode("latin-1").replace("\r", "\n").split("\n"):
        key, sep, value = line.partition("=")
        if not sep:
            continue
        entry = _PICTURE_INFO_KEYS.get(key.strip().lower())
        if entry and value.strip("#0 "):
            facts.add(entry[0], entry[1], value.strip())
        else:
            facts.exif_entries += 1
