"""Builds "dirty" test pictures in code: Pillow for pixels, piexif for EXIF, hand-built segments and chunks
for everything else. Every identifying value is a recognisable needle so tests can search for it."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable

import piexif
from PIL import Image, ImageDraw

NAME = "Jane Q Smithson"
OWNER = "Dr Jane Smithson"
SERIAL = "SN-7734-NEEDLE"
LENS_SERIAL = "LENS-99-NEEDLE"
CITY = "Needleton"
SUBLOCATION = "14 Harbour Lane"
FACE = "Tommy Needle"
KEYWORD = "session-notes-needle"
COMMENT = "comment needle: room 4"
LAT, LON = 51.5007, -0.1246  # decimal degrees of the GPS fixture


def picture(size: tuple[int, int] = (64, 48), mode: str = "RGB") -> Image.Image:
    """An asymmetric picture, so any rotation or mirroring changes its pixels."""
    im = Image.new("RGB", size, (40, 90, 160))
    draw = ImageDraw.Draw(im)
    w, h = size
    draw.rectangle([0, 0, w // 3, h // 4], fill=(250, 200, 20))
    draw.ellipse([w // 2, h // 2, w - 2, h - 2], fill=(200, 30, 60))
    draw.line([0, h - 1, w // 2, 0], fill=(255, 255, 255), width=3)
    return im.convert(mode)


def _rational(value: float, den: int = 10000) -> tuple[int, int]:
    return round(value * den), den


def _dms(value: float) -> tuple[tuple[int, int], ...]:
    value = abs(value)
    deg = int(value)
    minutes = int((value - deg) * 60)
    seconds = (value - deg - minutes / 60) * 3600
    return (deg, 1), (minutes, 1), _rational(seconds, 100)


def exif_bytes(orientation: int | None = 1, thumbnail: bool = True, gps: bool = True) -> bytes:
    """A full EXIF block ("Exif\\0\\0" + TIFF) with GPS, serials, owner and author names and a thumbnail."""
    zeroth = {
        piexif.ImageIFD.Make: b"NeedleCam",
        piexif.ImageIFD.Model: b"NC-1000",
        piexif.ImageIFD.Software: b"NeedleSoft 2.1",
        piexif.ImageIFD.Artist: NAME.encode(),
        piexif.ImageIFD.Copyright: f"(c) {NAME}".encode(),
        piexif.ImageIFD.HostComputer: b"JANES-LAPTOP",
        piexif.ImageIFD.DateTime: b"2024:03:05 14:22:00",
        piexif.ImageIFD.XPAuthor: NAME.encode("utf-16-le") + b"\x00\x00",
        piexif.ImageIFD.XPKeywords: KEYWORD.encode("utf-16-le") + b"\x00\x00",
    }
    if orientation is not None:
        zeroth[piexif.ImageIFD.Orientation] = orientation
    exif = {
        piexif.ExifIFD.DateTimeOriginal: b"2024:03:05 14:21:07",
        piexif.ExifIFD.OffsetTimeOriginal: b"+01:00",
        piexif.ExifIFD.BodySerialNumber: SERIAL.encode(),
        piexif.ExifIFD.LensSerialNumber: LENS_SERIAL.encode(),
        piexif.ExifIFD.CameraOwnerName: OWNER.encode(),
        piexif.ExifIFD.ImageUniqueID: b"0123456789abcdef0123456789abcdef",
        piexif.ExifIFD.UserComment: b"ASCII\x00\x00\x00" + COMMENT.encode(),
    }
    gps_ifd = {}
    if gps:
        gps_ifd = {
            piexif.GPSIFD.GPSLatitudeRef: b"N" if LAT >= 0 else b"S",
            piexif.GPSIFD.GPSLatitude: _dms(LAT),
            piexif.GPSIFD.GPSLongitudeRef: b"E" if LON >= 0 else b"W",
            piexif.GPSIFD.GPSLongitude: _dms(LON),
            piexif.GPSIFD.GPSAltitudeRef: 0,
            piexif.GPSIFD.GPSAltitude: (355, 10),
            piexif.GPSIFD.GPSDateStamp: b"2024:03:05",
            piexif.GPSIFD.GPSTimeStamp: ((13, 1), (21, 1), (7, 1)),
        }
    data = {"0th": zeroth, "Exif": exif, "GPS": gps_ifd, "1st": {}, "thumbnail": None}
    if thumbnail:
        thumb = io.BytesIO()
        picture((32, 24)).save(thumb, "JPEG")
        data["1st"] = {
            piexif.ImageIFD.JPEGInterchangeFormat: 0,
            piexif.ImageIFD.JPEGInterchangeFormatLength: 0,
        }
        data["thumbnail"] = thumb.getvalue()
    return piexif.dump(data)


def minimal_orientation_tiff(orientation: int) -> bytes:
    entry = struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0)
    return b"MM\x00\x2a\x00\x00\x00\x08\x00\x01" + entry + b"\x00\x00\x00\x00"


def xmp_packet(gps: bool = True, faces: bool = True, motion: bool = False) -> bytes:
    gps_attrs = 'exif:GPSLatitude="51,30.042N" exif:GPSLongitude="0,7.476W" exif:GPSAltitude="355/10"'
    motion_attrs = 'GCamera:MotionPhoto="1" GCamera:MotionPhotoVersion="1"' if motion else ""
    regions = (
        f"""
   <mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:RegionList><rdf:Bag>
     <rdf:li rdf:parseType="Resource"><mwg-rs:Name>{FACE}</mwg-rs:Name>
       <mwg-rs:Type>Face</mwg-rs:Type></rdf:li>
   </rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions>"""
        if faces
        else ""
    )
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
 <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
   xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
   xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
   xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/"
   xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" xmlns:GCamera="http://ns.google.com/photos/1.0/camera/"
   photoshop:City="{CITY}" Iptc4xmpCore:Location="{SUBLOCATION}" xmpMM:DocumentID="xmp.did:NEEDLE-ID"
   {gps_attrs if gps else ""} {motion_attrs}>
  <dc:creator><rdf:Seq><rdf:li>{NAME}</rdf:li></rdf:Seq></dc:creator>
  <dc:subject><rdf:Bag><rdf:li>{KEYWORD}</rdf:li></rdf:Bag></dc:subject>{regions}
 </rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>""".encode()


def iim(dataset: int, value: str) -> bytes:
    raw = value.encode()
    return b"\x1c\x02" + bytes([dataset]) + struct.pack(">H", len(raw)) + raw


def photoshop_irb() -> bytes:
    """Photoshop image resources holding IPTC (by-line, city, caption, keywords)."""
    iptc = iim(80, NAME) + iim(90, CITY) + iim(120, "Caption needle") + iim(25, KEYWORD)
    pad = b"\x00" if len(iptc) % 2 else b""
    return b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iptc)) + iptc + pad


def segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def jpeg_pixels(im: Image.Image | None = None, **save: object) -> bytes:
    out = io.BytesIO()
    (im or picture()).save(out, "JPEG", quality=90, **save)
    return out.getvalue()


def insert_after_soi(jpeg: bytes, *segments: bytes) -> bytes:
    assert jpeg[:2] == b"\xff\xd8"
    return jpeg[:2] + b"".join(segments) + jpeg[2:]


def mpf_segment() -> bytes:
    """A Multi-Picture index announcing two pictures."""
    entries = struct.pack(">HHI4s", 0xB000, 7, 4, b"0100") + struct.pack(">HHII", 0xB001, 4, 1, 2)
    tiff = b"MM\x00\x2a\x00\x00\x00\x08" + struct.pack(">H", 2) + entries + b"\x00\x00\x00\x00"
    return segment(0xE2, b"MPF\x00" + tiff)


def dirty_jpeg(orientation: int = 6, icc: bytes | None = None) -> bytes:
    """A JPEG carrying every kind of identifying data SafeSpace looks for, plus a motion-photo trailer."""
    base = jpeg_pixels(icc_profile=icc) if icc else jpeg_pixels()
    exif = exif_bytes(orientation)
    xmp = b"http://ns.adobe.com/xap/1.0/\x00" + xmp_packet(motion=True)
    second_exif = b"Exif\x00\x00" + piexif.dump({"0th": {piexif.ImageIFD.Artist: b"Second Exif Needle"}})
    dirty = insert_after_soi(
        base,
        segment(0xE1, exif),
        segment(0xE1, xmp),
        segment(0xE1, second_exif),
        mpf_segment(),
        segment(0xED, b"Photoshop 3.0\x00" + photoshop_irb()),
        segment(0xEB, b"JP\x00\x00\x00\x01jumb\x00\x00\x00\x00c2pa.claim"),
        segment(0xFE, COMMENT.encode()),
        segment(0xE5, b"VendorNeedle\x00secret"),
    )
    secondary = jpeg_pixels(picture((16, 16)))
    video = struct.pack(">I", 24) + b"ftypmp42" + b"\x00" * 12 + b"mdat-video-needle" * 20
    return dirty + secondary + video


def png_chunk(ctype: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(ctype + body))


def dirty_png(orientation: int | None = None, mode: str = "RGBA") -> bytes:
    out = io.BytesIO()
    picture(mode=mode).save(out, "PNG")
    data = out.getvalue()
    ihdr_end = 8 + 25
    extra = [
        png_chunk(b"tEXt", b"Author\x00" + NAME.encode("latin-1")),
        png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(COMMENT.encode())),
        png_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + xmp_packet()),
        png_chunk(b"tIME", struct.pack(">HBBBBB", 2024, 3, 5, 14, 22, 0)),
        png_chunk(b"prVt", b"private-needle"),
    ]
    exif = exif_bytes(orientation, thumbnail=False)[6:]
    extra.append(png_chunk(b"eXIf", exif))
    trailer = b"IDAT-remains-of-cropped-original-needle" * 10
    return data[:ihdr_end] + b"".join(extra) + data[ihdr_end:] + trailer


def riff_chunk(fourcc: bytes, payload: bytes) -> bytes:
    return fourcc + struct.pack("<I", len(payload)) + payload + (b"\x00" if len(payload) % 2 else b"")


def dirty_webp(orientation: int | None = None, lossless: bool = True) -> bytes:
    """An extended WebP with EXIF and XMP chunks (by Pillow), an unknown chunk and trailing data."""
    out = io.BytesIO()
    picture(mode="RGBA").save(
        out, "WEBP", lossless=lossless, exif=exif_bytes(orientation, thumbnail=False), xmp=xmp_packet()
    )
    data = out.getvalue()
    body = data[12:] + riff_chunk(b"NDLE", b"unknown-chunk-needle")
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body + b"trailing-needle"


def dirty_gif() -> bytes:
    frames = [picture().convert("P"), picture((64, 48)).rotate(180).convert("P")]
    out = io.BytesIO()
    frames[0].save(
        out, "GIF", save_all=True, append_images=frames[1:], loop=0, duration=100, comment=COMMENT.encode()
    )
    data = out.getvalue()
    assert data.endswith(b"\x3b")
    xmp = xmp_packet()
    magic = bytes([1]) + bytes(range(255, -1, -1)) + b"\x00"
    xmp_ext = b"\x21\xff\x0bXMP DataXMP" + xmp + magic
    plain_text = b"\x21\x01\x0c" + bytes(12) + b"\x0chello needle\x00"
    return data[:-1] + xmp_ext + plain_text + b"\x3b" + b"after-trailer-needle"


def dirty_tiff(orientation: int = 1) -> bytes:
    im = picture()
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "NeedleCam"
    exif[0x013B] = NAME
    exif[0x0131] = "NeedleSoft 2.1"
    exif[0x0132] = "2024:03:05 14:22:00"
    exif[0x0112] = orientation
    exif[0x02BC] = xmp_packet()  # XMP, tag 700 (Pillow's xmp= is not written for TIFF)
    im.save(out, "TIFF", exif=exif)
    return out.getvalue()


def dirty_heic() -> bytes:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    out = io.BytesIO()
    picture((64, 48)).save(out, "HEIF", quality=90, exif=exif_bytes(1, thumbnail=False), xmp=xmp_packet())
    return out.getvalue()


def dirty_avif() -> bytes:
    out = io.BytesIO()
    picture((64, 48)).save(out, "AVIF", quality=90, exif=exif_bytes(1, thumbnail=False), xmp=xmp_packet())
    return out.getvalue()


# --- Maker notes and vendor blocks, built from ExifTool's published layouts (exiftool.org/TagNames) ---

_IFD_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 7: 1, 13: 4}


def ifd_bytes(entries: list[tuple[int, int, bytes]], at: int, endian: str = ">", next_ifd: int = 0) -> bytes:
    """A TIFF IFD at offset `at` (from whatever origin its offsets count from), followed by its values.

    Entries are (tag, type, value bytes); values over 4 bytes are placed after the IFD in entry order."""
    head = 2 + 12 * len(entries) + 4
    table, data = struct.pack(endian + "H", len(entries)), b""
    for tag, typ, value in sorted(entries, key=lambda e: e[0]):
        count = len(value) // _IFD_TYPE_SIZES[typ]
        if len(value) <= 4:
            field = value.ljust(4, b"\x00")
        else:
            field = struct.pack(endian + "I", at + head + len(data))
            data += value + (b"\x00" if len(value) % 2 else b"")
        table += struct.pack(endian + "HHI", tag, typ, count) + field
    return table + struct.pack(endian + "I", next_ifd) + data


def ascii_value(text: str, size: int | None = None) -> bytes:
    raw = text.encode() + b"\x00"
    return raw.ljust(size, b"\x00") if size else raw


def exif_with_makernote(make: str, note: Callable[[int], bytes], model: str = "Model X") -> bytes:
    """A big-endian EXIF block ("Exif\\0\\0" + TIFF) whose maker note is `note(offset)`, where offset is
    the note's position from the TIFF header (maker notes with TIFF-based offsets need it)."""
    ifd0_entries = [(0x010F, 2, ascii_value(make)), (0x0110, 2, ascii_value(model)), (0x8769, 4, b"\x00" * 4)]
    ifd0_len = len(ifd_bytes(ifd0_entries, 8))
    exif_at = 8 + ifd0_len
    ifd0_entries[2] = (0x8769, 4, struct.pack(">I", exif_at))
    ifd0 = ifd_bytes(ifd0_entries, 8)
    note_at = exif_at + 2 + 12 + 4  # the maker note is the EXIF directory's only value
    exif_ifd = ifd_bytes([(0x927C, 7, note(note_at))], exif_at)
    return b"Exif\x00\x00" + b"MM\x00\x2a\x00\x00\x00\x08" + ifd0 + exif_ifd


def jpeg_with(*segments: bytes, trailer: bytes = b"") -> bytes:
    return insert_after_soi(jpeg_pixels(), *segments) + trailer


def olympus_note(
    serial: str, internal: str, lens: str, new: bool = True, as_block: bool = False
) -> Callable[[int], bytes]:
    """Olympus maker note with an Equipment directory (0x2010) holding the serial numbers.

    new: "OLYMPUS\\0II\\3\\0" + IFD at 12, offsets from the note's start; old: "OLYMP\\0\\1\\0" + IFD at 8,
    offsets from the TIFF header. as_block: Equipment stored inline as UNDEFINED bytes, not a pointer."""
    endian = "<" if new else ">"
    equipment = [
        (0x0101, 2, ascii_value(serial, 32)),
        (0x0102, 2, ascii_value(internal, 32)),
        (0x0202, 2, ascii_value(lens, 32)),
    ]

    def build(note_at: int) -> bytes:
        header = b"OLYMPUS\x00II\x03\x00" if new else b"OLYMP\x00\x01\x00"
        origin = 0 if new else note_at  # what offsets inside count from
        main_at = origin + len(header)
        if as_block:
            block_at = main_at + 2 + 12 * 2 + 4  # first value after the main IFD
            block = ifd_bytes(equipment, block_at, endian)
            main = ifd_bytes([(0x0104, 3, struct.pack(endian + "H", 1)), (0x2010, 7, block)], main_at, endian)
            return header + main
        main_len = len(ifd_bytes([(0x0104, 3, b"\x00\x01"), (0x2010, 13, b"\x00" * 4)], main_at, endian))
        pointer = struct.pack(endian + "I", main_at + main_len)
        main = ifd_bytes([(0x0104, 3, struct.pack(endian + "H", 1)), (0x2010, 13, pointer)], main_at, endian)
        return header + main + ifd_bytes(equipment, main_at + main_len, endian)

    return build


def simple_note(
    header: bytes, entries: list[tuple[int, int, bytes]], ifd_at: int, note_based: bool, endian: str = ">"
) -> Callable[[int], bytes]:
    """A maker note: `header`, then (at `ifd_at` in the note) one IFD; offsets from the note or the TIFF."""

    def build(note_at: int) -> bytes:
        origin = 0 if note_based else note_at
        return header.ljust(ifd_at, b"\x00") + ifd_bytes(entries, origin + ifd_at, endian)

    return build


def flir_segments(
    camera: str, lens: str, lat: float, lon: float, parts: int = 2, photo: bool = False
) -> list[bytes]:
    """FLIR APP1 sections: an FFF block (big-endian header and directory) split into `parts` sections.

    Records: CameraInfo (0x20) with model and serial numbers at ExifTool's offsets, GPSInfo (0x2B), and
    with `photo` an EmbeddedImage (0x0E): a 32-byte header (byte-order word 3, size), then a JPEG."""
    camera_info = bytearray(0x2A0)
    struct.pack_into(">H", camera_info, 0, 2)  # byte-order check value
    camera_info[0xD4 : 0xD4 + 8] = b"FLIR E8\x00"
    camera_info[0x104 : 0x104 + 16] = ascii_value(camera, 16)
    camera_info[0x1A0 : 0x1A0 + 16] = ascii_value(lens, 16)
    gps = bytearray(0x60)
    struct.pack_into("<I", gps, 0, 1)
    gps[8:10], gps[10:12] = (b"N\x00" if lat >= 0 else b"S\x00"), (b"E\x00" if lon >= 0 else b"W\x00")
    struct.pack_into("<ddf", gps, 0x10, lat, lon, 35.5)
    records = [(0x20, bytes(camera_info)), (0x2B, bytes(gps))]
    if photo:
        embedded = struct.pack(">HHH", 3, 16, 16).ljust(32, b"\x00") + jpeg_pixels(picture((16, 16)))
        records.append((0x0E, embedded))
    directory_at = 0x40
    data_at = directory_at + 32 * len(records)
    directory, body = b"", b""
    for kind, record in records:
        directory += struct.pack(">HHIIII", kind, 1, 0x64, 1, data_at + len(body), len(record)) + bytes(12)
        body += record
    header = b"FFF\x00" + b"CAMCTRL".ljust(16, b"\x00") + struct.pack(">III", 100, directory_at, len(records))
    fff = header.ljust(0x40, b"\x00") + directory + body
    size = -(-len(fff) // parts)
    chunks = [fff[i * size : (i + 1) * size] for i in range(parts)]
    return [segment(0xE1, b"FLIR\x00\x01" + bytes([i, parts - 1]) + c) for i, c in enumerate(chunks)]


def infiray_segments(ir_serial: str, visible_serial: str) -> list[bytes]:
    """InfiRay: the APP2 "IJPEG" version header, then the APP9 sensor record with both serial numbers."""
    version = bytearray(0x50)
    version[0:4] = b"\x01\x00\x00\x00"
    version[4:10] = b"IJPEG\x00"
    sensor = bytearray(0x300)
    sensor[0:12] = ascii_value("InfiRay", 12)
    sensor[0xC0 : 0xC0 + 32] = ascii_value(ir_serial, 32)
    sensor[0x240 : 0x240 + 32] = ascii_value(visible_serial, 32)
    return [segment(0xE2, bytes(version)), segment(0xE9, bytes(sensor))]


def afcp_trailer(iptc: bytes, starts_at: int, endian: str = ">") -> bytes:
    """An AFCP trailer (header, directory, IPTC entry, end mark) that begins at file offset `starts_at`."""
    mark = b"AXS!" if endian == ">" else b"AXS*"
    header = mark + b"\x01\x00" + struct.pack(endian + "H", 1) + b"\x00" * 4
    value_at = starts_at + len(header) + 12
    directory = b"IPTC" + struct.pack(endian + "II", len(iptc), value_at)
    return header + directory + iptc + mark + struct.pack(endian + "I", starts_at) + b"\x00" * 4


def ciff_segment(model: str, serial: int) -> bytes:
    """Canon CIFF in APP0 ("II", header size, "HEAPJPGM", then a heap): MakeModel (0x080A) and the
    32-bit value 0x180B kept inside its directory entry (ExifTool's CanonRaw documentation)."""
    make_model = b"Canon\x00" + model.encode() + b"\x00"
    entries = struct.pack("<HII", 0x080A, len(make_model), 0) + struct.pack(
        "<HII", 0x4000 | 0x180B, serial, 0
    )
    block = make_model + struct.pack("<H", 2) + entries + struct.pack("<I", len(make_model))
    return segment(0xE0, b"II" + struct.pack("<I", 14) + b"HEAPJPGM" + block)


def gpmf_item(key: bytes, kind: str, size: int, value: bytes) -> bytes:
    """One GoPro GPMF item: key, type (b"\\0" nests items), size of one value, repeat, value padded to 4."""
    head = key + (kind.encode() if kind else b"\x00") + bytes([size]) + struct.pack(">H", len(value) // size)
    return head + value + b"\x00" * (-len(value) % 4)


def gopro_segment(serial: str) -> bytes:
    """APP6 "GoPro\\0" with a DEVC container holding the device name, serial number (CASN) and MUID."""
    inner = (
        gpmf_item(b"DVID", "L", 4, struct.pack(">I", 1))
        + gpmf_item(b"DVNM", "c", 15, b"Global Settings")
        + gpmf_item(b"CASN", "c", len(serial), serial.encode())
        + gpmf_item(b"MUID", "L", 4, struct.pack(">8I", *range(0x11111111, 0x11111119)))
    )
    return segment(0xE6, b"GoPro\x00" + gpmf_item(b"DEVC", "", 4, inner))
