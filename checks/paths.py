"""Where SafeSpace keeps settings and data. SAFESPACE_HOME overrides both (tests never touch a real home)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "safespace"


def _home() -> Path | None:
    value = os.environ.get("SAFESPACE_HOME")
    return Path(value) if value else None


def config_dir() -> Path:
    home = _home()
    return home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME))


def data_dir() -> Path:
    home = _home()
    return home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME))
