from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch a real home: settings and data go to a temporary SAFESPACE_HOME."""
    monkeypatch.setenv("SAFESPACE_HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.setenv("SAFESPACE_NO_RADIO", "1")  # and never listen on a Bluetooth radio (subprocesses too)


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared sample corpus is not present at {CORPUS}")
    return CORPUS


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def exiftool_tags(path: Path) -> dict[str, object]:
    """Every tag exiftool reads from a file (an independent second reader), or skip when it is missing."""
    if shutil.which("exiftool") is None:
        pytest.skip("exiftool is not installed (make test installs it where it can: libimage-exiftool-perl)")
    out = subprocess.run(
        ["exiftool", "-j", "-a", "-G1", "-b", "--System:all", "--File:all", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return json.loads(out.stdout)[0]
