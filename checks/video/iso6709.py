"""Positions written as ISO 6709 text, as phones store them in videos: "+51.5007-000.1246+035.500/"."""

from __future__ import annotations

import re

_POINT = re.compile(r"^\s*([+-]\d{2}(?:\.\d+)?)([+-]\d{3}(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?(?:CRS[^/]*)?/?\s*$")


def parse(text: str) -> tuple[float, float, float | None] | None:
    """(latitude, longitude, altitude) in degrees and metres, or None when it is not a position."""
    m = _POINT.match(text)
    if not m:
        return None
    lat, lon = float(m.group(1)), float(m.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return lat, lon, float(m.group(3)) if m.group(3) else None
