"""PNG: chunk walker, report and lossless clean (critical, colour and animation chunks kept by allow-list)."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field

from checks.errors import DamagedImage
from checks.images.common import CUT_SHORT, check_pixels, icc_description, needs_orientation, orientation_exif
from checks.images.exif import read_exif
from checks.images.facts import Facts
from checks.images.xmp import read_xmp

SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Chunks that decoding or colour needs; kept byte for byte.
_IMAGE = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"acTL", b"fcTL", b"fdAT"}
_COLOUR = {b"sRGB", b"gAMA", b"cHRM", b"cICP", b"mDCv", b"cLLi", b"sBIT", b"pHYs", b"bKGD", b"hIST"}
_TEXT_KEYS = {
    "author": ("image.author", "Author"),
    "copyright": ("image.author", "Copyright"),
    "software": ("image.software", "Software"),
    "creation time": ("image.time", "Created"),
    "comment": ("image.comment", "Comment"),
    "description": ("image.caption", "Description"),
    "title": ("image.caption", "Title"),
    "source": ("image.camera", "Source device"),
}
_MAX_TEXT = 1 << 20  # decompressed bytes read from one text chunk


@dataclass
class Png:
    data: bytes
    facts: Facts
    chunks: list[tuple[bytes, int, int]] = field(default_factory=list)  # (type, start, end incl. CRC)
    end: int | None = None

    def clean(self, keep_icc: bool) -> list[bytes | memoryview]:
        if self.end is None:
            raise DamagedImage(CUT_SHORT)
        out: list[bytes | memoryview] = [SIGNATURE]
        view = memoryview(self.data)
        for ctype, a, b in self.chunks:
            if ctype in _IMAGE or ctype in _COLOUR or (keep_icc and ctype == b"iCCP") or ctype == b"IEND":
                out.append(view[a:b])
            if ctype == b"IHDR" and needs_orientation(self.facts.orientation):
                out.append(chunk(b"eXIf", orientation_exif(self.facts.orientation or 1)))
        return out

    def image_ranges(self) -> list[tuple[int, int]]:
        return [(a, b) for ctype, a, b in self.chunks if ctype in _IMAGE]


def chunk(ctype: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(ctype + body))


def parse(data: bytes, facts: Facts) -> Png:
    if not data.startswith(SIGNATURE):
        raise DamagedImage("Not a PNG picture.")
    png = Png(data, facts)
    pos, n = 8, len(data)
    while pos + 12 <= n:
        length, ctype = struct.unpack_from(">I4s", data, pos)
        end = pos + 12 + length
        if end > n:
            raise DamagedImage(f"The file is cut short or damaged (a block at byte {pos} runs past the end).")
        png.chunks.append((ctype, pos, end))
        body = data[pos + 8 : pos + 8 + length]
        if ctype == b"IEND":
            png.end = end
            break
        _read_chunk(ctype, body, facts)
        pos = end
    if not png.chunks or png.chunks[0][0] != b"IHDR":
        raise DamagedImage("The picture is damaged (its header block is missing).")
    if png.end is not None and png.end < n:
        tail = data[png.end :]
        facts.trailer_bytes = len(tail)
        facts.trailer_kinds = (
            ["picture remains"]
            if b"IDAT" in tail or b"IEND" in tail
            else (["data"] if tail.strip(b"\x00") else ["padding"])
        )
    return png


def _read_chunk(ctype: bytes, body: bytes, facts: Facts) -> None:
    if ctype == b"IHDR" and len(body) >= 8:
        facts.width, facts.height = struct.unpack_from(">II", body)
        check_pixels(facts.width, facts.height)
    elif ctype in (b"tEXt", b"zTXt", b"iTXt"):
        _text(ctype, body, facts)
    elif ctype == b"eXIf":
        read_exif(body[6:] if body.startswith(b"Exif\x00\x00") else body, facts)
    elif ctype == b"tIME" and len(body) == 7:
        y, mo, d, h, mi, s = struct.unpack(">HBBBBB", body)
        facts.add(
            "image.time", "Last changed (PNG)", f"{y:04d}-{mo:02d}-{d:02d} {h:02d}:{mi:02d}:{s:02d} UTC"
        )
    elif ctype == b"iCCP":
        name, _, rest = body.partition(b"\x00")
        profile = _inflate(rest[1:])
        facts.icc_description = icc_description(profile) or name.decode("latin-1") or "unnamed profile"
    elif ctype == b"caBX":
        facts.c2pa = True
    elif ctype not in _IMAGE and ctype not in _COLOUR:
        label = ctype.decode("latin-1", "replace")
        facts.unknown.append(f"'{label}' block" if label.isprintable() else "unnamed block")


def _inflate(data: bytes) -> bytes:
    try:
        return zlib.decompressobj().decompress(data, _MAX_TEXT)
    except zlib.error:
        return b""


def _text(ctype: bytes, body: bytes, facts: Facts) -> None:
    key_raw, _, rest = body.partition(b"\x00")
    key = key_raw.decode("latin-1", "replace")
    if ctype == b"tEXt":
        raw, enc = rest, "latin-1"
    elif ctype == b"zTXt":
        raw, enc = _inflate(rest[1:]), "latin-1"
    else:  # iTXt: compression flag, method, language\0, translated keyword\0, text
        if len(rest) < 2:
            return
        compressed = rest[0] == 1
        _lang, _, rest2 = rest[2:].partition(b"\x00")
        _translated, _, text = rest2.partition(b"\x00")
        raw, enc = (_inflate(text) if compressed else text), "utf-8"
    if key == "XML:com.adobe.xmp":
        read_xmp(raw, facts)
        return
    if key.startswith("Raw profile type") and key.lower().endswith(("exif", "app1")):
        exif = _imagemagick_profile(raw)
        if exif is not None:
            read_exif(exif[6:] if exif.startswith(b"Exif\x00\x00") else exif, facts)
            return
    value = raw.decode(enc, "replace")
    fid, label = _TEXT_KEYS.get(key.lower(), ("image.text", f"Text note '{key}'"))
    facts.add(fid, label, value)


def _imagemagick_profile(raw: bytes) -> bytes | None:
    """ImageMagick stores profiles as: newline, name, newline, length, then hex digits."""
    parts = raw.split(None, 2)
    if len(parts) < 3:
        return None
    try:
        return bytes.fromhex(parts[2].decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return None
