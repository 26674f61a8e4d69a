"""Serial numbers and unique IDs inside common camera maker notes.

A maker note is the camera maker's private block inside EXIF. Which notes are known, and where their
serial numbers are, is in `makernote_layouts.py` (after ExifTool's documentation and modules); this module
reads them. Only tags that identify a device or link photos are read; anything odd is ignored quietly, and
the whole note is removed by cleaning in any case. Every offset is checked: damaged, looping or oversized
notes give nothing rather than an error.
"""

from __future__ import annotations

import contextlib
import re
import struct

from checks.errors import DamagedImage
from checks.images.facts import Facts
from checks.images.makernote_layouts import (
    BY_MAKE,
    LAYOUTS,
    RECONYX,
    RICOH_TYPE2,
    SERIAL,
    SONY_9050,
    SONY_DECIPHER,
    Layout,
    Tag,
)
from checks.images.tiffparse import _TYPE_SIZES, MAX_ENTRIES, Ifd, TiffReader


def read(exif: TiffReader, start: int, length: int, make: str, facts: Facts, model: str = "") -> str:
    """Record what the maker note at `start` gives away; return the maker's name or "unknown"."""
    note = bytes(exif.buf[start : start + min(length, 64)])
    layout = next((lay for lay in LAYOUTS if _matches(lay, note, make)), None)
    if layout is None and note:
        layout = next((lay for lay in BY_MAKE if _matches(lay, note, make)), None)
    if layout is None:
        return "Reconyx" if _reconyx(exif.buf, start, length, note, make, facts) else "unknown"
    # A damaged maker note is still removed by cleaning; there is just nothing more to report from it.
    with contextlib.suppress(DamagedImage, IndexError, ValueError, struct.error):
        _read_layout(exif, start, layout, facts, model.strip())
    return layout.name


def _matches(layout: Layout, note: bytes, make: str) -> bool:
    if layout.make and not re.match(layout.make, make.strip()):
        return False
    if layout.name == "Sony" and not layout.prefix and note.startswith(b"\x01\x00"):
        return False  # ExifTool leaves these Sony notes unread
    if layout.name == "Ricoh" and layout.base == "tiff" and RICOH_TYPE2.match(note):
        return False  # a padded directory ExifTool reads another way; it holds no serial number
    if isinstance(layout.prefix, bytes):
        return note.startswith(layout.prefix)
    return layout.prefix.match(note) is not None


def _reconyx(buf: bytes | memoryview, start: int, length: int, note: bytes, make: str, facts: Facts) -> bool:
    for prefix, at, size, utf16, label_at, label_size in RECONYX:
        if not note.startswith(prefix):
            continue
        if (
            prefix == b"\x01\xf1"
            and note[2:4] not in (b"\x02\x00", b"\x03\x00")
            and make.strip() != "RECONYX"
        ):
            continue
        block = bytes(buf[start : start + min(length, 256)])
        raw = block[at : at + size]
        serial = raw.decode("utf-16-le", "replace") if utf16 else raw.decode("latin-1")
        facts.add(SERIAL, "Serial number (Reconyx)", serial.split("\0", 1)[0].strip())
        label = block[label_at : label_at + label_size].split(b"\0", 1)[0].decode("latin-1").strip()
        facts.add("image.caption", "Camera label (Reconyx)", label)
        return True
    return False


def _endian(buf: bytes | memoryview, at: int, default: str) -> str:
    """ExifTool's rule for notes of unknown byte order: an entry count above 255 means the other order."""
    (num,) = struct.unpack_from(default + "H", buf, at)
    if num & 0xFF00 and (num >> 8) > (num & 0xFF):
        return "<" if default == ">" else ">"
    return default


def _fixed_base(buf: bytes | memoryview, position: int, base: int, endian: str) -> int:
    """ExifTool's FixBase: value data normally starts 4 bytes after the IFD (after the next-IFD link)."""
    (count,) = struct.unpack_from(endian + "H", buf, position)
    pointers = []
    for i in range(min(count, 1000)):
        at = position + 2 + 12 * i
        if at + 12 > len(buf):
            break
        _, typ, n, value = struct.unpack_from(endian + "HHII", buf, at)
        if _TYPE_SIZES.get(typ, 0) * n > 4:
            pointers.append(value)
    # As ExifTool: the first pointer past the TIFF header counts (a zero or tiny one is damage, not data).
    usable = sorted(p for p in pointers if p >= 12)
    if not usable:
        return base
    diff = base + usable[0] - (position + 2 + 12 * count)
    return base if diff in (0, 4) else base + 4 - diff


def _clamped(buf: bytes | memoryview, at: int, endian: str) -> bytes | memoryview:
    """The data with a directory's entry count cut to the entries that fit, as ExifTool reads a note whose
    count runs past the end ("short directory"); unchanged when the count is sound."""
    (count,) = struct.unpack_from(endian + "H", buf, at)
    fit = min((len(buf) - at - 2) // 12, MAX_ENTRIES)
    if count <= fit or fit <= 0:
        return buf
    patched = bytearray(buf)
    struct.pack_into(endian + "H", patched, at, fit)
    return bytes(patched)


def _read_layout(exif: TiffReader, start: int, layout: Layout, facts: Facts, model: str) -> None:
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
        ifd_at = layout.ifd_at
        if ifd_at < 0:  # Fujifilm: the IFD offset is stored at +8
            ifd_at = int.from_bytes(bytes(buf[start + 8 : start + 12]), "little")
        if layout.guess_endian:
            endian = _endian(buf, start + ifd_at, endian)
        if layout.fix_base:
            base = _fixed_base(buf, start + ifd_at, base, endian)
        reader = TiffReader(_clamped(buf, start + ifd_at, endian), base, endian)
        ifd = reader.ifd_at(start + ifd_at)
    if ifd is None:
        return
    _read_tags(ifd, layout.tags, facts, model)
    for tag, tags in layout.sub_ifds.items():
        sub = _sub_directory(ifd, tag, layout)
        if sub is not None:
            _read_tags(sub, tags, facts, model)


def _sub_directory(ifd: Ifd, tag: int, layout: Layout) -> Ifd | None:
    """A sub-IFD stored as a pointer (LONG or IFD type), or inline as an UNDEFINED block holding an IFD."""
    entry = ifd.entries.get(tag)
    if entry is None:
        return None
    reader, skip = ifd.reader, len(layout.sub_header)
    if entry.type in (4, 13):
        pointer = ifd.first_int(tag)
        if pointer is None:
            return None
        at = reader.base + pointer + skip
    elif entry.type == 7 and entry.count >= 6 + skip:
        if bytes(reader.buf[entry.offset : entry.offset + skip]) != layout.sub_header:
            return None
        at = entry.offset + skip
    else:
        return None
    endian = layout.sub_endian or _endian(reader.buf, at, reader.endian)
    inner = TiffReader(reader.buf, reader.base, endian) if endian != reader.endian else reader
    return inner.ifd_at(at)


def _read_tags(ifd: Ifd, tags: list[tuple[int, Tag]], facts: Facts, model: str = "") -> None:
    for tag, spec in tags:
        entry = ifd.entries.get(tag)
        if entry is None:
            continue
        value: object
        if spec.kind == "value":
            value = ifd.text(tag) if entry.type in (2, 7) else ifd.first_int(tag)
        elif spec.kind == "u32":
            raw = ifd.raw(tag) or b""
            value = (
                struct.unpack_from(ifd.reader.endian + "I", raw, spec.at)[0]
                if len(raw) >= spec.at + 4
                else None
            )
        elif spec.kind == "string":
            raw = (ifd.raw(tag) or b"")[spec.at : spec.at + spec.size]
            value = raw.split(b"\0", 1)[0].decode("latin-1").strip()
        elif spec.kind == "ricoh":
            value = _ricoh_serial(ifd.raw(tag) or b"")
        elif spec.kind == "padded7":
            number = ifd.first_int(tag)
            value = None if number is None else f"{number:07d}"
        elif spec.kind == "sony":
            value = _sony_serial(ifd.text(tag))
        else:
            value = _sony_internal_serial(ifd.raw(tag) or b"", model)
        facts.add(spec.fid, spec.label, value)


def _ricoh_serial(raw: bytes) -> str | None:
    """Ricoh 0x0005: printable, it is the serial number; otherwise binary, shown in hex (ExifTool's rule)."""
    if not raw:
        return None
    if re.fullmatch(rb"[-\w ]+", raw):
        return raw.decode("ascii").strip()
    return raw.hex() if raw.strip(b"\0") else None


def _sony_serial(text: str | None) -> str | None:
    """Sony 0x2031 stores the digits in reversed pairs; ExifTool puts them back in order."""
    if not text:
        return None
    text = re.sub(r"(\d{2})(\d{2})(\d{2})(\d{2})", r"\4\3\2\1", text, count=1)
    return text[1:] if text.startswith("0") else text


def _sony_internal_serial(raw: bytes, model: str) -> str | None:
    """The internal serial number in Sony's enciphered 0x9050 block, shown in hex as ExifTool shows it."""
    for pattern, at, size in SONY_9050:  # (no model: ExifTool's first case, as here)
        if re.match(pattern, model):
            part = raw[at : at + size]
            return part.translate(SONY_DECIPHER).hex() if len(part) == size else None
    return None
