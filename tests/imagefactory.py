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


# ---- Content Credentials (C2PA manifest stores in JUMBF), built box by box ---------------------------

C2PA_SUFFIX = "00110010800000aa00389b71"
C2PA_KINDS = {  # the JUMBF description box types C2PA uses
    "store": "63327061",
    "manifest": "63326d61",
    "assertions": "63326173",
    "claim": "6332636c",
    "signature": "63326373",
    "cbor": "63626f72",
    "json": "6a736f6e",
}
C2PA_AUTHOR = "Jane Needle-Author"
C2PA_SOFTWARE = "Needle Editor 2.1"
C2PA_INGREDIENT = "client-session-needle.jpg"
C2PA_GPS = ("39,21.102N", "74,26.5737W")  # 39.3517, -74.442895


def jumbf_box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def jumbf_superbox(kind: str, label: str, *children: bytes) -> bytes:
    uuid = bytes.fromhex(C2PA_KINDS.get(kind, kind) + C2PA_SUFFIX) if len(kind) != 32 else bytes.fromhex(kind)
    description = jumbf_box(b"jumd", uuid + b"\x03" + label.encode() + b"\x00")
    return jumbf_box(b"jumb", description + b"".join(children))


def c2pa_cbor(label: str, value: object) -> bytes:
    import cbor2

    return jumbf_superbox("cbor", label, jumbf_box(b"cbor", cbor2.dumps(value)))


def c2pa_json(label: str, value: object) -> bytes:
    import json

    return jumbf_superbox("json", label, jumbf_box(b"json", json.dumps(value).encode()))


def c2pa_picture(label: str, picture_bytes: bytes) -> bytes:
    description = jumbf_box(b"bfdb", b"\x00image/jpeg\x00")
    return jumbf_superbox(
        "40cb0c32bb8a489da70b2ad6f47f4369", label, description, jumbf_box(b"bidb", picture_bytes)
    )


def c2pa_store(certificate: bytes | None = None) -> bytes:
    """A manifest store with an author, a GPS position, software, edits, an ingredient (an earlier version of
    the picture, with its preview), a preview of this one, a creator identity and a signing certificate."""
    import cbor2

    preview = jpeg_pixels(picture((16, 12)))
    credential = {
        "credentialSubject": {
            "verifiedIdentities": [
                {"type": "cawg.social_media", "name": "Jane Identity-Needle", "username": "janeneedle"}
            ]
        }
    }
    identity_sig = cbor2.dumps(
        cbor2.CBORTag(18, [cbor2.dumps({1: -7}), {}, json_bytes(credential), b"signature"])
    )
    assertions = jumbf_superbox(
        "assertions",
        "c2pa.assertions",
        c2pa_json(
            "stds.schema-org.CreativeWork",
            {"@context": "https://schema.org", "author": [{"@type": "Person", "name": C2PA_AUTHOR}]},
        ),
        c2pa_json(
            "stds.exif",
            {
                "@context": {"exif": "http://ns.adobe.com/exif/1.0/"},
                "exif:GPSLatitude": C2PA_GPS[0],
                "exif:GPSLongitude": C2PA_GPS[1],
                "exif:DateTimeOriginal": "2024-03-05T14:22:00Z",
            },
        ),
        c2pa_cbor(
            "c2pa.actions.v2",
            {
                "actions": [
                    {
                        "action": "c2pa.created",
                        "softwareAgent": {"name": "Needle Camera 1.0"},
                        "when": "2024-03-05T14:22:00Z",
                    },
                    {
                        "action": "c2pa.cropped",
                        "softwareAgent": C2PA_SOFTWARE,
                        "when": "2024-03-06T09:00:00Z",
                    },
                ]
            },
        ),
        c2pa_cbor(
            "c2pa.ingredient.v3",
            {
                "dc:title": C2PA_INGREDIENT,
                "instanceID": "xmp:iid:NEEDLE-INGREDIENT",
                "relationship": "parentOf",
                "thumbnail": {"url": "self#jumbf=c2pa.assertions/c2pa.thumbnail.ingredient.jpeg"},
            },
        ),
        c2pa_picture("c2pa.thumbnail.ingredient.jpeg", preview),
        c2pa_picture("c2pa.thumbnail.claim.jpeg", preview),
        c2pa_cbor(
            "cawg.identity",
            {"signer_payload": {"sig_type": "cawg.identity_claims_aggregation"}, "signature": identity_sig},
        ),
        c2pa_cbor("c2pa.hash.data", {"alg": "sha256", "hash": b"\x00" * 32}),
    )
    claim = c2pa_cbor(
        "c2pa.claim.v2",
        {
            "claim_generator_info": [{"name": "Needle App", "version": "1.0"}],
            "dc:title": "IMG_NEEDLE.jpg",
            "instanceID": "xmp:iid:NEEDLE-CLAIM",
            "alg": "sha256",
        },
    )
    header = {1: -7} | ({33: [certificate]} if certificate else {})
    signature = c2pa_cbor("c2pa.signature", cbor2.CBORTag(18, [cbor2.dumps(header), {}, None, b"sig"]))
    manifest = jumbf_superbox("manifest", "urn:c2pa:0d9c6b2a-needle", assertions, claim, signature)
    return jumbf_superbox("store", "c2pa", manifest)


def json_bytes(value: object) -> bytes:
    import json

    return json.dumps(value).encode()


def app11_segments(store: bytes, chunk: int = 500, instance: int = 1) -> list[bytes]:
    """The store split into JPEG APP11 segments, each continuation repeating the box header (as C2PA does)."""
    header, body = store[:8], store[8:]
    pieces = [body[i : i + chunk] for i in range(0, len(body), chunk)]
    return [
        segment(0xEB, b"JP" + struct.pack(">HI", instance, n + 1) + header + piece)
        for n, piece in enumerate(pieces)
    ]


# --- HEIF built item by item, for the container-level clean (tests/test_heif_clean.py) ----------------------
MARKER = b"MARKER-7f3a-NEEDLE"  # planted in every structure a clean HEIF copy must not keep
DEPTH_URN = b"urn:mpeg:hevc:2015:auxid:2"
GAINMAP_URN = b"urn:com:apple:photo:2020:aux:hdrgainmap"
ALPHA_URN = b"urn:mpeg:hevc:2015:auxid:1"


def isobox(btype: bytes, *payload: bytes, large: bool = False) -> bytes:
    body = b"".join(payload)
    if large:  # a 64-bit size, as writers use for big media data
        return struct.pack(">I4sQ", 1, btype, len(body) + 16) + body
    return struct.pack(">I4s", len(body) + 8, btype) + body


def fullbox(btype: bytes, version: int, flags: int, *payload: bytes) -> bytes:
    return isobox(btype, struct.pack(">I", version << 24 | flags), *payload)


def heif_coded(im: Image.Image | None = None, **save: object) -> tuple[list[bytes], bytes]:
    """(property boxes, coded bytes) of the main picture pillow-heif encodes: real HEVC to build from."""
    from pillow_heif import from_pillow

    out = io.BytesIO()
    from_pillow(im or picture()).save(out, quality=90, **save)
    data = out.getvalue()
    pos, boxes = 0, {}
    while pos < len(data):
        size, btype = struct.unpack_from(">I4s", data, pos)
        boxes[btype] = (pos, pos + size)
        pos += size
    meta_start, meta_end = boxes[b"meta"]
    kids, pos = {}, meta_start + 12
    while pos < meta_end:
        size, btype = struct.unpack_from(">I4s", data, pos)
        kids[btype] = (pos, pos + size)
        pos += size
    ipco_start = kids[b"iprp"][0] + 8
    props, pos = [], ipco_start + 8
    (ipco_size,) = struct.unpack_from(">I", data, ipco_start)
    while pos < ipco_start + ipco_size:
        (size,) = struct.unpack_from(">I", data, pos)
        props.append(data[pos : pos + size])
        pos += size
    iloc = kids[b"iloc"][0] + 12  # libheif writes iloc version 0, 4-byte offsets, lengths and base offsets
    assert data[iloc] == 0x44 and data[iloc + 1] >> 4 == 4
    (count,) = struct.unpack_from(">H", data, iloc + 2)
    pos = iloc + 4
    for _ in range(count):
        item_id, _ref, base, extents = struct.unpack_from(">HHIH", data, pos)
        offset, length = struct.unpack_from(">II", data, pos + 10)
        pos += 10 + 8 * extents
        if item_id == 1 and extents == 1:  # the main picture
            body = data[base + offset : base + offset + length]
            kinds = (b"hvcC", b"ispe", b"pixi", b"colr", b"clap")
            return [p for p in props if p[4:8] in kinds], body
    raise AssertionError("pillow-heif wrote no item 1")


class HeifItem:
    def __init__(
        self,
        item_id: int,
        item_type: bytes,
        body: bytes,
        props: list[bytes] | None = None,
        *,
        hidden: bool = False,
        name: bytes = b"",
        content_type: bytes = b"",
        in_idat: bool = False,
        pieces: int = 1,
    ) -> None:
        self.id, self.type, self.body, self.props = item_id, item_type, body, props or []
        self.hidden, self.name, self.content_type, self.in_idat, self.pieces = (
            hidden,
            name,
            content_type,
            in_idat,
            pieces,
        )


def heif_file(
    items: list[HeifItem],
    primary: int | None,
    refs: list[tuple[bytes, int, list[int]]],
    *,
    brand: bytes = b"heic",
    extra_top: list[bytes] = (),  # type: ignore[assignment]
    iloc_version: int = 1,
    field_size: int = 4,
    ipma_version: int = 0,
    ipma_flags: int = 0,
    large_mdat: bool = False,
    tail: bytes = b"",
    shift: dict[int, int] | None = None,  # item -> bytes added to its offsets (to point past the end)
    base_offsets: bool = False,
) -> bytes:
    """A HEIF file written box by box: any items, references and properties, in several encodings."""
    ids = ">I" if iloc_version == 2 or ipma_version == 1 else ">H"
    props: list[bytes] = []
    for item in items:
        for p in item.props:
            if p not in props:
                props.append(p)
    infe = []
    for item in items:
        version = 3 if item.id > 0xFFFF else 2
        extra = item.content_type + b"\0" if item.type == b"mime" else b""
        infe.append(
            fullbox(
                b"infe",
                version,
                1 if item.hidden else 0,
                struct.pack(">I" if version == 3 else ">H", item.id),
                b"\0\0",
                item.type,
                item.name + b"\0",
                extra,
            )
        )
    ipma = [struct.pack(">I", len(items))]
    for item in items:
        ipma.append(struct.pack(">I" if ipma_version else ">H", item.id) + bytes([len(item.props)]))
        for p in item.props:
            index = props.index(p) + 1
            essential = p[4:8] in (b"hvcC", b"av1C", b"irot", b"imir")
            if ipma_flags & 1:
                ipma.append(struct.pack(">H", (0x8000 if essential else 0) | index))
            else:
                ipma.append(bytes([(0x80 if essential else 0) | index]))
    iref = [
        isobox(t, struct.pack(ids, f), struct.pack(">H", len(to)), *[struct.pack(ids, x) for x in to])
        for t, f, to in refs
    ]
    idat = b"".join(item.body for item in items if item.in_idat)
    fmt = ">Q" if field_size == 8 else ">I"

    def iloc(mdat_start: int) -> bytes:
        # base_offsets: each item's position as its base offset and extents of lengths only (offset size 0)
        sizes = (0 << 4 | field_size, field_size << 4) if base_offsets else (field_size << 4 | field_size, 0)
        parts = [bytes(sizes)]
        parts.append(struct.pack(">I" if iloc_version == 2 else ">H", len(items)))
        in_mdat = in_idat = 0
        for item in items:
            parts.append(struct.pack(">I" if iloc_version == 2 else ">H", item.id))
            if iloc_version:
                parts.append(struct.pack(">H", 1 if item.in_idat else 0))
            parts.append(struct.pack(">H", 0))
            step = -(-len(item.body) // item.pieces)
            extents = []
            for i in range(item.pieces):
                length = len(item.body[i * step : (i + 1) * step])
                if item.in_idat:
                    extents.append((in_idat, length))
                    in_idat += length
                else:
                    extents.append((max(mdat_start + in_mdat + (shift or {}).get(item.id, 0), 0), length))
                    in_mdat += length
            if base_offsets:
                assert item.pieces == 1
                parts.append(
                    struct.pack(fmt, extents[0][0]) + struct.pack(">H", 1) + struct.pack(fmt, length)
                )
            else:
                parts.append(struct.pack(">H", item.pieces))
                parts += [struct.pack(fmt, where) + struct.pack(fmt, n) for where, n in extents]
        return fullbox(b"iloc", iloc_version, 0, *parts)

    ftyp = isobox(b"ftyp", brand, b"\0\0\0\0", b"mif1", brand, b"miaf")

    def meta(mdat_start: int) -> bytes:
        return fullbox(
            b"meta",
            0,
            0,
            fullbox(b"hdlr", 0, 0, b"\0\0\0\0pict", bytes(12), b"handler " + MARKER + b"\0"),
            fullbox(b"pitm", 1, 0, struct.pack(">I", primary))
            if primary is not None and primary > 0xFFFF
            else fullbox(b"pitm", 0, 0, struct.pack(">H", primary))
            if primary is not None
            else b"",
            fullbox(b"iinf", 0, 0, struct.pack(">H", len(items)), *infe),
            fullbox(b"iref", 1 if ids == ">I" else 0, 0, *iref) if refs else b"",
            isobox(b"iprp", isobox(b"ipco", *props), fullbox(b"ipma", ipma_version, ipma_flags, *ipma)),
            iloc(mdat_start),
            isobox(b"idat", idat) if idat else b"",
        )

    head = len(ftyp) + len(meta(0)) + (16 if large_mdat else 8)
    body = b"".join(item.body for item in items if not item.in_idat)
    return ftyp + meta(head) + isobox(b"mdat", body, large=large_mdat) + b"".join(extra_top) + tail


def ispe(width: int, height: int) -> bytes:
    return fullbox(b"ispe", 0, 0, struct.pack(">II", width, height))


def auxc(urn: bytes) -> bytes:
    return fullbox(b"auxC", 0, 0, urn + b"\0")


def colr_icc(profile: bytes) -> bytes:
    return isobox(b"colr", b"prof", profile)


def mp4_with_location(lat: float, lon: float) -> bytes:
    """A tiny MP4 whose udta holds a '©xyz' location, as phones write into a motion photo's video."""
    text = f"{lat:+08.4f}{lon:+09.4f}/".encode()
    xyz = isobox(b"\xa9xyz", struct.pack(">HH", len(text), 0x15C7), text)
    mvhd = fullbox(b"mvhd", 0, 0, struct.pack(">IIII", 0, 0, 1000, 3000), bytes(80))  # 3 seconds
    moov = isobox(b"moov", mvhd, isobox(b"udta", xyz))
    return isobox(b"ftyp", b"mp42", b"\0\0\0\0", b"isommp42") + moov + isobox(b"mdat", MARKER * 4)


def samsung_mpvd(video: bytes) -> bytes:
    """Samsung's HEIC motion photo: a top-level 'mpvd' box holding the MP4, then its SEF trailer."""
    sef = b"\x00\x00\x30\x0aMotionPhoto_Data" + MARKER + b"SEFH" + bytes(12) + b"SEFT"
    return isobox(b"mpvd", video, isobox(b"sefd", sef))


def needle_icc(description: bytes = b"Needle display profile") -> bytes:
    """A small valid-looking ICC profile whose description carries a marker."""
    desc = b"desc" + bytes(4) + struct.pack(">I", len(description) + 1) + description + b"\0" + bytes(79)
    tags = [(b"desc", desc)]
    offset = 128 + 4 + 12 * len(tags)
    table, blobs = b"", b""
    for sig, blob in tags:
        table += struct.pack(">4sII", sig, offset + len(blobs), len(blob))
        blobs += blob + bytes(-len(blob) % 4)
    body = struct.pack(">I", len(tags)) + table + blobs
    header = struct.pack(">I4sI4s4s4s", 128 + len(body), b"none", 0x02100000, b"mntr", b"RGB ", b"XYZ ")
    header += bytes(12) + b"acsp" + bytes(128 - 40)
    return header + body


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
