"""PNG: chunk walker, report and lossless clean.

Kept, by an allow-list, only what decoding and colour need, each checked for the size its fields have
(a chunk of the wrong size is ignored by decoders, so it could carry anything, and it goes): IHDR, PLTE,
tRNS, the colour chunks, and the picture data cut where its zlib stream ends. Image rows are counted: a
stream that holds more than the picture's rows is compressed again holding only the rows, so the pixels
stay the same. Animation chunks are kept only in an animated PNG. A file cut short keeps the picture data
it has and gets the end it lacked.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field

from checks.errors import DamagedImage
from checks.images import jumbf
from checks.images.common import (
    check_pixels,
    kept_profile,
    needs_orientation,
    orientation_exif,
    record_profile,
)
from checks.images.exif import read_exif
from checks.images.facts import Facts
from checks.images.xmp import read_xmp

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_IMAGE = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"acTL", b"fcTL", b"fdAT"}
_COLOUR = {b"sRGB", b"gAMA", b"cHRM", b"cICP", b"mDCv", b"cLLi", b"sBIT", b"pHYs", b"bKGD"}
# Fixed sizes (bytes) of the kept chunks whose size does not depend on the colour type.
_SIZES = {b"IHDR": 13, b"gAMA": 4, b"cHRM": 32, b"sRGB": 1, b"cICP": 4, b"mDCv": 24, b"cLLi": 8,
          b"pHYs": 9, b"acTL": 8, b"fcTL": 26}  # fmt: skip
# By colour type: (tRNS, sBIT, bKGD) sizes; None where the chunk is not allowed.
_BY_TYPE: dict[int, tuple[int | None, int, int]] = {
    0: (2, 1, 2), 2: (6, 3, 6), 3: (-1, 3, 1), 4: (None, 2, 2), 6: (None, 4, 6),
}  # fmt: skip
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
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
_MAX_TEXT_TOTAL = 8 << 20  # ... and from all of them: thousands of text chunks are a bomb, not notes
_STEP = 1 << 20


@dataclass
class Png:
    data: bytes
    facts: Facts
    chunks: list[tuple[bytes, int, int]] = field(default_factory=list)  # (type, start, end incl. CRC)
    end: int | None = None
    text_budget: int = _MAX_TEXT_TOTAL
    _decoding: list[bytes | memoryview] | None = None

    @property
    def truncated(self) -> bool:
        return self.end is None

    def clean(self, keep_icc: bool) -> list[bytes | memoryview]:
        out: list[bytes | memoryview] = [SIGNATURE]
        decoding = self.decoding()
        out.append(decoding[0])  # IHDR
        if needs_orientation(self.facts.orientation):
            out.append(chunk(b"eXIf", orientation_exif(self.facts.orientation or 1)))
        profile = kept_profile(self.icc_profile(), self.facts) if keep_icc else None
        if profile:
            out.append(chunk(b"iCCP", b"ICC profile\x00\x00" + zlib.compress(profile, 9)))
        out.extend(decoding[1:])
        out.append(chunk(b"IEND", b""))
        return out

    def icc_profile(self) -> bytes | None:
        for ctype, a, b in self.chunks:
            if ctype == b"iCCP":
                _name, _, rest = self.data[a + 8 : b - 4].partition(b"\x00")
                return _inflate(rest[1:], 4 << 20) or None
        return None

    def decoding(self) -> list[bytes | memoryview]:
        """The chunks decoding reads, checked and rebuilt, in order (IHDR first)."""
        if self._decoding is None:
            self._decoding = _decoding_chunks(self)
        return self._decoding


def chunk(ctype: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(ctype + body))


def _decoding_chunks(png: Png) -> list[bytes | memoryview]:
    data, view = png.data, memoryview(png.data)
    ihdr = data[16:29]
    width, height, depth, ctype, _c, _f, interlace = struct.unpack(">IIBBBBB", ihdr)
    if ctype not in _BY_TYPE:
        raise DamagedImage("The picture is damaged (its colour type is not valid).")
    animated = any(t == b"acTL" for t, _, _ in png.chunks)
    palette = next((b - a - 12 for t, a, b in png.chunks if t == b"PLTE"), 0) // 3
    trns, sbit, bkgd = _BY_TYPE[ctype]
    out: list[bytes | memoryview] = [chunk(b"IHDR", ihdr)]
    idat = [(a, b) for t, a, b in png.chunks if t == b"IDAT"]
    for t, a, b in png.chunks:
        size = b - a - 12
        if t == b"IDAT":
            if (a, b) == idat[0]:
                out.extend(_picture_data(png, idat, width, height, depth, ctype, interlace))
            continue
        if (t not in _IMAGE and t not in _COLOUR) or t == b"IHDR":
            continue
        if t in (b"acTL", b"fcTL", b"fdAT") and not animated:
            continue
        ok = {
            b"PLTE": size % 3 == 0 and 0 < size // 3 <= 256,
            b"tRNS": trns is not None and (size == trns or (trns == -1 and 0 < size <= palette)),
            b"sBIT": size == sbit,
            b"bKGD": size == bkgd,
            b"fdAT": size >= 4,
        }.get(t, size == _SIZES.get(t, -1))
        if ok:
            out.append(view[a:b] if _crc_ok(data, a, b) else chunk(t, data[a + 8 : b - 4]))
        else:
            png.facts.unknown.append(f"'{t.decode('latin-1')}' block of the wrong size")
    return out


def _crc_ok(data: bytes, a: int, b: int) -> bool:
    return zlib.crc32(data[a + 4 : b - 4]) == struct.unpack_from(">I", data, b - 4)[0]


def _row_bytes(width: int, depth: int, ctype: int) -> int:
    return 1 + (width * depth * _CHANNELS[ctype] + 7) // 8


def _expected_size(width: int, height: int, depth: int, ctype: int, interlace: int) -> int:
    if not interlace:
        return height * _row_bytes(width, depth, ctype)
    total = 0
    for x0, y0, dx, dy in ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4),
                           (1, 0, 2, 2), (0, 1, 1, 2)):  # fmt: skip
        w, h = (width - x0 + dx - 1) // dx, (height - y0 + dy - 1) // dy
        if w and h:
            total += h * _row_bytes(w, depth, ctype)
    return total


def _picture_data(
    png: Png, idat: list[tuple[int, int]], width: int, height: int, depth: int, ctype: int, interlace: int
) -> list[bytes | memoryview]:
    """The IDAT chunks, cut where the zlib stream ends; compressed again when the stream holds more than
    the picture's rows (a decoder stops reading there, so the rest could be anything)."""
    data, view = png.data, memoryview(png.data)
    expected = _expected_size(width, height, depth, ctype, interlace)
    inflater = zlib.decompressobj()
    produced, kept = 0, []
    for a, b in idat:
        body: bytes | memoryview = view[a + 8 : b - 4]
        try:
            while body and not inflater.eof:
                out = inflater.decompress(body, _STEP)
                produced += len(out)
                body = inflater.unconsumed_tail
        except zlib.error as exc:
            raise DamagedImage("The picture data is damaged (it cannot be unpacked).") from exc
        if inflater.eof:
            used = (b - 4 - (a + 8)) - len(inflater.unused_data)
            kept.append((a, a + 8 + used, b))
            break
        kept.append((a, b - 4, b))
    while not inflater.eof and produced <= expected:  # flush what is buffered
        out = inflater.decompress(b"", _STEP)
        if not out:
            break
        produced += len(out)
    if produced > expected:
        png.facts.unknown.append("more picture data than the picture has rows")
        return [chunk(b"IDAT", _recompressed(png, idat, expected))]
    if len(kept) < len(idat) or kept[-1][1] != kept[-1][2] - 4:
        png.facts.unknown.append("data after the end of the picture data")
    return [
        view[a:b] if end == b - 4 and _crc_ok(data, a, b) else chunk(b"IDAT", data[a + 8 : end])
        for a, end, b in kept
    ]


def _recompressed(png: Png, idat: list[tuple[int, int]], expected: int) -> bytes:
    view = memoryview(png.data)
    inflater, deflater = zlib.decompressobj(), zlib.compressobj(9)
    left, out = expected, []
    for a, b in idat:
        body: bytes | memoryview = view[a + 8 : b - 4]
        while body and left > 0 and not inflater.eof:
            raw = inflater.decompress(body, min(_STEP, left))
            left -= len(raw)
            out.append(deflater.compress(raw))
            body = inflater.unconsumed_tail
    out.append(deflater.flush())
    return b"".join(out)


def parse(data: bytes, facts: Facts) -> Png:
    if not data.startswith(SIGNATURE):
        raise DamagedImage("Not a PNG picture.")
    png = Png(data, facts)
    pos, n = 8, len(data)
    while pos + 12 <= n:
        length, ctype = struct.unpack_from(">I4s", data, pos)
        end = pos + 12 + length
        if end > n:
            break  # cut short: the picture ends with the blocks before this one
        png.chunks.append((ctype, pos, end))
        if ctype == b"IEND":
            png.end = end
            break
        _read_chunk(png, ctype, data[pos + 8 : pos + 8 + length])
        pos = end
    if not png.chunks or png.chunks[0][0] != b"IHDR" or png.chunks[0][2] - png.chunks[0][1] != 25:
        raise DamagedImage("The picture is damaged (its header block is missing).")
    if not any(t == b"IDAT" for t, _, _ in png.chunks):
        raise DamagedImage("The file holds no picture data (it may be cut short).")
    if png.end is not None and png.end < n:
        tail = data[png.end :]
        facts.trailer_bytes = len(tail)
        facts.trailer_kinds = (
            ["picture remains"]
            if b"IDAT" in tail or b"IEND" in tail
            else (["data"] if tail.strip(b"\x00") else ["padding"])
        )
    return png


def _read_chunk(png: Png, ctype: bytes, body: bytes) -> None:
    facts = png.facts
    if ctype == b"IHDR" and len(body) >= 8:
        facts.width, facts.height = struct.unpack_from(">II", body)
        check_pixels(facts.width, facts.height)
    elif ctype in (b"tEXt", b"zTXt", b"iTXt"):
        _text(png, ctype, body)
    elif ctype == b"eXIf":
        read_exif(body[6:] if body.startswith(b"Exif\x00\x00") else body, facts)
    elif ctype == b"tIME" and len(body) == 7:
        y, mo, d, h, mi, s = struct.unpack(">HBBBBB", body)
        facts.add(
            "image.time", "Last changed (PNG)", f"{y:04d}-{mo:02d}-{d:02d} {h:02d}:{mi:02d}:{s:02d} UTC"
        )
    elif ctype == b"iCCP":
        name, _, rest = body.partition(b"\x00")
        profile = _inflate(rest[1:], 4 << 20)
        record_profile(facts, profile, name.decode("latin-1"))
    elif ctype == b"caBX":
        facts.c2pa = True
        jumbf.read_c2pa(body, facts)
    elif ctype not in _IMAGE and ctype not in _COLOUR:
        label = ctype.decode("latin-1", "replace")
        facts.unknown.append(f"'{label}' block" if label.isprintable() else "unnamed block")


def _inflate(data: bytes, limit: int = _MAX_TEXT) -> bytes:
    try:
        return zlib.decompressobj().decompress(data, limit)
    except zlib.error:
        return b""


def _text(png: Png, ctype: bytes, body: bytes) -> None:
    facts = png.facts
    if png.text_budget <= 0:
        if "many text notes" not in facts.unknown:
            facts.unknown.append("many text notes")  # still removed; not all read
        facts.add("image.text", "Text notes", "more text notes than SafeSpace reads")
        return
    key_raw, _, rest = body.partition(b"\x00")
    key = key_raw.decode("latin-1", "replace")
    if ctype == b"tEXt":
        raw, enc = rest, "latin-1"
    elif ctype == b"zTXt":
        raw, enc = _inflate(rest[1:], min(_MAX_TEXT, png.text_budget)), "latin-1"
    else:  # iTXt: compression flag, method, language\0, translated keyword\0, text
        if len(rest) < 2:
            return
        compressed = rest[0] == 1
        _lang, _, rest2 = rest[2:].partition(b"\x00")
        _translated, _, text = rest2.partition(b"\x00")
        raw, enc = (_inflate(text, min(_MAX_TEXT, png.text_budget)) if compressed else text), "utf-8"
    png.text_budget -= len(raw) + 1024  # a cost for each block too, so thousands of tiny ones stop
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
