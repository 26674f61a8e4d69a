"""Verification must catch a bad copy: each sabotage below is detected, and the copy deleted."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from checks.images import jpeg, png
from checks.images.clean import CleanTask, clean_one
from tests import imagefactory as fx


def _flip_scan_byte(self: jpeg.Jpeg, keep_icc: bool) -> list:
    pieces = [bytes(p) for p in ORIGINAL_JPEG_CLEAN(self, keep_icc)]
    longest = max(range(len(pieces)), key=lambda i: len(pieces[i]))
    body = bytearray(pieces[longest])
    body[len(body) // 2] ^= 0x01 if body[len(body) // 2] not in (0xFE, 0xFF) else 0x00
    body[len(body) // 2 + 1] = 0x55 if body[len(body) // 2 + 1] != 0x55 else 0x56
    pieces[longest] = bytes(body)
    return pieces


def _keep_exif(self: jpeg.Jpeg, keep_icc: bool) -> list:
    pieces = ORIGINAL_JPEG_CLEAN(self, keep_icc)
    return [pieces[0], fx.segment(0xE1, fx.exif_bytes()), *pieces[1:]]


def _lose_orientation(self: jpeg.Jpeg, keep_icc: bool) -> list:
    upright = fx.segment(0xE1, b"Exif\x00\x00" + fx.minimal_orientation_tiff(1))
    pieces = ORIGINAL_JPEG_CLEAN(self, keep_icc)
    return [upright if bytes(p[:2]) == b"\xff\xe1" else p for p in pieces]


def _keep_png_trailer(self: png.Png, keep_icc: bool) -> list:
    return [*ORIGINAL_PNG_CLEAN(self, keep_icc), b"trailing data"]


ORIGINAL_JPEG_CLEAN = jpeg.Jpeg.clean
ORIGINAL_PNG_CLEAN = png.Png.clean


@pytest.mark.parametrize(
    ("target", "sabotage", "name", "words"),
    [
        (jpeg.Jpeg, _flip_scan_byte, "a.jpg", "did not match"),
        (jpeg.Jpeg, _keep_exif, "a.jpg", "still gave something away"),
        (jpeg.Jpeg, _lose_orientation, "a.jpg", "right way up"),
        (png.Png, _keep_png_trailer, "a.png", "after the picture"),
    ],
)
def test_sabotaged_copy_is_caught_and_deleted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: type, sabotage: object, name: str, words: str
) -> None:
    src = tmp_path / name
    src.write_bytes(fx.dirty_jpeg(orientation=6) if name.endswith(".jpg") else fx.dirty_png())
    monkeypatch.setattr(target, "clean", sabotage)
    (tmp_path / "out").mkdir()
    # clean_one is the whole per-file path (read, clean, write, verify, publish), run here so the patch holds.
    result = clean_one(CleanTask(str(src), str(tmp_path / "out"), name, ".safespace-test.tmp"))
    assert result.status == "failed"
    assert words in (result.error or "")
    assert list((tmp_path / "out").iterdir()) == []


def test_guided_scan_matches_a_full_search() -> None:
    """Verification's shortcut finds the same scan ends as the search it replaces."""
    from checks.images.facts import Facts

    data = fx.jpeg_pixels(fx.picture((300, 200)), progressive=True)
    searched = jpeg.parse(data, Facts())
    assert len(searched.scans) > 1
    guided = jpeg.parse(data, Facts(), expect_scans=searched.scan_views())
    assert guided.scans == searched.scans
    wrong = [memoryview(b"\x00" * 10)] * len(searched.scans)
    assert jpeg.parse(data, Facts(), expect_scans=wrong).scans == searched.scans


@pytest.mark.parametrize("turn", [Image.Transpose.ROTATE_180, Image.Transpose.FLIP_LEFT_RIGHT])
def test_converted_copy_turned_the_wrong_way_is_caught(turn: Image.Transpose) -> None:
    """A converted copy has no orientation tag to check: its pixels must show the original the right way."""
    from checks.errors import VerificationFailed
    from checks.images.verify import verify_reencoded

    source = fx.picture((640, 480))
    good, bad = io.BytesIO(), io.BytesIO()
    source.save(good, "JPEG", quality=95)
    source.transpose(turn).save(bad, "JPEG", quality=95)
    verify_reencoded("jpeg", [source], good.getvalue(), True, exact=False)
    with pytest.raises(VerificationFailed, match="does not look like the original"):
        verify_reencoded("jpeg", [source], bad.getvalue(), True, exact=False)
