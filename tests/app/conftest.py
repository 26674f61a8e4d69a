from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QThreadPool

from app.application import create_app, main_window
from app.window import MainWindow
from tests import imagefactory as fx


@pytest.fixture
def window(qtbot) -> Iterator[MainWindow]:
    create_app()
    win = main_window()
    qtbot.addWidget(win)
    win.show()
    yield win
    win.images.stop()
    win.room.stop()
    win.computer.stop()
    win.guides.stop()
    assert QThreadPool.globalInstance().waitForDone(30_000), "a background job was left running"


@pytest.fixture
def pictures(tmp_path: Path) -> Path:
    folder = tmp_path / "pictures"
    folder.mkdir()
    (folder / "painting.jpg").write_bytes(fx.dirty_jpeg())
    (folder / "garden.png").write_bytes(fx.dirty_png())
    (folder / "plain.jpg").write_bytes(fx.jpeg_pixels())
    (folder / "broken.jpg").write_bytes(b"this is not a picture")
    return folder
