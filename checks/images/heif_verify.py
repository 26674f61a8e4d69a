"""Proof that a HEIF/AVIF clean copy gives nothing away and shows exactly the original picture.

Three independent checks, each of which alone refuses a bad copy:
1. the copy, read back with the report's own walker, shows nothing but (when kept) the colour profile;
2. its structure, checked here item by item: only ftyp, meta and mdat at the top; only the kept picture
   items, with empty names, the same numbers and types, coded bytes equal to the original's and the same
   properties in the same order; no Exif, XMP, thumbnail, depth, gain-map or other non-picture item or
   reference; only known properties;
3. original and copy decoded (HEIC by libheif through pillow-heif, AVIF by Pillow's libavif plugin), with
   rotation and mirroring applied, to identical pixels: same size, mode, bit depth and bytes.
"""

from __future__ import annotations

import hashlib
import io
import warnings

from checks.errors import SafeSpaceError, VerificationFailed
from checks.images import findings as words
from checks.images.facts import Facts
from checks.images.heif import Heif, parse
from checks.images.heif_boxes import Item
from checks.images.heif_write import ALPHA_URNS, aux_type, rebuild_property

_PROPERTIES = {
    b"ispe", b"irot", b"imir", b"clap", b"pasp", b"pixi", b"colr", b"clli", b"mdcv", b"lsel", b"a1op",
    b"hvcC", b"av1C", b"vvcC", b"avcC", b"jpgC", b"j2kH", b"uncC", b"cmpd", b"cclv", b"amve", b"auxC",
    b"a1lx",
}  # fmt: skip
_FAILED = "The clean copy {}; it was deleted."


def _fail(what: str) -> VerificationFailed:
    return VerificationFailed(_FAILED.format(what))


def verify_clean_copy(source: Heif, out: bytes, keep_icc: bool, *, decode: bool = True) -> None:
    """Raises VerificationFailed unless `out` is a clean copy of `source` (see the module's notes)."""
    facts = Facts()
    try:
        copy = parse(out, facts, source.kind)
        kept = source.kept()
    except SafeSpaceError as exc:
        raise _fail(f"could not be read back ({exc})") from exc
    left = [f for f in words.build(facts) if not (keep_icc and f.id in words.KEPT_WHEN_ICC)]
    if left:
        raise _fail("still gave something away (" + "; ".join(f.title for f in left[:3]) + ")")
    if facts.trailer_bytes or facts.c2pa or facts.motion_photo or facts.thumbnails or facts.extra_images:
        raise _fail("still held data beside the picture")
    _check_structure(source, copy, kept, keep_icc)
    if decode:
        original, clean = decoded(source.data, source.kind), decoded(out, source.kind)
        if original != clean:
            raise _fail("does not decode to the same pixels as the original")


def _check_structure(source: Heif, copy: Heif, kept: list[int], keep_icc: bool) -> None:
    s, c = source.structure, copy.structure
    assert s is not None and c is not None
    tops = [b.type for b in c.top]
    if c.cut_short or tops[:2] != [b"ftyp", b"meta"] or set(tops[2:]) - {b"mdat"} or len(tops) > 3:
        raise _fail("has parts other than the picture")
    if c.primary != s.primary or sorted(c.items) != sorted(kept) or sorted(c.assoc) != sorted(kept):
        raise _fail("does not hold exactly the main picture")
    for item_id in kept:
        mine, theirs = c.items[item_id], s.items[item_id]
        if mine.type != theirs.type or mine.hidden != theirs.hidden or mine.name or mine.protected:
            raise _fail(f"describes picture item {item_id} differently")
        if mine.problem or not mine.located or not _same_data(copy.data, mine, source.data, theirs):
            raise _fail("has picture data that differs from the original's")
    for item_id in kept:  # the same properties, in the same order, with the same essential flags
        want = [
            (e, rebuild_property(source.data, s.props[i - 1], keep_icc)) for e, i in s.assoc.get(item_id, [])
        ]
        have = [(e, bytes(copy.data[c.props[i - 1].start : c.props[i - 1].end])) for e, i in c.assoc[item_id]]
        if [(e, p) for e, p in want if p is not None] != have:
            raise _fail(f"describes picture item {item_id} with different properties")
    keep = set(kept)
    want_refs = [
        (t, f, [x for x in to if x in keep])
        for t, f, to in s.refs
        if f in keep and t in (b"dimg", b"auxl", b"prem")
    ]
    if [r for r in want_refs if r[2]] != c.refs:  # the same tiles in the same order, the same alpha
        raise _fail("builds its picture from its parts differently")
    for rtype, from_id, to in c.refs:
        alpha = rtype == b"auxl" and aux_type(copy.data, c, from_id) in ALPHA_URNS
        if rtype not in (b"dimg", b"prem") and not alpha:
            raise _fail("still links extra data to the picture")
        if from_id not in c.items or any(t not in c.items for t in to):
            raise _fail("links to items it does not hold")
    for prop in c.props:
        if prop.type not in _PROPERTIES:
            raise _fail("holds a property of the picture that is not needed to show it")
        if prop.type == b"colr" and copy.data[prop.payload : prop.payload + 4] != b"nclx" and not keep_icc:
            raise _fail("still holds the colour profile")
    if set(c.children) - {b"hdlr", b"pitm", b"iloc", b"iinf", b"iref", b"iprp", b"idat"}:
        raise _fail("still holds data beside the picture")


Decoded = tuple[str, tuple[int, int], int, bytes]  # mode, size, bytes of pixels, their SHA-256


def _same_data(a: bytes, mine: Item, b: bytes, theirs: Item) -> bool:
    """Whether two items hold the same bytes, piece by piece (compared where they lie, without copies)."""
    if [n for _, n in mine.extents] != [n for _, n in theirs.extents]:
        return False
    va, vb = memoryview(a), memoryview(b)
    return all(
        va[x : x + n] == vb[y : y + n] for (x, n), (y, _) in zip(mine.extents, theirs.extents, strict=True)
    )


def decoded(data: bytes, kind: str) -> Decoded:
    """The primary picture as the decoder gives it (rotation and mirroring applied), at its full bit depth
    (10 and 12 bits are not cut to 8): mode, size, and the length and digest of its rows without padding.
    Only one decoded picture is held at a time, and the rows are hashed where they lie, without copies."""
    try:
        if kind == "avif":
            return _decoded_avif(data)
        import pillow_heif

        heif_file = pillow_heif.open_heif(io.BytesIO(data), convert_hdr_to_8bit=False)
        im = heif_file[heif_file.primary_index]
        view = memoryview(im.data)
        width, height = im.size
        used = min(im.stride, width * _bytes_per_pixel(im.mode))
        if height * im.stride > len(view):
            raise ValueError("decoded rows are shorter than the picture")
        digest = hashlib.sha256()
        for y in range(height):
            digest.update(view[y * im.stride : y * im.stride + used])
        return im.mode, im.size, used * height, digest.digest()
    except Exception as exc:  # the decoder's errors (OSError, ValueError, bombs...) all mean "not proven"
        raise _fail("could not be decoded to compare its pixels with the original's") from exc


def _bytes_per_pixel(mode: str) -> int:
    channels = {"L": 1, "LA": 2, "RGB": 3, "RGBA": 4, "BGR": 3, "BGRA": 4}.get(mode.split(";")[0], 4)
    return channels * (2 if ";" in mode else 1)  # "RGB;10", "RGBA;12", "L;16": two bytes a sample


def _decoded_avif(data: bytes) -> Decoded:
    from PIL import Image, ImageOps

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        im = Image.open(io.BytesIO(data))
        im.load()
        upright = ImageOps.exif_transpose(im)  # Pillow reports irot/imir as an EXIF orientation
    pixels = upright.tobytes()
    return upright.mode, upright.size, len(pixels), hashlib.sha256(pixels).digest()
