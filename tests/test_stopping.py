"""Stopping `safespace images clean` from outside, the ways a person or the system does: Ctrl-C at the
terminal (SIGINT to the whole process group), three quick Ctrl-Cs, SIGTERM, a closed terminal (SIGHUP) and
SIGKILL. Whatever the way: no process of the group outlives it or holds the terminal's pipes open, nothing
is printed as a traceback, no temporary file is left, every copy in the folder is a whole picture, and the
number of copies the command says it finished is the number in the folder."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from tests import imagefactory as fx
from tests.processes import alive_in_group, wait_until

ROOT = Path(__file__).resolve().parents[1]
COUNT = 120


@pytest.fixture(scope="module")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Photo-sized JPEGs (noise does not compress), each with its own EXIF, GPS included."""
    folder = tmp_path_factory.mktemp("pictures")
    out = io.BytesIO()
    Image.effect_noise((1200, 900), 40).convert("RGB").save(out, "JPEG", quality=90)
    for i in range(COUNT):
        exif = fx.segment(0xE1, fx.exif_bytes(orientation=1 + i % 2))
        (folder / f"IMG_{i:04d}.jpg").write_bytes(fx.insert_after_soi(out.getvalue(), exif))
    return folder


def copies(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if not p.name.startswith(".")) if out.exists() else []


def temporaries(out: Path) -> list[Path]:
    return list(out.glob(".safespace-*.tmp")) if out.exists() else []


def start(pictures: Path, out: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app",
            "images",
            "clean",
            "--jobs",
            "2",
            "--out",
            str(out),
            *extra,
            str(pictures),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal gives a command
    )


def send(proc: subprocess.Popen[bytes], how: str) -> None:
    if how == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal does: the whole foreground group
    elif how == "ctrl-c x3":
        for _ in range(3):
            os.killpg(proc.pid, signal.SIGINT)
            time.sleep(0.02)
    elif how == "sigterm":
        proc.send_signal(signal.SIGTERM)
    elif how == "sigterm group":
        os.killpg(proc.pid, signal.SIGTERM)
    elif how == "hangup":
        os.killpg(proc.pid, signal.SIGHUP)  # the terminal window was closed
    else:
        proc.kill()


def stop_midway(pictures: Path, out: Path, how: str, *extra: str) -> tuple[int, str, str]:
    proc = start(pictures, out, *extra)
    try:
        assert wait_until(lambda: len(copies(out)) >= 3, 120), "the batch did not start"
        send(proc, how)
        # communicate() returns only at end-of-file on both pipes: once no process of the group holds them
        stdout, stderr = proc.communicate(timeout=60)
        assert wait_until(lambda: not alive_in_group(proc.pid), 2), alive_in_group(proc.pid)
    finally:
        for pid in alive_in_group(proc.pid):
            os.kill(pid, signal.SIGKILL)
        if proc.returncode is None:
            proc.kill()
            proc.wait()
    return proc.returncode, stdout.decode(errors="replace"), stderr.decode(errors="replace")


def assert_whole(out: Path) -> None:
    assert not temporaries(out)
    for copy in copies(out):
        with Image.open(copy) as im:
            im.load()  # an independent reader: a copy cut short would fail here
        assert fx.NAME.encode() not in copy.read_bytes()


@pytest.mark.parametrize(
    ("how", "code"), [("ctrl-c", 130), ("ctrl-c x3", 130), ("sigterm", 143), ("sigterm group", 143)]
)
def test_a_stop_counts_exactly_the_copies_in_the_folder(
    pictures: Path, tmp_path: Path, how: str, code: int
) -> None:
    out = tmp_path / "out"
    returncode, _stdout, stderr = stop_midway(pictures, out, how)
    assert "Traceback" not in stderr, stderr
    assert returncode == code, stderr
    said = re.search(r"Stopped\. (\d+) safe cop", stderr)
    assert said, stderr
    assert int(said.group(1)) == len(copies(out))
    assert len(copies(out)) < COUNT  # it really stopped midway, so the test tested a stop
    assert_whole(out)


def test_a_stop_with_json_lists_exactly_the_copies_in_the_folder(pictures: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    returncode, stdout, stderr = stop_midway(pictures, out, "ctrl-c", "--json")
    assert returncode == 130 and "Traceback" not in stderr, stderr
    listed = json.loads(stdout)
    assert listed["stopped"] is True
    made = sorted(Path(r["output"]) for r in listed["results"] if r["status"] == "cleaned")
    assert made == copies(out)
    assert_whole(out)


@pytest.mark.parametrize("how", ["sigkill", "hangup"])
def test_killed_the_workers_die_too_and_leave_no_partial_file(
    pictures: Path, tmp_path: Path, how: str
) -> None:
    out = tmp_path / "out"
    returncode, _stdout, stderr = stop_midway(pictures, out, how)
    assert returncode == -(signal.SIGKILL if how == "sigkill" else signal.SIGHUP)
    assert "Traceback" not in stderr, stderr
    assert len(copies(out)) < COUNT
    assert_whole(out)


def test_a_copy_published_by_a_worker_killed_before_it_reported_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker killed between linking its copy into place and reporting it leaves the temporary name
    behind, linked to the copy nobody counted: the batch's clean-up finds the copy by inode and removes it
    (here the leftover is planted, under the batch's own temporary prefix)."""
    from checks.images import clean

    monkeypatch.setattr(clean.secrets, "token_hex", lambda _n: "feedfacecafe")
    out = tmp_path / "out"
    out.mkdir()
    uncounted = out / "uncounted.jpg"
    uncounted.write_bytes(b"a copy nobody reported")
    os.link(uncounted, out / ".safespace-feedfacecafe-7.tmp")
    kept = out / "someone-elses.jpg"
    kept.write_bytes(b"already here")
    source = tmp_path / "in" / "photo.jpg"
    source.parent.mkdir()
    source.write_bytes(fx.dirty_jpeg())
    [result] = clean.clean_paths([source], out)
    assert result.status == "cleaned"
    assert sorted(p.name for p in out.iterdir()) == ["photo.jpg", "someone-elses.jpg"]


def test_ctrl_c_while_the_fork_server_starts(pictures: Path, tmp_path: Path) -> None:
    """Ctrl-C at the terminal just as the fork server has started, while it imports the picture code (it
    ignores Ctrl-C only once that is done): it must not die half-started and leave a traceback behind."""
    out = tmp_path / "out"
    proc = start(pictures, out)

    def server_started() -> bool:
        for pid in alive_in_group(proc.pid):
            with contextlib.suppress(OSError):
                if b"forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    return True
        return False

    try:
        assert wait_until(server_started, 120, 0.005), "no fork server was started"
        for _ in range(3):
            os.killpg(proc.pid, signal.SIGINT)
            time.sleep(0.02)
        _stdout, stderr = proc.communicate(timeout=60)
        assert wait_until(lambda: not alive_in_group(proc.pid), 2), alive_in_group(proc.pid)
    finally:
        for pid in alive_in_group(proc.pid):
            os.kill(pid, signal.SIGKILL)
    text = stderr.decode(errors="replace")
    assert "Traceback" not in text, text
    assert proc.returncode == 130, text
    said = re.search(r"Stopped\. (\d+) safe cop", text)
    assert said and int(said.group(1)) == len(copies(out)), text
    assert_whole(out)
