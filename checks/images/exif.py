"""Turns an EXIF block (or a TIFF file's own directories) into facts."""

from __future__ import annotations

import math

from checks.errors import DamagedImage
from checks.images import makernotes
from checks.images.facts import Facts, Gps
from checks.images.tiffparse import EXIF_IFD, GPS_IFD, INTEROP_IFD, Ifd, TiffReader

# tag -> (finding id, label). Read as text unless listed in _UCS2.
_TEXT_TAGS: dict[int, tuple[str, str]] = {
    0x010E: ("image.caption", "Description"),
    0x010F: ("image.camera", "Camera maker"),
    0x0110: ("image.camera", "Camera model"),
    0x0131: ("image.software", "Software"),
    0x013B: ("image.author", "Artist"),
    0x013C: ("image.computer", "Computer name"),
    0x8298: ("image.author", "Copyright"),
    0xC614: ("image.camera", "Camera model (unique)"),
    0xC62F: ("image.serial", "Camera serial number"),
    0xFDE8: ("image.owner", "Owner name"),
    0xFDE9: ("image.serial", "Serial number"),
    0xA420: ("image.unique_id", "Image unique ID"),
    0xA430: ("image.owner", "Camera owner name"),
    0xA431: ("image.serial", "Body serial number"),
    0xA433: ("image.camera", "Lens maker"),
    0xA434: ("image.camera", "Lens model"),
    0xA435: ("image.serial", "Lens serial number"),
    0xA436: ("image.caption", "Image title"),
    0xA437: ("image.author", "Photographer"),
    0xA438: ("image.author", "Image editor"),
    0xA43A: ("image.software", "RAW developing software"),
    0xA43B: ("image.software", "Image editing software"),
    0xA43C: ("image.software", "Metadata editing software"),
}
_UCS2: dict[int, tuple[str, str]] = {
    0x9C9B: ("image.caption", "Title (Windows)"),
    0x9C9C: ("image.caption", "Comment (Windows)"),
    0x9C9D: ("image.author", "Author (Windows)"),
    0x9C9E: ("image.keywords", "Keywords (Windows)"),
    0x9C9F: ("image.caption", "Subject (Windows)"),
}
# (date tag, offset tag, sub-second tag, label)
_TIMES = [
    (0x9003, 0x9011, 0x9291, "Taken"),
    (0x9004, 0x9012, 0x9292, "Digitised"),
    (0x0132, 0x9010, 0x9290, "Modified"),
]
# Text that cameras write on their own into Description; it identifies no one.
_STOCK_DESCRIPTIONS = {
    "OLYMPUS DIGITAL CAMERA",
    "SONY DSC",
    "DIGITAL CAMERA",
    "KONICA MINOLTA DIGITAL CAMERA",
    "MINOLTA DIGITAL CAMERA",
    "SAMSUNG DIGITAL CAMERA",
    "DCIM\\100MEDIA",
    "DCF 1.0",
}
ORIENTATION = 0x0112
XMP_TAG = 0x02BC
IPTC_TAG = 0x83BB
PHOTOSHOP_TAG = 0x8649
ICC_TAG = 0x8773
MAKERNOTE = 0x927C
USER_COMMENT = 0x9286
# Tags that describe how the picture is stored (TIFF baseline and extensions): they identify no one.
_STRUCTURAL = {
    EXIF_IFD,
    GPS_IFD,
    INTEROP_IFD,
    ORIENTATION,
    XMP_TAG,
    IPTC_TAG,
    PHOTOSHOP_TAG,
    ICC_TAG,
    254,
    255,
    256,
    257,
    258,
    259,
    262,
    263,
    264,
    265,
    266,
    273,
    277,
    278,
    279,
    280,
    281,
    282,
    283,
    284,
    296,
    301,
    317,
    318,
    319,
    320,
    322,
    323,
    324,
    325,
    330,
    332,
    338,
    339,
    347,
    513,
    514,
    529,
    530,
    531,
    532,
}


def read_exif(buf: bytes | memoryview, facts: Facts, base: int = 0) -> None:
    """Read an EXIF block whose TIFF header starts at `base`. Damaged blocks record what could be read."""
    try:
        reader = TiffReader(buf, base)
    except DamagedImage:
        facts.unknown.append("damaged EXIF block")
        return
    ifd0 = reader.first_ifd()
    if ifd0 is None:
        facts.unknown.append("damaged EXIF block")
        return
    read_ifd0(ifd0, facts)
    ifd1 = ifd0.next()
    if ifd1 is not None and (0x0201 in ifd1 or 0x0111 in ifd1):
        facts.thumbnails.append("EXIF preview picture")
        facts.exif_entries += len(ifd1.entries)


def read_ifd0(ifd0: Ifd, facts: Facts) -> None:
    """Read the identifying tags of a first directory, its EXIF and GPS directories and the maker note."""
    orientation = ifd0.first_int(ORIENTATION)
    if orientation is not None and 1 <= orientation <= 8 and facts.orientation is None:
        facts.orientation = orientation
    exif = ifd0.sub_ifd(EXIF_IFD)
    gps = ifd0.sub_ifd(GPS_IFD)
    for ifd in (ifd0, exif):
        if ifd is None:
            continue
        facts.exif_entries += len(ifd.entries.keys() - _STRUCTURAL)
        for tag, (fid, label) in _TEXT_TAGS.items():
            if tag in ifd:
                value = ifd.text(tag) if ifd.entries[tag].type in (2, 7) else ifd.first_int(tag)
                if fid == "image.caption" and str(value).strip().upper() in _STOCK_DESCRIPTIONS:
                    continue  # still counted among the other details, and removed by cleaning
                facts.add(fid, label, value)
        for tag, (fid, label) in _UCS2.items():
            if tag in ifd:
                facts.add(fid, label, ifd.ucs2(tag))
        _read_times(ifd, exif, facts)
    if exif is not None:
        comment = _user_comment(exif.raw(USER_COMMENT))
        if comment:
            facts.add("image.comment", "User comment", comment)
        if MAKERNOTE in exif:
            entry = exif.entries[MAKERNOTE]
            make, model = ifd0.text(0x010F) or "", ifd0.text(0x0110) or ""
            maker = makernotes.read(ifd0.reader, entry.offset, entry.count, make, facts, model)
            facts.makernote = maker
    if gps is not None:
        facts.exif_entries += len(gps.entries)
        _read_gps(gps, facts)


def _read_times(ifd: Ifd, offsets: Ifd | None, facts: Facts) -> None:
    """Dates in `ifd`; their time-zone offsets and sub-seconds live in the EXIF directory (`offsets`)."""
    for date_tag, offset_tag, subsec_tag, label in _TIMES:
        when = ifd.text(date_tag)
        if not when or when.strip(": ") == "" or when.startswith("0000"):
            continue
        if len(when) >= 10 and when[4] == ":" and when[7] == ":":
            when = f"{when[:4]}-{when[5:7]}-{when[8:]}"
        extra = offsets if offsets is not None else ifd
        offset, sub = extra.text(offset_tag), extra.text(subsec_tag)
        text = when + (f".{sub}" if sub and sub.isdigit() else "") + (f" ({offset})" if offset else "")
        facts.add("image.time", label, text)


def _user_comment(raw: bytes | None) -> str | None:
    if not raw or len(raw) <= 8:
        return None
    code, body = raw[:8], raw[8:]
    if code.startswith(b"UNICODE"):
        # The byte order follows the EXIF block's; most writers use big-endian, try both.
        be, le = body.decode("utf-16-be", "replace"), body.decode("utf-16-le", "replace")
        text = be if sum(c.isprintable() for c in be) >= sum(c.isprintable() for c in le) else le
    else:
        text = (
            body.decode("utf-8", "replace")
            if not code.startswith(b"JIS")
            else body.decode("shift_jis", "replace")
        )
    text = text.replace("\0", "").strip()
    return text or None


def _dms(ifd: Ifd, tag: int) -> tuple[float, float] | None:
    """Degrees from a deg/min/sec rational triple, and the smallest step the stored values can express."""
    values = ifd.rationals(tag)
    if len(values) != 3 or any(math.isnan(v) or v < 0 for v in values):
        return None
    degrees = values[0] + values[1] / 60 + values[2] / 3600
    dens = [d or 1 for d in ifd.rational_denominators(tag)]
    if values[2] != 0 or dens[2] > 1:
        step = 1 / 3600 / dens[2]
    elif values[1] != 0 or dens[1] > 1:
        step = 1 / 60 / dens[1]
    else:
        step = 1 / dens[0]
    return degrees, step


def _read_gps(gps: Ifd, facts: Facts) -> None:
    lat, lon = _dms(gps, 0x0002), _dms(gps, 0x0004)
    lat_ref, lon_ref = (gps.text(0x0001) or "N").upper(), (gps.text(0x0003) or "E").upper()
    altitude = None
    alts = gps.rationals(0x0006)
    if alts and not math.isnan(alts[0]):
        altitude = -alts[0] if (gps.ints(0x0005) or [0])[0] == 1 else alts[0]
    if lat and lon and not (lat[0] == 0 and lon[0] == 0) and lat[0] <= 90 and lon[0] <= 180:
        latitude = -lat[0] if lat_ref.startswith("S") else lat[0]
        longitude = -lon[0] if lon_ref.startswith("W") else lon[0]
        step_m = max(lat[1], lon[1]) * 111_320
        error = gps.rationals(0x001F)
        precision = error[0] if error and not math.isnan(error[0]) else step_m
        if facts.gps is None:
            facts.gps = Gps(round(latitude, 7), round(longitude, 7), altitude, precision, "EXIF")
    else:
        facts.gps_empty = True
    date, stamp = gps.text(0x001D), gps.rationals(0x0007)
    if date and len(stamp) == 3 and not any(math.isnan(v) for v in stamp):
        h, m, s = stamp
        when = f"{date.replace(':', '-')} {int(h):02d}:{int(m):02d}:{int(s):02d}"
        facts.add("image.time", "GPS time (UTC)", when)
        if facts.gps is not None and facts.gps.time is None:
            facts.gps.time = when
    method = gps.text(0x001B)
    if method:
        facts.add("image.gps_detail", "Positioning method", method.replace("ASCII", "", 1).strip("\0 "))
