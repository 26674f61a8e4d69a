"""Colour profiles (ICC.1, versions 2 and 4): what their text says, and a neutral copy without the text.

A profile keeps colours right, but it also carries free text (a description, a copyright line, the screen's
maker and model), the day and time it was made, an ID, and tags private to the program that made it. A
display profile that a computer makes for its own screen can carry a date unique to that computer.

`neutral_profile` rebuilds a profile from its colour-defining tags only, each written again field by field
(no bytes copied that colour does not need), with fixed neutral text, no date and no ID. Anything it cannot
rebuild exactly gives None, and the caller leaves the profile out.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from datetime import datetime

from checks.model import Finding, Severity
from checks.text import one_line

MAX_PROFILE = 16 * 1024 * 1024
MAX_TAGS = 200
_TEXT_LIMIT = 200
NEUTRAL_COPYRIGHT = "No copyright, use freely"


def _sigs(text: str) -> tuple[bytes, ...]:
    return tuple(s.encode() for s in text.split())


# Tags that decide colour, in the order a neutral profile writes them.
COLOUR_TAGS = _sigs(
    "wtpt bkpt lumi chad rXYZ gXYZ bXYZ rTRC gTRC bTRC kTRC cicp A2B0 A2B1 A2B2 B2A0 B2A1 B2A2 "
    "D2B0 D2B1 D2B2 D2B3 B2D0 B2D1 B2D2 B2D3 gamt pre0 pre1 pre2"
)
# Tags named in ICC.1:2022 and ICC.1:2001-04 (v2); any other tag is private to the program that wrote it.
REGISTERED_TAGS = {*COLOUR_TAGS, b"bfd "} | set(
    _sigs(
        "desc cprt dmnd dmdd vued view meas tech targ chrm clro clrt clot ciis rig0 rig2 ncl2 ncol pseq "
        "psid resp calt crdi devs scrd scrn psd0 psd1 psd2 psd3 ps2s ps2i ps2r ps2c meta"
    )
)
_CLASSES = {b"scnr", b"mntr", b"prtr", b"spac", b"abst"}
_D50 = struct.pack(">3i", 0xF6D6, 0x10000, 0xD32D)


class _Bad(Exception):
    """The profile cannot be read safely."""


def _u32(d: bytes, at: int) -> int:
    if at < 0 or at + 4 > len(d):
        raise _Bad
    return int.from_bytes(d[at : at + 4], "big")


def _tags(profile: bytes) -> tuple[int, list[tuple[bytes, int, int]]]:
    """The declared size and the tag table (signature, offset, size) of a profile that looks sound."""
    if len(profile) < 132 or len(profile) > MAX_PROFILE or profile[36:40] != b"acsp":
        raise _Bad
    size = _u32(profile, 0)
    if size < 132 or size > len(profile):
        raise _Bad
    count = _u32(profile, 128)
    if count > MAX_TAGS or 132 + 12 * count > size:
        raise _Bad
    table = []
    for i in range(count):
        sig, off, length = struct.unpack_from(">4sII", profile, 132 + 12 * i)
        table.append((sig, off, length))
    return size, table


def _tag_data(profile: bytes, size: int, off: int, length: int) -> bytes:
    if off < 132 or length < 8 or off + length > size:
        raise _Bad
    return profile[off : off + length]


# ---- colour tags, written again field by field -------------------------------------------------------


def _head(kind: bytes) -> bytes:
    return kind + b"\0\0\0\0"


def _xyz(d: bytes) -> bytes:
    if len(d) < 20:
        raise _Bad
    return _head(b"XYZ ") + d[8:20]


def _curve(d: bytes) -> bytes:
    """A 'curv' or 'para' curve; raises _Bad for anything else."""
    if d[:4] == b"curv":
        n = _u32(d, 8)
        if 12 + 2 * n > len(d):
            raise _Bad
        return _head(b"curv") + d[8:12] + d[12 : 12 + 2 * n]
    if d[:4] == b"para" and len(d) >= 12:
        (kind,) = struct.unpack_from(">H", d, 8)
        params = {0: 1, 1: 3, 2: 4, 3: 5, 4: 7}.get(kind)
        if params is None or 12 + 4 * params > len(d):
            raise _Bad
        return _head(b"para") + struct.pack(">HH", kind, 0) + d[12 : 12 + 4 * params]
    raise _Bad


def _pad(b: bytes) -> bytes:
    return b + b"\0" * (-len(b) % 4)


def _lut(d: bytes, wide: bool) -> bytes:
    """lut8Type ('mft1') or lut16Type ('mft2')."""
    if len(d) < 52:
        raise _Bad
    ins, outs, grid = d[8], d[9], d[10]
    if not (1 <= ins <= 15 and 1 <= outs <= 15 and grid >= 2):
        raise _Bad
    if wide:
        n_in, n_out = struct.unpack_from(">HH", d, 48)
        if not (2 <= n_in <= 4096 and 2 <= n_out <= 4096):
            raise _Bad
        start, unit = 52, 2
    else:
        n_in = n_out = 256
        start, unit = 48, 1
    total = start + unit * (n_in * ins + grid**ins * outs + n_out * outs)
    if total > len(d):
        raise _Bad
    return _head(d[:4]) + bytes((ins, outs, grid, 0)) + d[12:total]


def _curves(d: bytes, off: int, count: int) -> bytes:
    out = b""
    for _ in range(count):
        if off <= 0 or off + 12 > len(d):
            raise _Bad
        curve = _curve(d[off:])
        out += _pad(curve)
        off += len(curve) + (-len(curve) % 4)
    return out


def _clut(d: bytes, off: int, ins: int, outs: int) -> bytes:
    if off + 20 > len(d):
        raise _Bad
    grid, precision = d[off : off + ins], d[off + 16]
    points = 1
    for g in grid:
        if g < 2:
            raise _Bad
        points *= g
    size = precision * points * outs
    if precision not in (1, 2) or off + 20 + size > len(d):
        raise _Bad
    return _pad(grid + b"\0" * (16 - ins) + bytes((precision, 0, 0, 0)) + d[off + 20 : off + 20 + size])


def _lut_ab(d: bytes) -> bytes:
    """lutAtoBType ('mAB ') or lutBtoAType ('mBA '): curves, matrix and table, each written again."""
    if len(d) < 32:
        raise _Bad
    a_to_b = d[:4] == b"mAB "
    ins, outs = d[8], d[9]
    if not (1 <= ins <= 15 and 1 <= outs <= 15):
        raise _Bad
    off_b, off_matrix, off_m, off_clut, off_a = struct.unpack_from(">5I", d, 12)
    if not off_b:
        raise _Bad
    # Which side each element sits on: mAB runs A, CLUT, M, matrix, B; mBA runs B, matrix, M, CLUT, A.
    b_count = outs if a_to_b else ins
    a_count = ins if a_to_b else outs
    parts: list[tuple[int, bytes]] = [(0, _curves(d, off_b, b_count))]
    if off_matrix:
        if b_count != 3 or off_matrix + 48 > len(d):
            raise _Bad
        parts.append((1, d[off_matrix : off_matrix + 48]))
    if off_m:
        parts.append((2, _curves(d, off_m, b_count)))
    if off_clut:
        parts.append((3, _clut(d, off_clut, ins, outs)))
    if off_a:
        parts.append((4, _curves(d, off_a, a_count)))
    offsets = [0] * 5
    body, pos = b"", 32
    for slot, blob in parts:
        offsets[slot] = pos
        body += blob
        pos += len(blob)
    return _head(d[:4]) + bytes((ins, outs, 0, 0)) + struct.pack(">5I", *offsets) + body


def _colour_tag(sig: bytes, d: bytes) -> bytes:
    kind = d[:4]
    if kind == b"XYZ ":
        return _xyz(d)
    if kind in (b"curv", b"para"):
        return _curve(d)
    if kind == b"sf32" and sig == b"chad" and len(d) >= 44:
        return _head(kind) + d[8:44]
    if kind == b"cicp" and len(d) >= 12:
        return _head(kind) + d[8:12]
    if kind in (b"mft1", b"mft2"):
        return _lut(d, kind == b"mft2")
    if kind in (b"mAB ", b"mBA "):
        return _lut_ab(d)
    raise _Bad  # a colour tag of a kind not rebuilt here (e.g. 'mpet'): colours could not be kept exactly


def _text_tag(text: str, v4: bool) -> bytes:
    if v4:  # multiLocalizedUnicodeType, one English record
        utf16 = text.encode("utf-16-be")
        return _head(b"mluc") + struct.pack(">II2s2sII", 1, 12, b"en", b"US", len(utf16), 28) + utf16
    ascii_text = text.encode("ascii") + b"\0"
    return _head(b"text") + ascii_text


def _desc_tag(text: str, v4: bool) -> bytes:
    if v4:
        return _text_tag(text, v4)
    ascii_text = text.encode("ascii") + b"\0"
    # textDescriptionType: ASCII, then empty Unicode and ScriptCode parts (the ScriptCode part is 67 bytes)
    return _head(b"desc") + struct.pack(">I", len(ascii_text)) + ascii_text + bytes(4 + 4 + 2 + 1 + 67)


def neutral_name(colour_space: bytes) -> str:
    kind = {b"RGB ": "RGB", b"GRAY": "Grey", b"CMYK": "CMYK", b"Lab ": "Lab"}.get(colour_space)
    return f"{kind} colour profile" if kind else "Colour profile"


def neutral_profile(profile: bytes) -> bytes | None:
    """The same colours with none of the text: only colour tags, neutral words, no date, ID or maker.
    None when the profile cannot be read safely or holds colour data this cannot rebuild exactly."""
    try:
        return _neutral(bytes(profile))
    except (_Bad, struct.error, ValueError, OverflowError, MemoryError):
        return None


def _neutral(profile: bytes) -> bytes:
    size, table = _tags(profile)
    device_class, space, pcs = profile[12:16], profile[16:20], profile[20:24]
    if device_class not in _CLASSES or pcs not in (b"XYZ ", b"Lab "):
        raise _Bad
    v4 = profile[8] >= 4
    if profile[8] not in (2, 4):
        raise _Bad
    found: dict[bytes, bytes] = {}
    for sig, off, length in table:
        if sig in COLOUR_TAGS and sig not in found:
            found[sig] = _colour_tag(sig, _tag_data(profile, size, off, length))
    matrix = all(s in found for s in (b"rXYZ", b"gXYZ", b"bXYZ", b"rTRC", b"gTRC", b"bTRC"))
    if not (b"A2B0" in found or b"D2B0" in found or matrix or (space == b"GRAY" and b"kTRC" in found)):
        raise _Bad
    entries = [
        (b"desc", _desc_tag(neutral_name(space), v4)),
        (b"cprt", _text_tag(NEUTRAL_COPYRIGHT, v4)),
    ] + [(sig, found[sig]) for sig in COLOUR_TAGS if sig in found]
    pos = 132 + 12 * len(entries)
    placed: dict[bytes, tuple[int, int]] = {}  # identical data is stored once and shared, as ICC allows
    table_out, data = b"", b""
    for sig, blob in entries:
        if blob not in placed:
            placed[blob] = (pos + len(data), len(blob))
            data += _pad(blob)
        table_out += struct.pack(">4sII", sig, *placed[blob])
    total = pos + len(data)
    header = bytearray(128)
    header[0:4] = total.to_bytes(4, "big")
    header[8:10] = profile[8:10]
    header[12:24] = device_class + space + pcs
    header[36:40] = b"acsp"
    header[47] = profile[47] & 0x03  # embedded / not usable alone; the rest belongs to vendors
    header[63] = profile[63] & 0x0F  # reflective, matte, negative, black and white
    intent = _u32(profile, 64)
    header[64:68] = (intent if intent <= 3 else 0).to_bytes(4, "big")
    header[68:80] = _D50
    return bytes(header) + len(entries).to_bytes(4, "big") + table_out + data


# ---- in JPEG: APP2 "ICC_PROFILE" segments ------------------------------------------------------------

JPEG_ICC_ID = b"ICC_PROFILE\0"
_JPEG_CHUNK = 65535 - 2 - len(JPEG_ICC_ID) - 2


def join_jpeg_chunks(payloads: list[bytes]) -> bytes:
    """A profile from the payloads of JPEG APP2 segments ("ICC_PROFILE\\0", sequence number, count, data),
    put in sequence order whatever order they came in; a repeated number is used once."""
    parts: dict[int, bytes] = {}
    for p in payloads:
        if p.startswith(JPEG_ICC_ID) and len(p) >= 14:
            parts.setdefault(p[12], p[14:])
    return b"".join(parts[k] for k in sorted(parts))


def jpeg_segments(profile: bytes) -> list[bytes]:
    """Whole APP2 segments (marker and length included) that carry profile in a JPEG."""
    chunks = [profile[i : i + _JPEG_CHUNK] for i in range(0, len(profile), _JPEG_CHUNK)] or [b""]
    if len(chunks) > 255:
        raise ValueError("a colour profile too large for a JPEG")
    out = []
    for n, chunk in enumerate(chunks, 1):
        body = JPEG_ICC_ID + bytes((n, len(chunks))) + chunk
        out.append(b"\xff\xe2" + struct.pack(">H", len(body) + 2) + body)
    return out


# ---- what the text says ------------------------------------------------------------------------------


@dataclass
class ProfileText:
    """What a profile's text says, as untrusted plain text (one line each, bounded)."""

    description: str | None = None
    copyright: str | None = None
    device_maker: str | None = None  # 'dmnd'
    device_model: str | None = None  # 'dmdd'
    viewing: str | None = None  # 'vued'
    target: str | None = None  # 'targ'
    manufacturer: str | None = None  # header signature, e.g. "APPL"
    model: str | None = None  # header signature
    creator: str | None = None  # header signature of the program that made it
    created: datetime | None = None
    calibrated: datetime | None = None  # 'calt'
    has_id: bool = False
    private_tags: list[str] = field(default_factory=list)
    other_text: list[str] = field(default_factory=list)  # text in private tags, e.g. Apple's 'dscm'
    has_meta: bool = False
    readable: bool = True
    version: str | None = None
    device_class: str | None = None  # e.g. "mntr" for a screen's profile


def _plain(text: str | None) -> str | None:
    text = one_line(text, _TEXT_LIMIT) if text else ""
    return text or None


def _decode_text(d: bytes) -> str | None:
    kind = d[:4]
    if kind == b"desc" and len(d) >= 12:
        n = min(_u32(d, 8), len(d) - 12, 4 * _TEXT_LIMIT)
        text = d[12 : 12 + n].split(b"\0", 1)[0].decode("latin-1")
        if not text.strip() and 12 + n + 8 <= len(d):
            count = min(_u32(d, 12 + n + 4), _TEXT_LIMIT)
            text = d[20 + n : 20 + n + 2 * count].decode("utf-16-be", "replace")
        return _plain(text)
    if kind == b"text":
        return _plain(d[8 : 8 + 4 * _TEXT_LIMIT].split(b"\0", 1)[0].decode("latin-1"))
    if kind == b"mluc" and len(d) >= 16:
        count, rec = _u32(d, 8), _u32(d, 12)
        texts: list[str] = []
        for i in range(min(count, 16)):
            at = 16 + i * max(rec, 12)
            length, off = _u32(d, at + 4), _u32(d, at + 8)
            value = d[off : off + min(length, 4 * _TEXT_LIMIT)].decode("utf-16-be", "replace")
            value = one_line(value.split("\0", 1)[0])
            if value and value not in texts:
                texts.append(value)
        return _plain(" / ".join(texts))
    return None


def _signature(raw: bytes) -> str | None:
    if not raw.strip(b"\0"):
        return None
    text = raw.decode("latin-1")
    return _plain(text) if text.isprintable() else raw.hex()


def _date(raw: bytes) -> datetime | None:
    try:
        parts = struct.unpack(">6H", raw)
        return datetime(*parts) if any(parts) else None
    except (struct.error, ValueError, OverflowError):
        return None


def describe(profile: bytes) -> ProfileText:
    """What the profile's text says. A profile too damaged to read gives readable=False."""
    info = ProfileText()
    try:
        size, table = _tags(bytes(profile))
    except (_Bad, struct.error):
        info.readable = False
        return info
    info.version = f"{profile[8]}.{profile[9] >> 4}"
    info.device_class = _signature(profile[12:16])
    info.manufacturer = _signature(profile[48:52])
    info.model = _signature(profile[52:56])
    info.creator = _signature(profile[80:84])
    info.created = _date(profile[24:36])
    info.has_id = any(profile[84:100])
    texts = {b"desc": "description", b"cprt": "copyright", b"dmnd": "device_maker"}
    texts |= {b"dmdd": "device_model", b"vued": "viewing", b"targ": "target"}
    for sig, off, length in table:
        try:
            d = _tag_data(profile, size, off, min(length, 64 * 1024))
        except _Bad:
            continue
        try:
            if sig in texts and getattr(info, texts[sig]) is None:
                setattr(info, texts[sig], _decode_text(d))
            elif sig == b"calt" and d[:4] == b"dtim" and len(d) >= 20:
                info.calibrated = _date(d[8:20])
        except _Bad:
            continue
        if sig == b"meta":
            info.has_meta = True
        if sig not in REGISTERED_TAGS:
            name = _signature(sig) or sig.hex()
            if name not in info.private_tags:
                info.private_tags.append(name)
            try:
                other = _decode_text(d) if len(info.other_text) < 8 else None
            except _Bad:
                other = None
            if other and other not in info.other_text:
                info.other_text.append(other)
    return info


# ---- in words ----------------------------------------------------------------------------------------

# Published profiles that many computers carry word for word, with the date each copy carries (as seen in
# photos from different cameras and computers): this date says nothing about one computer.
STANDARD_COPIES = {
    ("sRGB IEC61966-2.1", datetime(1998, 2, 9, 6, 49)),
    ("Display P3", datetime(2017, 7, 7, 13, 22, 32)),
}
_POSSESSIVE = re.compile(r"(?P<who>\b[^\W\d_][\w.\-]*(?:\s+[^\W\d_][\w.\-]*)?)\s*['’]s?\b\s", re.I)
_NOT_PEOPLE = {"apple", "adobe", "dell", "samsung", "lg", "eizo", "hp", "sony", "canon", "nikon", "it"}


def _person(value: str) -> str | None:
    from checks.network.names import person_in_name

    found = person_in_name(value)
    if found:
        return found
    m = _POSSESSIVE.search(value)
    if m and m.group("who").split()[-1].lower() not in _NOT_PEOPLE:
        return m.group("who")
    return None


def when(moment: datetime) -> str:
    return f"{moment.day} {moment:%b %Y, %H:%M}"


def profile_finding(text: ProfileText) -> Finding:
    """The 'image.icc' finding: what the profile's text says, with a person's name or a date flagged."""
    labels = [
        ("Description", text.description),
        ("Copyright", text.copyright),
        ("Screen or camera maker", text.device_maker),
        ("Screen or camera model", text.device_model),
        ("Viewing conditions", text.viewing),
        ("Colour target", text.target),
        *(("Other text", t) for t in text.other_text),
        ("Maker code", text.manufacturer),
        ("Model code", text.model),
        ("Made by program", text.creator),
    ]
    fields = [{"name": label, "value": value} for label, value in labels if value]
    if text.created:
        fields.append({"name": "Made on", "value": when(text.created)})
    if text.calibrated:
        fields.append({"name": "Screen last calibrated", "value": when(text.calibrated)})
    if text.private_tags:
        fields.append({"name": "Private tags", "value": ", ".join(text.private_tags[:20])})
    data = {"name": text.description, "fields": fields, "has_id": text.has_id}
    name = f"“{text.description}”" if text.description else "without a name"
    person = next(
        (p for label, v in labels if v and "code" not in label and (p := _person(v))),
        None,
    )
    keep = "Safe copies keep its colours but leave out its text, date and ID."
    if not text.readable:
        return Finding(
            "image.icc",
            "hidden",
            Severity.LOW,
            "Has a damaged colour profile",
            "SafeSpace could not read the colour profile, so it cannot tell what it says. Safe copies "
            "leave it out.",
            data,
        )
    if person:
        return Finding(
            "image.icc",
            "hidden",
            Severity.HIGH,
            f"Has a colour profile that may name a person: “{person}”",
            f"The colour profile's text says {name}. A name there can connect the picture to you, and "
            f"through you to your clients. {keep} Make a safe copy before you share it.",
            data,
        )
    dates = [d for d in (text.created, text.calibrated) if d]
    standard = (text.description, text.created) in STANDARD_COPIES and not text.calibrated
    screen = (
        " Its colour measurements may also be particular to one screen; if that matters, clear “Keep "
        "colour profiles” when you make safe copies."
        if text.device_class == "mntr"
        else ""
    )
    if dates and not standard:
        return Finding(
            "image.icc",
            "hidden",
            Severity.LOW,
            f"Has a colour profile made on {when(dates[0])}",
            f"The colour profile ({name}) records when it was made. A published standard profile carries "
            "the day it was published, which is harmless; a profile that a computer or program made for "
            "itself carries the day and time it did so, which can link pictures to that computer. "
            f"{keep}{screen} Make a safe copy before you share it.",
            data,
        )
    said = (
        "It is a standard profile that many computers share, with the date every copy of it carries."
        if standard
        else "SafeSpace found no person's name or date in its text; it may still name the screen or program "
        "that made it (see Details)."
    )
    return Finding(
        "image.icc",
        "hidden",
        Severity.INFO,
        f"Has a colour profile: {name}",
        f"It keeps colours right on screen. {said} {keep}",
        data,
    )
