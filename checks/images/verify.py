"""Verification of a clean copy, by reading back the bytes that were written.

Every copy must give nothing away (the report code finds nothing but a kept colour profile), keep the
original's orientation, and show the same picture. For container-level cleaning, what decoding reads is
compared byte for byte with the original's (rebuilt the same way), and for every format but JPEG the
pictures are also decoded by Pillow and compared as they are shown: colours after the palette, every frame,
at full depth. Re-encoded copies are compared the same way, decoded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checks.errors import SafeSpaceError, VerificationFailed
from checks.images import findings as words
from checks.images import jpeg
from checks.images.facts import Facts
from checks.images.formats import READABLE

if TYPE_CHECKING:
    from PIL import Image

# Mean difference (0-255) between small renderings of original and re-encoded copy: tolerates coding
# loss, catches a lost rotation or a wrong picture.
_MAX_MEAN_DIFFERENCE = 12.0
_COMPARE_SIZE = (64, 64)


def _norm(orientation: int | None) -> int:
    return orientation if orientation and 1 <= orientation <= 8 else 1


def _check_nothing_left(fmt: str, out: bytes, keep_icc: bool, source: Any = None) -> tuple[Facts, Any]:
    facts = Facts()
    try:
        if fmt == "jpeg" and source is not None:
            parsed = jpeg.parse(out, facts, expect_scans=source.scan_views())
        else:
            parser = READABLE[fmt].parse
            assert parser is not None
            parsed = parser(out, facts)
    except SafeSpaceError as exc:
        raise VerificationFailed(f"The clean copy could not be read back ({exc}); it was deleted.") from exc
    left = [f for f in words.build(facts) if not (keep_icc and f.id in words.KEPT_WHEN_ICC)]
    if left:
        what = "; ".join(f.title for f in left[:3])
        raise VerificationFailed(f"The clean copy still gave something away ({what}); it was deleted.")
    if facts.trailer_bytes:
        raise VerificationFailed("The clean copy still had data after the picture; it was deleted.")
    if facts.icc_profile is not None:
        from checks.images import icc

        if icc.neutral_profile(facts.icc_profile) != facts.icc_profile:  # a neutral one rebuilds to itself
            raise VerificationFailed("The clean copy's colour profile still held its text; it was deleted.")
    if getattr(parsed, "truncated", False):
        raise VerificationFailed("The clean copy was not written whole; it was deleted.")
    return facts, parsed


def verify_lossless(fmt: str, source: Any, out: bytes, keep_icc: bool) -> None:
    if fmt in ("heif", "avif"):
        from checks.images.heif_verify import verify_clean_copy

        # As for JPEG, what decoding reads is compared byte for byte (coded data, properties, tiles and
        # their order, alpha); decoding a phone's HEIC takes seconds, so the tests decode both instead.
        verify_clean_copy(source, out, keep_icc, decode=False)
        return
    facts, parsed = _check_nothing_left(fmt, out, keep_icc, source)
    if _norm(facts.orientation) != _norm(source.facts.orientation):
        raise VerificationFailed("The clean copy would not turn the right way up; it was deleted.")
    if fmt == "jpeg":  # the scan data by position, without copies: by far the most of the file
        same = same_pieces(parsed.decoding(scans=False), source.decoding(scans=False)) and same_ranges(
            out, parsed.scans, source.data, source.scans
        )
    else:
        same = same_pieces(parsed.decoding(), source.decoding())
    if not same:
        raise VerificationFailed("The clean copy's picture did not match the original's; it was deleted.")
    # JPEG's scan data is compared byte for byte above, and decoding it adds nothing. A picture cut short
    # shows undefined pixels where its data stops (decoders differ), so it is compared byte for byte only.
    if fmt != "jpeg" and not getattr(source, "truncated", False):
        from checks.images import pixels

        if not pixels.same_display(source.data, out):
            raise VerificationFailed("The clean copy does not show the same picture; it was deleted.")


def same_ranges(a: bytes, a_ranges: list[tuple[int, int]], b: bytes, b_ranges: list[tuple[int, int]]) -> bool:
    """Whether the ranges of `a` hold byte for byte what the ranges of `b` hold (compared without copies)."""
    view = memoryview(b)
    return len(a_ranges) == len(b_ranges) and all(
        a1 - a0 == b1 - b0 and a.startswith(view[b0:b1], a0)
        for (a0, a1), (b0, b1) in zip(a_ranges, b_ranges, strict=True)
    )


def same_pieces(a: list[bytes | memoryview], b: list[bytes | memoryview]) -> bool:
    """Byte-for-byte equality (a memoryview compares item by item in Python's C code, about 50 times
    slower than the memcmp that bytes get, so views are compared as bytes)."""

    def raw(x: bytes | memoryview) -> bytes:
        return x if isinstance(x, bytes) else x.tobytes()

    return len(a) == len(b) and all(len(x) == len(y) and raw(x) == raw(y) for x, y in zip(a, b, strict=True))


def verify_reencoded(
    fmt: str, source_frames: list[Image.Image], out: bytes, keep_icc: bool, *, exact: bool
) -> None:
    """Re-encoded copies hold pixels that already stand the right way up, so they need no orientation."""
    from checks.images import pixels

    facts, _ = _check_nothing_left(fmt, out, keep_icc)
    if _norm(facts.orientation) != 1:
        raise VerificationFailed("The clean copy would not turn the right way up; it was deleted.")
    if not exact:  # a converted copy holds the main picture only; compare how it looks, at a small size
        size, small = pixels.open_reduced(out, _COMPARE_SIZE[0])
        if size != source_frames[0].size:
            raise VerificationFailed("The clean copy's picture has a different size; it was deleted.")
        if _difference(small, source_frames[0]) > _MAX_MEAN_DIFFERENCE:
            raise VerificationFailed("The clean copy does not look like the original; it was deleted.")
        return
    frames = pixels.open_frames(out)
    if len(frames) != len(source_frames):
        raise VerificationFailed("The clean copy has a different number of pictures; it was deleted.")
    for mine, theirs in zip(frames, source_frames, strict=True):
        if mine.size != theirs.size:
            raise VerificationFailed("The clean copy's picture has a different size; it was deleted.")
        if pixels.display(mine) != pixels.display(theirs):  # colours as shown, never palette indices
            raise VerificationFailed("The clean copy's pixels differ from the original's; it was deleted.")


def _difference(a: Image.Image, b: Image.Image) -> float:
    """Mean difference (0-255) between two pictures drawn at the same small size."""
    from PIL import Image, ImageChops, ImageStat

    def small(im: Image.Image) -> Image.Image:
        factor = max(1, min(im.size) // (4 * _COMPARE_SIZE[0]))
        return im.reduce(factor).convert("RGB").resize(_COMPARE_SIZE, Image.Resampling.BOX)

    return sum(ImageStat.Stat(ImageChops.difference(small(a), small(b))).mean) / 3
