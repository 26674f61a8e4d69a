"""`safespace images report`: what each picture gives away, as findings in the one result model."""

from __future__ import annotations

import logging
import stat
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checks.errors import DamagedImage, NotAnImage, SafeSpaceError, TooLarge, UnsupportedImage
from checks.images import findings as words
from checks.images.common import CUT_SHORT
from checks.images.facts import Facts
from checks.images.formats import BY_NAME, READABLE, refusal, sniff
from checks.images.sniff import RAW_EXTENSIONS
from checks.model import Finding

log = logging.getLogger(__name__)
MAX_FILE_BYTES = 2 << 30  # 2 GiB: larger files are refused, never read whole into memory


@dataclass
class ImageReport:
    path: str
    format: str | None
    error: str | None = None
    findings: list[Finding] = field(default_factory=list)
    gps: dict[str, Any] | None = None
    note: str | None = None  # about the file itself, e.g. that it is cut short

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "format": self.format,
            "error": self.error,
            "note": self.note,
            "gps": self.gps,
            "findings": [f.to_dict() for f in self.findings],
        }


def read_bytes(path: Path) -> bytes:
    """The whole file, with clear errors for what a person can fix."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a pipe or device would block or never end
            raise SafeSpaceError("This is not an ordinary file, so it was not opened.")
        size = info.st_size
        if size > MAX_FILE_BYTES:
            raise TooLarge(f"The file is {size / 2**30:.1f} GB, too large to check safely.")
        with open(path, "rb") as f:
            return f.read()
    except PermissionError as exc:
        raise SafeSpaceError("SafeSpace is not allowed to read this file (permission denied).") from exc
    except FileNotFoundError as exc:
        raise SafeSpaceError("There is no file with this name (it may have been moved or deleted).") from exc
    except IsADirectoryError as exc:
        raise SafeSpaceError("This is a folder, not a file.") from exc
    except OSError as exc:
        raise SafeSpaceError(f"The file cannot be read: {exc.strerror or exc}.") from exc


def analyse(data: bytes, facts: Facts) -> tuple[str, Any]:
    """Sniff and parse a picture, recording facts. Raises SafeSpaceError; facts keep what was read."""
    fmt = sniff(data[:64])
    parser = READABLE[fmt].parse if fmt in READABLE else None
    if parser is None:
        if not data:
            raise NotAnImage("The file is empty.")
        known = fmt in BY_NAME and BY_NAME[fmt].kind in ("picture", "video")
        raise (UnsupportedImage if known else NotAnImage)(refusal(fmt))
    try:
        return fmt, parser(data, facts)
    except (struct.error, IndexError, ValueError, OverflowError) as exc:
        # The readers check every length and offset; anything that still slips through is a damaged file.
        raise DamagedImage("The picture's structure is damaged, so it cannot be read safely.") from exc


def report_bytes(data: bytes, path: str = "") -> ImageReport:
    facts = Facts()
    result = ImageReport(path, sniff(data[:64]))
    try:
        _, parsed = analyse(data, facts)
        if getattr(parsed, "raw", False) or Path(path).suffix.lower() in RAW_EXTENSIONS:
            result.format = "raw"
        if getattr(parsed, "truncated", False):
            result.note = CUT_SHORT + " What is there was read, and a safe copy keeps it as it is."
    except SafeSpaceError as exc:
        result.error = str(exc)
    except Exception as exc:  # a bug must cost one file, never the batch
        log.exception("unexpected error reading %s", path)
        result.error = f"SafeSpace could not read this file ({type(exc).__name__})."
    if result.format == "unknown":
        result.format = None
    result.findings = words.build(facts)
    if facts.gps is not None:
        result.gps = {
            "latitude": facts.gps.latitude,
            "longitude": facts.gps.longitude,
            "altitude": facts.gps.altitude,
        }
    return result


def _streamed(path: Path) -> bool:
    """Whether the file is in a format read from disk as it goes (a video), not whole into memory."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # opening a pipe would wait for ever
            return False
        with open(path, "rb") as f:
            fmt = BY_NAME.get(sniff(f.read(64)))
    except OSError:
        return False  # read_bytes says why, in words
    return fmt is not None and fmt.streamed


def limited(path: str | Path, why: str) -> ImageReport:
    """The report for a file that went past its worker's time or memory limit (it is not tried again)."""
    from checks import pool

    return ImageReport(str(path), None, pool.limit_message("memory" if why == "memory" else "time"))


def crashed(path: str | Path) -> ImageReport:
    """The report for a file whose reading killed the worker process (a decoder crash)."""
    return ImageReport(
        str(path), None, "Reading this file made SafeSpace's picture reader crash; it may be damaged."
    )


def report_file(path: str | Path) -> ImageReport:
    path = Path(path)
    try:
        if _streamed(path):
            from checks.video import media

            return media.report(str(path))
        data = read_bytes(path)
    except SafeSpaceError as exc:
        return ImageReport(str(path), None, str(exc))
    return report_bytes(data, str(path))


def expand(paths: Iterable[str | Path], skip: Path | None = None) -> Iterator[Path]:
    """Files named, and pictures in the folders named (see inputs.gather, which also says what was
    passed over)."""
    from checks.images.inputs import gather

    yield from gather(paths, skip).files
