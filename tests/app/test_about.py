"""Help > About SafeSpace shows the one version number (checks/__init__.py), as the CLI and reports do."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.dialogs.about import AboutDialog
from checks import __version__

ROOT = Path(__file__).parent.parent.parent


def test_the_window_has_help_about(window) -> None:
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    assert "&Help" in menus
    assert [a.text() for a in menus["&Help"].actions()] == ["&About SafeSpace"]


def test_about_shows_the_version_as_plain_text(qtbot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    labels = dialog.findChildren(QLabel)
    texts = [label.text() for label in labels]
    assert f"SafeSpace {__version__}" in texts
    assert any(f"Version {__version__}" in t for t in texts)
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in labels if label.text())


def test_one_version_number_everywhere() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert "version" not in project["project"] and project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "checks.__version__"}
    out = subprocess.run(
        [sys.executable, "-m", "app", "--version"], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == f"safespace {__version__}"
