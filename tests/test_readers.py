"""Metadata readers on hand-built inputs: XMP coordinates, precision words, IPTC, maker notes, sniffing."""

from __future__ import annotations

import struct

import pytest

from checks.images import findings as words
from checks.images.facts import Facts
from checks.images.iptc import read_iim
from checks.images.sniff import sniff
from checks.images.tiffparse import TiffReader
from checks.images.xmp import read_xmp


def xmp(attrs: str) -> bytes:
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
        'xmlns:drone-dji="http://www.dji.com/drone-dji/1.0/" '
        'xmlns:MPReg="http://ns.microsoft.com/photo/1.2/t/Region#" '
        f"{attrs}/></rdf:RDF></x:xmpmeta>"
    ).encode()


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        ("51,30.042N", "0,7.476W", (51.5007, -0.1246)),
        ("33,52,10.5S", "151,12,30E", (-33.869583, 151.208333)),
    ],
)
def test_xmp_gps_coordinates(lat: str, lon: str, expected: tuple[float, float]) -> None:
    facts = Facts()
    read_xmp(xmp(f'exif:GPSLatitude="{lat}" exif:GPSLongitude="{lon}"'), facts)
    assert facts.gps is not None
    assert (facts.gps.latitude, facts.gps.longitude) == pytest.approx(expected, abs=1e-5)


def test_drone_gps_and_serial() -> None:
    facts = Facts()
    read_xmp(
        xmp(
            'drone-dji:GpsLatitude="22.5430123" drone-dji:GpsLongtitude="113.9581234" '
            'drone-dji:AbsoluteAltitude="+92.35" drone-dji:DroneSerialNumber="DJI-NEEDLE"'
        ),
        facts,
    )
    assert facts.gps is not None
    assert facts.gps.latitude == pytest.approx(22.5430123)
    assert facts.gps.longitude == pytest.approx(113.9581234)
    assert facts.gps.altitude == pytest.approx(92.35)
    assert facts.values("image.serial") == ["DJI-NEEDLE"]


def test_microsoft_face_regions() -> None:
    facts = Facts()
    read_xmp(xmp('MPReg:PersonDisplayName="Amy Needle"'), facts)
    assert facts.values("image.faces") == ["Amy Needle"]


def test_hostile_xmp_is_refused_safely() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><x>&b;</x>'
    facts = Facts()
    read_xmp(bomb, facts)
    assert facts.unknown == ["unreadable XMP block"]
    read_xmp(b"<not xml", facts)


@pytest.mark.parametrize(
    ("metres", "text"),
    [
        (0.3, "to within about 10 metres"),
        (31, "to within about 30 metres"),
        (460, "to within about 450 metres"),
        (1850, "to within about 2 km"),
        (111_000, "roughly (to the nearest town or region)"),
    ],
)
def test_precision_words(metres: float, text: str) -> None:
    assert words.precision_words(metres) == text


def test_iptc_extended_length_and_dates() -> None:
    long_caption = "x" * 40000
    raw = b"\x1c\x02\x78\x80\x04" + struct.pack(">I", len(long_caption)) + long_caption.encode()
    raw += b"\x1c\x02\x37\x00\x08" + b"20240305" + b"\x1c\x02\x5a\x00\x05Paris"
    facts = Facts()
    read_iim(raw, facts)
    assert facts.values("image.time") == ["2024-03-05"]
    assert facts.values("image.place") == ["Paris"]
    assert facts.values("image.caption")[0].endswith("…")


def test_tiff_reader_survives_loops_and_bad_offsets() -> None:
    # IFD0 whose next-IFD pointer points back to itself, and an entry pointing past the end.
    buf = b"II*\x00\x08\x00\x00\x00" + struct.pack("<H", 1) + struct.pack("<HHII", 0x010F, 2, 100, 0xFFFF0000)
    buf += struct.pack("<I", 8)
    reader = TiffReader(buf)
    ifd = reader.first_ifd()
    assert ifd is not None and 0x010F not in ifd
    assert ifd.next() is None


def test_canon_owner_and_serial_in_maker_note() -> None:
    from checks.images.exif import read_exif

    # IFD0 (Make=Canon, ExifIFD) -> ExifIFD (MakerNote) -> Canon IFD (OwnerName, SerialNumber)
    owner = b"Needle Owner\x00"
    canon_ifd_at = 8 + 2 + 2 * 12 + 4 + 6 + 2 + 12 + 4
    canon = struct.pack("<H", 2) + struct.pack("<HHII", 0x0009, 2, len(owner), canon_ifd_at + 30)
    canon += struct.pack("<HHII", 0x000C, 4, 1, 123456789) + b"\x00\x00\x00\x00" + owner
    ifd0 = struct.pack("<H", 2) + struct.pack("<HHII", 0x010F, 2, 6, 8 + 2 + 24 + 4)
    ifd0 += struct.pack("<HHII", 0x8769, 4, 1, 8 + 2 + 24 + 4 + 6) + b"\x00\x00\x00\x00" + b"Canon\x00"
    exif_ifd = struct.pack("<H", 1) + struct.pack("<HHII", 0x927C, 7, len(canon), canon_ifd_at)
    exif_ifd += b"\x00\x00\x00\x00"
    buf = b"II*\x00\x08\x00\x00\x00" + ifd0 + exif_ifd + canon
    facts = Facts()
    read_exif(buf, facts)
    assert facts.makernote == "Canon"
    assert facts.values("image.owner") == ["Needle Owner"]
    assert facts.values("image.serial") == ["123456789"]


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\xff\xd8\xff\xe0", "jpeg"),
        (b"\x89PNG\r\n\x1a\n", "png"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"),
        (b"GIF89a", "gif"),
        (b"II*\x00\x08\x00\x00\x00", "tiff"),
        (b"II*\x00\x10\x00\x00\x00CR\x02\x00", "raw"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "heif"),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf", "avif"),
        (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2", "video"),
        (b"8BPS", "psd"),
        (b"%PDF-1.7", "pdf"),
        (b"hello", "unknown"),
        (b"", "unknown"),
    ],
)
def test_sniff(head: bytes, kind: str) -> None:
    assert sniff(head) == kind
