"""Small helpers shared by the format modules."""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from checks.images.facts import Facts

# What every reader says of a picture whose data stops before its end marker.
CUT_SHORT = "The picture data ends early (the file looks cut short)."
MAX_PIXELS = 300_000_000  # larger pictures are refused as possible decompression bombs


def orientation_exif(orientation: int) -> bytes:
    """A minimal EXIF block (TIFF structure) holding only Orientation, so a photo does not turn sideways."""
    entry = struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0)
    return b"MM\x00\x2a\x00\x00\x00\x08" + b"\x00\x01" + entry + b"\x00\x00\x00\x00"


def needs_orientation(orientation: int | None) -> bool:
    return orientation is not None and 2 <= orientation <= 8


def icc_description(profile: bytes) -> str | None:
    """The human name of an ICC profile (its 'desc' tag), e.g. "Display P3"; None when unreadable."""
    from checks.images.icc import describe

    return describe(profile).description


def check_pixels(width: int | None, height: int | None) -> None:
    from checks.errors import TooLarge

    if width and height and width * height > MAX_PIXELS:
        raise TooLarge(
            f"The picture is {width} × {height} pixels, too large to handle safely "
            "(it could be a file built to exhaust memory)."
        )


def record_profile(facts: Facts, profile: bytes, name: str | None = None) -> None:
    """Note a colour profile: its name, what its text says, and the profile itself."""
    from checks.images import icc

    text = icc.describe(profile)
    facts.icc, facts.icc_profile = text, bytes(profile)
    facts.icc_description = text.description or name or "unnamed profile"


def kept_profile(profile: bytes | None, facts: Facts) -> bytes | None:
    """The profile a copy keeps: rebuilt with its colours and none of its text; None when it cannot be
    rebuilt safely (the copy then has none, and says so)."""
    if not profile:
        return None
    from checks.images import icc

    neutral = icc.neutral_profile(profile)
    facts.icc_rebuilt = neutral is not None
    return neutral
