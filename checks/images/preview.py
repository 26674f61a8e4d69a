"""A picture's report and a small preview, for the app's list (runs in a worker process).

The preview is shown on this computer only. It is decoded in a worker process because a file built to crash
a picture decoder must not take the app with it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from checks.images import report
from checks.images.report import ImageReport, report_file

PREVIEW_SIZE = 128


@dataclass
class Inspection:
    report: ImageReport
    preview_png: bytes | None  # the picture the right way up, at most PREVIEW_SIZE pixels a side


def inspect(path: str) -> Inspection:
    report = report_file(path)
    shown = report.format and report.format not in ("raw", "video")  # a video's frames are not decoded
    return Inspection(report, decode_preview(Path(path)) if shown else None)


def limited(path: str, why: str) -> Inspection:
    return Inspection(report.limited(path, why), None)


def crashed(path: str) -> Inspection:
    return Inspection(report.crashed(path), None)


def decode_preview(path: Path) -> bytes | None:
    from PIL import Image, ImageOps

    from checks.images import pixels

    pixels.register_heif()
    try:
        with Image.open(path) as im:
            im.draft("RGB", (PREVIEW_SIZE * 2, PREVIEW_SIZE * 2))  # JPEG: decode small, fast
            upright = ImageOps.exif_transpose(im)
            upright.thumbnail((PREVIEW_SIZE, PREVIEW_SIZE))
            out = io.BytesIO()
            upright.convert("RGBA").save(out, "PNG")
            return out.getvalue()
    except Exception:  # no preview is no loss; the report says what is wrong with the file
        return None
