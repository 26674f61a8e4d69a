"""How quickly `safespace images clean` stops, and what a decompression bomb costs a worker.

- stop: cleans photo-sized JPEGs with two workers and presses Ctrl-C (SIGINT to the process group) once
  copies appear; measures from the signal until the command has exited and no process of its group is left.
  Target: under one second beyond the file in hand (the time one file takes is measured too, and added).
- bomb: the 12-page TIFF of issue 11 (6 KB on disk, 5 GB of pixels) through the cleaner in a worker, with
  the default limits and with a 1 GB limit: the worker's peak memory and what the person is told.

Exits 1 when the stop target is missed. Not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from checks import pool  # noqa: E402
from checks.images.clean import CleanTask, clean_one  # noqa: E402
from tests import imagefactory as fx  # noqa: E402
from tests.processes import alive_in_group, wait_until  # noqa: E402
from tests.test_pool import tiff_bomb  # noqa: E402

RUNS = 5


def pictures(folder: Path, count: int) -> None:
    out = io.BytesIO()
    Image.effect_noise((4000, 3000), 40).convert("RGB").save(out, "JPEG", quality=90)  # 12 MP, like a phone
    for i in range(count):
        exif = fx.segment(0xE1, fx.exif_bytes())
        (folder / f"IMG_{i:04d}.jpg").write_bytes(fx.insert_after_soi(out.getvalue(), exif))


def one_file(folder: Path, out: Path) -> float:
    """The slowest of a few single files, cleaned in this process: the 'file in hand'."""
    slowest = 0.0
    for i in range(3):
        start = time.perf_counter()
        result = clean_one(
            CleanTask(str(folder / f"IMG_{i:04d}.jpg"), str(out), f"one-{i}.jpg", f".one-{i}.tmp")
        )
        slowest = max(slowest, time.perf_counter() - start)
        assert result.status == "cleaned", result.error
    return slowest


def copies(out: Path) -> int:
    return len([p for p in out.iterdir() if not p.name.startswith(".")]) if out.exists() else 0


def stop_once(folder: Path, out: Path) -> tuple[float, int, int]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "images", "clean", "--jobs", "2", "--out", str(out), str(folder)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    wait_until(lambda: copies(out) >= 2, 120, 0.01)
    start = time.perf_counter()
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    wait_until(lambda: not alive_in_group(proc.pid), 30, 0.01)
    elapsed = time.perf_counter() - start
    said = re.search(r"Stopped\. (\d+) safe", stderr.decode())
    return elapsed, int(said.group(1)) if said else -1, copies(out)


def bomb(folder: Path) -> None:
    path = folder / "bomb.tif"
    path.write_bytes(tiff_bomb())
    for label, limits in (("default limits", pool.LIMITS), ("memory 1 GB", pool.Limits(memory=1 << 30))):
        stats = pool.Stats()
        start = time.perf_counter()
        [result] = pool.run(
            clean_one,
            [CleanTask(str(path), str(folder), "bomb-copy.tif", ".bomb.tmp")],
            isolate=True,
            limits=limits,
            limited=lambda _task, why: pool.limit_message(why),
            stats=stats,
        )
        said = result if isinstance(result, str) else result.error
        print(
            f"  bomb, {label:<15} peak {stats.peak_memory / 2**20:6.0f} MiB  "
            f"{time.perf_counter() - start:5.1f} s  {said}"
        )


def main() -> int:
    with tempfile.TemporaryDirectory(dir="/dev/shm" if os.path.isdir("/dev/shm") else None) as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        pictures(folder, 60)
        in_hand = one_file(folder, Path(tmp))
        print(
            f"Stopping `images clean` (Ctrl-C), {RUNS} runs; one 12 MP file takes up to {in_hand:.2f} s here"
        )
        worst, honest = 0.0, True
        for run in range(RUNS):
            out = Path(tmp) / f"out{run}"
            elapsed, said, made = stop_once(folder, out)
            worst = max(worst, elapsed)
            honest &= said == made
            print(f"  run {run + 1}: stopped in {elapsed:.2f} s; said {said} copies, {made} in the folder")
        target = 1.0 + in_hand
        print(f"  worst {worst:.2f} s, target {target:.2f} s: {'met' if worst <= target else 'MISSED'}")
        bomb(Path(tmp))
    return 0 if worst <= target and honest else 1


if __name__ == "__main__":
    sys.exit(main())
