"""JPEG: segment walker, report and lossless clean.

Cleaning keeps, by an allow-list, only what decoding needs: frame and scan headers, tables (DQT, DHT, DAC,
DRI), the scan data, APP14 "Adobe" (CMYK/YCCK decoding needs it), a JFIF header without its thumbnail, the
ICC profile unless dropped, and a new minimal EXIF holding only Orientation. Everything after EOI goes.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field

from checks.errors import DamagedImage
from checks.images import vendor
from checks.images.common import CUT_SHORT, check_pixels, icc_description, needs_orientation, orientation_exif
from checks.images.exif import read_exif
from checks.images.facts import Facts
from checks.images.iptc import read_photoshop
from checks.images.xmp import read_xmp

# Inside scan data a marker is 0xFF then C0-FE, other than the restart markers D0-D7. Anything else after
# 0xFF (stuffing 00, fill FF, or an invalid byte in a damaged file) is copied as part of the scan, so a
# clean copy decodes exactly as its original does.
_MARKER_IN_SCAN = re.compile(rb"\xff[\xc0-\xcf\xd8-\xfe]")
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF, 0xF7}
_TABLES = {0xC4, 0xCC, 0xDB, 0xDD, 0xDC, 0xDF, 0xF8}  # DHT DAC DQT DRI DNL EXP, JPEG-LS LSE
EXIF_ID = b"Exif\x00\x00"
XMP_ID = b"http://ns.adobe.com/xap/1.0/\x00"
XMP_EXT_ID = b"http://ns.adobe.com/xmp/extension/\x00"
ICC_ID = b"ICC_PROFILE\x00"


@dataclass
class Jpeg:
    data: bytes
    facts: Facts
    decoding: list[tuple[int, int]] = field(default_factory=list)  # frame, table and scan headers
    scans: list[tuple[int, int]] = field(default_factory=list)  # entropy-coded data after each scan header
    adobe: list[tuple[int, int]] = field(default_factory=list)
    icc: list[tuple[int, int]] = field(default_factory=list)
    jfif: bytes | None = None  # a JFIF APP0 segment rewritten without its thumbnail
    end: int | None = None  # just after EOI; None when the file ends before EOI

    def clean(self, keep_icc: bool) -> list[bytes | memoryview]:
        if self.end is None:
            raise DamagedImage(CUT_SHORT)
        if not self.decoding:
            raise DamagedImage("The file holds no picture data.")
        out: list[bytes | memoryview] = [b"\xff\xd8"]
        if self.jfif:
            out.append(self.jfif)
        if needs_orientation(self.facts.orientation):
            body = EXIF_ID + orientation_exif(self.facts.orientation or 1)
            out.append(b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body)
        kept = sorted(self.decoding + self.scans + self.adobe + (self.icc if keep_icc else []))
        view = memoryview(self.data)
        out.extend(view[a:b] for a, b in kept)
        out.append(b"\xff\xd9")
        return out

    def image_ranges(self) -> list[tuple[int, int]]:
        """What decoding reads: compared byte for byte between an original and its clean copy."""
        return sorted(self.decoding + self.scans + self.adobe)

    def scan_views(self) -> list[memoryview]:
        view = memoryview(self.data)
        return [view[a:b] for a, b in self.scans]


def parse(data: bytes, facts: Facts, expect_scans: list[memoryview] | None = None) -> Jpeg:
    """Walk a JPEG's sections, recording facts.

    `expect_scans` (for verifying a clean copy) holds the original's scan data: where the copy's bytes
    equal it and a marker follows, the scan ends there. That is exactly where a search would stop (the
    original's scan holds no marker, and 0xFF is not a marker code, so none can straddle its end), found
    with one comparison instead of a search.
    """
    if data[:3] != b"\xff\xd8\xff":
        raise DamagedImage("Not a JPEG picture.")
    jpeg = Jpeg(data, facts)
    extended_xmp: dict[bytes, list[tuple[int, bytes]]] = {}
    icc_parts: list[bytes] = []
    n = len(data)
    pos = 2
    while True:
        while pos < n and data[pos] == 0xFF and pos + 1 < n and data[pos + 1] == 0xFF:
            pos += 1  # fill bytes
        if pos + 2 > n:
            break  # cut short before EOI
        if data[pos] != 0xFF:
            raise DamagedImage(f"The picture is damaged: no section marker where one should be (byte {pos}).")
        marker = data[pos + 1]
        if marker == 0xD9:
            jpeg.end = pos + 2
            break
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        if pos + 4 > n:
            break
        (length,) = struct.unpack_from(">H", data, pos + 2)
        seg_end = pos + 2 + length
        if length < 2 or seg_end > n:
            raise DamagedImage(
                f"The file is cut short or damaged (a section at byte {pos} runs past the end)."
            )
        payload = data[pos + 4 : seg_end]
        if marker in _SOF:
            if len(payload) >= 5:
                height, width = struct.unpack_from(">HH", payload, 1)
                facts.width, facts.height = width, height
                check_pixels(width, height)
            jpeg.decoding.append((pos, seg_end))
        elif marker in _TABLES:
            jpeg.decoding.append((pos, seg_end))
        elif marker == 0xDA:  # SOS: header, then entropy-coded data up to the next real marker
            scan_end = _scan_end(data, seg_end, expect_scans, len(jpeg.scans))
            jpeg.decoding.append((pos, seg_end))
            jpeg.scans.append((seg_end, scan_end))
            pos = scan_end
            continue
        elif marker == 0xFE:
            facts.add("image.comment", "Comment", payload.decode("utf-8", "replace").strip("\0 "))
        elif 0xE0 <= marker <= 0xEF:
            _app(jpeg, marker, pos, seg_end, payload, extended_xmp, icc_parts)
        else:
            facts.unknown.append(f"section 0x{marker:02X}")
        pos = seg_end
    for parts in extended_xmp.values():
        read_xmp(b"".join(chunk for _, chunk in sorted(parts)), facts)
    if icc_parts:
        facts.icc_description = icc_description(b"".join(icc_parts)) or "unnamed profile"
    if jpeg.end is not None and jpeg.end < n:
        _trailer(data, jpeg.end, facts)
    return jpeg


def _scan_end(data: bytes, start: int, expect: list[memoryview] | None, index: int) -> int:
    if expect is not None and index < len(expect):
        end = start + len(expect[index])
        if data.startswith(expect[index], start) and _MARKER_IN_SCAN.match(data, end):
            return end
    m = _MARKER_IN_SCAN.search(data, start)
    return m.start() if m else len(data)


def _app(
    jpeg: Jpeg,
    marker: int,
    pos: int,
    seg_end: int,
    payload: bytes,
    extended_xmp: dict[bytes, list[tuple[int, bytes]]],
    icc_parts: list[bytes],
) -> None:
    facts = jpeg.facts
    app = marker - 0xE0
    if app == 0 and payload.startswith(b"JFIF\x00") and len(payload) >= 14:
        if payload[12] or payload[13]:
            facts.thumbnails.append("JFIF preview picture")
        body = payload[:12] + b"\x00\x00"
        jpeg.jfif = b"\xff\xe0" + struct.pack(">H", len(body) + 2) + body
    elif app == 0 and payload.startswith(b"JFXX\x00"):
        facts.thumbnails.append("JFIF extension preview picture")
    elif app == 0 and vendor.is_ciff(payload):
        vendor.read_ciff(payload, facts)
    elif app == 1 and payload.startswith(EXIF_ID):
        read_exif(payload[6:], facts)
    elif app == 1 and payload.startswith(XMP_ID):
        read_xmp(payload[len(XMP_ID) :], facts)
    elif app == 1 and payload.startswith(vendor.FLIR_ID):
        vendor.read_flir(jpeg.data, pos, facts)
    elif app == 1 and payload.startswith(XMP_EXT_ID) and len(payload) >= len(XMP_EXT_ID) + 40:
        body = payload[len(XMP_EXT_ID) :]
        guid, (offset,) = body[:32], struct.unpack_from(">I", body, 36)
        extended_xmp.setdefault(guid, []).append((offset, body[40:]))
    elif app == 2 and payload.startswith(ICC_ID):
        jpeg.icc.append((pos, seg_end))
        icc_parts.append(payload[14:])
    elif app == 2 and payload.startswith(b"MPF\x00"):
        _mpf(payload[4:], facts)
    elif app == 11 and payload[:2] == b"JP":
        if b"c2pa" in payload:
            facts.c2pa = True
        else:
            facts.unknown.append("JUMBF block")
    elif app == 13 and payload.startswith(b"Photoshop 3.0\x00"):
        read_photoshop(payload[14:], facts)
    elif app == 14 and payload.startswith(b"Adobe"):
        jpeg.adobe.append((pos, seg_end))
    elif app == 6 and payload.startswith(vendor.GOPRO_ID):
        vendor.read_gopro(payload[6:], facts)
    elif app == 9 and vendor.is_infiray_sensor(jpeg.data, pos, payload, facts):
        vendor.read_infiray(payload, facts)
    elif app == 12 and vendor.is_picture_info(payload):
        vendor.read_picture_info(payload, facts)
    else:
        name = payload[:16].split(b"\x00", 1)[0].decode("latin-1", "replace")
        name = "".join(c for c in name if c.isprintable())[:24]
        facts.unknown.append(f"APP{app} block" + (f" '{name}'" if name else ""))


def _mpf(tiff: bytes, facts: Facts) -> None:
    """Multi-Picture Format index: how many extra pictures follow the main one."""
    from checks.images.tiffparse import TiffReader

    try:
        ifd = TiffReader(tiff).first_ifd()
    except DamagedImage:
        ifd = None
    count = (ifd.first_int(0xB001) if ifd is not None else None) or 2
    if count > 1:
        facts.extra_images.append(f"{count - 1} more picture(s) listed in the Multi-Picture index")


def _trailer(data: bytes, end: int, facts: Facts) -> None:
    tail = data[end:]
    facts.trailer_bytes = len(tail)
    vendor.read_afcp(tail, facts)
    kinds = []
    if b"ftyp" in tail[: 1 << 20] or b"MotionPhoto_Data" in tail or facts.motion_photo:
        kinds.append("video")
    if b"\xff\xd8\xff" in tail:
        kinds.append("pictures")
    if not kinds:
        kinds.append("data" if tail.strip(b"\x00\xff") else "padding")
    facts.trailer_kinds = kinds
