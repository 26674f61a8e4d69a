"""`make bench`: does the window keep responding while a big folder is added and while a busy network's
devices stream in?

A 10 ms timer runs in the GUI thread throughout; how late it fires is how long the window could not
respond (a stall). Two scenes, each in a fresh main window on a 1280 x 720 offscreen screen:
  - 1,000 phone-sized photos (4032 x 3024 JPEGs with EXIF and GPS) added as a folder: the longest stall,
    the time until all are listed with their verdicts, and the time until every preview is decoded;
  - 1,000 devices streamed into the room check's list from a worker thread, as a scan delivers them
    (some of them updates of devices already listed): the longest stall and the total time.
Targets: longest stall under 100 ms in both; 1,000 pictures listed with verdicts in under 5 s. Exits 1 when
a target is missed. The machine's load matters: run it on an otherwise idle computer for true figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

STALL_TARGET = 0.100
LIST_TARGET = 5.0


def _screen() -> None:
    config = Path(tempfile.gettempdir()) / f"safespace-bench-screen-{os.getpid()}.json"
    config.write_text(
        json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1280, "height": 720, "dpr": 1}]})
    )
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


class StallMeter:
    """A 10 ms timer in the GUI thread; the longest it was late is the longest stall. Beside it, the most
    CPU time the GUI thread itself used between two ticks: a stall much longer than that was spent waiting
    for a core (other processes, or this process's other threads holding Python's lock), not in the app's
    GUI code."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.longest = 0.0
        self.longest_cpu = 0.0
        self._last = time.perf_counter()
        self._last_cpu = time.thread_time()
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        self.longest = max(self.longest, now - self._last - 0.010)
        self.longest_cpu = max(self.longest_cpu, cpu - self._last_cpu)
        self._last, self._last_cpu = now, cpu

    def start(self) -> None:
        self.longest, self.longest_cpu = 0.0, 0.0
        self._last, self._last_cpu = time.perf_counter(), time.thread_time()
        self._timer.start()

    def stop(self) -> float:
        self._timer.stop()
        return max(self.longest, 0.0)


def wait_until(app: object, done: Callable[[], bool], timeout: float) -> bool:
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    end = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > end:
            return False
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        time.sleep(0.002)
    return True


def photos(folder: Path, count: int) -> Path:
    from tests import imagefactory as fx

    folder.mkdir(parents=True, exist_ok=True)
    data = fx.insert_after_soi(fx.jpeg_pixels(fx.picture((4032, 3024))), fx.segment(0xE1, fx.exif_bytes()))
    for i in range(count):
        (folder / f"PXL_20240501_{i:06d}.jpg").write_bytes(data)
    return folder


def bench_pictures(folder: Path, count: int) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    from app.application import create_app, main_window

    app = create_app()
    window = main_window()
    window.show()
    page = window.images
    meter = StallMeter()
    QApplication.processEvents()
    meter.start()
    start = time.perf_counter()
    page.add_paths([str(folder)])
    listed_ok = wait_until(app, lambda: not page.busy and page.list.count() == count, 300)
    listed = time.perf_counter() - start
    listing_stall = meter.longest
    previews_ok = wait_until(app, lambda: not page.decoding, 600)
    decoded = time.perf_counter() - start
    stall = meter.stop()
    window.close()
    if not (listed_ok and previews_ok):
        raise SystemExit(f"the pictures were not all listed ({page.list.count()} of {count})")
    return {"listed": listed, "decoded": decoded, "stall": stall, "listing_stall": listing_stall,
            "cpu": meter.longest_cpu}  # fmt: skip


def fake_devices(count: int) -> list[object]:
    from checks.model import Severity
    from checks.network.classify import Device

    rng = random.Random(11)
    kinds = ["smart_speaker", "tv", "phone", "camera", "printer", "computer", "other"]
    return [
        Device(
            id=f"dev-{n:04}",
            name=f"Device {n:04}",
            addresses=[f"10.{n // 250}.0.{n % 250}"],
            mac=None,
            vendor=None,
            device_class=rng.choice(kinds),
            label="A device",
            microphone=rng.random() < 0.5,
            camera=rng.random() < 0.3,
            confidence="medium",
            severity=rng.choice(list(Severity)),
            explanation=f"Device {n:04}: what it is",
            advice="",
            evidence=[],
            findings=[],
            keys=[f"k{n}"],
        )
        for n in range(count)
    ]


def bench_devices(count: int) -> dict[str, float]:
    import dataclasses

    from PySide6.QtWidgets import QApplication

    from app import workers
    from app.application import create_app, main_window
    from app.window import AREAS

    app = create_app()
    window = main_window()
    window.show()
    page = window.room
    window.sidebar.setCurrentRow([k for k, _ in AREAS].index("room"))
    page._baseline = []
    devices = fake_devices(count)
    updates = [dataclasses.replace(d, name=f"{d.name} (renamed)") for d in devices[::10]]  # type: ignore[type-var]

    def stream(rep: workers.Reporter) -> int:
        for d in devices:
            rep.result((d, ()))
            time.sleep(0.0005)  # a busy network: about 2,000 answers a second
        for d in updates:
            rep.result((d, ()))
        return len(devices)

    meter = StallMeter()
    QApplication.processEvents()
    job = workers.Job(stream)
    job.signals.result.connect(page._arrive)
    ended: list[object] = []
    job.signals.finished.connect(ended.append)
    meter.start()
    start = time.perf_counter()
    job.start()
    ok = wait_until(app, lambda: bool(ended) and page.list.count() == count, 300)
    wait_until(app, lambda: False, 0.2)  # what is still queued is delivered
    total = time.perf_counter() - start
    stall = meter.stop()
    window.close()
    if not ok:
        raise SystemExit(f"the devices were not all listed ({page.list.count()} of {count})")
    return {"total": total, "stall": stall, "cpu": meter.longest_cpu}


def idle_stall(seconds: float = 3.0) -> float:
    """The longest stall with nothing to do: what the machine's load alone costs."""
    from PySide6.QtWidgets import QApplication

    meter = StallMeter()
    meter.start()
    wait_until(QApplication.instance(), lambda: False, seconds)
    return meter.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pictures", type=int, default=1000)
    parser.add_argument("--devices", type=int, default=1000)
    args = parser.parse_args()
    _screen()
    home = Path(
        tempfile.mkdtemp(prefix="safespace-bench-gui-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None)
    )
    os.environ["SAFESPACE_HOME"] = str(home / "home")
    print(f"GUI responsiveness (working in {home}; {os.cpu_count()} cores)")
    print(f"Generating {args.pictures} phone-sized photos (4032 x 3024)...", flush=True)
    folder = photos(home / "photos", args.pictures)
    p = bench_pictures(folder, args.pictures)
    print(f"  {args.pictures} pictures listed with verdicts in      {p['listed']:8.2f} s")
    print(f"  ...and every preview decoded after           {p['decoded']:8.2f} s")
    print(f"  longest GUI-thread stall while listing       {p['listing_stall'] * 1000:8.0f} ms")
    print(f"  longest GUI-thread stall, previews included  {p['stall'] * 1000:8.0f} ms")
    print(f"    (most CPU the GUI thread used in one gap:  {p['cpu'] * 1000:8.0f} ms)")
    d = bench_devices(args.devices)
    print(f"  {args.devices} devices streamed into the room list in {d['total']:8.2f} s")
    print(f"  longest GUI-thread stall while they arrived  {d['stall'] * 1000:8.0f} ms")
    print(f"    (most CPU the GUI thread used in one gap:  {d['cpu'] * 1000:8.0f} ms)")
    idle = idle_stall()
    load = os.getloadavg()[0]
    print(f"  for comparison, the longest stall when idle  {idle * 1000:8.0f} ms (load average {load:.1f})")
    results = [
        (p["stall"] < STALL_TARGET, f"adding {args.pictures} pictures: longest stall under 100 ms"),
        (p["listed"] < LIST_TARGET, f"{args.pictures} pictures listed with verdicts in under 5 s"),
        (d["stall"] < STALL_TARGET, f"{args.devices} devices streaming in: longest stall under 100 ms"),
    ]
    for ok, text in results:
        print(f"  {'PASS' if ok else 'MISS'}  {text}")
    missed = [text for ok, text in results if not ok]
    print(f"\n{len(results) - len(missed)} targets met, {len(missed)} missed.")
    import shutil

    shutil.rmtree(home, ignore_errors=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
