"""The sidebar row of an area, whatever areas come before it (areas are added over time)."""

from __future__ import annotations

from app.window import AREAS


def area_row(key: str) -> int:
    return [k for k, _ in AREAS].index(key)
