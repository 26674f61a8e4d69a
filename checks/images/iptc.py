"""Photoshop image resource blocks (APP13, TIFF tag 34377) and the IPTC-IIM records inside them.

Layouts: Adobe Photoshop File Formats Specification (image resource blocks) and IPTC-IIM 4.2 (record 2).
"""

from __future__ import annotations

import struct

from checks.images.facts import Facts

# IIM record 2 dataset -> (finding id, label)
_DATASETS: dict[int, tuple[str, str]] = {
    5: ("image.caption", "Object name (IPTC)"),
    25: ("image.keywords", "Keywords (IPTC)"),
    40: ("image.caption", "Special instructions (IPTC)"),
    55: ("image.time", "Date created (IPTC)"),
    62: ("image.time", "Digitised (IPTC)"),
    80: ("image.author", "By-line (IPTC)"),
    85: ("image.author", "By-line title (IPTC)"),
    90: ("image.place", "City (IPTC)"),
    92: ("image.place", "Sub-location (IPTC)"),
    95: ("image.place", "State or region (IPTC)"),
    101: ("image.place", "Country (IPTC)"),
    105: ("image.caption", "Headline (IPTC)"),
    110: ("image.author", "Credit (IPTC)"),
    115: ("image.author", "Source (IPTC)"),
    116: ("image.author", "Copyright notice (IPTC)"),
    118: ("image.author", "Contact (IPTC)"),
    120: ("image.caption", "Caption (IPTC)"),
    122: ("image.author", "Caption writer (IPTC)"),
}
RES_IPTC = 0x0404
RES_THUMBNAIL = (0x0409, 0x040C)
RES_EXIF = (0x0422, 0x0423)
RES_XMP = 0x0424
RES_ICC = 0x040F


def read_photoshop(data: bytes, facts: Facts) -> list[tuple[int, bytes]]:
    """Walk resource blocks, recording IPTC, thumbnails and embedded EXIF/XMP. Returns (id, payload) pairs."""
    from checks.images.exif import read_exif  # local: exif imports makernotes, which is heavier
    from checks.images.xmp import read_xmp

    blocks: list[tuple[int, bytes]] = []
    pos = 0
    while pos + 12 <= len(data) and data[pos : pos + 4] in (b"8BIM", b"MeSa", b"PHUT", b"AgHg", b"DCSR"):
        res_id = struct.unpack_from(">H", data, pos + 4)[0]
        name_len = data[pos + 6]
        name_field = 1 + name_len + ((1 + name_len) % 2)  # Pascal string padded to even
        size_at = pos + 6 + name_field
        if size_at + 4 > len(data):
            break
        (size,) = struct.unpack_from(">I", data, size_at)
        payload = data[size_at + 4 : size_at + 4 + size]
        blocks.append((res_id, payload))
        pos = size_at + 4 + size + (size % 2)
    for res_id, payload in blocks:
        if res_id == RES_IPTC:
            read_iim(payload, facts)
        elif res_id in RES_THUMBNAIL:
            facts.thumbnails.append("Photoshop preview picture")
        elif res_id in RES_EXIF:
            read_exif(payload, facts)
        elif res_id == RES_XMP:
            read_xmp(payload, facts)
    return blocks


def read_iim(data: bytes, facts: Facts) -> None:
    """Read IPTC-IIM datasets (0x1C record dataset length value)."""
    pos = 0
    date, time = None, None
    while pos + 5 <= len(data) and data[pos] == 0x1C:
        record, dataset = data[pos + 1], data[pos + 2]
        (length,) = struct.unpack_from(">H", data, pos + 3)
        pos += 5
        if length & 0x8000:  # extended length: the next (length & 0x7FFF) bytes hold the real length
            n = length & 0x7FFF
            if n > 4 or pos + n > len(data):
                break
            length = int.from_bytes(data[pos : pos + n], "big")
            pos += n
        value = data[pos : pos + length]
        pos += length
        if record != 2 or dataset == 0:
            continue
        facts.iptc_entries += 1
        text = value.decode("utf-8", "replace").strip("\0 ")
        if dataset == 55:
            date = text
        elif dataset == 60:
            time = text
        if dataset in _DATASETS and text:
            fid, label = _DATASETS[dataset]
            if dataset == 55 and len(text) == 8 and text.isdigit():
                text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
            facts.add(fid, label, text)
    if date and time:
        facts.add("image.time", "Time created (IPTC)", time)
