"""Videos: clips made here with ffmpeg, metadata planted with ffmpeg, exiftool and by hand (track-level user
data, a `mebx` timed-location track), then reported and cleaned; checked with exiftool (`-a -G1 -ee`), a
byte search and ffmpeg's frame checksums."""

from __future__ import annotations

import shutil
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from checks.images.clean import clean_paths
from checks.images.report import report_file
from tests.conftest import exiftool_tags

pytestmark = pytest.mark.skipif(
    shutil.which("ffmpeg") is None, reason="ffmpeg is not installed (make test installs it where it can)"
)
PLACE = "+51.5007-000.1246/"
NEEDLES = [b"51.5007", b"NEEDLE", b"Jane Needle", b"NeedleCam", b"-000.1246"]


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", *args], check=True)


def clip(path: Path, *extra: str) -> Path:
    ffmpeg(
        "-f", "lavfi", "-i", "testsrc=duration=1:size=96x64:rate=10", "-f", "lavfi", "-i",
        "sine=frequency=440:duration=1", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
        *extra, str(path),
    )  # fmt: skip
    return path


def frames(path: Path) -> list[str]:
    out = subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-i", str(path), "-map", "0", "-c", "copy", "-f", "framemd5", "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return [line for line in out.splitlines() if not line.startswith("#")]


def box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def _children(data: bytes, start: int, end: int) -> list[tuple[bytes, int, int]]:
    out, pos = [], start
    while pos + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, pos)
        out.append((kind, pos, pos + size))
        pos += size
    return out


def with_moov(data: bytes, edit: Callable[[bytes], bytes]) -> bytes:
    """The file with its moov box replaced by edit(moov bytes); moov must come after mdat."""
    top = _children(data, 0, len(data))
    kinds = [k for k, _, _ in top]
    assert kinds.index(b"moov") > kinds.index(b"mdat"), "moov after mdat: no offsets move"
    _, a, b = next(t for t in top if t[0] == b"moov")
    return data[:a] + edit(data[a:b]) + data[b:]


def _qt_text(kind: bytes, text: str) -> bytes:
    raw = text.encode()
    return box(kind, struct.pack(">HH", len(raw), 0x15C7) + raw)


def track_udta(moov: bytes) -> bytes:
    """Put a user-data box with a location and an author inside the first track."""
    traks = [t for t in _children(moov, 8, len(moov)) if t[0] == b"trak"]
    _, a, b = traks[0]
    udta = box(b"udta", _qt_text(b"\xa9xyz", PLACE) + _qt_text(b"\xa9aut", "Jane Needle"))
    trak = box(b"trak", moov[a + 8 : b] + udta)
    body = moov[8:a] + trak + moov[b:]
    return box(b"moov", body)


def mebx_track(data: bytes, entry: bytes = b"mebx") -> bytes:
    """Add a timed-metadata track (`meta` handler, an iPhone's `mebx` entry keyed on the location, or a
    GoPro's `gpmd` GPS stream) whose one sample, a position, lies in a media data box of its own at the end
    of the file."""
    sample = PLACE.encode() * 4
    keyd = box(b"keyd", b"mdta" + b"com.apple.quicktime.location.ISO6709")
    keys = box(b"keys", box(struct.pack(">I", 1), keyd)) if entry == b"mebx" else b""
    mebx = box(entry, bytes(6) + struct.pack(">H", 1) + keys)
    stsd = box(b"stsd", bytes(4) + struct.pack(">I", 1) + mebx)
    stts = box(b"stts", bytes(4) + struct.pack(">III", 1, 1, 1000))
    stsc = box(b"stsc", bytes(4) + struct.pack(">IIII", 1, 1, 1, 1))
    stsz = box(b"stsz", bytes(4) + struct.pack(">II", 0, 1) + struct.pack(">I", len(sample)))

    tkhd = box(b"tkhd", bytes([0, 0, 0, 7]) + bytes(8) + struct.pack(">I", 9) + bytes(68))
    mdhd = box(b"mdhd", bytes(4) + bytes(8) + struct.pack(">II", 1000, 1000) + bytes(4))
    hdlr = box(b"hdlr", bytes(4) + b"\x00\x00\x00\x00meta" + bytes(12) + b"Core Media Metadata\x00")
    top = _children(data, 0, len(data))
    _, a, b = next(t for t in top if t[0] == b"moov")
    old = data[a:b]

    def build(offset: int) -> bytes:
        stco = box(b"stco", bytes(4) + struct.pack(">II", 1, offset))
        stbl = box(b"stbl", stsd + stts + stsc + stsz + stco)
        minf = box(b"minf", box(b"nmhd", bytes(4)) + stbl)
        trak = box(b"trak", tkhd + box(b"mdia", mdhd + hdlr + minf))
        return box(b"moov", old[8:] + trak)

    offset = a + len(build(0)) + 8  # the sample follows the new moov, in a media data box of its own
    return data[:a] + build(offset) + box(b"mdat", sample) + data[b:]


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    """An MP4 with location, names and device in every place this test knows how to plant them."""
    base = clip(tmp_path / "base.mp4", "-metadata", f"location={PLACE}", "-metadata", "title=NEEDLE title",
                "-movflags", "use_metadata_tags")  # fmt: skip
    data = with_moov(base.read_bytes(), track_udta)
    data = mebx_track(data)
    path = tmp_path / "planted.mp4"
    path.write_bytes(data)
    if shutil.which("exiftool"):
        subprocess.run(
            ["exiftool", "-q", "-overwrite_original", "-XMP-dc:Creator=Jane Needle",
             "-UserData:Make=NeedleCam", "-XMP-exif:GPSLatitude=51.5007", "-XMP-exif:GPSLongitude=-0.1246",
             str(path)], check=True,
        )  # fmt: skip
    return path


def test_report_names_every_place(planted: Path) -> None:
    report = report_file(planted)
    assert report.error is None, report.error
    ids = {f.id for f in report.findings}
    assert {"video.gps", "video.track", "video.author"} <= ids, ids
    assert report.gps is not None and abs(report.gps["latitude"] - 51.5007) < 1e-3
    track = next(f for f in report.findings if f.id == "video.track")
    assert track.severity.value == "high" and "moment by moment" in track.title


def test_clean_copy_keeps_every_frame_and_nothing_else(planted: Path, tmp_path: Path) -> None:
    before = planted.read_bytes()
    assert all(n in before for n in NEEDLES[:2])
    [result] = clean_paths([planted], tmp_path / "out")
    assert result.status == "cleaned", result.error
    assert result.lossless and "re-encoded" in (result.note or "")
    copy = Path(result.output or "")
    data = copy.read_bytes()
    for needle in NEEDLES:
        assert needle not in data, needle
    assert planted.read_bytes() == before, "the original is never changed"
    kept = [line for line in frames(planted) if line.split(",")[0].strip() in ("0", "1")]
    assert frames(copy) == kept, "every video and audio frame, byte for byte"
    tags = exiftool_tags(copy) if shutil.which("exiftool") else {}
    text = str(tags)
    assert "51.5" not in text and "Needle" not in text and "NEEDLE" not in text
    assert not any("GPS" in k or "Location" in k for k in tags)


@pytest.mark.parametrize(
    "flags",
    [["-movflags", "+faststart"], ["-movflags", "frag_keyframe+empty_moov"], ["-f", "mov"]],
    ids=["moov-first", "fragmented", "mov"],
)
def test_layouts(tmp_path: Path, flags: list[str]) -> None:
    src = clip(
        tmp_path / "in.mp4", "-metadata", f"location={PLACE}", "-metadata", "artist=Jane Needle", *flags
    )
    [result] = clean_paths([src], tmp_path / "out")
    assert result.status == "cleaned", result.error
    copy = Path(result.output or "")
    assert b"Jane Needle" not in copy.read_bytes() and b"51.5007" not in copy.read_bytes()
    assert frames(copy) == frames(src)


def test_64_bit_sizes(tmp_path: Path) -> None:
    src = clip(tmp_path / "in.mp4", "-metadata", "artist=Jane Needle")
    data = bytearray(src.read_bytes())
    top = _children(bytes(data), 0, len(data))
    i = [k for k, _, _ in top].index(b"mdat")
    kind, at, end = top[i - 1]
    assert kind in (b"free", b"wide") and end - at == 8, top
    # The 8-byte free box + mdat's 8-byte header become one mdat with a 16-byte header: nothing moves.
    (mdat_size,) = struct.unpack_from(">I", data, at + 8)
    data[at : at + 16] = struct.pack(">I4sQ", 1, b"mdat", mdat_size + 8)
    src.write_bytes(bytes(data))
    assert frames(src)
    [result] = clean_paths([src], tmp_path / "out")
    assert result.status == "cleaned", result.error
    assert frames(Path(result.output or "")) == frames(src)


def _bad(tmp_path: Path) -> dict[str, bytes]:
    good = clip(tmp_path / "good.mp4").read_bytes()
    top = _children(good, 0, len(good))
    _, a, _b = next(t for t in top if t[0] == b"moov")
    huge = bytearray(good)
    huge[a : a + 4] = struct.pack(">I", 0xFFFFFFF0)
    loop = bytearray(good)
    loop[a : a + 4] = struct.pack(">I", 4)  # smaller than its own header
    return {"cut.mp4": good[: a + 40], "huge-moov.mp4": bytes(huge), "size-loop.mp4": bytes(loop),
            "only-ftyp.mp4": good[: top[0][2]]}  # fmt: skip


def test_malformed_videos_get_clear_errors(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name, data in _bad(tmp_path).items():
        (src / name).write_bytes(data)
    for name in _bad(tmp_path):
        report = report_file(src / name)
        assert report.error is not None and "\n" not in report.error, name
        assert any(w in report.error for w in ("cut short", "damaged", "too large")), (name, report.error)
    results = clean_paths([src], tmp_path / "out")
    assert {r.status for r in results} == {"failed"}
    assert not list((tmp_path / "out").iterdir())


def test_a_gopro_gps_stream_is_named_and_dropped(tmp_path: Path) -> None:
    base = clip(tmp_path / "gopro.mp4")
    path = tmp_path / "with-gps.mp4"
    path.write_bytes(mebx_track(base.read_bytes(), b"gpmd"))
    report = report_file(path)
    track = next(f for f in report.findings if f.id == "video.track")
    assert track.severity.value == "high" and track.category == "location"
    [result] = clean_paths([path], tmp_path / "out")
    assert result.status == "cleaned", result.error
    copy = Path(result.output or "")
    assert PLACE.encode() not in copy.read_bytes()
    kept = [line for line in frames(path) if line.split(",")[0].strip() in ("0", "1")]
    assert frames(copy) == kept, "picture and sound frames identical; the GPS stream is gone"


def test_a_copy_that_changed_more_than_it_should_is_caught(tmp_path: Path) -> None:
    """The comparison outside the changes is real: one flipped byte in the media data fails it."""
    from checks.video import clean as cleaning
    from checks.video.movie import open_movie

    src = clip(
        tmp_path / "in.mp4", "-metadata", "artist=Jane Needle", "-movflags", "frag_keyframe+empty_moov"
    )
    movie = open_movie(str(src))
    changes = cleaning.patches(movie)
    out = tmp_path / "out.mp4"
    with open(out, "wb") as f:
        cleaning.write_copy(str(src), f.fileno(), changes, movie.size)
    assert cleaning.unchanged_outside(str(src), str(out), changes, movie.size)
    data = bytearray(out.read_bytes())
    mdat = data.rfind(b"mdat")
    data[mdat + 40] ^= 0xFF  # inside a fragment's media data, which no stco lists
    out.write_bytes(bytes(data))
    assert not cleaning.unchanged_outside(str(src), str(out), changes, movie.size)
