"""Reads an XMP packet (RDF/XML) for what identifies a person, a place or a device.

Parsed with defusedxml (no entities, no external references). Properties may be written as attributes or as
elements, and as plain values or rdf:Seq/Bag/Alt lists; all of these are read.
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


def read_xmp(packet: bytes, facts: Facts) -> None:
    """Record what an XMP packet gives away. A packet that cannot be parsed is reported as damaged."""
    start = packet.find(b"<")
    try:
        root = SafeET.fromstring(packet[start:].rstrip(b"\0 \r\n\t") if start >= 0 else b"")
    except (SafeET.ParseError, DefusedXmlException, ValueError):
        facts.unknown.append("unreadable XMP block")
        facts.xmp_entries += 1
        return
    values: dict[tuple[str, str], list[str]] = {}

    def record(key: tuple[str, str], vals: list[str]) -> None:
        values.setdefault(key, []).extend(vals)

    for el in root.iter():
        for name, value in el.attrib.items():
            key = _split(name)
            if (
                key[0] not in (RDF, "http://www.w3.org/XML/1998/namespace", "adobe:ns:meta/")
                and value.strip()
            ):
                record(key, [value.strip()])
        key = _split(el.tag)
        if key[0] not in (RDF, "adobe:ns:meta/", ""):
            record(key, _texts(el) if len(el) == 0 or el.find(f".//{{{RDF}}}li") is not None else [])
    facts.xmp_entries += sum(1 for v in values.values() if v) or 1
    for key, (fid, label) in _PROPERTIES.items():
        for value in values.get(key, []):
            facts.add(fid, label, value)
    for key in _FACE_NAMES:
        for value in values.get(key, []):
            facts.add("image.faces", "Named face (XMP)", value)
    _read_gps(values, facts)
    orientation = _first_int(values.get((TIFF, "Orientation")))
    if orientation and 1 <= orientation <= 8 and facts.orientation is None:
        facts.orientation = orientation
    if any(values.get((GCAMERA, k)) for k in ("MotionPhoto", "MicroVideo", "MicroVideoOffset")):
        facts.motion_photo = True


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


def _read_gps(values: dict[tuple[str, str], list[str]], facts: Facts) -> None:
    pairs = [
        ((EXIF, "GPSLatitude"), (EXIF, "GPSLongitude"), _coordinate, "XMP"),
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
