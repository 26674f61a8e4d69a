"""Builds "dirty" test pictures in code: Pillow for pixels, piexif for EXIF, hand-built segments and chunks
for everything else. Every identifying value is a recognisable needle so tests can search for it."""

from __future__ import annotations

import io
import struct
import zlib

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
