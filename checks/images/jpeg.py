"""JPEG: segment walker, report and lossless clean.

Cleaning keeps, by an allow-list, only what decoding reads, each rebuilt from its fields (see
jpeg_tables.py): frame and scan headers, the quantisation and Huffman tables that a scan uses, the restart
interval, arithmetic-coding conditioning, the scan data as it is, APP14 "Adobe" (CMYK/YCCK decoding needs
its transform flag) written anew, a JFIF header without its thumbnail, the colour profile unless dropped,
and a new minimal EXIF holding only Orientation. Everything else goes, and so does everything after EOI. A
file cut short keeps the picture data it has, and the copy gets the end marker it lacked.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field

from checks.errors import DamagedImage
from checks.images import jpeg_tables as jt
from checks.images import jumbf, vendor
from checks.images.common import (
    check_pixels,
    kept_profile,
    needs_orientation,
    orientation_exif,
    record_profile,
)
from checks.images.exif import read_exif
from checks.images.facts import Facts
from checks.images.iptc import read_photoshop
from checks.images.xmp import read_xmp

# Inside scan data a marker is 0xFF then C0-FE, other than the restart markers D0-D7. Anything else after
# 0xFF (stuffing 00, fill FF, or an invalid byte in a damaged file) is copied as part of the scan, so a
# clean copy decodes exactly as its original does.
_MARKER_IN_SCAN = re.compile(rb"\xff[\xc0-\xcf\xd8-\xfe]")
# What a decoder looks for when it resynchronises after stray bytes: 0xFF and a marker code.
_ANY_MARKER = re.compile(rb"\xff[\xc0-\xfe]")
EXIF_ID = b"Exif\x00\x00"
XMP_ID = b"http://ns.adobe.com/xap/1.0/\x00"
XMP_EXT_ID = b"http://ns.adobe.com/xmp/extension/\x00"
ICC_ID = b"ICC_PROFILE\x00"
_ICC_CHUNK = 65519 - len(ICC_ID) - 2  # profile bytes per APP2 segment


@dataclass
class Jpeg:
    data: bytes
    facts: Facts
    headers: list[jt.Header] = field(default_factory=list)  # decoding segments in file order
    frame: int | None = None  # the SOF marker
    adobe: bytes | None = None  # APP14 "Adobe" rebuilt from its fields
    icc_parts: list[tuple[int, int, bytes]] = field(default_factory=list)  # (sequence, count, bytes)
    jfif: bytes | None = None  # a JFIF APP0 segment rewritten without its thumbnail
    end: int | None = None  # just after EOI; None when the file ends before EOI
    stray: int = 0  # bytes between sections that are no section (decoders skip them)
    app11: list[bytes] = field(default_factory=list)  # JUMBF parts of Content Credentials

    @property
    def scans(self) -> list[tuple[int, int]]:
        return [h.scan for h in self.headers if h.scan is not None]

    @property
    def truncated(self) -> bool:
        return self.end is None

    def icc_profile(self) -> bytes | None:
        if not self.icc_parts:
            return None
        return b"".join(part for _, _, part in sorted(self.icc_parts, key=lambda p: p[0]))

    def clean(self, keep_icc: bool) -> list[bytes | memoryview]:
        if not self.scans or self.frame is None:
            raise DamagedImage("The file holds no picture data.")
        out: list[bytes | memoryview] = [b"\xff\xd8"]
        if self.jfif:
            out.append(self.jfif)
        if needs_orientation(self.facts.orientation):
            body = EXIF_ID + orientation_exif(self.facts.orientation or 1)
            out.append(jt.segment(0xE1, body))
        profile = kept_profile(self.icc_profile(), self.facts) if keep_icc else None
        if profile:
            out.extend(icc_segments(profile))
        out.extend(self.decoding())
        out.append(b"\xff\xd9")
        return out

    def decoding(self, scans: bool = True) -> list[bytes | memoryview]:
        """What decoding reads, in order: the rebuilt APP14 and headers, and the scan data as it is
        (left out with scans=False, for comparing the headers alone)."""
        view = memoryview(self.data)
        out: list[bytes | memoryview] = [self.adobe] if self.adobe else []
        for h in self.headers:
            rebuilt = h.rebuilt()
            if rebuilt is not None:
                out.append(rebuilt)
            if h.scan is not None and scans:
                out.append(view[h.scan[0] : h.scan[1]])
        return out

    def scan_views(self) -> list[memoryview]:
        view = memoryview(self.data)
        return [view[a:b] for a, b in self.scans]


def icc_segments(profile: bytes) -> list[bytes]:
    chunks = [profile[i : i + _ICC_CHUNK] for i in range(0, len(profile), _ICC_CHUNK)][:255]
    return [jt.segment(0xE2, ICC_ID + bytes([i + 1, len(chunks)]) + c) for i, c in enumerate(chunks)]


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
    quant_of: dict[int, int] = {}
    n = len(data)
    pos = 2
    while True:
        while pos + 1 < n and data[pos] == 0xFF and data[pos + 1] == 0xFF:
            pos += 1  # fill bytes
        if pos + 2 > n:
            break  # cut short before EOI
        if data[pos] != 0xFF or (data[pos + 1] < 0xC0 and data[pos + 1] != 0x01):
            m = _ANY_MARKER.search(data, pos)  # as decoders do: skip to the next section
            if m is None:
                break
            jpeg.stray += m.start() - pos
            pos = m.start()
            continue
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
            break  # a section cut short: the picture ends with what came before it
        payload = data[pos + 4 : seg_end]
        if marker in jt.SOF or marker == jt.JPEG_LS:
            if jpeg.frame is not None:
                facts.unknown.append("a second frame header")
            else:
                body, quant_of, width, height = jt.frame_body(payload)
                facts.width, facts.height = width, height
                check_pixels(width, height)
                jpeg.frame = marker
                jpeg.headers.append(jt.Header(marker, body))
        elif marker == jt.DQT:
            jpeg.headers.append(jt.Header(marker, tables=jt.quant_tables(payload)))
        elif marker == jt.DHT:
            jpeg.headers.append(jt.Header(marker, tables=jt.huffman_tables(payload)))
        elif marker == jt.DRI and len(payload) >= 2:
            jpeg.headers.append(jt.Header(marker, payload[:2]))
        elif marker == jt.DAC:
            jpeg.headers.append(jt.Header(marker, payload[: len(payload) // 2 * 2]))
        elif marker == jt.DNL:
            if len(payload) >= 2 and facts.height == 0:  # only a frame without a height needs it
                jpeg.headers.append(jt.Header(marker, payload[:2]))
        elif marker == jt.LSE and jpeg.frame == jt.JPEG_LS:
            jpeg.headers.append(jt.Header(marker, payload))
        elif marker == 0xDA:  # SOS: header, then entropy-coded data up to the next real marker
            body = jt.scan_body(payload)[0]
            scan_end = _scan_end(data, seg_end, expect_scans, len(jpeg.scans))
            jpeg.headers.append(jt.Header(marker, body, scan=(seg_end, scan_end)))
            pos = scan_end
            continue
        elif marker == 0xFE:
            facts.add("image.comment", "Comment", payload.decode("utf-8", "replace").strip("\0 "))
        elif 0xE0 <= marker <= 0xEF:
            _app(jpeg, marker, pos, seg_end, payload, extended_xmp)
        else:
            facts.unknown.append(f"section 0x{marker:02X}")
        pos = seg_end
    if jpeg.frame is None or not jpeg.scans:
        raise DamagedImage(
            "The file holds no picture data" + (" (it looks cut short)." if jpeg.end is None else ".")
        )
    jt.mark_used(jpeg.headers, quant_of, jpeg.frame)
    for parts in extended_xmp.values():
        read_xmp(b"".join(chunk for _, chunk in sorted(parts)), facts)
    if jpeg.app11:
        jumbf.read_app11(jpeg.app11, facts)
    profile = jpeg.icc_profile()
    if profile:
        record_profile(facts, profile)
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
) -> None:
    facts = jpeg.facts
    app = marker - 0xE0
    if app == 0 and payload.startswith(b"JFIF\x00") and len(payload) >= 14:
        if payload[12] or payload[13]:
            facts.thumbnails.append("JFIF preview picture")
        jpeg.jfif = jt.segment(0xE0, payload[:12] + b"\x00\x00")
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
    elif app == 2 and payload.startswith(ICC_ID) and len(payload) >= 14:
        jpeg.icc_parts.append((payload[12], payload[13], payload[14:]))
    elif app == 2 and payload.startswith(b"MPF\x00"):
        _mpf(payload[4:], facts)
    elif app == 11 and payload[:2] == b"JP":
        jpeg.app11.append(payload)  # read together once all parts are in (Content Credentials or other JUMBF)
    elif app == 13 and payload.startswith(b"Photoshop 3.0\x00"):
        read_photoshop(payload[14:], facts)
    elif app == 14 and payload.startswith(b"Adobe"):
        # Decoders read only the colour transform (the last APP14 wins); version 100, no flags.
        if len(payload) >= 12:
            jpeg.adobe = jt.segment(0xEE, b"Adobe\x00\x64\x00\x00\x00\x00" + payload[11:12])
        if len(payload) != 12:
            facts.unknown.append("APP14 block of an unusual size")
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
