"""TIFF: report from the file's own directories; clean by re-encoding the pixels losslessly.

A TIFF's first directory carries Make, Software, Artist, DateTime and more, and cannot be emptied in place,
so a clean copy is a new TIFF holding only the pixels (deflate-compressed, every pixel the same, stored the
right way up so no orientation tag is needed) and, unless dropped, the colour profile. RAW files built on
TIFF (DNG, NEF, ARW, ...) are refused.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from checks.errors import DamagedImage, TooLarge, UnsupportedImage
from checks.images.common import MAX_PIXELS, check_pixels, record_profile
from checks.images.exif import ICC_TAG, IPTC_TAG, PHOTOSHOP_TAG, XMP_TAG, read_ifd0
from checks.images.facts import Facts
from checks.images.formats import RAW_REFUSAL
from checks.images.iptc import read_iim, read_photoshop
from checks.images.tiffparse import TiffReader
from checks.images.xmp import read_xmp

_RAW_PHOTOMETRIC = {32803, 34892}  # colour filter array, linear raw
_SUBIFDS = 0x014A
_NEW_SUBFILE_TYPE = 0x00FE
_PHOTOMETRIC = 0x0106
_DNG_VERSION = 0xC612
MAX_PAGES = 48  # pages (and previews) in one TIFF; the reader follows at most 64 directories

if TYPE_CHECKING:
    from checks.images.pixels import Reencoded


@dataclass
class Tiff:
    data: bytes
    facts: Facts
    raw: bool = False

    def reencode(self, keep_icc: bool) -> Reencoded:
        from checks.images import pixels  # Pillow is loaded only when pictures are decoded

        if self.raw:
            raise UnsupportedImage(RAW_REFUSAL)
        frames = pixels.open_frames(self.data)
        out = io.BytesIO()
        params: dict[str, object] = {"compression": "tiff_adobe_deflate"}
        fresh = [pixels.fresh_copy(f, keep_icc, self.facts) for f in frames]
        try:
            fresh[0].save(out, "TIFF", save_all=len(fresh) > 1, append_images=fresh[1:], **params)
        except (OSError, ValueError, KeyError) as exc:
            raise UnsupportedImage(
                f"This TIFF's kind of picture cannot be rewritten safely ({exc})."
            ) from exc
        return pixels.Reencoded(
            out.getvalue(),
            frames,
            "tiff",
            True,
            "Rewritten as a new TIFF file: the same pixels, stored the right way up.",
        )


def parse(data: bytes, facts: Facts) -> Tiff:
    if data[:4] in (b"II+\x00", b"MM\x00+"):
        return _unread(data, facts, "details of a BigTIFF file, which SafeSpace does not read")
    try:
        reader = TiffReader(data)
    except DamagedImage:
        return _unread(data, facts, "details of this TIFF, which SafeSpace could not read")
    ifd0 = reader.first_ifd()
    if ifd0 is None:
        return _unread(data, facts, "details of this TIFF, which SafeSpace could not read")
    tiff = Tiff(data, facts)
    facts.width, facts.height = ifd0.first_int(0x0100), ifd0.first_int(0x0101)
    check_pixels(facts.width, facts.height)
    read_ifd0(ifd0, facts)
    if XMP_TAG in ifd0:
        read_xmp(ifd0.raw(XMP_TAG) or b"", facts)
    if IPTC_TAG in ifd0:
        read_iim(ifd0.raw(IPTC_TAG) or b"", facts)
    if PHOTOSHOP_TAG in ifd0:
        read_photoshop(ifd0.raw(PHOTOSHOP_TAG) or b"", facts)
    if ICC_TAG in ifd0:
        record_profile(facts, ifd0.raw(ICC_TAG) or b"")
    tiff.raw = _DNG_VERSION in ifd0 or ifd0.first_int(_PHOTOMETRIC) in _RAW_PHOTOMETRIC
    # Later directories: pages, or reduced-resolution previews.
    directories = [ifd0]
    for offset in ifd0.ints(_SUBIFDS)[:16]:
        sub = reader.ifd_at(offset)
        if sub is not None:
            directories.append(sub)
    nxt = ifd0.next()
    while nxt is not None and len(directories) < MAX_PAGES:
        directories.append(nxt)
        nxt = nxt.next()
    if nxt is not None:
        raise TooLarge(f"The picture has more than {MAX_PAGES} pages, too many to handle safely.")
    # Every page is decoded for a clean copy: budget them all before anything is decoded.
    total = sum((ifd.first_int(0x0100) or 0) * (ifd.first_int(0x0101) or 0) for ifd in directories)
    if total > MAX_PIXELS:
        raise TooLarge(
            f"The picture's {len(directories)} pages hold {total / 1e6:.0f} million pixels, too many to "
            "handle safely (it could be a file built to exhaust memory)."
        )
    for ifd in directories[1:]:
        if ifd.first_int(_PHOTOMETRIC) in _RAW_PHOTOMETRIC:
            tiff.raw = True
        if (ifd.first_int(_NEW_SUBFILE_TYPE) or 0) & 1:
            facts.thumbnails.append("TIFF preview picture")
    return tiff


def _unread(data: bytes, facts: Facts, what: str) -> Tiff:
    """A TIFF whose directories this reader cannot walk (BigTIFF's 64-bit offsets, or a layout it does not
    know) but Pillow can open: cleaned like any TIFF (only the decoded pixels go into the copy), and the
    report says that its details were not read, rather than finding nothing."""
    from checks.images import pixels

    size = pixels.peek_size(data)
    if size is None:
        raise DamagedImage("The picture is damaged (its TIFF header is not valid).")
    facts.width, facts.height = size
    check_pixels(*size)
    facts.unknown.append(what)
    return Tiff(data, facts)
