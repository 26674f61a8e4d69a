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
from checks.images.common import MAX_PIXELS, kept_profile
from checks.images.facts import Facts

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


def peek_size(data: bytes) -> tuple[int, int] | None:
    """A picture's size from its header, without decoding it; None when Pillow cannot read it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as im:
                return im.size
    except Exception:  # an unreadable header is the caller's error message to give
        return None


def display(frame: Image.Image) -> tuple[str, tuple[int, int], bytes]:
    """What a frame looks like: colours after the palette (never palette indices), at full depth."""
    if frame.mode in ("P", "PA", "1"):
        frame = frame.convert("RGBA")
    return frame.mode, frame.size, frame.tobytes()


def same_display(a: bytes, b: bytes) -> bool:
    """Whether two files show the same frames, pixel for pixel (cut-short files as far as they go)."""
    from PIL import ImageFile

    old = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = True
    try:
        first, second = open_frames(a), open_frames(b)
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = old
    return len(first) == len(second) and all(
        display(x) == display(y) for x, y in zip(first, second, strict=True)
    )


def lossless_webp(data: bytes, icc: bytes | None, orientation: int | None) -> Reencoded:
    """A WebP encoded again losslessly and exactly (every pixel, also under transparency, the same),
    stood the right way up (turning pixels by quarter turns and mirrors loses nothing)."""
    frames = open_frames(data)
    if orientation and 2 <= orientation <= 8:
        method = _TRANSPOSE[orientation]
        frames = [f.transpose(method) for f in frames]
    first = Image.open(io.BytesIO(data))
    out = io.BytesIO()
    params: dict[str, object] = {"lossless": True, "exact": True, "quality": 100, "method": 4}
    if icc:
        params["icc_profile"] = icc
    fresh = [fresh_copy(f) for f in frames]
    if len(fresh) > 1:
        durations = []
        for i in range(len(fresh)):
            first.seek(i)
            durations.append(first.info.get("duration", 100))
        background = first.info.get("background", (0, 0, 0, 0))
        params.update(
            save_all=True, append_images=fresh[1:], duration=durations, loop=first.info.get("loop", 0)
        )
        params["background"] = background
    fresh[0].save(out, "WEBP", **params)
    return Reencoded(
        out.getvalue(),
        frames,
        "webp",
        True,
        "Encoded again as a lossless WebP: every pixel is the same. (A lossless WebP can hide data after "
        "its picture, which only a new file is sure to leave behind.)",
    )


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


def fresh_copy(im: Image.Image, keep_icc: bool = False, facts: Facts | None = None) -> Image.Image:
    """The same pixels in a new image that carries none of the original's metadata.

    Kept from the original: the palette and its transparency (they are the picture), and the ICC profile
    when asked for.
    """
    fresh = Image.frombytes(im.mode, im.size, im.tobytes())
    if im.mode in ("P", "PA"):
        # The colours themselves, not Pillow's palette object: a TIFF's colour map is read lazily, and a
        # copy of the object can come out all zeros (every colour black).
        colours = im.getpalette("RGBA") if im.palette is not None else None
        if colours:
            fresh.putpalette(colours, "RGBA")
    fresh.info = {}
    if "transparency" in im.info:
        fresh.info["transparency"] = im.info["transparency"]
    if keep_icc and im.info.get("icc_profile"):
        profile = kept_profile(im.info["icc_profile"], facts if facts is not None else Facts())
        if profile:  # rebuilt with its colours and none of its text
            fresh.info["icc_profile"] = profile
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
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


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
