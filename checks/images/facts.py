"""What the format readers found in one image, before it is put into words.

Readers (EXIF, XMP, IPTC and the container walkers) record facts here; `findings.py` turns them into the
plain-language findings people read. Values are untrusted text and are kept as plain strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checks.text import one_line

MAX_VALUE = 300  # characters of one value kept for display; the rest is elided
MAX_VALUES = 100  # values kept for one finding: a file with thousands of notes still reads as "many"


@dataclass
class Gps:
    latitude: float
    longitude: float
    altitude: float | None = None
    precision_m: float | None = None  # how precise the stored position is, in metres, when it can be told
    source: str = "EXIF"
    time: str | None = None  # when the position was fixed (UTC), when stored


@dataclass
class Facts:
    # finding id -> [(field label, value)], in the order found
    fields: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    gps: Gps | None = None
    gps_empty: bool = False  # GPS fields present but no usable position (for example 0,0)
    orientation: int | None = None  # EXIF Orientation, else XMP tiff:Orientation
    icc_description: str | None = None
    icc: Any = None  # icc.ProfileText: what the colour profile's text says
    icc_profile: bytes | None = None  # the profile itself (small), so a copy's can be checked
    icc_rebuilt: bool | None = None  # whether a copy could keep it, rebuilt neutral
    thumbnails: list[str] = field(default_factory=list)
    extra_images: list[str] = field(default_factory=list)
    trailer_bytes: int = 0
    trailer_kinds: list[str] = field(default_factory=list)  # "video", "pictures", "data"
    unknown: list[str] = field(default_factory=list)
    c2pa: bool = False
    motion_photo: bool = False
    video_seconds: float | None = None  # how long a motion photo's video runs, when it says
    exif_entries: int = 0
    xmp_entries: int = 0
    iptc_entries: int = 0
    makernote: str | None = None  # maker of the maker note, or "unknown"
    width: int | None = None
    height: int | None = None

    def add(self, finding_id: str, label: str, value: object) -> None:
        if value is None:
            return
        text = _plain(value)
        if not text:
            return
        bucket = self.fields.setdefault(finding_id, [])
        if len(bucket) < MAX_VALUES and (label, text) not in bucket:
            bucket.append((label, text))

    def values(self, finding_id: str) -> list[str]:
        seen: list[str] = []
        for _, value in self.fields.get(finding_id, []):
            if value not in seen:
                seen.append(value)
        return seen


def _plain(value: object) -> str:
    """One line of printable text, without control characters, at most MAX_VALUE characters."""
    return one_line(value, MAX_VALUE)
