"""What a batch is given, as people and adversaries give it: folders with videos and documents, link loops,
very long and non-UTF-8 file names, unreadable folders, cut-short and unusual pictures, and bombs."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageFile

from checks.images import inputs
from checks.images.clean import clean_paths
from checks.images.facts import MAX_VALUES
from checks.images.findings import names_someone
from checks.images.report import report_bytes, report_file
from tests import imagefactory as fx

ROOT = Path(__file__).resolve().parent.parent
MP4 = struct.pack(">I", 24) + b"ftypisom" + bytes(12)


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        check=False,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _folder(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "photo.jpg").write_bytes(fx.dirty_jpeg())
    for i in range(3):
        (src / "sub" / f"clip{i}.mkv").write_bytes(b"\x1aE\xdf\xa3" + bytes(40))
    (src / "notes.pdf").write_bytes(b"%PDF-1.7\n")
    (src / "scan.bmp").write_bytes(b"BM" + bytes(60))
    (src / "readme.txt").write_bytes(b"hello")
    return src


def test_folder_mode_says_what_it_passed_over(tmp_path: Path) -> None:
    found = inputs.gather([_folder(tmp_path)])
    assert [p.name for p in found.files] == ["photo.jpg"]
    kinds = sorted(s.kind for s in found.skipped)
    assert kinds == ["document", "other", "picture", "video", "video", "video"]
    lines = found.summary()
    assert lines[0].startswith("3 videos passed over") and "location" in lines[0]


def test_cli_lists_what_was_passed_over(tmp_path: Path) -> None:
    src = _folder(tmp_path)
    text = run("images", "report", "--jobs", "1", str(src))
    out = text.stdout.decode()
    assert "3 videos passed over" in out and "1 document passed over" in out
    as_json = json.loads(run("images", "report", "--json", "--jobs", "1", str(src)).stdout)
    assert {Path(s["path"]).name: s["kind"] for s in as_json["skipped"]} == {
        "clip0.mkv": "video", "clip1.mkv": "video", "clip2.mkv": "video", "notes.pdf": "document",
        "scan.bmp": "picture", "readme.txt": "other",
    }  # fmt: skip
    assert all(s["reason"] for s in as_json["skipped"])
    cleaned = json.loads(run("images", "clean", "--json", str(src), "--out", str(tmp_path / "o")).stdout)
    assert len(cleaned["results"]) == 1 and len(cleaned["skipped"]) == 6


def test_json_for_programs_is_compact() -> None:
    """Not at a terminal, --json is written without indentation (the pure-Python indenter is slow)."""
    done = run("images", "report", "--json", str(ROOT / "tests" / "imagefactory.py"))
    assert b"\n  " not in done.stdout


def test_a_video_named_gets_the_video_message(tmp_path: Path) -> None:
    clip = tmp_path / "garden.mkv"
    clip.write_bytes(b"\x1aE\xdf\xa3" + bytes(40))
    report = report_file(clip)
    assert report.error is not None and "video" in report.error and "location" in report.error
    broken = tmp_path / "garden.mov"
    broken.write_bytes(MP4)  # an MP4 is read as a video: this one has no movie index
    report = report_file(broken)
    assert report.format == "video" and report.error is not None and "video" in report.error


def test_a_link_loop_costs_one_file_not_the_batch(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "loop.jpg").symlink_to(src / "loop.jpg")
    (src / "good.jpg").write_bytes(fx.dirty_jpeg())
    (src / "back").symlink_to(src)  # a link to its own folder is not followed
    found = inputs.gather([src, src / "loop.jpg"])
    assert [p.name for p in found.files] == ["good.jpg", "loop.jpg"]
    assert {s.kind for s in found.skipped} == {"link"}
    results = clean_paths([src, src / "loop.jpg"], tmp_path / "out")
    assert [r.status for r in results] == ["cleaned", "failed"]
    assert "link" in (results[1].error or "").lower() or "cannot be read" in (results[1].error or "")


def test_a_very_long_name_that_needs_a_suffix(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    name = "a" * 251 + ".jpg"  # 255 bytes: the longest a name can be
    (src / name).write_bytes(fx.dirty_jpeg())
    out = tmp_path / "out"
    out.mkdir()
    (out / name).write_bytes(b"already here")
    [result] = clean_paths([src / name], out)
    assert result.status == "cleaned", result.error
    made = Path(result.output or "")
    assert made.name.endswith("-1.jpg") and len(os.fsencode(made.name)) <= 255
    assert (out / name).read_bytes() == b"already here"


def test_an_unreadable_folder_is_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "in"
    (src / "locked").mkdir(parents=True)
    (src / "ok.jpg").write_bytes(fx.dirty_jpeg())
    real = os.scandir

    def scandir(path: object = ".") -> object:  # root reads every folder, so refuse one as a user would be
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    found = inputs.gather([src])
    assert [p.name for p in found.files] == ["ok.jpg"]
    assert [(Path(s.path).name, s.kind) for s in found.skipped] == [("locked", "folder")]


def test_a_name_that_is_not_utf8_in_json(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9-\xff.jpg"
    with open(raw, "wb") as f:
        f.write(fx.dirty_jpeg())
    done = run("images", "report", "--json", os.fsdecode(raw))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout.decode("utf-8"))  # strictly valid UTF-8
    assert data["images"][0]["path"].endswith("caf\ufffd-\ufffd.jpg")
    out = tmp_path / "out"
    cleaned = run("images", "clean", "--json", os.fsdecode(raw), "--out", str(out))
    assert cleaned.returncode == 0, cleaned.stderr
    json.loads(cleaned.stdout.decode("utf-8"))


def test_a_copyright_year_names_no_one() -> None:
    assert not names_someone("Copyright 2002") and not names_someone("(c) 2019-2024, All rights reserved")
    assert names_someone("(c) Jane Q Smithson") and names_someone("Copyright 2002 Acme Photo")
    exif = Image.Exif()
    exif[0x8298] = "Copyright 2002"
    buf = io.BytesIO()
    fx.picture().save(buf, "JPEG", exif=exif)
    ids = {f.id for f in report_bytes(buf.getvalue()).findings}
    assert "image.author" not in ids and "image.copyright" in ids


def test_cut_short_pictures_are_cleaned(tmp_path: Path) -> None:
    gif = fx.dirty_gif()
    png = fx.dirty_png()
    cases = {
        "no-trailer.gif": gif[: gif.rindex(b"\x3b")],
        "cut.gif": gif[:300],
        "cut.png": png[: png.index(b"IEND") - 4],
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    results = {Path(r.source).name: r for r in clean_paths([tmp_path / n for n in cases], tmp_path / "out")}
    for name in cases:
        r = results[name]
        assert r.status == "cleaned", (name, r.error)
        assert "cut short" in (r.note or ""), name
        copy = Path(r.output or "").read_bytes()
        assert copy.endswith(b"\x3b" if name.endswith(".gif") else fx.png_chunk(b"IEND", b"")), "ends whole"
        ImageFile.LOAD_TRUNCATED_IMAGES = True  # a picture cut inside its data stays as far as it goes
        try:
            Image.open(io.BytesIO(copy)).load()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = False


def test_bigtiff_is_a_picture_not_raw(tmp_path: Path) -> None:
    buf = io.BytesIO()
    fx.picture().save(buf, "TIFF", big_tiff=True)
    assert buf.getvalue()[:4] == b"II+\x00"
    src = tmp_path / "big.tif"
    src.write_bytes(buf.getvalue())
    report = report_file(src)
    assert report.format == "tiff" and report.error is None
    assert "image.unknown" in {f.id for f in report.findings}, (
        "unread details are said, never 'nothing found'"
    )
    [result] = clean_paths([src], tmp_path / "out")
    assert result.status == "cleaned", result.error


def _tiff_pages(count: int, size: int) -> bytes:
    """A small TIFF whose `count` pages each claim size x size pixels (no pixel data needed)."""
    entries = [
        (256, 4, size),
        (257, 4, size),
        (258, 3, 8),
        (259, 3, 1),
        (262, 3, 1),
        (273, 4, 8),
        (279, 4, 1),
    ]
    out = bytearray(b"II*\x00\x08\x00\x00\x00")
    for page in range(count):
        at = len(out)
        nxt = at + 2 + 12 * len(entries) + 4 if page < count - 1 else 0
        out += struct.pack("<H", len(entries))
        for tag, typ, value in entries:
            out += struct.pack("<HHII", tag, typ, 1, value)
        out += struct.pack("<I", nxt)
    return bytes(out)


@pytest.mark.parametrize(("count", "size", "words"), [(12, 12_000, "million pixels"), (5000, 8, "pages")])
def test_tiff_bombs_are_refused_before_decoding(count: int, size: int, words: str) -> None:
    report = report_bytes(_tiff_pages(count, size))
    assert report.error is not None and words in report.error


def test_thousands_of_text_notes_are_read_within_a_budget() -> None:
    out = io.BytesIO()
    fx.picture().save(out, "PNG")
    data = out.getvalue()
    bomb = zlib.compress(b"A" * (1 << 20), 9)  # each note unpacks to 1 MB
    notes = b"".join(fx.png_chunk(b"zTXt", f"n{i}".encode() + b"\x00\x00" + bomb) for i in range(3000))
    report = report_bytes(data[:33] + notes + data[33:])
    texts = next(f for f in report.findings if f.id == "image.text")
    assert len(texts.data["fields"]) <= MAX_VALUES


def test_exif_with_a_wrong_magic_number_is_still_read() -> None:
    """ExifTool reads such a block (with a warning); so must SafeSpace, or its GPS goes unsaid."""
    exif = bytearray(fx.exif_bytes(1))
    big = exif[6:8] == b"MM"
    exif[8:10] = b"\x00\x2b" if big else b"\x2b\x00"
    data = fx.insert_after_soi(fx.jpeg_pixels(), fx.segment(0xE1, bytes(exif)))
    ids = {f.id for f in report_bytes(data).findings}
    assert {"image.gps", "image.serial", "image.owner"} <= ids
