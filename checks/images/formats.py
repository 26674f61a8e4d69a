"""The explicit registry of picture formats: how each is read, and how a clean copy is made."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from checks.images import gif, heif, jpeg, png, tiff, webp
from checks.images.facts import Facts

# Cleaned at the container level: the picture's bytes are copied untouched.
LOSSLESS: dict[str, Callable[[bytes, Facts], Any]] = {
    "jpeg": jpeg.parse,
    "png": png.parse,
    "webp": webp.parse,
    "gif": gif.parse,
}
# Cleaned by re-encoding the decoded pixels into a new file.
REENCODED: dict[str, Callable[[bytes, Facts], Any]] = {
    "tiff": tiff.parse,
    "heif": lambda data, facts: heif.parse(data, facts, "heif"),
    "avif": lambda data, facts: heif.parse(data, facts, "avif"),
}
PARSERS = {**LOSSLESS, **REENCODED}
