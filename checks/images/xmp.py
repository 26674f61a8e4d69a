"""Reads an XMP packet (RDF/XML) for what identifies a person, a place or a device.

Parsed with defusedxml (no entities, no external references) after decoding UTF-8, UTF-16 or UTF-32 and
removing any DOCTYPE, so that entity declarations are never expanded, only left out. Properties may be
written as attributes or as elements, and as plain values or rdf:Seq/Bag/Alt lists; all of these are read.
A packet that is not well-formed XML (cut short, mismatched tags, undeclared prefixes, an undefined entity)
is still read, as ExifTool reads it, by a tolerant tokenizer over its tags and text, bounded in time
(linear) and memory (a fixed depth).
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from checks.images.facts import Facts, Gps

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
XMP = "http://ns.adobe.com/xap/1.0/"
XMP_MM = "http://ns.adobe.com/xap/1.0/mm/"
XMP_RIGHTS = "http://ns.adobe.com/xap/1.0/rights/"
EXIF = "http://ns.adobe.com/exif/1.0/"
EXIF_EX = "http://cipa.jp/exif/1.0/"
TIFF = "http://ns.adobe.com/tiff/1.0/"
AUX = "http://ns.adobe.com/exif/1.0/aux/"
PHOTOSHOP = "http://ns.adobe.com/photoshop/1.0/"
IPTC_CORE = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
IPTC_EXT = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
MWG_RS = "http://www.metadataworkinggroup.com/schemas/regions/"
MP_REG = "http://ns.microsoft.com/photo/1.2/t/Region#"
DJI = "http://www.dji.com/drone-dji/1.0/"
GCAMERA = "http://ns.google.com/photos/1.0/camera/"
LIGHTROOM = "http://ns.adobe.com/lightroom/1.0/"

XMP_NOTE = "http://ns.adobe.com/xmp/note/"
X_META = "adobe:ns:meta/"
XML_NS = "http://www.w3.org/XML/1998/namespace"
# The prefixes that writers use for these namespaces, for packets that forget to declare them.
PREFIXES = {
    "rdf": RDF,
    "x": X_META,
    "dc": DC,
    "xmp": XMP,
    "xap": XMP,
    "xmpMM": XMP_MM,
    "xapMM": XMP_MM,
    "xmpRights": XMP_RIGHTS,
    "xapRights": XMP_RIGHTS,
    "exif": EXIF,
    "exifEX": EXIF_EX,
    "tiff": TIFF,
    "aux": AUX,
    "photoshop": PHOTOSHOP,
    "Iptc4xmpCore": IPTC_CORE,
    "Iptc4xmpExt": IPTC_EXT,
    "mwg-rs": MWG_RS,
    "MPReg": MP_REG,
    "drone-dji": DJI,
    "GCamera": GCAMERA,
    "lr": LIGHTROOM,
    "xmpNote": XMP_NOTE,
    "xml": XML_NS,
}
MAX_TREE_TAGS = 200_000  # more tags than this are read by the tolerant reader, which keeps no tree
MAX_DEPTH = 256
MAX_VALUES = 5_000
MAX_PER_PROPERTY = 100  # values of one property recorded (for example keywords)

# (namespace, local name) -> (finding id, label)
_PROPERTIES: dict[tuple[str, str], tuple[str, str]] = {
    (DC, "creator"): ("image.author", "Creator (XMP)"),
    (DC, "rights"): ("image.author", "Rights (XMP)"),
    (DC, "contributor"): ("image.author", "Contributor (XMP)"),
    (XMP_RIGHTS, "Owner"): ("image.author", "Rights owner (XMP)"),
    (PHOTOSHOP, "AuthorsPosition"): ("image.author", "Creator's job title (XMP)"),
    (PHOTOSHOP, "CaptionWriter"): ("image.author", "Caption writer (XMP)"),
    (PHOTOSHOP, "Credit"): ("image.author", "Credit (XMP)"),
    (IPTC_CORE, "CiEmailWork"): ("image.author", "Contact email (XMP)"),
    (IPTC_CORE, "CiTelWork"): ("image.author", "Contact phone (XMP)"),
    (IPTC_CORE, "CiAdrExtadr"): ("image.place", "Contact address (XMP)"),
    (IPTC_CORE, "CiAdrCity"): ("image.place", "Contact city (XMP)"),
    (IPTC_EXT, "PersonInImage"): ("image.faces", "Person shown (XMP)"),
    (AUX, "OwnerName"): ("image.owner", "Camera owner name (XMP)"),
    (EXIF_EX, "CameraOwnerName"): ("image.owner", "Camera owner name (XMP)"),
    (AUX, "SerialNumber"): ("image.serial", "Body serial number (XMP)"),
    (EXIF_EX, "BodySerialNumber"): ("image.serial", "Body serial number (XMP)"),
    (AUX, "LensSerialNumber"): ("image.serial", "Lens serial number (XMP)"),
    (EXIF_EX, "LensSerialNumber"): ("image.serial", "Lens serial number (XMP)"),
    (DJI, "CameraSerialNumber"): ("image.serial", "Camera serial number (drone)"),
    (DJI, "DroneSerialNumber"): ("image.serial", "Drone serial number"),
    (PHOTOSHOP, "City"): ("image.place", "City (XMP)"),
    (PHOTOSHOP, "State"): ("image.place", "State or region (XMP)"),
    (PHOTOSHOP, "Country"): ("image.place", "Country (XMP)"),
    (IPTC_CORE, "Location"): ("image.place", "Sub-location (XMP)"),
    (IPTC_EXT, "Sublocation"): ("image.place", "Sub-location (XMP)"),
    (IPTC_EXT, "City"): ("image.place", "City (XMP)"),
    (IPTC_EXT, "ProvinceState"): ("image.place", "State or region (XMP)"),
    (IPTC_EXT, "CountryName"): ("image.place", "Country (XMP)"),
    (IPTC_EXT, "LocationName"): ("image.place", "Location name (XMP)"),
    (DC, "title"): ("image.caption", "Title (XMP)"),
    (DC, "description"): ("image.caption", "Description (XMP)"),
    (PHOTOSHOP, "Headline"): ("image.caption", "Headline (XMP)"),
    (EXIF, "UserComment"): ("image.comment", "User comment (XMP)"),
    (DC, "subject"): ("image.keywords", "Keywords (XMP)"),
    (LIGHTROOM, "hierarchicalSubject"): ("image.keywords", "Keywords (Lightroom)"),
    (TIFF, "Make"): ("image.camera", "Camera maker (XMP)"),
    (TIFF, "Model"): ("image.camera", "Camera model (XMP)"),
    (AUX, "Lens"): ("image.camera", "Lens (XMP)"),
    (XMP, "CreatorTool"): ("image.software", "Software (XMP)"),
    (TIFF, "Software"): ("image.software", "Software (XMP)"),
    (TIFF, "Artist"): ("image.author", "Artist (XMP)"),
    (TIFF, "ImageDescription"): ("image.caption", "Description (XMP)"),
    (XMP_MM, "DocumentID"): ("image.unique_id", "Document ID (XMP)"),
    (XMP_MM, "OriginalDocumentID"): ("image.unique_id", "Original document ID (XMP)"),
    (XMP_MM, "InstanceID"): ("image.unique_id", "Instance ID (XMP)"),
    (EXIF, "ImageUniqueID"): ("image.unique_id", "Image unique ID (XMP)"),
    (XMP, "CreateDate"): ("image.time", "Created (XMP)"),
    (XMP, "ModifyDate"): ("image.time", "Modified (XMP)"),
    (XMP, "MetadataDate"): ("image.time", "Details changed (XMP)"),
    (EXIF, "DateTimeOriginal"): ("image.time", "Taken (XMP)"),
    (PHOTOSHOP, "DateCreated"): ("image.time", "Created (XMP)"),
}
_FACE_NAMES = {(MWG_RS, "Name"), (MP_REG, "PersonDisplayName")}
_XMP_COORD = re.compile(
    r"^\s*(\d{1,3})(?:,(\d{1,2}(?:\.\d+)?))?(?:,(\d{1,2}(?:\.\d+)?))?\s*([NSEW])\s*$", re.I
)


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def _texts(el: Element) -> list[str]:
    """The values of a property element: its text, or the items of an rdf list inside it."""
    items = [li for li in el.iter(f"{{{RDF}}}li")]
    if items:
        return [("".join(li.itertext())).strip() for li in items if "".join(li.itertext()).strip()]
    text = (el.text or "").strip()
    return [text] if text else []


Values = dict[tuple[str, str], list[str]]


def read_xmp(packet: bytes, facts: Facts, source: str = "XMP") -> None:
    """Record what an XMP packet gives away. A damaged packet is read as far as it goes and said to be
    damaged; one with nothing readable at all is reported as unreadable."""
    text = decode_packet(bytes(packet))
    values = _tree_values(text) if text.count("<") <= MAX_TREE_TAGS else None
    if values is None:
        values = _tolerant_values(text)
        if not any(values.values()):
            facts.unknown.append("unreadable XMP block")
            facts.xmp_entries += 1
            return
        facts.unknown.append("damaged XMP block (read as far as it goes)")
    facts.xmp_entries += sum(1 for v in values.values() if v) or 1
    record_values(values, facts, source)


def record_values(values: Values, facts: Facts, source: str = "XMP") -> None:
    """Record XMP-style properties ((namespace, name) -> values) as facts; labels name `source`."""

    def label(text: str) -> str:
        return text.replace("(XMP)", f"({source})")

    for key, (fid, name) in _PROPERTIES.items():
        for value in values.get(key, [])[:MAX_PER_PROPERTY]:
            facts.add(fid, label(name), value)
    for key in _FACE_NAMES:
        for value in values.get(key, [])[:MAX_PER_PROPERTY]:
            facts.add("image.faces", label("Named face (XMP)"), value)
    _read_gps(values, facts, source)
    orientation = _first_int(values.get((TIFF, "Orientation")))
    if orientation and 1 <= orientation <= 8 and facts.orientation is None:
        facts.orientation = orientation
    if any(values.get((GCAMERA, k)) for k in ("MotionPhoto", "MicroVideo", "MicroVideoOffset")):
        facts.motion_photo = True


def extended_guid(packet: bytes) -> str | None:
    """The GUID of the Extended XMP that a main packet names (xmpNote:HasExtendedXMP), if any."""
    values = _tolerant_values(decode_packet(packet))
    found = values.get((XMP_NOTE, "HasExtendedXMP"))
    return found[0] if found else None


def join_extended(parts: list[tuple[int, bytes]], limit: int = 64 * 1024 * 1024) -> bytes:
    """An Extended XMP packet from its (offset, chunk) parts as JPEG APP1 segments carry them: put in
    offset order whatever order they came in, a repeated or overlapping part written once, a gap left out."""
    out = bytearray()
    for offset, chunk in sorted(parts, key=lambda p: p[0]):
        if offset < len(out):  # overlaps what is there: keep only what is new
            chunk = chunk[len(out) - offset :]
        if len(out) + len(chunk) > limit:
            break
        out += chunk
    return bytes(out)


# ---- decoding -----------------------------------------------------------------------------------------

_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xef\xbb\xbf", "utf-8"),
)
_XML_DECL = re.compile(r"<\?xml\b[^<>]*\?>")


def _strip_doctypes(text: str, limit: int = 8) -> str:
    """Text without its DOCTYPE declarations (and so without any entity declared in them). Each is cut
    with plain searches; what is left after `limit` of them stays, for the parsers to refuse."""
    for _ in range(limit):
        start = text.find("<!DOCTYPE")
        if start < 0:
            break
        close, subset = text.find(">", start), text.find("[", start)
        if 0 <= subset < close:
            end = text.find("]", subset)
            close = text.find(">", end) if end >= 0 else -1
        text = text[:start] + (text[close + 1 :] if close >= 0 else text[start + 9 :])
    return text


def decode_packet(packet: bytes) -> str:
    """The packet as text: UTF-8, UTF-16 or UTF-32 (told by a byte-order mark or by the zero bytes around
    the first '<'), without the XML declaration or any DOCTYPE (so no entity is ever declared)."""
    text = None
    for bom, encoding in _BOMS:
        if packet.startswith(bom):
            text = packet[len(bom) :].decode(encoding, "replace")
            break
    if text is None:
        i = packet.find(b"<", 0, 4096)
        encoding, start = "utf-8", max(i, 0)
        before, after = packet[max(i - 3, 0) : max(i, 0)], packet[i + 1 : i + 4]
        if i < 0 or after[:1] != b"\0":
            pass
        elif after == b"\0\0\0":
            encoding, start = ("utf-32-be", i - 3) if before == b"\0\0\0" else ("utf-32-le", i)
        elif before[-1:] == b"\0":
            encoding, start = "utf-16-be", i - 1
        else:
            encoding = "utf-16-le"
        body = packet[start:]
        if encoding != "utf-8":
            unit = 4 if "32" in encoding else 2
            body = body[: len(body) - len(body) % unit]
        text = body.decode(encoding, "replace")
    text = text.lstrip("\ufeff")
    text = _XML_DECL.sub("", text[max(text.find("<"), 0) :], count=1)
    return _strip_doctypes(text).rstrip("\0 \r\n\t")


def _tree_values(text: str) -> Values | None:
    try:
        root = SafeET.fromstring(text)
    except (SafeET.ParseError, DefusedXmlException, ValueError, RecursionError):
        return None
    values: Values = {}

    def record(key: tuple[str, str], vals: list[str]) -> None:
        values.setdefault(key, []).extend(vals)

    for el in root.iter():
        for name, value in el.attrib.items():
            key = _split(name)
            if key[0] not in (RDF, XML_NS, X_META) and value.strip():
                record(key, [value.strip()])
        key = _split(el.tag)
        if key[0] not in (RDF, X_META, ""):
            record(key, _texts(el) if len(el) == 0 or el.find(f".//{{{RDF}}}li") is not None else [])
    return values


# ---- the tolerant reader, for packets that are not well-formed ---------------------------------------

_NAME = r"[A-Za-z_][\w.\-]*"
_TOKEN = re.compile(
    rf"<(/?)({_NAME}:{_NAME})((?:\"[^\"<]*\"|'[^'<]*'|[^<>\"'])*)>|<!--.*?(?:-->|$)|<!\[CDATA\[(.*?)(?:\]\]>|$)"
    r"|<[!?][^<>]*>?|([^<]+)|<[^<]*",
    re.S,
)
_ATTR = re.compile(rf"({_NAME}(?::{_NAME})?)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_REF = re.compile(r"&(?:#x([0-9A-Fa-f]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _unescape(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        if m[3]:
            return _NAMED[m[3]]
        code = int(m[1], 16) if m[1] else int(m[2])
        return chr(code) if 0 < code <= 0x10FFFF else ""

    return _REF.sub(one, text) if "&" in text else text


def _tolerant_values(text: str) -> Values:
    prefixes = dict(PREFIXES)
    for m in re.finditer(rf"xmlns:({_NAME})\s*=\s*[\"']([^\"'<>]*)[\"']", text):
        prefixes.setdefault(m[1], m[2])
    values: Values = {}
    count = 0

    def key(name: str) -> tuple[str, str] | None:
        prefix, _, local = name.rpartition(":")
        ns = prefixes.get(prefix) if prefix else None
        return (ns, local) if ns and ns not in (RDF, X_META, XML_NS) else None

    def record(k: tuple[str, str] | None, value: str) -> None:
        nonlocal count
        value = value.strip()
        if k and value and count < MAX_VALUES:
            values.setdefault(k, []).append(value)
            count += 1

    stack: list[str] = []  # open prefixed elements; tags without a prefix are never XMP properties
    overflow = 0
    for m in _TOKEN.finditer(text):
        name = m[2]
        if name:
            attrs = m[3]
            if m[1]:  # a closing tag
                if overflow:
                    overflow -= 1
                elif name in stack:
                    del stack[len(stack) - 1 - stack[::-1].index(name) :]
                continue
            if "=" in attrs:
                for a in _ATTR.finditer(attrs):
                    if not a[1].startswith("xmlns"):
                        record(key(a[1]), _unescape(a[2] if a[2] is not None else a[3]))
            if not attrs.rstrip().endswith("/"):
                if len(stack) < MAX_DEPTH:
                    stack.append(name)
                else:
                    overflow += 1
            continue
        body = m[4] if m[4] is not None else m[5]
        if body is None or not stack or body.isspace():
            continue
        if key(stack[-1]) or stack[-1] == "rdf:li":
            prop = next((k for n in reversed(stack) if (k := key(n))), None)
            record(prop, body if m[4] is not None else _unescape(body))
    return values


def _first_int(vals: list[str] | None) -> int | None:
    for v in vals or []:
        try:
            return int(v)
        except ValueError:
            continue
    return None


def _coordinate(text: str) -> tuple[float, float] | None:
    """An XMP GPS coordinate "DDD,MM.mmk" or "DDD,MM,SSk", as signed degrees and the step it can express."""
    m = _XMP_COORD.match(text)
    if not m:
        return None
    deg, minutes, seconds, ref = int(m[1]), float(m[2] or 0), float(m[3] or 0), m[4].upper()
    value = deg + minutes / 60 + seconds / 3600
    if m[3]:
        decimals = len(m[3].partition(".")[2])
        step = 10**-decimals / 3600
    else:
        decimals = len((m[2] or "").partition(".")[2])
        step = 10**-decimals / 60
    return (-value if ref in "SW" else value), step


def _decimal(text: str) -> tuple[float, float] | None:
    try:
        value = float(text)
    except ValueError:
        return None
    decimals = len(text.strip().partition(".")[2])
    return value, 10**-decimals


def _read_gps(values: Values, facts: Facts, base: str = "XMP") -> None:
    pairs = [
        ((EXIF, "GPSLatitude"), (EXIF, "GPSLongitude"), _coordinate, base),
        ((DJI, "GpsLatitude"), (DJI, "GpsLongitude"), _decimal, "drone XMP"),
        ((DJI, "GpsLongtitude"), (DJI, "GpsLongtitude"), _decimal, "drone XMP"),  # DJI's own spelling
    ]
    for lat_key, lon_key, parse, source in pairs:
        lat_vals, lon_vals = values.get(lat_key), values.get(lon_key)
        if lat_key == lon_key:  # the misspelt pair: latitude is spelt right
            lat_vals = values.get((DJI, "GpsLatitude"))
        if not lat_vals or not lon_vals:
            continue
        lat, lon = parse(lat_vals[0]), parse(lon_vals[0])
        if lat is None or lon is None or (lat[0] == 0 and lon[0] == 0):
            facts.gps_empty = True
            continue
        if abs(lat[0]) > 90 or abs(lon[0]) > 180:
            continue
        altitude = None
        for alt_key in ((EXIF, "GPSAltitude"), (DJI, "AbsoluteAltitude")):
            for raw in values.get(alt_key, []):
                altitude = _altitude(raw)
                if altitude is not None:
                    break
        if facts.gps is None:
            precision = max(lat[1], lon[1]) * 111_320
            facts.gps = Gps(round(lat[0], 7), round(lon[0], 7), altitude, precision, source)
        facts.add("image.gps_detail", f"Position ({source})", f"{lat_vals[0]}, {lon_vals[0]}")


def _altitude(raw: str) -> float | None:
    try:
        if "/" in raw:
            num, den = raw.split("/", 1)
            return float(num) / float(den) if float(den) else None
        return float(raw)
    except ValueError:
        return None
