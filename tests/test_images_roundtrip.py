"""Dirty picture -> report finds what it gives away -> clean -> nothing identifying left -> same picture."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageOps, ImageSequence, ImageStat

from checks.images.clean import clean_paths
from checks.images.report import report_file
from tests import imagefactory as fx
from tests.conftest import exiftool_tags, sha256

NEEDLES = [
    fx.NAME,
    fx.OWNER,
    fx.SERIAL,
    fx.LENS_SERIAL,
    fx.CITY,
    fx.SUBLOCATION,
    fx.FACE,
    fx.KEYWORD,
    "comment needle",
    "NeedleCam",
    "NeedleSoft",
    "NEEDLE-ID",
    "JANES-LAPTOP",
    "needle",
]
# exiftool groups that a clean copy may hold: the file's structure, the colour profile, and the
# minimal EXIF with only Orientation.
ALLOWED_GROUPS = {
    "SourceFile",
    "ExifTool",
    "JFIF",
    "PNG",
    "GIF",
    "RIFF",
    "Composite",
    "ICC_Profile",
    "ICC-header",
    "ICC-view",
    "ICC-meas",
    "Adobe",
}
ALLOWED_TAGS = {
    "IFD0:Orientation",
    "IFD0:ImageWidth",
    "IFD0:ImageHeight",
    "IFD0:BitsPerSample",
    "IFD0:Compression",
    "IFD0:PhotometricInterpretation",
    "IFD0:StripOffsets",
    "IFD0:SamplesPerPixel",
    "IFD0:RowsPerStrip",
    "IFD0:StripByteCounts",
    "IFD0:PlanarConfiguration",
    "IFD0:ExtraSamples",
    "IFD0:Predictor",
    "IFD0:XResolution",
    "IFD0:YResolution",
    "IFD0:ResolutionUnit",
    "IFD0:SampleFormat",
}


def frames(path: Path) -> list[Image.Image]:
    with Image.open(path) as im:
        return [ImageOps.exif_transpose(f.copy()) for f in ImageSequence.Iterator(im)]


CASES: list[tuple[str, Callable[[], bytes], set[str], bool]] = [
    # name, builder, finding ids the report must show, lossless
    (
        "dirty.jpg",
        fx.dirty_jpeg,
        {
            "image.gps",
            "image.place",
            "image.owner",
            "image.author",
            "image.faces",
            "image.keywords",
            "image.serial",
            "image.computer",
            "image.unique_id",
            "image.camera",
            "image.software",
            "image.time",
            "image.trailer",
            "image.c2pa",
            "image.thumbnail",
            "image.extra_images",
            "image.comment",
            "image.unknown",
        },
        True,
    ),
    (
        "dirty.png",
        fx.dirty_png,
        {
            "image.gps",
            "image.place",
            "image.author",
            "image.faces",
            "image.serial",
            "image.owner",
            "image.time",
            "image.trailer",
            "image.comment",
            "image.unknown",
        },
        True,
    ),
    (
        "dirty.webp",
        fx.dirty_webp,
        {
            "image.gps",
            "image.place",
            "image.author",
            "image.faces",
            "image.serial",
            "image.owner",
            "image.trailer",
            "image.unknown",
        },
        True,
    ),
    (
        "dirty.gif",
        fx.dirty_gif,
        {
            "image.gps",
            "image.place",
            "image.author",
            "image.faces",
            "image.comment",
            "image.text",
            "image.trailer",
        },
        True,
    ),
    (
        "dirty.tif",
        fx.dirty_tiff,
        {"image.gps", "image.author", "image.camera", "image.software", "image.time", "image.faces"},
        True,
    ),
    (
        "dirty.heic",
        fx.dirty_heic,
        {"image.gps", "image.owner", "image.serial", "image.faces", "image.place"},
        True,
    ),
    (
        "dirty.avif",
        fx.dirty_avif,
        {"image.gps", "image.owner", "image.serial", "image.faces", "image.place"},
        True,
    ),
]


@pytest.mark.parametrize(("name", "build", "expected", "lossless"), CASES, ids=[c[0] for c in CASES])
def test_round_trip(
    tmp_path: Path, name: str, build: Callable[[], bytes], expected: set[str], lossless: bool
) -> None:
    src = tmp_path / "in" / name
    src.parent.mkdir()
    src.write_bytes(build())
    before = sha256(src)

    report = report_file(src)
    assert report.error is None
    found = {f.id for f in report.findings}
    assert expected <= found, f"missing findings: {expected - found}"
    if "image.gps" in expected:
        assert report.gps is not None
        assert report.gps["latitude"] == pytest.approx(fx.LAT, abs=1e-3)
        assert report.gps["longitude"] == pytest.approx(fx.LON, abs=1e-3)
        gps = next(f for f in report.findings if f.id == "image.gps")
        if name.endswith((".jpg", ".png", ".webp", ".heic", ".avif")):  # the EXIF fixtures hold a GPS time
            assert gps.data["time"] == "2024-03-05 13:21:07"

    results = clean_paths([src], tmp_path / "out")
    assert len(results) == 1
    result = results[0]
    assert result.status == "cleaned", result.error
    assert result.lossless is lossless
    assert expected <= set(result.removed)
    out = Path(result.output or "")
    assert out.parent == tmp_path / "out"

    assert sha256(src) == before, "the original must never change"
    after = report_file(out)
    assert after.error is None
    assert [f.id for f in after.findings if f.id != "image.icc"] == []
    raw = out.read_bytes()
    for needle in NEEDLES:
        assert needle.encode() not in raw, f"{needle!r} is still in the clean copy"

    original, copy = frames(src), frames(out)
    assert len(copy) == (len(original) if lossless or name.endswith(".tif") else 1)
    for a, b in zip(original, copy, strict=False):
        assert a.size == b.size
        if lossless:
            assert a.convert("RGBA").tobytes() == b.convert("RGBA").tobytes()
    assert list(tmp_path.joinpath("out").iterdir()) == [out], "nothing but the copy is left in the folder"


@pytest.mark.parametrize("name", [c[0] for c in CASES[:5]])
def test_second_reader_finds_nothing(tmp_path: Path, name: str) -> None:
    """exiftool, an independent reader, finds nothing but structure, colour and orientation in a copy."""
    build = next(c[1] for c in CASES if c[0] == name)
    src = tmp_path / name
    src.write_bytes(build())
    [result] = clean_paths([src], tmp_path / "out")
    tags = exiftool_tags(Path(result.output or ""))
    left = {k: v for k, v in tags.items() if k.split(":")[0] not in ALLOWED_GROUPS and k not in ALLOWED_TAGS}
    assert left == {}


def test_jpeg_keeps_only_decoding_segments(tmp_path: Path) -> None:
    from checks.images import jpeg
    from checks.images.facts import Facts

    src = tmp_path / "d.jpg"
    src.write_bytes(fx.dirty_jpeg(orientation=6))
    [result] = clean_paths([src], tmp_path / "out")
    data = Path(result.output or "").read_bytes()
    markers = []
    pos = 2
    while data[pos + 1] != 0xDA:
        markers.append(data[pos + 1])
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
    assert set(markers) <= {0xE0, 0xE1, 0xDB, 0xC0, 0xC4, 0xDD}
    assert data.endswith(b"\xff\xd9")
    parsed = jpeg.parse(data, Facts())
    assert parsed.facts.orientation == 6
    assert parsed.end == len(data), "nothing after the end of the picture"


@pytest.mark.parametrize("keep_icc", [True, False])
def test_icc_profile_kept_or_dropped(tmp_path: Path, keep_icc: bool) -> None:
    from PIL import ImageCms

    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    src = tmp_path / "icc.jpg"
    src.write_bytes(fx.dirty_jpeg(icc=icc))
    [result] = clean_paths([src], tmp_path / "out", keep_icc=keep_icc)
    assert result.status == "cleaned", result.error
    from checks.images.icc import neutral_profile

    with Image.open(result.output or "") as im:
        kept = im.info.get("icc_profile")
    # Kept means its colours, rebuilt without its text, date or ID (littleCMS's own profile has all three).
    assert (kept == neutral_profile(icc) and kept != icc) if keep_icc else kept is None
    assert ("image.icc" in result.removed) is not keep_icc


def test_cmyk_jpeg_keeps_adobe_segment(tmp_path: Path) -> None:
    src = tmp_path / "cmyk.jpg"
    src.write_bytes(
        fx.insert_after_soi(fx.jpeg_pixels(fx.picture().convert("CMYK")), fx.segment(0xE1, fx.exif_bytes()))
    )
    assert b"Adobe" in src.read_bytes()
    [result] = clean_paths([src], tmp_path / "out")
    out = Path(result.output or "")
    assert b"\xff\xeeAdobe"[2:] in out.read_bytes()
    assert frames(src)[0].tobytes() == frames(out)[0].tobytes()


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize("kind", ["jpeg", "png", "webp", "tiff"])
def test_all_orientations_look_the_same(tmp_path: Path, orientation: int, kind: str) -> None:
    builders = {
        "jpeg": lambda: fx.dirty_jpeg(orientation=orientation),
        "png": lambda: fx.dirty_png(orientation=orientation),
        "webp": lambda: fx.dirty_webp(orientation=orientation),
        "tiff": lambda: fx.dirty_tiff(orientation=orientation),
    }
    src = tmp_path / f"o{orientation}.{kind}"
    src.write_bytes(builders[kind]())
    [result] = clean_paths([src], tmp_path / "out")
    assert result.status == "cleaned", result.error
    a, b = frames(src)[0], frames(Path(result.output or ""))[0]
    assert a.size == b.size
    assert a.convert("RGBA").tobytes() == b.convert("RGBA").tobytes()


def test_xmp_orientation_only_is_kept(tmp_path: Path) -> None:
    """A PNG whose only orientation is XMP tiff:Orientation keeps it, as a minimal eXIf."""
    out = io.BytesIO()
    fx.picture().save(out, "PNG")
    data = out.getvalue()
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Orientation="8"/>'
        b"</rdf:RDF></x:xmpmeta>"
    )
    src = tmp_path / "xmp-orient.png"
    src.write_bytes(
        data[:33] + fx.png_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + xmp) + data[33:]
    )
    [result] = clean_paths([src], tmp_path / "out")
    with Image.open(result.output or "") as im:
        assert im.getexif().get(0x0112) == 8


def test_previews_stand_the_right_way_up(tmp_path: Path) -> None:
    from checks.images.preview import PREVIEW_SIZE, inspect

    src = tmp_path / "turned.jpg"
    src.write_bytes(fx.dirty_jpeg(orientation=6))  # stored landscape, shown portrait
    found = inspect(str(src))
    assert found.report.error is None and found.preview_png
    with Image.open(io.BytesIO(found.preview_png)) as im:
        assert im.height > im.width and max(im.size) <= PREVIEW_SIZE
        with Image.open(src) as original:
            upright = ImageOps.exif_transpose(original).resize(im.size).convert("RGBA")
            assert sum(ImageStat.Stat(ImageChops.difference(im, upright)).mean) / 4 < 10
