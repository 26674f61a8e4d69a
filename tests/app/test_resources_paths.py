"""app/resources.py finds its files however `resources` is packaged: a real package (pip, the frozen app)
or a namespace package, whose MultiplexedPath takes one path part at a time."""

from __future__ import annotations

from importlib import resources as importlib_resources
from importlib.readers import MultiplexedPath
from pathlib import Path

import pytest

from app import resources


def test_icons_are_found_through_a_namespace_package_path(monkeypatch: pytest.MonkeyPatch) -> None:
    folder = Path(str(importlib_resources.files("resources")))
    multiplexed = MultiplexedPath(folder)
    monkeypatch.setattr(resources.resources, "files", lambda _name: multiplexed)
    path = Path(resources._path("icons", "safespace.svg"))
    assert path == folder / "icons" / "safespace.svg"
    assert path.read_text("utf-8").startswith("<svg")
