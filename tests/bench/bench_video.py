"""`make bench`, videos: how fast SafeSpace cleans phone-style clips, beside a plain copy and ExifTool.

Makes a few clips with ffmpeg (H.264 and AAC, 720p, a few seconds, location and names written in), then
times on the same files in the same run: a plain copy, `safespace images clean` (which verifies every copy
by reading it back and comparing the picture and sound samples) and `exiftool -all= -o DIR`. ExifTool only
edits top-level QuickTime metadata, so it does less; its time is the yardstick, not a target to beat.
Skipped, with a note, when ffmpeg or exiftool is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAFESPACE = [sys.executable, "-m", "app"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def make(folder: Path, count: int) -> int:
    first = folder / "clip-000.mp4"
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
         "testsrc2=duration=6:size=1280x720:rate=30",
         "-f", "lavfi", "-i", "sine=frequency=440:duration=6", "-c:v", "libx264", "-preset", "veryfast",
         "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "-metadata", "location=+51.5007-000.1246/",
         "-metadata", "artist=Jane Needle", str(first)], check=True,
    )  # fmt: skip
    for i in range(1, count):
        shutil.copyfile(first, folder / f"clip-{i:03d}.mp4")
    return sum(p.stat().st_size for p in folder.iterdir())


def timed(what: list[str], out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    start = time.perf_counter()
    subprocess.run(what, check=True, capture_output=True, env=ENV)
    return time.perf_counter() - start


def main() -> int:
    missing = [t for t in ("ffmpeg", "exiftool") if shutil.which(t) is None]
    if missing:
        print(f"Videos: skipped ({', '.join(missing)} not installed).")
        return 0
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else Path(tempfile.gettempdir())
    with tempfile.TemporaryDirectory(dir=base) as tmp:
        src, out = Path(tmp) / "src", Path(tmp) / "out"
        src.mkdir()
        size = make(src, 20)
        files = sorted(src.iterdir())
        start = time.perf_counter()
        out.mkdir()
        for f in files:
            shutil.copyfile(f, out / f.name)
        copy = time.perf_counter() - start
        ours = timed([*SAFESPACE, "images", "clean", "--jobs", "2", str(src), "--out", str(out)], out)
        theirs = timed(["exiftool", "-q", "-all=", "-o", str(out) + "/", *map(str, files)], out)
    print(f"Videos: {len(files)} clips of 6 s at 720p, {size / 2**20:.0f} MB")
    print(f"  plain copy                     {copy:6.2f} s")
    ratio = f"({ours / theirs:.2f}x ExifTool, {ours / copy:.1f}x a copy)"
    print(f"  safespace clean (with verify)  {ours:6.2f} s  {ratio}")
    print(f"  exiftool -all= -o DIR          {theirs:6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
