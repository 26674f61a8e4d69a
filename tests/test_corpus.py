"""Report and clean over the shared sample corpus of real camera files, when it is present."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageOps

from checks.images.clean import clean_paths
from checks.images.report import expand, report_file
from tests.conftest import exiftool_tags, sha256
from tests.test_images_fuzz import INTERNAL

# Tags an independent reader must not find in any clean copy.
IDENTIFYING = (
    "GPS",
    "Serial",
    "Owner",
    "Artist",
    "Copyright",
    "Creator",
    "By-line",
    "City",
    "Author",
    "DateTimeOriginal",
    "CreateDate",
    "Make",
    "Model",
    "Software",
    "Comment",
    "ThumbnailImage",
    "UniqueID",
    "MakerNote",
    "RegionName",
    "PersonInImage",
)


def test_report_reads_every_file(corpus: Path) -> None:
    paths = list(expand([corpus]))
    assert len(paths) > 90
    reports = [report_file(p) for p in paths]
    for r in reports:
        assert r.error is None or (r.error.strip() and "\n" not in r.error), r
    with_gps = [r for r in reports if r.gps]
    assert len(with_gps) >= 15
    assert any(f.id == "image.serial" for r in reports for f in r.findings)
    assert any(f.id == "image.owner" for r in reports for f in r.findings)


def test_clean_everything(corpus: Path, tmp_path: Path) -> None:
    paths = list(expand([corpus]))
    before = {p: sha256(p) for p in paths}
    results = clean_paths([corpus], tmp_path / "out", jobs=2)
    assert len(results) == len(paths)
    failed = [r for r in results if r.status != "cleaned"]
    for r in failed:  # malformed samples may fail, but only with a clear reason, never a bug's
        assert r.error and "\n" not in r.error and not INTERNAL.search(r.error), (r.source, r.error)
    ordinary = [
        r for r in results if "/gps/" in r.source or "/orientation/" in r.source or "/heic/" in r.source
    ]
    assert len(ordinary) >= 20 and all(r.status == "cleaned" for r in ordinary)
    outputs = sorted((tmp_path / "out").iterdir())
    assert len(outputs) == len(results) - len(failed), "only verified copies are left in the folder"
    for r in results:
        if r.status == "cleaned":
            after = report_file(r.output or "")
            assert [f.id for f in after.findings if f.id != "image.icc"] == [], r.output
    assert {p: sha256(p) for p in paths} == before, "originals never change"


def test_orientation_samples_look_the_same(corpus: Path, tmp_path: Path) -> None:
    samples = sorted((corpus / "exif-samples" / "jpg" / "orientation").glob("*.jpg"))
    assert len(samples) >= 8
    results = clean_paths(samples, tmp_path / "out")
    for src, r in zip(samples, results, strict=True):
        with Image.open(src) as a, Image.open(r.output or "") as b:
            assert ImageOps.exif_transpose(a).tobytes() == ImageOps.exif_transpose(b).tobytes(), src.name


def test_second_reader_finds_nothing_identifying(corpus: Path, tmp_path: Path) -> None:
    samples = [
        corpus / "exif-samples" / "jpg" / "gps" / "DSCN0010.jpg",
        corpus / "exif-samples" / "jpg" / "Canon_40D.jpg",
        corpus / "exif-samples" / "heic" / "mobile" / "iphone_13_pro_max.HEIC",
        corpus / "exif-samples" / "jpg" / "hdr" / "iphone_hdr_YES.jpg",
    ]
    results = clean_paths([s for s in samples if s.exists()], tmp_path / "out")
    for r in results:
        tags = exiftool_tags(Path(r.output or ""))
        kept_profile = ("ICC_Profile:", "ICC-header:", "ICC-view:", "ICC-meas:")  # kept on purpose
        leaks = [
            k
            for k in tags
            if any(word.lower() in k.lower() for word in IDENTIFYING) and not k.startswith(kept_profile)
        ]
        assert leaks == [], (r.source, leaks)
