"""Older vendor blocks found in JPEG application segments.

- Canon CIFF (APP0 "II....HEAPJPGM"): a heap of records; OwnerName 0x0810 and SerialNumber 0x180B.
  Layout: ExifTool's CanonRaw documentation (exiftool.org/TagNames/CanonRaw.html).
- "[picture info]" text (APP12, Olympus and others): key=value lines with the camera's serial number.
- FLIR thermal cameras (APP1 "FLIR\0", split over several segments): an FFF record directory whose
  CameraInfo record holds the camera, lens and filter serial numbers and whose GPSInfo record holds a
  position of its own. Layout: ExifTool's FLIR documentation (exiftool.org/TagNames/FLIR.html) and FLIR.pm.
- InfiRay thermal cameras (APP2 "IJPEG" version header, then an APP9 sensor record with the serial numbers
  of both sensors). Layout: exiftool.org/TagNames/InfiRay.html.
- AFCP (AXS File Concatenation Protocol) trailers after the picture, which can hold IPTC. Layout: ExifTool's
  AFCP documentation (exiftool.org/TagNames/AFCP.html) and AFCP.pm.

Every reader checks each offset against the data it has; damaged blocks give nothing, never an error.
"""

from __future__ import annotations

import math
import re
import struct
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field

from checks.images.facts import Facts, Gps
from checks.images.iptc import read_iim

_CIFF_TAGS = {0x0810: ("image.owner", "Owner name (Canon)"), 0x0805: ("image.caption", "Description (Canon)")}
_CIFF_SERIAL = 0x180B
_CIFF_MAKE_MODEL = 0x080A
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
    found: dict[int, bytes] = {}
    _heap(payload, header, len(payload), endian, facts, found, depth=0)
    # 0x180B is the serial number of EOS models only; on PowerShots it is something else (ExifTool).
    # MakeModel: the make in 6 bytes ("Canon\0"), then the model.
    model = found.get(_CIFF_MAKE_MODEL, b"")[6:].split(b"\x00", 1)[0].decode("latin-1").strip()
    facts.add("image.camera", "Camera model (Canon)", model)
    raw = found.get(_CIFF_SERIAL, b"")
    if len(raw) >= 4 and any("EOS" in m for m in [model, *facts.values("image.camera")]):
        (serial,) = struct.unpack_from(endian + "I", raw)
        shown = (
            f"{serial >> 16:x}-{serial & 0xFFFF:05d}" if re.search(r"EOS D30\b", model) else f"{serial:010d}"
        )
        facts.add("image.serial", "Serial number (Canon)", shown)


def _heap(
    buf: bytes, start: int, end: int, endian: str, facts: Facts, found: dict[int, bytes], depth: int
) -> None:
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
            _heap(buf, start + offset, start + offset + size, endian, facts, found, depth + 1)
        elif tag_id in _CIFF_TAGS:
            fid, label = _CIFF_TAGS[tag_id]
            facts.add(fid, label, value.split(b"\x00", 1)[0].decode("latin-1"))
        elif tag_id in (_CIFF_SERIAL, _CIFF_MAKE_MODEL):
            found.setdefault(tag_id, value[:64])


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


FLIR_ID = b"FLIR\x00"
_FLIR_CAMERA = 0x20
_FLIR_GPS = 0x2B
_FLIR_PICTURE = 0x0E
# CameraInfo record: position, size, finding id, label
_FLIR_STRINGS = [
    (0xD4, 32, "image.camera", "Camera model (FLIR)"),
    (0x104, 16, "image.serial", "Camera serial number (FLIR)"),
    (0x1A0, 16, "image.serial", "Lens serial number (FLIR)"),
    (0x21C, 32, "image.serial", "Filter serial number (FLIR)"),
]
_MAX_RECORDS = 1024
# InfiRay APP9 sensor record: position, size, finding id, label
_INFIRAY_STRINGS = [
    (0x0C0, 32, "image.serial", "Thermal sensor serial number (InfiRay)"),
    (0x240, 32, "image.serial", "Visible-light sensor serial number (InfiRay)"),
]


@dataclass
class _Sections:
    """Where a JPEG's FLIR sections and InfiRay header are: found in one walk per file, not per section."""

    data: bytes  # held, so that the identity check below can never match a different file
    flir: list[tuple[int, int]] = field(default_factory=list)  # payload start and end of each FLIR section
    infiray_header: int | None = None  # payload start of the first APP2 "IJPEG" section


_SECTIONS: dict[int, _Sections] = {}  # by id(facts); removed when the facts object goes


def _sections(data: bytes, facts: Facts) -> _Sections:
    found = _SECTIONS.get(id(facts))
    if found is not None and found.data is data:
        return found
    if found is None:
        weakref.finalize(facts, _SECTIONS.pop, id(facts), None)
    found = _SECTIONS[id(facts)] = _Sections(data)
    for marker, start, end in _segments(data):
        if marker == 0xE1 and end - start >= 8 and data.startswith(FLIR_ID, start):
            found.flir.append((start, end))
        elif marker == 0xE2 and found.infiray_header is None and data.startswith(b"IJPEG\0", start + 4):
            found.infiray_header = start
    return found


def _segments(data: bytes) -> Iterator[tuple[int, int, int]]:
    """(marker, payload start, payload end) of each JPEG section before the first scan."""
    n, pos = len(data), 2
    while pos + 4 <= n:
        if data[pos] != 0xFF:
            return
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker in (0xDA, 0xD9):
            return
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        (length,) = struct.unpack_from(">H", data, pos + 2)
        if length < 2 or pos + 2 + length > n:
            return
        yield marker, pos + 4, pos + 2 + length
        pos += 2 + length


def _string(block: bytes, at: int, size: int) -> str:
    return block[at : at + size].split(b"\0", 1)[0].decode("latin-1").strip()


def read_flir(data: bytes, pos: int, facts: Facts) -> None:
    """Called for each APP1 "FLIR" section at `pos`; joins all of them and reads them once, at the first."""
    chunks = _sections(data, facts).flir
    if not chunks or chunks[0][0] != pos + 4:
        return
    # Each section: "FLIR\0", a byte, its number, the last number; joined in order of their numbers.
    ordered = sorted(chunks, key=lambda c: data[c[0] + 6])
    read_fff(b"".join(data[start + 8 : end] for start, end in ordered), facts)
    if facts.makernote is None:
        facts.makernote = "FLIR"


def read_fff(fff: bytes, facts: Facts) -> None:
    """A FLIR FFF block: header, then a directory of 32-byte record entries."""
    if len(fff) < 0x40 or fff[:4] not in (b"FFF\0", b"AFF\0"):
        return
    endian = next((e for e in (">", "<") if 100 <= struct.unpack_from(e + "I", fff, 0x14)[0] < 200), None)
    if endian is None:
        return
    directory, count = struct.unpack_from(endian + "II", fff, 0x18)
    for i in range(min(count, _MAX_RECORDS)):
        entry = directory + 32 * i
        if entry + 32 > len(fff):
            return
        kind = struct.unpack_from(endian + "H", fff, entry)[0]
        at, size = struct.unpack_from(endian + "II", fff, entry + 0x0C)
        if kind == 0:
            continue
        if at + size > len(fff):
            return  # as ExifTool: a record past the end ends the directory
        # Fields are read in place (never a copy of the record: a directory may list one huge record often).
        if kind == _FLIR_CAMERA:
            for where, length, fid, label in _FLIR_STRINGS:
                if where < size:
                    facts.add(fid, label, _string(fff, at + where, min(length, size - where)))
        elif kind == _FLIR_GPS and size >= 0x24:
            _flir_gps(fff, at, facts)
        elif kind == _FLIR_PICTURE:
            facts.extra_images.append("a normal (visible-light) photo stored with the thermal picture (FLIR)")


def _flir_gps(fff: bytes, at: int, facts: Facts) -> None:
    """GPSInfo record (always little-endian): valid flag, then latitude and longitude as signed doubles."""
    (valid,) = struct.unpack_from("<I", fff, at)
    latitude, longitude = struct.unpack_from("<dd", fff, at + 0x10)
    (altitude,) = struct.unpack_from("<f", fff, at + 0x20)
    if not valid or not (math.isfinite(latitude) and math.isfinite(longitude)):
        return
    if abs(latitude) > 90 or abs(longitude) > 180:
        return
    if latitude == 0 and longitude == 0:
        facts.gps_empty = True
        return
    if facts.gps is None:
        alt = float(altitude) if math.isfinite(altitude) else None
        facts.gps = Gps(round(latitude, 7), round(longitude, 7), alt, None, "FLIR")


def is_infiray_sensor(data: bytes, pos: int, payload: bytes, facts: Facts) -> bool:
    """An APP9 sensor record counts only after an APP2 "IJPEG" version header, as ExifTool reads it."""
    if len(payload) < 768:
        return False
    header = _sections(data, facts).infiray_header
    return header is not None and header < pos


def read_infiray(payload: bytes, facts: Facts) -> None:
    for where, length, fid, label in _INFIRAY_STRINGS:
        facts.add(fid, label, _string(payload, where, length))
    if facts.makernote is None:
        facts.makernote = "InfiRay"


def read_afcp(tail: bytes, facts: Facts) -> bool:
    """An AFCP trailer in the bytes after a picture: record what its IPTC and text entries say.

    The trailer ends in "AXS!" (big-endian) or "AXS*" (little-endian) and the start position of its
    header; entries give positions counted from the start of the file. The header is found where it is,
    as ExifTool does when files were edited, and positions are taken relative to it.
    """
    if len(tail) < 24 or tail[-12:-9] != b"AXS" or tail[-9:-8] not in (b"!", b"*"):
        return False
    mark = tail[-12:-8]
    endian = ">" if mark == b"AXS!" else "<"
    (start,) = struct.unpack_from(endian + "I", tail, len(tail) - 8)
    header, count = _afcp_header(tail, mark, endian)
    if header < 0:
        return False
    budget = len(tail)
    for i in range(min(count, _MAX_RECORDS)):
        entry = header + 12 + 12 * i
        tag = tail[entry : entry + 4]
        size, offset = struct.unpack_from(endian + "II", tail, entry + 4)
        at = header + offset - start
        if size >= 0x80000000 or at < 0 or at + size > len(tail) or size > budget:
            continue
        budget -= size  # entries do not overlap in a real trailer: never read more than the trailer holds
        value = tail[at : at + size]
        if tag == b"IPTC":
            read_iim(value, facts)
        elif tag == b"TEXT":
            facts.add("image.text", "Text (AFCP)", value.split(b"\0", 1)[0].decode("utf-8", "replace"))
        elif tag in (b"Nail", b"PrVw"):
            facts.thumbnails.append("AFCP preview picture")
    return True


def _afcp_header(tail: bytes, mark: bytes, endian: str) -> tuple[int, int]:
    """The first "AXS" header (of a few looked at) whose directory fits before the end mark."""
    header = tail.find(mark)
    for _ in range(16):
        if header < 0 or header + 24 > len(tail):
            break
        (count,) = struct.unpack_from(endian + "H", tail, header + 6)
        if header + 12 + 12 * count <= len(tail) - 12:
            return header, count
        header = tail.find(mark, header + 1)
    return -1, 0


GOPRO_ID = b"GoPro\x00"
_GPMF_MAX_ITEMS = 4096


def read_gopro(gpmf: bytes, facts: Facts) -> None:
    """GoPro's APP6 "GoPro\\0" section: GPMF items (4-character key, type, size, repeat, value padded to
    4 bytes; type 0 nests items). CASN is the camera's serial number, MUID a unique ID of the photo.
    Layout: github.com/gopro/gpmf-parser and ExifTool's GoPro documentation."""
    stack, items = [(0, len(gpmf), 0)], 0
    while stack and items < _GPMF_MAX_ITEMS:
        pos, end, depth = stack.pop()
        while pos + 8 <= end and items < _GPMF_MAX_ITEMS:
            items += 1
            key, kind, size, repeat = struct.unpack_from(">4sBBH", gpmf, pos)
            length = size * repeat
            pos += 8
            if key == b"\0\0\0\0" or pos + length > end:
                break
            if kind == 0 and depth < 8:
                stack.append((pos, pos + length, depth + 1))
            elif key == b"CASN" and kind == ord("c"):
                facts.add("image.serial", "Camera serial number (GoPro)", _string(gpmf, pos, length))
            elif key == b"MUID" and kind == ord("L") and length >= 4:
                words = struct.unpack_from(f">{length // 4}I", gpmf, pos)
                facts.add("image.unique_id", "Media unique ID (GoPro)", "".join(f"{w:08x}" for w in words))
            pos += (length + 3) & ~3
    if facts.makernote is None:
        facts.makernote = "GoPro"
