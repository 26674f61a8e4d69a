"""The movie index of an MP4/MOV file: its tracks (what each holds and where its samples lie) and every
place that holds identifying details, recorded as plain facts."""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field
from typing import BinaryIO

from checks.errors import TooLarge
from checks.images.facts import Facts, Gps
from checks.video import iso6709
from checks.video.boxes import MAX_MOOV, Box, VideoDamaged, children, full_box, top_level

BRANDS = {b"qt  ": "MOV", b"M4V ": "M4V", b"3gp4": "3GP", b"3gp5": "3GP", b"3gp6": "3GP", b"3g2a": "3G2"}
XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")
# Tracks kept in a clean copy: the picture and the sound. Everything else (timed metadata, GPS and
# camera-motion streams, text and chapters, time codes) is dropped.
KEPT_HANDLERS = {b"vide", b"soun"}
# ruff: noqa: E501  (the item tables are tables, several a row)
# QuickTime user data and iTunes-style item names -> (finding, label)
ITEMS: dict[bytes, tuple[str, str]] = {
    b"\xa9mak": ("device", "Maker"), b"\xa9mod": ("device", "Model"), b"\xa9swr": ("device", "Software"),
    b"\xa9too": ("device", "Encoder"), b"\xa9day": ("time", "Recorded"), b"\xa9ART": ("people", "Artist"),
    b"\xa9aut": ("people", "Author"), b"\xa9cpy": ("people", "Copyright"), b"\xa9cmt": ("people", "Comment"),
    b"\xa9des": ("people", "Description"), b"\xa9nam": ("people", "Title"), b"\xa9inf": ("people", "Information"),
    b"auth": ("people", "Author"), b"titl": ("people", "Title"), b"dscp": ("people", "Description"),
    b"cprt": ("people", "Copyright"), b"desc": ("people", "Description"), b"ldes": ("people", "Description"),
    b"\xa9wrt": ("people", "Writer"), b"\xa9alb": ("people", "Album"), b"aART": ("people", "Artist"),
}  # fmt: skip
KEY_NAMES: dict[str, tuple[str, str]] = {
    "com.apple.quicktime.make": ("device", "Maker"),
    "com.apple.quicktime.model": ("device", "Model"),
    "com.apple.quicktime.software": ("device", "Software"),
    "com.apple.quicktime.creationdate": ("time", "Recorded"),
    "com.apple.quicktime.author": ("people", "Author"),
    "com.apple.quicktime.artist": ("people", "Artist"),
    "com.apple.quicktime.copyright": ("people", "Copyright"),
    "com.apple.quicktime.comment": ("people", "Comment"),
    "com.apple.quicktime.description": ("people", "Description"),
    "com.apple.quicktime.displayname": ("people", "Title"),
    "com.apple.quicktime.title": ("people", "Title"),
    "com.apple.quicktime.information": ("people", "Information"),
    "com.apple.quicktime.location.name": ("place", "Place name"),
    "com.apple.quicktime.content.identifier": ("unique_id", "Content ID (links a Live Photo)"),
    "com.android.capture.fps": ("device", "Capture rate"),
}
SERIAL_ITEMS = {b"CAME": "Camera serial (GoPro)", b"\xa9sne": "Serial number", b"SNum": "Serial number"}
_EPOCH_1904 = 2082844800  # seconds from 1904-01-01 to 1970-01-01


@dataclass
class Track:
    id: int = 0
    handler: bytes = b""
    entries: list[bytes] = field(default_factory=list)  # sample entry types (avc1, mp4a, mebx, gpmd...)
    box: Box | None = None
    chunks: list[tuple[int, int]] = field(default_factory=list)  # (file offset, bytes) of its samples
    keys: list[str] = field(default_factory=list)  # mebx metadata keys, when it is a timed metadata track

    @property
    def kept(self) -> bool:
        return self.handler in KEPT_HANDLERS


@dataclass
class Movie:
    path: str
    size: int
    kind: str  # "MP4", "MOV", ...
    top: list[Box]
    moov: Box | None = None
    raw: bytes = b""  # the moov box's bytes
    tracks: list[Track] = field(default_factory=list)
    facts: Facts = field(default_factory=Facts)
    fragments: list[Box] = field(default_factory=list)  # moof boxes, read
    fragment_raw: dict[int, bytes] = field(default_factory=dict)


def open_movie(path: str) -> Movie:
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        top = top_level(f, size)
        if not top or top[0].type != b"ftyp":
            raise VideoDamaged("The video is damaged (it does not start with its file type).")
        f.seek(top[0].body)
        brand = f.read(4)
        movie = Movie(path, size, BRANDS.get(brand, "MP4"), top)
        moovs = [b for b in top if b.type == b"moov"]
        if len(moovs) != 1:
            raise VideoDamaged("The video is damaged (it has no movie index)." if not moovs else
                               "The video is damaged (it has more than one movie index).")  # fmt: skip
        movie.moov = moovs[0]
        movie.raw = _read(f, movie.moov, MAX_MOOV)
        children(movie.raw, movie.moov, movie.moov.start, [0])
        for moof in (b for b in top if b.type == b"moof"):
            raw = _read(f, moof, 16 << 20)
            children(raw, moof, moof.start, [0])
            movie.fragments.append(moof)
            movie.fragment_raw[moof.start] = raw
        _read_movie(movie)
        for box in top:
            if box.type == b"uuid":
                f.seek(box.start + box.header - 16)
                if f.read(16) == XMP_UUID:
                    movie.facts.xmp_entries += 1
                    _xmp(movie, _read(f, box, 16 << 20)[box.header :])
            elif box.type == b"meta":
                movie.facts.unknown.append("a metadata box at the top of the file")
            elif box.type not in (b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"moof", b"mfra",
                                  b"sidx", b"styp", b"pdin", b"uuid"):  # fmt: skip
                movie.facts.unknown.append(f"'{box.type.decode('latin-1')}' box")
    return movie


def _read(f: BinaryIO, box: Box, limit: int) -> bytes:
    if box.size > limit:
        raise TooLarge(f"The video's '{box.type.decode('latin-1')}' box is {box.size >> 20} MB, too large to "
                       "handle safely.")  # fmt: skip
    f.seek(box.start)
    raw = f.read(box.size)
    if len(raw) != box.size:
        raise VideoDamaged("The video is cut short.")
    return raw


def _u(raw: bytes, at: int, n: int) -> int:
    return int.from_bytes(raw[at : at + n], "big")


def _read_movie(movie: Movie) -> None:
    assert movie.moov is not None
    raw, base, facts = movie.raw, movie.moov.start, movie.facts
    mvhd = movie.moov.find(b"mvhd")
    if mvhd is not None:
        _times(raw, mvhd, base, facts, "Movie created")
    for box in movie.moov.walk():
        if box.type == b"udta":
            _udta(movie, box)
        elif box.type == b"meta":
            _meta(movie, box)
        elif box.type == b"uuid" and raw[box.body - base - 16 : box.body - base] == XMP_UUID:
            facts.xmp_entries += 1
            _xmp(movie, raw[box.body - base : box.end - base])
        elif box.type == b"XMP_":
            _xmp(movie, raw[box.body - base : box.end - base])
    for trak in movie.moov.all(b"trak"):
        movie.tracks.append(_track(movie, trak))


def _times(raw: bytes, box: Box, base: int, facts: Facts, label: str) -> None:
    version, _flags, at = full_box(raw, box, base)
    size = 8 if version == 1 else 4
    created = _u(raw, at, size)
    if created > _EPOCH_1904:
        import datetime

        when = datetime.datetime.fromtimestamp(created - _EPOCH_1904, datetime.UTC)
        facts.add("image.time", label, when.strftime("%Y-%m-%d %H:%M:%S UTC"))


def _text(value: bytes) -> str:
    try:
        return value.decode("utf-8").strip("\0 ")
    except UnicodeDecodeError:
        return value.decode("latin-1").strip("\0 ")


def _record(movie: Movie, what: str, label: str, value: str) -> None:
    facts = movie.facts
    fid = {"device": "image.camera", "time": "image.time", "people": "image.author", "place": "image.place",
           "unique_id": "image.unique_id"}[what]  # fmt: skip
    if what == "people" and label in ("Title", "Description", "Comment", "Information", "Album"):
        fid = "image.caption" if label != "Comment" else "image.comment"
    if what == "device" and label in ("Software", "Encoder"):
        fid = "image.software"
    facts.add(fid, label, value)


def _location(movie: Movie, text: str, source: str) -> None:
    where = iso6709.parse(text)
    if where is None:
        movie.facts.add("image.gps_detail", f"Location ({source})", text)
        return
    lat, lon, alt = where
    if movie.facts.gps is None:
        movie.facts.gps = Gps(lat, lon, alt, None, source)
    else:
        movie.facts.add("image.gps_detail", f"Location ({source})", text)


def _udta(movie: Movie, udta: Box) -> None:
    raw, base = movie.raw, movie.moov.start if movie.moov else 0
    for item in udta.children:
        body = raw[item.body - base : item.end - base]
        if item.type == b"\xa9xyz":
            # A QuickTime text item: 16-bit length, 16-bit language, then the text.
            length = _u(body, 0, 2)
            _location(movie, _text(body[4 : 4 + length]), "QuickTime ©xyz")
        elif item.type in ITEMS and item.type[0] == 0xA9 and len(body) >= 4:
            length = _u(body, 0, 2)
            what, label = ITEMS[item.type]
            _record(movie, what, label, _text(body[4 : 4 + length]))
        elif item.type == b"loci" and len(body) > 18:
            _loci(movie, body)
        elif item.type in SERIAL_ITEMS:
            movie.facts.add("image.serial", SERIAL_ITEMS[item.type], _text(body[:64]))
        elif item.type in ITEMS:
            what, label = ITEMS[item.type]
            _record(movie, what, label, _text(body[6:] if len(body) > 6 else body))
        elif item.type in (b"meta",):
            continue  # walked on its own
        elif item.type in (b"XMP_",):
            continue
        else:
            movie.facts.exif_entries += 1
            name = item.type.decode("latin-1")
            if name.isprintable():
                movie.facts.unknown.append(f"user data '{name.strip()}'")


def _loci(movie: Movie, body: bytes) -> None:
    """3GPP location: version and flags, language, a place name, a role, then 16.16 fixed-point
    longitude, latitude and altitude."""
    name_end = body.find(b"\x00", 6)
    if name_end < 0 or name_end + 14 > len(body):
        return
    place = _text(body[6:name_end])
    if place:
        movie.facts.add("image.place", "Place name (3GPP)", place)
    lon, lat, alt = struct.unpack_from(">iii", body, name_end + 2)
    text = f"{lat / 65536:+08.4f}{lon / 65536:+09.4f}{alt / 65536:+.1f}/"
    _location(movie, text, "3GPP loci")


def _meta(movie: Movie, meta: Box) -> None:
    """QuickTime `meta` with `keys` and `ilst`, or iTunes-style `ilst` items."""
    raw, base = movie.raw, movie.moov.start if movie.moov else 0
    keys: list[str] = []
    box = meta.find(b"keys")
    if box is not None:
        _v, _f, at = full_box(raw, box, base)
        count, at = _u(raw, at, 4), at + 4
        for _ in range(min(count, 1000)):
            size = _u(raw, at, 4)
            if size < 8 or at + size > box.end - base:
                break
            keys.append(raw[at + 8 : at + size].decode("utf-8", "replace"))
            at += size
    ilst = meta.find(b"ilst")
    if ilst is None:
        return
    for item in ilst.children:
        value = _data_value(raw, item, base)
        if value is None:
            continue
        index = int.from_bytes(item.type, "big")
        name = keys[index - 1] if keys and 1 <= index <= len(keys) else None
        if name is not None:
            short = name.rsplit(".", 1)[-1].lower()
            if name.lower().endswith(("location.iso6709", "location")) or short == "iso6709":
                _location(movie, value, "QuickTime keys")
            elif name in KEY_NAMES:
                _record(movie, *KEY_NAMES[name], value)
            elif f"com.apple.quicktime.{short}" in KEY_NAMES:
                _record(movie, *KEY_NAMES[f"com.apple.quicktime.{short}"], value)
            elif "serial" in short:
                movie.facts.add("image.serial", "Serial number", value)
            else:
                movie.facts.add("image.text", f"Detail '{name}'", value)
        elif item.type == b"covr":
            movie.facts.thumbnails.append("cover picture")
        elif item.type in ITEMS:
            _record(movie, *ITEMS[item.type], value)
        else:
            movie.facts.exif_entries += 1


def _data_value(raw: bytes, item: Box, base: int) -> str | None:
    """The text of an item's `data` box (type 1: UTF-8), or a marker for other kinds."""
    at, end = item.body - base, item.end - base
    while at + 16 <= end:
        size, kind = struct.unpack_from(">I4s", raw, at)
        if size < 16 or at + size > end:
            return None
        if kind == b"data":
            if item.type == b"covr":
                return "picture"
            return _text(raw[at + 16 : at + size][:4096])
        at += size
    return None


def _xmp(movie: Movie, packet: bytes) -> None:
    from checks.images.xmp import read_xmp

    read_xmp(packet[: 4 << 20], movie.facts)


def _track(movie: Movie, trak: Box) -> Track:
    raw, base, facts = movie.raw, movie.moov.start if movie.moov else 0, movie.facts
    track = Track(box=trak)
    tkhd = trak.find(b"tkhd")
    if tkhd is not None:
        version, _f, at = full_box(raw, tkhd, base)
        track.id = _u(raw, at + (16 if version == 1 else 8), 4)
        _times(raw, tkhd, base, facts, "Track created")
    mdhd = trak.find(b"mdia", b"mdhd")
    if mdhd is not None:
        _times(raw, mdhd, base, facts, "Media created")
    hdlr = trak.find(b"mdia", b"hdlr")
    if hdlr is not None:
        _v, _f, at = full_box(raw, hdlr, base)
        track.handler = raw[at + 4 : at + 8]
    stbl = trak.find(b"mdia", b"minf", b"stbl")
    if stbl is None:
        return track
    stsd = stbl.find(b"stsd")
    if stsd is not None:
        _v, _f, at = full_box(raw, stsd, base)
        count, at = _u(raw, at, 4), at + 4
        for _ in range(min(count, 64)):
            size = _u(raw, at, 4)
            if size < 8 or at + size > stsd.end - base:
                break
            track.entries.append(raw[at + 4 : at + 8])
            if raw[at + 4 : at + 8] == b"mebx":
                track.keys += _mebx_keys(raw[at : at + size])
            at += size
    track.chunks = _chunks(raw, stbl, base)
    return track


def _mebx_keys(entry: bytes) -> list[str]:
    """The keys a timed metadata track carries (`mebx` sample entry: `keys` > `keyd`)."""
    out: list[str] = []
    pos = entry.find(b"keyd")
    while pos >= 4 and len(out) < 64:
        size = int.from_bytes(entry[pos - 4 : pos], "big")
        out.append(entry[pos + 8 : pos - 4 + size].decode("utf-8", "replace"))
        pos = entry.find(b"keyd", pos + 4)
    return out


def _chunks(raw: bytes, stbl: Box, base: int) -> list[tuple[int, int]]:
    """(offset, length) of each chunk of samples, from the sample tables."""
    offsets: list[int] = []
    for kind, width in ((b"stco", 4), (b"co64", 8)):
        box = stbl.find(kind)
        if box is not None:
            _v, _f, at = full_box(raw, box, base)
            count = min(_u(raw, at, 4), (box.end - base - at - 4) // width)
            fmt = ">" + ("I" if width == 4 else "Q") * count
            offsets = list(struct.unpack_from(fmt, raw, at + 4))
    sizes: list[int] = []
    stsz = stbl.find(b"stsz")
    if stsz is not None:
        _v, _f, at = full_box(raw, stsz, base)
        uniform, count = _u(raw, at, 4), _u(raw, at + 4, 4)
        if uniform:
            sizes = [uniform] * min(count, 50_000_000)
        else:
            count = min(count, (stsz.end - base - at - 8) // 4)
            sizes = list(struct.unpack_from(">" + "I" * count, raw, at + 8))
    runs: list[tuple[int, int]] = []
    stsc = stbl.find(b"stsc")
    if stsc is not None:
        _v, _f, at = full_box(raw, stsc, base)
        count = min(_u(raw, at, 4), (stsc.end - base - at - 4) // 12)
        runs = [(_u(raw, at + 4 + 12 * i, 4), _u(raw, at + 8 + 12 * i, 4)) for i in range(count)]
    out: list[tuple[int, int]] = []
    sample, run, per = 0, 0, 1
    for i, offset in enumerate(offsets):
        chunk = i + 1
        while run < len(runs) and runs[run][0] <= chunk:  # runs are sorted by their first chunk
            per = runs[run][1]
            run += 1
        length = sum(sizes[sample : sample + per])
        sample += per
        out.append((offset, length))
    return out
