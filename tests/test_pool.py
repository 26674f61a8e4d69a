"""The worker pool: order, streaming, a worker that dies, limits on one file, stopping, and workers that die
with their parent. Every test asserts what happened in the workers (files they left, limits they read,
memory they held), never how long something took."""

from __future__ import annotations

import os
import re
import resource
import signal
import struct
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

import pytest

from checks import pool
from checks.images.clean import CleanTask, clean_one
from tests.processes import alive_in_group, wait_until

ROOT = Path(__file__).resolve().parents[1]
GIB = 1 << 30


def double_or_die(x: int) -> int:
    if x == 3:
        os._exit(1)  # like a decoder crashing on a hostile file: the worker process dies
    return x * 2


def worker_limits(_item: object) -> tuple[int, int, int]:
    return (
        resource.getrlimit(resource.RLIMIT_AS)[0],
        resource.getrlimit(resource.RLIMIT_CORE)[0],
        resource.getrlimit(resource.RLIMIT_CPU)[0],
    )


def _attempt(folder: str, name: str) -> None:
    """Leaves a trace of each attempt at an item, so a test can count them (a retry adds one)."""
    (Path(folder) / f"{name}.{os.getpid()}.{time.monotonic_ns()}").touch()


def attempts(folder: Path, name: str) -> int:
    return len(list(folder.glob(f"{name}.*")))


def hog(job: tuple[str, str]) -> str:
    """A decompression bomb's behaviour: memory that grows, touched, until there is no more."""
    folder, name = job
    _attempt(folder, name)
    if name == "bomb":
        held = []
        while True:
            held.append(bytearray(b"\x01") * (64 << 20))
    return name


def sleepy(job: tuple[str, str]) -> str:
    """A file that never finishes (a decoder waiting forever)."""
    folder, name = job
    _attempt(folder, name)
    if name == "hang":
        time.sleep(3600)
    return name


def spin(job: tuple[str, str]) -> str:
    """A file that keeps a decoder busy forever (CPU, not waiting)."""
    folder, name = job
    _attempt(folder, name)
    while name == "spin":
        pass
    return name


def slow(job: tuple[str, int]) -> int:
    folder, index = job
    _attempt(folder, str(index))
    time.sleep(0.05)
    return index


def test_results_in_input_order_streamed_as_they_come() -> None:
    seen: list[tuple[int, int]] = []
    results = pool.run(
        abs, [-1, -2, -3, -4], jobs=2, on_result=lambda i, r: seen.append((i, r)), isolate=True
    )
    assert results == [1, 2, 3, 4]
    assert sorted(seen) == [(0, 1), (1, 2), (2, 3), (3, 4)]


def test_a_crashing_item_costs_only_itself() -> None:
    stats = pool.Stats()
    results = pool.run(
        double_or_die, [1, 2, 3, 4, 5, 6], jobs=2, isolate=True, crashed=lambda x: -x, stats=stats
    )
    assert results == [2, 4, -3, 8, 10, 12]
    assert stats.crashed == 1


def test_cancel_stops_submitting() -> None:
    cancel = threading.Event()
    cancel.set()
    assert pool.run(abs, list(range(50)), jobs=2, cancel=cancel, isolate=True) == [None] * 50


def test_the_limits_are_set_inside_the_worker() -> None:
    limits = pool.Limits(memory=GIB, cpu_seconds=30)
    [(address_space, core, cpu)] = pool.run(worker_limits, [0], isolate=True, limits=limits)
    assert address_space == GIB
    assert core == 0  # a crashed worker holds a client's picture: no core dump of it
    assert cpu != resource.RLIM_INFINITY and cpu >= 30
    assert pool.LIMITS.memory == 2 * GIB  # the default leaves room for a 48-megapixel picture


def test_a_memory_bomb_is_stopped_reported_and_not_retried(tmp_path: Path) -> None:
    stats = pool.Stats()
    why: list[str] = []
    names = ["a", "bomb", "b", "c", "d", "e"]
    results = pool.run(
        hog,
        [(str(tmp_path), name) for name in names],
        jobs=1,
        isolate=True,
        limits=pool.Limits(memory=GIB),
        limited=lambda job, reason: why.append(reason) or f"limited {job[1]}",
        crashed=lambda job: f"crashed {job[1]}",
        stats=stats,
    )
    assert results == ["a", "limited bomb", "b", "c", "d", "e"]  # the batch goes on, in a fresh worker
    assert why == ["memory"]
    assert stats.workers == 2
    assert attempts(tmp_path, "bomb") == 1
    assert 256 << 20 < stats.peak_memory < GIB  # it really grew, and was stopped before 1 GB


def tiff_bomb(pages: int = 12, width: int = 12_000, height: int = 12_000, rows: int = 100) -> bytes:
    """A 6 KB TIFF of `pages` RGB pages of width x height (5 GB of pixels, as in issue 11): every strip of
    every page points at the same few bytes of deflated zeros. Each page alone is under Pillow's size
    guard, which looks at one page at a time."""
    strip = zlib.compress(bytes(width * 3 * rows), 9)
    strips = -(-height // rows)
    offsets, counts = 16, 16 + 4 * strips
    data = counts + 4 * strips
    first = data + len(strip) + (data + len(strip)) % 2
    out = bytearray(b"II*\x00" + struct.pack("<I", first) + struct.pack("<4H", 8, 8, 8, 0))
    out += struct.pack(f"<{strips}I", *[data] * strips) + struct.pack(f"<{strips}I", *[len(strip)] * strips)
    out += strip + bytes(first - data - len(strip))
    tags = [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 3, 8), (259, 3, 1, 8), (262, 3, 1, 2)]
    tags += [(273, 4, strips, offsets), (277, 3, 1, 3), (278, 4, 1, rows), (279, 4, strips, counts)]
    tags += [(284, 3, 1, 1)]
    size = 2 + 12 * len(tags) + 4
    for page in range(pages):
        out += struct.pack("<H", len(tags))
        for tag, kind, count, value in tags:
            if kind == 3 and count == 1:  # a single SHORT sits in the entry, padded
                out += struct.pack("<HHIHH", tag, kind, count, value, 0)
            else:
                out += struct.pack("<HHII", tag, kind, count, value)
        out += struct.pack("<I", first + (page + 1) * size if page < pages - 1 else 0)
    return bytes(out)


def test_a_decompression_bomb_stays_under_its_memory_limit(tmp_path: Path) -> None:
    """The real cleaner on a real bomb: the worker's address-space limit turns it into "too large" while
    the worker holds well under 1 GB; without the limit it took a worker past 12 GB."""
    bomb = tmp_path / "bomb.tif"
    bomb.write_bytes(tiff_bomb())
    out = tmp_path / "out"
    out.mkdir()
    stats = pool.Stats()
    [result] = pool.run(
        clean_one,
        [CleanTask(str(bomb), str(out), "bomb.tif", ".safespace-test-0.tmp")],
        isolate=True,
        limits=pool.Limits(memory=GIB),
        limited=lambda task, why: pool.limit_message(why),
        stats=stats,
    )
    error = result if isinstance(result, str) else result.error
    assert error and re.search(r"too large|more memory|too many", error), result
    assert stats.peak_memory < GIB
    assert list(out.iterdir()) == []


def test_a_file_that_hangs_is_stopped_by_the_clock_and_not_retried(tmp_path: Path) -> None:
    why: list[str] = []
    results = pool.run(
        sleepy,
        [(str(tmp_path), name) for name in ("a", "hang", "b", "c")],
        jobs=2,
        isolate=True,
        limits=pool.Limits(wall_seconds=1),
        limited=lambda job, reason: why.append(reason) or "too long",
    )
    assert results == ["a", "too long", "b", "c"]
    assert why == ["time"]
    assert attempts(tmp_path, "hang") == 1


def test_a_file_that_keeps_the_cpu_busy_is_ended_by_the_kernel(tmp_path: Path) -> None:
    # No wall-clock limit: only RLIMIT_CPU, which holds even inside C code and when the parent is gone.
    results = pool.run(
        spin,
        [(str(tmp_path), "spin"), (str(tmp_path), "a")],
        jobs=2,
        isolate=True,
        limits=pool.Limits(cpu_seconds=1, wall_seconds=None),
        limited=lambda _job, reason: f"limited: {reason}",
    )
    assert results == ["limited: time", "a"]
    assert attempts(tmp_path, "spin") == 1


def test_without_limited_a_file_past_its_limit_gets_crashed(tmp_path: Path) -> None:
    results = pool.run(
        sleepy,
        [(str(tmp_path), "hang")],
        isolate=True,
        limits=pool.Limits(wall_seconds=0.5),
        crashed=lambda _job: "crashed",
    )
    assert results == ["crashed"]


def test_a_stop_delivers_every_file_that_was_started(tmp_path: Path) -> None:
    cancel = threading.Event()
    delivered: list[int] = []

    def arrived(index: int, _result: int) -> None:
        delivered.append(index)
        if len(delivered) == 3:
            cancel.set()

    results = pool.run(
        slow, [(str(tmp_path), i) for i in range(200)], jobs=2, isolate=True, cancel=cancel, on_result=arrived
    )
    started = {int(p.name.split(".")[0]) for p in tmp_path.iterdir()}
    assert started == set(delivered)  # nothing started was lost: a count of results is a count of work
    assert [i for i, r in enumerate(results) if r is not None] == sorted(delivered)
    assert len(started) < 10  # nothing new started after the stop (each worker holds two at most)


def test_ctrl_c_in_the_main_thread_stops_between_files(tmp_path: Path) -> None:
    assert threading.current_thread() is threading.main_thread()
    delivered: list[int] = []

    def arrived(index: int, _result: int) -> None:
        delivered.append(index)
        if len(delivered) == 2:
            for _ in range(3):  # three quick Ctrl-Cs
                os.kill(os.getpid(), signal.SIGINT)

    with pytest.raises(pool.Stopped) as stopped:
        pool.run(slow, [(str(tmp_path), i) for i in range(200)], jobs=2, isolate=True, on_result=arrived)
    assert stopped.value.signum == signal.SIGINT
    started = {int(p.name.split(".")[0]) for p in tmp_path.iterdir()}
    assert started == set(delivered)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back as it was


def test_the_batch_survives_its_fork_server_being_killed(tmp_path: Path) -> None:
    """Killing the fork server makes every worker look dead to multiprocessing, though they are still at
    work: each file must still be handled once and delivered once (no copy made twice, or uncounted)."""
    from multiprocessing import forkserver

    delivered: list[int] = []

    def arrived(index: int, _result: int) -> None:
        delivered.append(index)
        if len(delivered) == 3:
            os.kill(forkserver._forkserver._forkserver_pid, signal.SIGKILL)  # type: ignore[attr-defined]

    results = pool.run(slow, [(str(tmp_path), i) for i in range(30)], jobs=2, isolate=True, on_result=arrived)
    assert results == list(range(30))
    assert sorted(delivered) == list(range(30))
    assert all(attempts(tmp_path, str(i)) == 1 for i in range(30))


DRIVER = """
import sys
from checks import pool
from checks.images.clean import CleanTask, clean_one
from tests.test_pool import sleepy
if __name__ == "__main__":
    pool.run(sleepy, [(sys.argv[1], "hang")] * 4, jobs=2, isolate=True, limits=pool.Limits(wall_seconds=None))
"""


def test_busy_workers_die_with_their_parent(tmp_path: Path) -> None:
    """Workers in the middle of a file that would take an hour, and the fork server, are gone soon after
    their parent is killed (without the lifeline they would wait out the hour, holding the terminal)."""
    script = tmp_path / "driver.py"
    script.write_text(DRIVER)
    marks = tmp_path / "marks"
    marks.mkdir()
    parent = subprocess.Popen(
        [sys.executable, str(script), str(marks)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        assert wait_until(lambda: attempts(marks, "hang") == 2, 60), "the workers did not start"
        assert len(alive_in_group(parent.pid)) >= 4  # the parent, the fork server, two workers (and more)
        parent.kill()
        parent.wait(10)
        assert wait_until(lambda: not alive_in_group(parent.pid), 10), alive_in_group(parent.pid)
        assert parent.stdout is not None and parent.stdout.read() == b""  # nobody holds the pipe open
    finally:
        for pid in alive_in_group(parent.pid):
            os.kill(pid, signal.SIGKILL)
