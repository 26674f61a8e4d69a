"""Small helpers shared by the format modules."""

from __future__ import annotations

import struct

# What every reader says of a picture whose data stops before its end marker.
CUT_SHORT = "The picture data ends early (the file looks cut short)."
MAX_PIXELS = 300_000_000  # larger pictures are refused as possible decompression bombs
_ICC_DESC_LIMIT = 256


def orientation_exif(orientation: int) -> bytes:
    """A minimal EXIF block (TIFF structure) holding only Orientation, so a photo does not turn sideways."""
    entry = struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0)
    return b"MM\x00\x2a\x00\x00\x00\x08" + b"\x00\x01" + entry + b"\x00\x00\x00\x00"


def needs_orientation(orientation: int | None) -> bool:
    return orientation is not None and 2 <= orientation <= 8


def icc_description(profile: bytes) -> str | None:
    """The human name of an ICC profile (its 'desc' tag), e.g. "Display P3"; None when unreadable."""
    try:
        (count,) = struct.unpack_from(">I", profile, 128)
        for i in range(min(count, 100)):
            sig, offset, size = struct.unpack_from(">4sII", profile, 132 + 12 * i)
            if sig != b"desc":
                continue
            tag = profile[offset : offset + size]
            if tag[:4] == b"desc":  # ICC v2: ASCII count and text
                (n,) = struct.unpack_from(">I", tag, 8)
                text = tag[12 : 12 + min(n, _ICC_DESC_LIMIT)].split(b"\0", 1)[0].decode("latin-1")
            elif tag[:4] == b"mluc":  # ICC v4: first localized record, UTF-16BE
                rec_len, rec_off = struct.unpack_from(">II", tag, 20)
                text = tag[rec_off : rec_off + min(rec_len, 2 * _ICC_DESC_LIMIT)].decode(
                    "utf-16-be", "replace"
                )
            else:
                return None
            return text.strip() or None
    except (struct.error, UnicodeDecodeError):
        return None
    return None


def check_pixels(width: int | None, height: int | None) -> None:
    from checks.errors import TooLarge

    if width and height and width * height > MAX_PIXELS:
        raise TooLarge(
            f"The picture is {width} × {height} pixels, too large to handle safely "
            "(it could be a file built to exhaust memory)."
        )
