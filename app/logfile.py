"""SafeSpace's log: a small rotating file in the data folder, for a practice manager to send when something
goes wrong. It holds what the app did and what failed, never client data: any path in a message (which
could name a client's file or folder) is replaced by "[a path]", except SafeSpace's own program files in
tracebacks."""

from __future__ import annotations

import logging
import logging.handlers
import platform
import re
import sys
from pathlib import Path

from checks import __version__
from checks.paths import data_dir

FILE_NAME = "safespace.log"
MAX_BYTES = 512 * 1024
BACKUPS = 2  # safespace.log, .1, .2: at most about 1.5 MB
_PATH = re.compile(r"(?:[A-Za-z]:[\\/]|/|~[\\/])[^\s'\"<>|:]*")
_PROGRAM = tuple(
    str(p)
    for p in {
        Path(__file__).resolve().parents[1],
        Path(sys.prefix),
        Path(sys.base_prefix),
        Path(logging.__file__).parent,
    }
)
_handler: logging.Handler | None = None


def log_path() -> Path:
    return data_dir() / FILE_NAME


def redact(text: str) -> str:
    """Paths replaced by "[a path]", but for SafeSpace's and Python's own files."""

    def one(match: re.Match[str]) -> str:
        path = match.group(0)
        return path if path.startswith(_PROGRAM) or len(path) < 2 else "[a path]"

    return _PATH.sub(one, text)


class _Redacting(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def start() -> Path | None:
    """Log to the file (once per process and data folder). None when the data folder cannot be written:
    the app runs on."""
    global _handler
    path = log_path()
    if _handler is not None:
        if Path(getattr(_handler, "baseFilename", "")) == path:
            return path
        logging.getLogger().removeHandler(_handler)
        _handler.close()
        _handler = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(_Redacting("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    _handler = handler
    logging.getLogger("safespace").info(
        "SafeSpace %s started (Python %s, %s)",
        __version__,
        platform.python_version(),
        platform.platform(terse=True),
    )
    return path


def read(limit: int = 200_000) -> str:
    """The end of the log (the newest lines), as text."""
    try:
        data = log_path().read_bytes()
    except OSError:
        return ""
    return data[-limit:].decode("utf-8", errors="replace")
