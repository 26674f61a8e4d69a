from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if os.environ["QT_QPA_PLATFORM"] == "offscreen":
    # A laptop's screen (the offscreen platform's own is 800 x 800): the window must fit in 1280 x 720.
    _screen = Path(tempfile.gettempdir()) / f"safespace-test-screen-{os.getpid()}.json"
    _screen.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1280,
                                                "height": 720, "logicalDpi": 96, "dpr": 1}]}))  # fmt: skip
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_screen}"

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
