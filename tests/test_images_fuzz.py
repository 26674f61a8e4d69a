"""Damaged variants of every fixture: reading never raises, and a clean either fails with a one-line reason
or leaves a copy that gives nothing away. Seeded, so a failure can be reproduced."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from checks.images.clean import clean_paths
from checks.images.report import report_bytes, report_file
from tests import imagefactory as fx

INTERNAL = re.compile(r"\(\w+(Error|Exception)\)")  # how an unexpected exception is reported
BUILDERS = {
    "jpg": fx.dirty_jpeg,
    "png": fx.dirty_png,
    "webp": fx.dirty_webp,
    "gif": fx.dirty_gif,
    "tif": fx.dirty_tiff,
    "heic": fx.dirty_heic,
}


def mutations(data: bytes, rng: random.Random, count: int) -> list[bytes]:
    out = []
    for _ in range(count):
        buf = bytearray(data)
        kind = rng.randrange(4)
        if kind == 0:  # flip bytes near the start, where the structure is
            for _ in range(rng.randint(1, 8)):
                buf[rng.randrange(min(len(buf), 4096))] = rng.randrange(256)
        elif kind == 1:  # flip bytes anywhere
            for _ in range(rng.randint(1, 8)):
                buf[rng.randrange(len(buf))] = rng.randrange(256)
        elif kind == 2:  # cut short
            del buf[rng.randrange(8, len(buf)) :]
        else:  # overwrite a length field with a huge value
            at = rng.randrange(min(len(buf), 2048) - 4)
            buf[at : at + 4] = b"\xff\xff\xff\xf0"
        out.append(bytes(buf))
    return out


@pytest.mark.parametrize("ext", sorted(BUILDERS))
def test_damaged_files_never_break_anything(tmp_path: Path, ext: str) -> None:
    rng = random.Random(f"safespace-{ext}")
    variants = mutations(BUILDERS[ext](), rng, 40)
    folder = tmp_path / "in"
    folder.mkdir()
    for i, data in enumerate(variants):
        report = report_bytes(data, f"v{i}.{ext}")  # must not raise
        assert report.error is None or ("\n" not in report.error and not INTERNAL.search(report.error))
        (folder / f"v{i:02d}.{ext}").write_bytes(data)
    results = clean_paths([folder], tmp_path / "out", jobs=2)
    assert len(results) == len(variants)
    for r in results:
        if r.status == "failed":
            assert r.error and "\n" not in r.error and r.output is None
            assert not INTERNAL.search(r.error), r.error  # a bug, not a damaged file
        else:
            leftover = [f.id for f in report_file(r.output or "").findings if f.id != "image.icc"]
            assert leftover == [], (r.source, leftover)
    assert len(list((tmp_path / "out").iterdir())) == sum(r.status == "cleaned" for r in results)
