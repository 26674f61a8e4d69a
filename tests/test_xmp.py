"""XMP that is not tidy: malformed, UTF-16/32, with a DOCTYPE, hostile, split into Extended XMP. What
SafeSpace reads is compared with what exiftool reads from the same packet written into a JPEG."""

from __future__ import annotations

import hashlib
import json
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from checks.images import jpeg
from checks.images.facts import Facts
from checks.images.xmp import decode_packet, extended_guid, join_extended, read_xmp
from tests.imagefactory import insert_after_soi, jpeg_pixels, segment

NS = (
    'xmlns:x="adobe:ns:meta/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"'
)
BODY = (
    '<rdf:Description rdf:about="" photoshop:City="Needleton" '
    'exif:GPSLatitude="51,30.042N" exif:GPSLongitude="0,7.476W">'
    "<dc:creator><rdf:Seq><rdf:li>Jane Needle</rdf:li></rdf:Seq></dc:creator>"
    "</rdf:Description>"
)
GOOD = f"<x:xmpmeta {NS}><rdf:RDF>{BODY}</rdf:RDF></x:xmpmeta>"
XMP_ID = b"http://ns.adobe.com/xap/1.0/\x00"
EXT_ID = b"http://ns.adobe.com/xmp/extension/\x00"


def read(packet: bytes) -> Facts:
    facts = Facts()
    read_xmp(packet, facts)
    return facts


def found(facts: Facts) -> dict[str, object]:
    return {
        "creator": [v for label, v in facts.fields.get("image.author", []) if label == "Creator (XMP)"],
        "city": facts.values("image.place"),
        "gps": None if facts.gps is None else (round(facts.gps.latitude, 4), round(facts.gps.longitude, 4)),
    }


EXPECTED = {"creator": ["Jane Needle"], "city": ["Needleton"], "gps": (51.5007, -0.1246)}


def with_xpacket(body: str) -> str:
    return f'<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>{body}<?xpacket end="w"?>'


# Each: a packet that is not what a strict reader accepts, but says the same things.
MALFORMED = {
    "cut short": GOOD[: GOOD.index("</dc:creator>") + 5],
    "mismatched close tags": GOOD.replace("</rdf:Seq>", "</rdf:Bag>").replace("</rdf:RDF>", "</rdf:Rdf>"),
    "bare ampersand and '<' in a value": GOOD.replace("Needleton", "Needleton") + "<& junk",
    "undefined entity": GOOD.replace("</dc:creator>", "</dc:creator><dc:rights>&copy;</dc:rights>"),
    "no namespace declarations": GOOD.replace(NS, 'xmlns:x="adobe:ns:meta/"'),
    "junk after the packet": GOOD + "</x:xmpmeta></x:xmpmeta>\x00\x00trailing",
}
DOCTYPE = {
    "billion laughs": '<?xml version="1.0"?><!DOCTYPE x:xmpmeta [<!ENTITY a "NEEDLEAAAAAAAAA">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + "]>"
    + GOOD.replace("</dc:creator>", "</dc:creator><dc:rights>&j;</dc:rights>"),
    "external entity": '<!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
    + GOOD.replace("</dc:creator>", "</dc:creator><dc:rights>&ext;</dc:rights>"),
    "parameter entity": '<!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>' + GOOD,
    "plain doctype": '<!DOCTYPE x:xmpmeta SYSTEM "http://127.0.0.1:9/x.dtd">' + GOOD,
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_packets_are_still_read(name: str) -> None:
    facts = read(with_xpacket(MALFORMED[name]).encode())
    assert found(facts) == EXPECTED, name
    if name != "junk after the packet":
        assert "damaged XMP block (read as far as it goes)" in facts.unknown


@pytest.mark.parametrize("name", list(DOCTYPE))
def test_doctype_packets_are_read_without_entities(name: str) -> None:
    facts = read(DOCTYPE[name].encode())
    assert found(facts) == EXPECTED, name
    everything = json.dumps(facts.fields)
    assert "NEEDLEAAAA" not in everything  # never expanded
    assert "root:" not in everything  # never fetched


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-16-be", True),
        ("utf-16-le", True),
        ("utf-16-be", False),
        ("utf-16-le", False),
        ("utf-32-be", True),
        ("utf-32-le", True),
        ("utf-32-le", False),
        ("utf-8", True),
    ],
)
def test_utf16_and_utf32_packets(encoding: str, bom: bool) -> None:
    text = '<?xml version="1.0" encoding="UTF-16"?>' + with_xpacket(GOOD.replace("Jane", "Jané"))
    raw = ("\ufeff" if bom else "").encode(encoding) + text.encode(encoding)
    facts = read(raw)
    assert found(facts) | {"creator": ["Jane Needle"]} == EXPECTED
    assert facts.values("image.author") == ["Jané Needle"]
    assert facts.unknown == []
    assert decode_packet(raw[:-3]).startswith("<?xpacket")  # cut mid-character: still decodes


def test_hostile_packets_end_quickly_and_quietly() -> None:
    nested = ("<a>" * 3_500_000).encode()  # 10 MB of nesting
    facts = read(nested)
    assert facts.unknown == ["unreadable XMP block"]
    deep_then_value = f"<x:xmpmeta {NS}><rdf:RDF>" + "<rdf:Description>" * 300_000 + BODY
    assert found(read(deep_then_value.encode()))["city"] == ["Needleton"]
    unclosed_quotes = ('<a b="' * 400_000).encode()
    assert read(unclosed_quotes).unknown == ["unreadable XMP block"]
    doctypes = ("<!DOCTYPE [" * 200_000 + GOOD).encode()
    assert found(read(doctypes))["creator"] == ["Jane Needle"]
    comments = ("<!--" * 300_000).encode()
    assert read(comments).unknown == ["unreadable XMP block"]
    for junk in (
        b"",
        b"\x00" * 100,
        b"<",
        b"\xff\xfe",
        b"\xfe\xff\x00",
        b"<not xml",
        "<\ud800>".encode("utf-8", "surrogatepass"),
    ):
        read(junk)


def test_many_values_are_bounded() -> None:
    items = "".join(f"<rdf:li>Name {i}</rdf:li>" for i in range(50_000))
    packet = GOOD.replace("<rdf:li>Jane Needle</rdf:li>", items).replace("</x:xmpmeta>", "")  # malformed
    facts = read(packet.encode())
    assert len(facts.values("image.author")) == 100


# ---- Extended XMP --------------------------------------------------------------------------------------


def extended_jpeg(order: list[int], chunk: int = 120) -> tuple[bytes, str]:
    ext = GOOD.replace("Jane Needle", "Extended Needle").replace("Needleton", "Extendedton").encode()
    guid = hashlib.md5(ext).hexdigest().upper()
    main = (
        f'<x:xmpmeta {NS}><rdf:RDF><rdf:Description rdf:about="" '
        f'xmlns:xmpNote="http://ns.adobe.com/xmp/note/" xmpNote:HasExtendedXMP="{guid}"/>'
        "</rdf:RDF></x:xmpmeta>"
    )
    pieces = [(off, ext[off : off + chunk]) for off in range(0, len(ext), chunk)]
    segments = [segment(0xE1, XMP_ID + with_xpacket(main).encode())]
    for i in order:
        off, part = pieces[i % len(pieces)]
        segments.append(segment(0xE1, EXT_ID + guid.encode() + struct.pack(">II", len(ext), off) + part))
    return insert_after_soi(jpeg_pixels(), *segments), guid


def test_extended_xmp_out_of_order_is_read() -> None:
    data, guid = extended_jpeg([3, 1, 0, 2, 4, 5, 6, 7, 8, 9])
    facts = Facts()
    jpeg.parse(data, facts)
    assert "Extended Needle" in facts.values("image.author")
    assert "Extendedton" in facts.values("image.place")
    main = data[data.index(b"<?xpacket") : data.index(b'end="w"?>') + 9]
    assert extended_guid(main) == guid


# ---- the same packets through exiftool -----------------------------------------------------------------


def exiftool_reads(tmp_path: Path, data: bytes) -> dict[str, object]:
    path = tmp_path / "x.jpg"
    path.write_bytes(data)
    out = subprocess.run(
        ["exiftool", "-j", "-n", "-xmp:all", str(path)], capture_output=True, text=True, check=True
    ).stdout
    tags = json.loads(out)[0]
    creator = tags.get("Creator")
    return {
        "creator": creator if isinstance(creator, list) or creator is None else [creator],
        "city": [tags["City"]] if "City" in tags else [],
        "gps": (round(tags["GPSLatitude"], 4), round(tags["GPSLongitude"], 4))
        if "GPSLatitude" in tags
        else None,
    }


def in_jpeg(packet: bytes) -> bytes:
    return insert_after_soi(jpeg_pixels(), segment(0xE1, XMP_ID + packet))


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool is not installed")
def test_same_reading_as_exiftool(tmp_path: Path) -> None:
    packets = {f"malformed: {k}": with_xpacket(v).encode() for k, v in MALFORMED.items()}
    packets |= {f"doctype: {k}": v.encode() for k, v in DOCTYPE.items()}
    packets["utf-16 with BOM"] = ("\ufeff" + with_xpacket(GOOD)).encode("utf-16-be")
    packets["good"] = with_xpacket(GOOD).encode()
    agreed = []
    for name, packet in packets.items():
        theirs = exiftool_reads(tmp_path, in_jpeg(packet))
        ours = found(read(packet))
        assert ours == EXPECTED, name  # ours reads all of them
        if theirs == EXPECTED:
            agreed.append(name)
        else:  # where exiftool reads less, it reads nothing we do not
            for key, value in theirs.items():
                assert value in (None, [], ours[key]), (name, theirs)
    assert "good" in agreed and len(agreed) >= 6, agreed
    data, _ = extended_jpeg([3, 1, 0, 2, 4, 5, 6, 7, 8, 9])
    theirs = exiftool_reads(tmp_path, data)
    assert theirs["city"] == ["Extendedton"]
    facts = Facts()
    jpeg.parse(data, facts)
    assert theirs["city"][0] in facts.values("image.place")


def test_join_extended_puts_parts_in_order_once() -> None:
    text = GOOD.encode()
    parts = [(off, text[off : off + 50]) for off in range(0, len(text), 50)]
    shuffled = parts[3:] + parts[:3] + parts[1:4]  # out of order, some twice
    assert join_extended(shuffled) == text
    assert found(read(join_extended(shuffled))) == EXPECTED
    assert join_extended([(0, b"abcdef"), (3, b"defghi")]) == b"abcdefghi"
    assert len(join_extended([(0, b"x" * 100)] * 3, limit=150)) == 100
