"""Tell a file's format from its first bytes, never from its name (derived from the format registry)."""

from __future__ import annotations

from pathlib import Path

from checks.images.formats import BY_NAME, PICTURE_EXTENSIONS, refusal, sniff

__all__ = ["EXTENSIONS", "PICTURE_EXTENSIONS", "RAW_EXTENSIONS", "refusal", "sniff", "sniff_file"]

EXTENSIONS = {name: f.extensions[0] for name, f in BY_NAME.items()}  # what a copy in that format is called
RAW_EXTENSIONS = frozenset(BY_NAME["raw"].extensions)


def sniff_file(path: Path) -> str:
    with open(path, "rb") as f:
        return sniff(f.read(64))
