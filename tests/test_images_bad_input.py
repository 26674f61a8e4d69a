"""Bad files get a clear one-line reason; the batch goes on; nothing partial is left or overwritten."""

from __future__ import annotations

import os
import struct
import threading
import zlib
from pathlib import Path

import pytest

from checks.images import jpeg
from checks.images.clean import TMP_PREFIX, clean_paths
from checks.images.facts import Facts
from checks.images.report import report_file
from tests import imagefactory as fx
from tests.conftest import sha256


def _bomb_png() -> bytes:
    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1000)
    return (
        b"\x89PNG\r\n\x1a\n"
        + fx.png_chunk(b"IHDR", ihdr)
        + fx.png_chunk(b"IDAT", idat)
        + fx.png_chunk(b"IEND", b"")
    )


def _bad_exif_jpeg() -> bytes:
    """EXIF whose IFD offsets point far outside the block: must be read safely, and cleaned."""
    tiff = b"II*\x00\x08\x00\x00\x00" + struct.pack("<H", 2)
    tiff += struct.pack("<HHII", 0x010F, 2, 400, 0x7FFFFFF0)  # Make, pointing past the end
    tiff += struct.pack("<HHII", 0x8769, 4, 1, 0xFFFFFF00)  # EXIF IFD far away
    tiff += b"\x00\x00\x00\x00"
    return fx.insert_after_soi(fx.jpeg_pixels(), fx.segment(0xE1, b"Exif\x00\x00" + tiff))


BAD: dict[str, tuple[bytes, str]] = {
    # name: (content, words the reason must contain)
    "truncated.jpg": (fx.dirty_jpeg()[:3000], "cut short"),
    "cut-in-header.jpg": (fx.dirty_jpeg()[:40], "cut short"),
    "notes.jpg": (b"Client notes, not a picture at all\n" * 10, "not a picture"),
    "empty.png": (b"", "empty"),
    "bomb.png": (_bomb_png(), "too large"),
    "truncated.png": (fx.dirty_png()[:200], "cut short"),
    "truncated.webp": (fx.dirty_webp()[:100], "cut short"),
    "raw.dng": (
        b"II*\x00\x08\x00\x00\x00"
        + struct.pack("<H", 1)
        + struct.pack("<HHII", 0xC612, 1, 4, 0x01040000)
        + b"\x00\x00\x00\x00",
        "RAW",
    ),
    "photoshop.psd": (b"8BPS\x00\x01" + bytes(40), "Photoshop"),
    "movie.mp4": (struct.pack(">I", 24) + b"ftypisom" + bytes(12), "video"),
}


@pytest.mark.parametrize("name", sorted(set(BAD) - {"raw.dng"}))
def test_report_gives_a_clear_reason(tmp_path: Path, name: str) -> None:
    content, words = BAD[name]
    path = tmp_path / name
    path.write_bytes(content)
    result = report_file(path)
    assert result.error is not None
    assert words.lower() in result.error.lower()
    assert "\n" not in result.error


def test_raw_is_reported_but_never_cleaned(tmp_path: Path) -> None:
    path = tmp_path / "raw.dng"
    path.write_bytes(BAD["raw.dng"][0])
    assert report_file(path).format == "raw"
    nef = tmp_path / "camera.nef"
    nef.write_bytes(fx.dirty_tiff())  # a TIFF-structured file named as RAW is refused too
    results = clean_paths([path, nef], tmp_path / "out")
    assert [r.status for r in results] == ["failed", "failed"]
    assert all("RAW" in (r.error or "") for r in results)


def test_batch_goes_on_and_leaves_nothing_partial(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name, (content, _) in BAD.items():
        (src / name).write_bytes(content)
    (src / "good.jpg").write_bytes(fx.dirty_jpeg())
    (src / "bad-exif.jpg").write_bytes(_bad_exif_jpeg())
    hashes = {p.name: sha256(p) for p in src.iterdir()}
    out = tmp_path / "out"
    skipped: list = []
    results = {Path(r.source).name: r for r in clean_paths([src], out, jobs=2, skipped=skipped)}
    # Every picture and video is tried; the Photoshop file is passed over, with its reason.
    assert set(results) == set(hashes) - {"photoshop.psd"}
    assert {Path(s.path).name: s.kind for s in skipped} == {"photoshop.psd": "picture"}
    assert all(s.reason for s in skipped)
    assert results["good.jpg"].status == "cleaned"
    assert results["bad-exif.jpg"].status == "cleaned", results["bad-exif.jpg"].error
    for name, (_, words) in BAD.items():
        if name in results:
            assert results[name].status == "failed"
            assert words.lower() in (results[name].error or "").lower(), (name, results[name].error)
            assert results[name].output is None
    assert sorted(p.name for p in out.iterdir()) == ["bad-exif.jpg", "good.jpg"]
    assert {p.name: sha256(p) for p in src.iterdir()} == hashes


def test_picture_cut_inside_its_data(tmp_path: Path) -> None:
    data = fx.dirty_jpeg()
    scan = jpeg.parse(data, Facts()).scans[0][0]
    cut = data[: scan + 500]  # headers whole, picture data cut short
    path = tmp_path / "cut.jpg"
    path.write_bytes(cut)
    report = report_file(path)
    assert report.error is None and "cut short" in (report.note or "")
    assert "image.gps" in {f.id for f in report.findings}, "what was read is still reported"
    [result] = clean_paths([path], tmp_path / "out")
    # A cut-short picture is still a picture people share: what is there is kept, and the note says so.
    assert result.status == "cleaned", result.error
    assert result.lossless and "cut short" in (result.note or "")
    copy = Path(result.output or "").read_bytes()
    assert copy.endswith(b"\xff\xd9") and cut[scan:] in copy


def test_pipes_and_missing_files_never_block(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "photo.jpg")  # opening a pipe for reading would wait forever
    (tmp_path / "real.jpg").write_bytes(fx.dirty_jpeg())
    results = clean_paths([tmp_path], tmp_path / "out")
    assert [Path(r.source).name for r in results] == ["real.jpg"]
    assert "not an ordinary file" in (report_file(tmp_path / "photo.jpg").error or "")
    assert "no file with this name" in (report_file(tmp_path / "nowhere.jpg").error or "")


def test_existing_files_are_never_overwritten(tmp_path: Path) -> None:
    src = tmp_path / "photo.jpg"
    src.write_bytes(fx.dirty_jpeg())
    out = tmp_path / "out"
    out.mkdir()
    (out / "photo.jpg").write_bytes(b"someone's other file")
    (out / "photo-1.jpg").write_bytes(b"and another")
    [result] = clean_paths([src], out)
    assert result.output == str(out / "photo-2.jpg")
    assert (out / "photo.jpg").read_bytes() == b"someone's other file"
    assert (out / "photo-1.jpg").read_bytes() == b"and another"


def test_same_name_twice_in_one_batch(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "IMG_0001.JPG").write_bytes(fx.dirty_jpeg())
    results = clean_paths([tmp_path / "a", tmp_path / "b"], tmp_path / "out", jobs=2)
    assert sorted(Path(r.output or "").name for r in results) == ["IMG_0001-1.JPG", "IMG_0001.JPG"]


def test_neutral_names(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "Tommy Needle at the Harbour Lane clinic.jpg").write_bytes(fx.dirty_jpeg())
    (src / "client-drawing.png").write_bytes(fx.dirty_png())
    (src / "misnamed.jpg").write_bytes(fx.dirty_gif())  # the copy's name says what it really is
    (src / "from-phone.heic").write_bytes(fx.dirty_heic())
    results = clean_paths([src], tmp_path / "out", rename=True)
    names = sorted(Path(r.output or "").name for r in results)
    # Sorted sources: "Tommy…jpg", "client-drawing.png", "from-phone.heic", "misnamed.jpg" (a GIF)
    assert names == ["image-001.jpg", "image-002.png", "image-003.heic", "image-004.gif"]
    converted = clean_paths([src / "from-phone.heic"], tmp_path / "old", rename=True, convert=True)
    assert [Path(r.output or "").name for r in converted] == ["image-001.jpg"]  # --convert heic


def test_output_folder_inside_source_is_not_cleaned_again(tmp_path: Path) -> None:
    (tmp_path / "a.jpg").write_bytes(fx.dirty_jpeg())
    first = clean_paths([tmp_path], tmp_path / "safe")
    second = clean_paths([tmp_path], tmp_path / "safe")
    assert [Path(r.source).name for r in first + second] == ["a.jpg", "a.jpg"]


def test_copies_are_never_mixed_with_their_originals(tmp_path: Path) -> None:
    from checks.errors import SafeSpaceError

    (tmp_path / "a.jpg").write_bytes(fx.dirty_jpeg())
    with pytest.raises(SafeSpaceError, match="different folder"):
        clean_paths([tmp_path], tmp_path)
    with pytest.raises(SafeSpaceError, match="different folder"):
        clean_paths([tmp_path / "a.jpg"], tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["a.jpg"]


def test_cancel_stops_the_batch_cleanly(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(30):
        (src / f"p{i:02d}.jpg").write_bytes(fx.dirty_jpeg())
    cancel = threading.Event()
    seen = []

    def on_result(result: object) -> None:
        seen.append(result)
        if len(seen) == 5:
            cancel.set()

    results = clean_paths([src], tmp_path / "out", jobs=2, cancel=cancel, on_result=on_result)
    assert 5 <= len(results) < 30
    outputs = list((tmp_path / "out").iterdir())
    assert not [p for p in outputs if p.name.startswith(TMP_PREFIX)]
    assert len(outputs) == sum(r.status == "cleaned" for r in results)


def test_unwritable_output_folder(tmp_path: Path) -> None:
    from checks.errors import SafeSpaceError

    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(SafeSpaceError, match="output folder"):
        clean_paths([tmp_path], blocker / "out")
