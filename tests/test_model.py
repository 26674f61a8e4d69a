from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import checks
from checks.model import SEVERITY_LABELS, Finding, Severity, sort_findings, worst


def test_checks_never_loads_qt() -> None:
    """Every checks module imported in a fresh interpreter: PySide6 must not be loaded."""
    modules = [m.name for m in pkgutil.walk_packages(checks.__path__, "checks.")]
    # Every module on disk is among them: a folder without __init__.py would be skipped silently.
    root = Path(checks.__file__).parent
    on_disk = {
        ".".join(("checks", *p.relative_to(root).with_suffix("").parts)).removesuffix(".__init__")
        for p in root.rglob("*.py")
    } - {"checks"}
    assert set(modules) == on_disk
    assert len(modules) > 60
    code = (
        "import importlib, sys, json\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "qt = ('PySide6', 'PyQt5', 'PyQt6')\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in qt)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_finding_round_trips_through_json() -> None:
    f = Finding(
        "image.gps", "location", Severity.HIGH, "Shows where it was taken", "detail", {"latitude": 1.5}
    )
    assert Finding.from_dict(json.loads(json.dumps(f.to_dict()))) == f
    assert f.to_dict()["severity"] == "high"


def test_severity_words_match_the_ux_guide() -> None:
    assert SEVERITY_LABELS == {
        Severity.HIGH: "Could identify a client",
        Severity.MEDIUM: "Worth checking",
        Severity.LOW: "Low risk",
        Severity.INFO: "For information",
        Severity.OK: "Nothing found",
    }


def test_worst_and_sorting() -> None:
    low = Finding("a", "c", Severity.LOW, "t", "d")
    high = Finding("b", "c", Severity.HIGH, "t", "d")
    assert worst([]) is Severity.OK
    assert worst([low, high]) is Severity.HIGH
    assert sort_findings([low, high]) == [high, low]


def test_safespace_home_keeps_settings_and_data_out_of_the_real_home(tmp_path, monkeypatch) -> None:
    from checks import paths

    monkeypatch.setenv("SAFESPACE_HOME", str(tmp_path))
    assert paths.config_dir() == tmp_path / "config"
    assert paths.data_dir() == tmp_path / "data"
    monkeypatch.delenv("SAFESPACE_HOME")
    assert "safespace" in str(paths.config_dir()).lower()
