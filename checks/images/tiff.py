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

from checks.errors import DamagedImage, UnsupportedImage
from checks.images.common import check_pixels, icc_description
from checks.images.exif import ICC_TAG, IPTC_TAG, PHOTOSHOP_TAG, XMP_TAG, read_ifd0
from checks.images.facts import Facts
from checks.images.iptc import read_iim, read_photoshop
from checks.images.sniff import REFUSED
from checks.images.tiffparse import TiffReader
from checks.images.xmp import read_xmp

_RAW_PHOTOMETRIC = {32803, 34892}  # colour filter array, linear raw
_SUBIFDS = 0x014A
_NEW_SUBFILE_TYPE = 0x00FE
_PHOTOMETRIC = 0x0106
_DNG_VERSION = 0xC612

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
            raise UnsupportedImage(REFUSED["raw"])
        frames = pixels.open_frames(self.data)
        out = io.BytesIO()
        params: dict[str, object] = {"compression": "tiff_adobe_deflate"}
        fresh = [pixels.fresh_copy(f, keep_icc) for f in frames]
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
    try:
        reader = TiffReader(data)
    except DamagedImage as exc:
        raise DamagedImage("The picture is damaged (its TIFF header is not valid).") from exc
    ifd0 = reader.first_ifd()
    if ifd0 is None:
        raise DamagedImage("The picture is damaged (its first directory cannot be read).")
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
        facts.icc_description = icc_description(ifd0.raw(ICC_TAG) or b"") or "unnamed profile"
    tiff.raw = _DNG_VERSION in ifd0 or ifd0.first_int(_PHOTOMETRIC) in _RAW_PHOTOMETRIC
    # Later directories: pages, or reduced-resolution previews.
    directories = [ifd0]
    for offset in ifd0.ints(_SUBIFDS)[:16]:
        sub = reader.ifd_at(offset)
        if sub is not None:
            directories.append(sub)
    nxt = ifd0.next()
    while nxt is not None and len(directories) < 64:
        directories.append(nxt)
        nxt = nxt.next()
    for ifd in directories[1:]:
        if ifd.first_int(_PHOTOMETRIC) in _RAW_PHOTOMETRIC:
            tiff.raw = True
        if (ifd.first_int(_NEW_SUBFILE_TYPE) or 0) & 1:
            facts.thumbnails.append("TIFF preview picture")
    return tiff
