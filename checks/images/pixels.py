"""Decoding, for the formats that are cleaned by re-encoding (TIFF, HEIF, AVIF) and for verification.

Pillow's decompression-bomb guard is kept on; its errors become a clear per-file message.
"""

from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from checks.errors import DamagedImage, TooLarge
from checks.images.common import MAX_PIXELS

Image.MAX_IMAGE_PIXELS = MAX_PIXELS // 2  # Pillow raises past 2x this
_heif_registered = False


def register_heif() -> None:
    global _heif_registered
    if not _heif_registered:
        from pillow_heif import register_heif_opener

        register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)
        _heif_registered = True


def open_frames(data: bytes) -> list[Image.Image]:
    """Every frame of a picture, decoded (orientation from HEIF irot/imir applied by the decoder)."""
    register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's notes on damaged tags; the result is verified anyway
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
            frames = [_upright(frame) for frame in ImageSequence.Iterator(im)]
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise TooLarge(
            "The picture is too large to handle safely (it could be built to exhaust memory)."
        ) from exc
    except UnidentifiedImageError as exc:
        raise DamagedImage("The picture cannot be read (it may be damaged).") from exc
    except (OSError, ValueError, SyntaxError, EOFError, TypeError, KeyError, IndexError, struct.error) as exc:
        # Pillow's own words ("image file is truncated (132 bytes not processed)") mean nothing to a reader.
        raise DamagedImage("The picture cannot be read; it may be damaged or cut short.") from exc
    if not frames:
        raise DamagedImage("The file holds no picture.")
    return frames


def open_reduced(data: bytes, at_least: int) -> tuple[tuple[int, int], Image.Image]:
    """A picture's full size, and the picture decoded small (JPEG decodes at 1/2 to 1/8 scale for free),
    for comparing how a copy looks without decoding every pixel."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            im = Image.open(io.BytesIO(data))
            size = im.size
            im.draft("RGB", (max(at_least, size[0] // 8), max(at_least, size[1] // 8)))
            im.load()
            return size, im
    except (OSError, ValueError, SyntaxError, EOFError, TypeError, KeyError, IndexError, struct.error) as exc:
        raise DamagedImage("The picture cannot be read; it may be damaged or cut short.") from exc


def _upright(frame: Image.Image) -> Image.Image:
    """A decoded frame standing the right way up. Pillow 13 applies a TIFF's Orientation while decoding
    (and drops the tag); older versions do not, so apply whatever orientation is still there."""
    frame.load()
    if frame.format == "TIFF" and frame.getexif().get(0x0112, 1) in range(2, 9):
        return ImageOps.exif_transpose(frame)
    return frame.copy()


def fresh_copy(im: Image.Image, keep_icc: bool = False) -> Image.Image:
    """The same pixels in a new image that carries none of the original's metadata.

    Kept from the original: the palette and its transparency (they are the picture), and the ICC profile
    when asked for.
    """
    fresh = Image.frombytes(im.mode, im.size, im.tobytes())
    if im.mode in ("P", "PA") and im.palette is not None:
        fresh.palette = im.palette.copy()
    fresh.info = {}
    if "transparency" in im.info:
        fresh.info["transparency"] = im.info["transparency"]
    if keep_icc and im.info.get("icc_profile"):
        fresh.info["icc_profile"] = im.info["icc_profile"]
    return fresh


@dataclass
class Reencoded:
    """A clean copy made by decoding and encoding again."""

    data: bytes
    source_frames: list[Image.Image]
    format: str  # the copy's format: "tiff", "jpeg" or "png"
    lossless: bool
    note: str


JPEG_QUALITY = 95


def convert_for_sharing(data: bytes, keep_icc: bool, what: str) -> Reencoded:
    """The main picture as a JPEG (or PNG when it has transparency), for formats whose containers hold
    thumbnails and auxiliary pictures that cannot be removed in place (HEIF, AVIF). Rotation is applied
    by the decoder, so the pixels already stand the right way up."""
    frames = open_frames(data)
    fresh = fresh_copy(frames[0], keep_icc)
    out = io.BytesIO()
    params: dict[str, object] = {}
    if keep_icc and fresh.info.get("icc_profile"):
        params["icc_profile"] = fresh.info["icc_profile"]
    if fresh.mode in ("RGBA", "LA", "PA") or "transparency" in fresh.info:
        fresh.save(out, "PNG", **params)
        fmt, kind = "png", "PNG (lossless)"
    else:
        fresh.convert("RGB" if fresh.mode not in ("RGB", "L", "CMYK") else fresh.mode).save(
            out, "JPEG", quality=JPEG_QUALITY, **params
        )
        fmt, kind = "jpeg", "high-quality JPEG"
    note = f"Converted from {what} to a {kind}, which any phone or computer can open."
    if len(frames) > 1:
        note += f" Only the main picture was kept ({len(frames) - 1} more were left out)."
    return Reencoded(out.getvalue(), frames[:1], fmt, False, note)
