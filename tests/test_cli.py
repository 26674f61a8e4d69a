"""The command line as a user runs it: exit codes, JSON shapes, progress, Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checks.cli import main
from checks.images.clean import TMP_PREFIX
from checks.store import Store
from tests import imagefactory as fx


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
    )


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    assert "images" in capsys.readouterr().out


def test_usage_error_exits_2(tmp_path: Path) -> None:
    assert run("images", "clean", str(tmp_path)).returncode == 2  # --out missing
    assert run("images", "clean", str(tmp_path), "--out", str(tmp_path), "--jobs", "0").returncode == 2


def test_report_json_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.jpg").write_bytes(fx.dirty_jpeg())
    (tmp_path / "b.jpg").write_bytes(b"not a picture")
    assert main(["images", "report", "--json", "--jobs", "1", str(tmp_path)]) == 1  # one could not be read
    data = json.loads(capsys.readouterr().out)
    a, b = data["images"]
    assert set(a) == {"path", "format", "error", "note", "gps", "findings"}
    assert a["format"] == "jpeg" and a["error"] is None
    assert a["gps"] == {
        "latitude": pytest.approx(fx.LAT, abs=1e-3),
        "longitude": pytest.approx(fx.LON, abs=1e-3),
        "altitude": pytest.approx(35.5),
    }
    assert set(a["findings"][0]) == {"id", "category", "severity", "title", "detail", "data"}
    assert b["error"] and b["findings"] == [] and b["format"] is None


def test_report_text_is_plain_and_safe(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hostile = tmp_path / "evil\x1b[31mname.jpg"
    hostile.write_bytes(fx.dirty_jpeg())
    assert main(["images", "report", str(hostile)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "Could identify a client" in out and "Shows where it was taken" in out


def test_clean_json_and_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.png").write_bytes(fx.dirty_png())
    assert main(["images", "clean", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--json"]) == 0
    [r] = json.loads(capsys.readouterr().out)["results"]
    assert set(r) >= {"source", "output", "status", "lossless", "removed", "error"}
    assert r["status"] == "cleaned" and r["lossless"] is True and "image.gps" in r["removed"]
    (tmp_path / "in" / "b.jpg").write_bytes(b"junk")
    assert main(["images", "clean", str(tmp_path / "in"), "--out", str(tmp_path / "out2"), "--rename"]) == 1
    out = capsys.readouterr().out
    assert "1 safe copy made and verified, 1 failed." in out
    with Store() as store:  # counted for reviews, without file names
        totals = store.image_totals()
    assert (totals["batches"], totals["cleaned"], totals["failed"]) == (2, 2, 1)


def test_ctrl_c_leaves_no_partial_files(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    big = fx.insert_after_soi(fx.jpeg_pixels(fx.picture((1600, 1200))), fx.segment(0xE1, fx.exif_bytes()))
    for i in range(400):
        (src / f"p{i:03d}.jpg").write_bytes(big)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "images", "clean", str(src), "--out", str(out), "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (out.is_dir() and len(list(out.glob("p*.jpg"))) >= 5):
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGINT)  # like Ctrl-C in a terminal: the whole process group
    _, err = proc.communicate(timeout=60)
    finished = sorted(out.iterdir())
    assert not [p for p in finished if p.name.startswith(TMP_PREFIX)], "no temporary files are left"
    for p in finished:
        assert p.read_bytes().endswith(b"\xff\xd9"), f"{p.name} is incomplete"
    print(f"interrupted after {len(finished)} of 400, exit {proc.returncode}")
    if len(finished) < 400:  # the interrupt arrived while work was left
        assert proc.returncode == 130
        assert "No partial files were left" in err


def test_no_display_says_so_instead_of_crashing() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(Path(__file__).parent.parent)
    out = subprocess.run(
        [sys.executable, "-m", "app"], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert out.returncode == 1
    assert "needs a desktop" in out.stderr and "safespace --help" in out.stderr
