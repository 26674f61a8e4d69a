"""The user's settings, as JSON under the config folder (SAFESPACE_HOME overrides it).

A settings file that cannot be read is never silently replaced: it is kept under a new name, SafeSpace
starts with its usual settings, and the caller is given a message to show. Saving is atomic: a crash while
saving leaves either the old file or the new one, never a half-written one.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checks.files import atomic_write
from checks.paths import config_dir

FILE_NAME = "settings.json"


@dataclass
class Settings:
    last_add_folder: str = ""  # where pictures were last added from
    last_output_folder: str = ""  # where safe copies were last written
    keep_icc: bool = True  # keep colour profiles in safe copies
    neutral_names: bool = True  # name safe copies image-001.jpg, ... (file names can identify clients)
    welcomed: bool = False  # the first-run welcome has been read
    practitioner_name: str = ""  # who finishes room checks, for the record
    last_room: str = ""  # the room last checked
    scan_interface: str = ""  # the network connection to scan; empty: the main one
    scan_seconds: int = 5  # how long a room scan listens
    last_report_folder: str = ""  # where a report was last saved


def settings_path() -> Path:
    return config_dir() / FILE_NAME


def load(path: Path | None = None) -> tuple[Settings, str | None]:
    """The saved settings, and a message for the user when the file could not be read (else None)."""
    path = path or settings_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings(), None
    except OSError as exc:
        return (
            Settings(),
            f"Your settings could not be read ({exc.strerror or exc}); SafeSpace is using its usual ones.",
        )
    try:
        return _from_json(json.loads(raw.decode("utf-8"))), None
    except (ValueError, TypeError, RecursionError) as exc:  # not UTF-8, not JSON, absurdly nested, wrong
        if isinstance(exc, UnicodeDecodeError):
            exc = ValueError("it is not text")
        elif isinstance(exc, RecursionError):
            exc = ValueError("it is nested too deeply")
        kept = _keep_aside(path)
        where = f" The old file was kept as {kept.name}." if kept else ""
        return Settings(), (
            f"Your settings file could not be read ({exc}), so SafeSpace started with its usual settings."
            + where
        )


def _from_json(data: Any) -> Settings:
    if not isinstance(data, dict):
        raise TypeError("it does not hold a set of settings")
    values = {}
    for f in dataclasses.fields(Settings):
        if f.name not in data:
            continue
        value, expected = data[f.name], type(getattr(Settings(), f.name))
        if type(value) is not expected:
            raise TypeError(f"'{f.name}' should be {expected.__name__}")
        values[f.name] = value
    return Settings(**values)


def _keep_aside(path: Path) -> Path | None:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for n in range(100):
        target = path.with_name(f"{path.name}.unreadable-{stamp}" + (f"-{n}" if n else ""))
        try:
            os.link(path, target)  # never replaces an earlier kept copy
            path.unlink()
            return target
        except FileExistsError:
            continue
        except OSError:
            return None
    return None


def save(settings: Settings, path: Path | None = None) -> None:
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(dataclasses.asdict(settings), indent=2, sort_keys=True) + "\n"
    atomic_write(path, text.encode("utf-8"), prefix=".settings-")
