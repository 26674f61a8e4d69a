"""A clean copy of a video, made without re-encoding and without moving a byte of the media.

Everything that goes is blanked where it stands: a box that goes (user data, metadata, XMP, vendor boxes at
the file, movie and track level, and every track other than picture and sound, such as timed location
and camera-motion streams) becomes a `free` box of the same size filled with zeros, and the samples of a
dropped track are zeroed inside the media data. Creation and modification times become zero, and so do
track handler names. Since nothing moves, every chunk offset (`stco`/`co64`) and every fragment offset stays
right, wherever the movie index stands, with 64-bit sizes and fragments alike. The orientation matrix in
`tkhd` is kept.

The copy is verified by reading it back: nothing identifying may be found in it, the kept tracks' sample
bytes must be identical to the original's, and the dropped tracks' samples must be zeros.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator

from checks.errors import VerificationFailed
from checks.video.boxes import Box, full_box
from checks.video.movie import Movie, Track, open_movie

BLOCK = 1 << 20
# Top-level boxes kept as they are; any other is blanked.
KEEP_TOP = {b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"moof", b"mfra", b"sidx", b"styp"}
# Inside the movie index: boxes that go wherever they stand.
DROP_ANYWHERE = {b"udta", b"meta", b"uuid", b"XMP_", b"ilst", b"keys"}

Patch = tuple[int, int, bytes | None]  # (start, end, replacement of the same length; None: zeros)


def patches(movie: Movie) -> list[Patch]:
    """Every change a clean copy makes, as same-length replacements of the original's bytes."""
    assert movie.moov is not None
    out: list[Patch] = []
    for box in movie.top:
        if box.type not in KEEP_TOP:
            out += _blank(box)
    raw, base = movie.raw, movie.moov.start
    dropped = {t.id for t in movie.tracks if not t.kept}
    for box in movie.moov.walk():
        if box.type in DROP_ANYWHERE:
            out += _blank(box)
        elif box.type in (b"mvhd", b"tkhd", b"mdhd"):
            out += _zero_times(raw, box, base)
        elif box.type == b"hdlr":
            _v, _f, at = full_box(raw, box, base)
            if base + at + 20 < box.end:
                out.append((base + at + 20, box.end, None))  # the handler's name
        elif box.type == b"tref":
            out += _blank(box)  # chapter and other references to dropped tracks
    for track in movie.tracks:
        if not track.kept and track.box is not None:
            out += _blank(track.box)
            out += [(offset, offset + length, None) for offset, length in track.chunks if length]
    for moof in movie.fragments:
        out += _fragment(movie, moof, dropped)
    return _merged(out)


def _blank(box: Box) -> list[Patch]:
    return [(box.start + 4, box.start + 8, b"free"), (box.start + _size_bytes(box), box.end, None)]


def _size_bytes(box: Box) -> int:
    """How much of the header to keep: the size fields (4, or 16 with a 64-bit size); the rest is zeroed."""
    return 16 if box.header - (16 if box.type == b"uuid" else 0) == 16 else 8


def _zero_times(raw: bytes, box: Box, base: int) -> list[Patch]:
    version, _f, at = full_box(raw, box, base)
    size = 16 if version == 1 else 8  # creation and modification times
    return [(base + at, base + at + size, None)]


def _fragment(movie: Movie, moof: Box, dropped: set[int]) -> list[Patch]:
    """Fragments: a dropped track's `traf` is blanked, and so are its samples in the media data."""
    raw = movie.fragment_raw[moof.start]
    out: list[Patch] = []
    for traf in moof.all(b"traf"):
        tfhd = traf.find(b"tfhd")
        if tfhd is None:
            continue
        _v, flags, at = full_box(raw, tfhd, moof.start)
        track_id = int.from_bytes(raw[at : at + 4], "big")
        for box in traf.walk():
            if box.type in DROP_ANYWHERE:
                out += _blank(box)
        if track_id not in dropped:
            continue
        base_offset = int.from_bytes(raw[at + 4 : at + 12], "big") if flags & 1 else moof.start
        at += 4 + (8 if flags & 1 else 0) + (4 if flags & 2 else 0) + (4 if flags & 8 else 0)
        default_size = int.from_bytes(raw[at : at + 4], "big") if flags & 0x10 else 0
        for trun in traf.all(b"trun"):
            out += [(a, a + n, None) for a, n in _trun(raw, trun, moof.start, base_offset, default_size)]
        out += _blank(traf)
    return out


def _trun(raw: bytes, trun: Box, base: int, data_base: int, default_size: int) -> list[tuple[int, int]]:
    _v, flags, at = full_box(raw, trun, base)
    count = int.from_bytes(raw[at : at + 4], "big")
    at += 4
    offset = 0
    if flags & 1:
        offset = int.from_bytes(raw[at : at + 4], "big", signed=True)
        at += 4
    if flags & 4:
        at += 4
    fields = [bool(flags & f) for f in (0x100, 0x200, 0x400, 0x800)]
    total = 0
    for _ in range(min(count, 1_000_000)):
        if at + 4 * sum(fields) > trun.end - base:
            break
        size = default_size
        for i, present in enumerate(fields):
            if present:
                if i == 1:
                    size = int.from_bytes(raw[at : at + 4], "big")
                at += 4
        total += size
    return [(data_base + offset, total)]


def _merged(patches: Iterable[Patch]) -> list[Patch]:
    """Sorted, with zero ranges that lie inside a blanked range dropped (their bytes are zero already)."""
    out: list[Patch] = []
    for start, end, value in sorted(patches, key=lambda p: (p[0], -(p[1] - p[0]))):
        if out and value is None and out[-1][2] is None and start < out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end, None)
            continue
        if out and start < out[-1][1] and out[-1][2] is None:
            continue  # inside a range that is zeroed anyway
        out.append((start, end, value))
    return out


def _patched(src: str, changes: list[Patch], size: int) -> Iterator[bytearray]:
    """The original's bytes block by block, with the changes applied: what a clean copy must hold."""
    with open(src, "rb") as f:
        pos, index = 0, 0
        while pos < size:
            block = bytearray(f.read(min(BLOCK, size - pos)))
            if not block:
                raise VerificationFailed("The video changed while it was copied; no copy was kept.")
            end = pos + len(block)
            while index < len(changes) and changes[index][1] <= pos:
                index += 1
            i = index
            while i < len(changes) and changes[i][0] < end:
                start, stop, value = changes[i]
                a, b = max(start, pos), min(stop, end)
                block[a - pos : b - pos] = value[a - start : b - start] if value is not None else bytes(b - a)
                i += 1
            yield block
            pos = end


def write_copy(src: str, dst_fd: int, changes: list[Patch], size: int) -> None:
    """Copy `src` into the open file `dst_fd` block by block, applying the changes on the way."""
    with os.fdopen(os.dup(dst_fd), "wb") as out:
        for block in _patched(src, changes, size):
            out.write(block)


def unchanged_outside(original: str, copy_path: str, changes: list[Patch], size: int) -> bool:
    """Whether the copy is byte for byte the original everywhere but where a change was meant to go, and
    there it holds the change: nothing else moved or changed (fragments' media included)."""
    if os.path.getsize(copy_path) != size:
        return False
    with open(copy_path, "rb") as copy:
        return all(copy.read(len(block)) == block for block in _patched(original, changes, size))


def _pieces(path: str, ranges: Iterable[tuple[int, int]]) -> Iterator[bytes]:
    """The bytes of each range, a block at a time; an empty piece when the file ends before a range does."""
    with open(path, "rb") as f:
        for offset, length in ranges:
            f.seek(offset)
            left = length
            while left > 0:
                piece = f.read(min(BLOCK, left))
                yield piece
                if not piece:
                    break
                left -= len(piece)


def _digest(path: str, ranges: Iterable[tuple[int, int]]) -> str:
    h = hashlib.sha256()
    for piece in _pieces(path, ranges):
        h.update(piece)
    return h.hexdigest()


def _zeros(path: str, ranges: Iterable[tuple[int, int]]) -> bool:
    return all(piece and piece.count(0) == len(piece) for piece in _pieces(path, ranges))


def media_ranges(tracks: list[Track]) -> list[tuple[int, int]]:
    return [c for t in tracks if t.kept for c in t.chunks if c[1]]


def verify(original: Movie, copy_path: str, changes: list[Patch] | None = None) -> Movie:
    """Read the copy back: nothing left to find, the same media bytes, dropped samples zeroed, and (given
    the changes meant) nothing changed anywhere else."""
    from checks.video.findings import build

    copy = open_movie(copy_path)
    left = [f for f in build(copy) if f.id not in KEPT_FINDINGS]
    if left:
        what = "; ".join(f.title for f in left[:3])
        raise VerificationFailed(f"The clean copy still gave something away ({what}); it was deleted.")
    kept = [t for t in original.tracks if t.kept]
    if [(t.id, t.handler, t.chunks) for t in copy.tracks] != [(t.id, t.handler, t.chunks) for t in kept]:
        raise VerificationFailed("The clean copy's tracks do not match the original's; it was deleted.")
    if _digest(original.path, media_ranges(kept)) != _digest(copy_path, media_ranges(copy.tracks)):
        raise VerificationFailed(
            "The clean copy's picture or sound differ from the original; it was deleted."
        )
    gone = [c for t in original.tracks if not t.kept for c in t.chunks if c[1]]
    if not _zeros(copy_path, gone):
        raise VerificationFailed("A dropped track's data was still in the clean copy; it was deleted.")
    if changes is not None and not unchanged_outside(original.path, copy_path, changes, original.size):
        raise VerificationFailed("The clean copy changed more than it should have; it was deleted.")
    return copy


KEPT_FINDINGS: set[str] = set()  # a clean video keeps nothing that a finding is about
