"""HEIF/HEIC and AVIF (ISO base media file format items): report by walking boxes; clean without loss.

Metadata items (Exif, XMP as a `mime` item) hang off the primary picture; thumbnails (`thmb`) and auxiliary
pictures (`auxl`: depth maps, portrait mattes, HDR gain maps) can show the picture too; Samsung stores a
motion photo's video in a top-level `mpvd` box, and Google appends the video's MP4 after the picture.

A clean copy (`Heif.clean`, built in heif_write.py) is a new container holding only the main picture's own
coded bytes, copied untouched, with its rotation and colour settings; `heif_verify.verify_clean_copy`
proves it. Converting to JPEG (`Heif.reencode`) stays available for people who share with older computers.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from checks.errors import DamagedImage
from checks.images import heif_write
from checks.images.common import check_pixels, icc_description
from checks.images.exif import read_exif
from checks.images.facts import Facts, Gps
from checks.images.heif_boxes import Box, Reader, Structure, parse_structure
from checks.images.xmp import read_xmp

C2PA_UUID = bytes.fromhex("d8fec3d61b0e483c92975828877ec481")
CLEAN_NOTE = (
    "The same picture, untouched: its own data was copied byte for byte. Hidden details, previews and "
    "extra pictures were removed."
)
_SEQUENCE_BRANDS = {b"msf1", b"avis", b"hevc", b"hevx"}
_ISO6709 = re.compile(rb"([+-]\d{1,3}(?:\.\d+)?)([+-]\d{1,3}(?:\.\d+)?)")

if TYPE_CHECKING:
    from checks.images.pixels import Reencoded


@dataclass
class Heif:
    data: bytes
    facts: Facts
    kind: str  # "heif" or "avif"
    structure: Structure | None = None
    animated: bool = False  # holds a picture sequence besides the still picture (the copy keeps the still)
    video_seconds: float | None = None  # how long a motion photo's video runs, when its MP4 says
    cut_short: bool = False  # the file ends inside its media data (the copy is whole: its picture was there)
    _kept: list[int] = field(default_factory=list)

    def kept(self) -> list[int]:
        """The items a clean copy keeps: the primary first, then what it is built from, then its alpha."""
        if not self._kept and self.structure is not None:
            self._kept = heif_write.kept_items(self.data, self.structure)
        return self._kept

    def clean(self, keep_icc: bool) -> list[bytes | memoryview]:
        assert self.structure is not None
        return heif_write.clean_pieces(self.data, self.structure, keep_icc)

    def image_ranges(self) -> list[tuple[int, int]]:
        """The kept items' coded bytes, item by item: compared byte for byte with a clean copy's."""
        assert self.structure is not None
        items = self.structure.items
        return [(o, o + n) for i in self.kept() for o, n in items[i].extents]

    def reencode(self, keep_icc: bool) -> Reencoded:
        from checks.images import pixels  # Pillow is loaded only when pictures are decoded

        return pixels.convert_for_sharing(self.data, keep_icc, "HEIC" if self.kind == "heif" else "AVIF")


def parse(data: bytes, facts: Facts, kind: str) -> Heif:
    s = parse_structure(data)
    heif = Heif(data, facts, kind, s, cut_short=s.cut_short and s.top[-1].type == b"mdat")
    primary = s.primary
    for essential_index in s.assoc.get(primary, []) if primary is not None else []:
        prop = s.props[essential_index[1] - 1]
        if prop.type == b"ispe" and prop.end - prop.payload >= 12:
            r = Reader(data, prop.payload + 4, prop.end, "picture size")
            facts.width, facts.height = r.uint(4), r.uint(4)
            check_pixels(facts.width, facts.height)
    for prop in s.props:
        if prop.type == b"colr" and data[prop.payload : prop.payload + 4] in (b"prof", b"rICC"):
            facts.icc_description = icc_description(data[prop.payload + 4 : prop.end]) or "unnamed profile"
        elif prop.type == b"udes":  # user description: language, name, description, tags
            r = Reader(data, prop.payload + 4, prop.end, "description")
            _lang, name, text, tags = (r.cstring().decode("utf-8", "replace") for _ in range(4))
            facts.add("image.caption", "Title (HEIF)", name)
            facts.add("image.caption", "Description (HEIF)", text)
            for tag in tags.split(","):
                facts.add("image.keywords", "Keywords (HEIF)", tag.strip())
    for item_name in sorted({i.name for i in s.items.values() if i.name.strip(b"\0 ")}):
        facts.add("image.text", "Name of a part of the file", item_name.decode("utf-8", "replace"))
    for kid in (s.children.get(b"xml "), s.children.get(b"bxml")):
        if kid is not None:  # XML metadata stored as a box of the item list
            if b"xmpmeta" in data[kid.payload : kid.end]:
                read_xmp(bytes(data[kid.payload + 4 : kid.end]), facts)
            else:
                facts.unknown.append("XML data in the item list")
    for item in s.items.values():
        if item.type in (b"Exif", b"mime", b"uri ") and item.problem is None:
            body = item.body(data)
            if item.type == b"Exif" and len(body) > 4:
                skip = int.from_bytes(body[:4], "big")
                read_exif(body[4 + skip :] if 4 + skip < len(body) else b"", facts)
            elif item.type == b"mime" and ("xml" in item.content_type or "xmp" in item.content_type):
                read_xmp(body, facts)
            elif item.type == b"mime" and item.content_type.startswith(("video/", "application/mp4")):
                facts.motion_photo = True  # a motion photo's video stored as an item
                facts.trailer_bytes += len(body)
                facts.trailer_kinds = sorted({*facts.trailer_kinds, "video"})
                _video_location(body, 0, len(body), facts)
                heif.video_seconds = heif.video_seconds or _video_seconds(body, 0, len(body))
                facts.video_seconds = heif.video_seconds
            elif item.type in (b"mime", b"uri "):
                facts.unknown.append(f"attached data ({item.content_type or 'unknown kind'})")
        elif item.type == b"tmap":
            facts.extra_images.append("an HDR gain map picture")
    for ref_type, from_id, _to in s.refs:
        if ref_type == b"thmb":
            facts.thumbnails.append(f"preview picture (item {from_id})")
        elif ref_type == b"auxl":
            urn = heif_write.aux_type(data, s, from_id)
            if urn not in heif_write.ALPHA_URNS:  # transparency is part of the picture, and is kept
                facts.extra_images.append(f"{_aux_words(urn)} (item {from_id})")
    _top_level(data, s, heif)
    facts.orientation = None  # HEIF rotation lives in irot/imir; decoders apply it; EXIF's is not used
    return heif


def _aux_words(urn: bytes | None) -> str:
    text = (urn or b"").decode("latin-1").lower()
    if "depth" in text or text.endswith("auxid:2"):
        return "a depth map, showing how far each point was from the camera"
    if "matte" in text:
        return "a portrait matte, the outline of a person or of their skin, hair or teeth"
    if "gainmap" in text:
        return "an HDR gain map picture"
    return "an auxiliary picture"


def _top_level(data: bytes, s: Structure, heif: Heif) -> None:
    """Boxes beside ftyp, meta and mdat: motion-photo videos, Content Credentials, appended data."""
    facts = heif.facts
    brands = {bytes(data[i : i + 4]) for i in range(s.ftyp.payload, s.ftyp.end - 3, 4)}
    sequence = bool(brands & _SEQUENCE_BRANDS)
    kinds: list[str] = []
    extra = 0
    videos: list[Box] = []
    after_meta = False
    for b in s.top[1:]:
        if b is s.meta:
            after_meta = True
            continue
        if b.type == b"mdat" and not videos:
            continue
        if b.type == b"uuid" and data[b.payload - 16 : b.payload] == C2PA_UUID:
            facts.c2pa = True
            continue
        if b.type == b"moov" and sequence and not videos:
            heif.animated = True
            facts.extra_images.append("a sequence of pictures (an animation or burst)")
            continue
        extra += b.size
        if b.type == b"mpvd" or (after_meta and b.type in (b"ftyp", b"moov")) or videos:
            if b.type == b"mpvd":
                facts.motion_photo = True
            videos.append(b)
            kinds.append("video")
        elif b.type in (b"free", b"skip", b"") and not data[b.payload : b.end].strip(b"\x00"):
            kinds.append("padding")
        else:
            kinds.append("data")
    unused = _unused_media_bytes(data, s, videos)
    if unused:
        facts.unknown.append(f"unused data inside the file ({unused} bytes)")
    if extra:
        facts.trailer_bytes += extra
        facts.trailer_kinds = sorted({*facts.trailer_kinds, *kinds} - {"padding"}) or ["padding"]
    for video in videos:
        _video_location(data, video.payload, video.end, facts)
        heif.video_seconds = heif.video_seconds or _video_seconds(data, video.payload, video.end)
        facts.video_seconds = heif.video_seconds


def _unused_media_bytes(data: bytes, s: Structure, videos: list[Box]) -> int:
    """Non-zero bytes in the picture's media data boxes that no item uses: a place to hide anything."""
    used = heif_write.merged([(o, o + n) for i in s.items.values() if i.method == 0 for o, n in i.extents])
    starts = [a for a, _ in used]
    unused = 0
    for b in s.top:
        if b.type != b"mdat" or b in videos:
            continue
        pos = b.payload
        for start, end in used[max(0, bisect.bisect_right(starts, b.payload) - 1) :]:
            if start >= b.end:
                break
            if start > pos:
                unused += len(data[pos:start].strip(b"\0"))
            pos = max(pos, end)
        if pos < b.end:
            unused += len(data[pos : b.end].strip(b"\0"))
    return unused


def _video_seconds(data: bytes, start: int, end: int) -> float | None:
    """The duration its 'mvhd' box gives a motion photo's MP4 (ISO/IEC 14496-12), in seconds."""
    pos = data.find(b"mvhd", start, end)
    if pos < 0 or pos + 32 > end:
        return None
    try:
        r = Reader(data, pos + 4, end, "video header")
        version = r.uint(4) >> 24
        r.uint(16 if version == 1 else 8)  # creation and modification times
        timescale, duration = r.uint(4), r.uint(8 if version == 1 else 4)
    except DamagedImage:
        return None
    return duration / timescale if timescale and 0 < duration / timescale < 3600 else None


def _video_location(data: bytes, start: int, end: int, facts: Facts) -> None:
    """A motion photo's video has its own location when its MP4 carries a '©xyz' box (ISO 6709 text)."""
    pos = data.find(b"\xa9xyz", start, end)
    if pos < start + 4:
        return
    size = int.from_bytes(data[pos - 4 : pos], "big")
    text = data[pos + 4 : min(pos - 4 + max(size, 8), end, pos + 100)]
    found = _ISO6709.search(text)
    if not found:
        return
    lat, lon = float(found.group(1)), float(found.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return
    where = f"{lat:.5f}, {lon:.5f}"
    facts.add("image.gps_detail", "Position of its video", where)
    if facts.gps is None:
        facts.gps = Gps(lat, lon, source="its motion-photo video")
