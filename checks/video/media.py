"""Videos in the pictures' pipeline: the report and the clean copy of one file, in a worker process."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from checks.errors import SafeSpaceError
from checks.video import clean as cleaning
from checks.video.findings import build
from checks.video.movie import open_movie

if TYPE_CHECKING:
    from checks.images.clean import CleanResult, CleanTask
    from checks.images.report import ImageReport

NOTE = (
    "Hidden details removed; the picture and sound were copied byte for byte (nothing re-encoded). What the "
    "video shows and what can be heard in it stay as they are."
)


def report(path: str) -> ImageReport:
    from checks.images.report import ImageReport

    result = ImageReport(path, "video")
    try:
        movie = open_movie(path)
    except SafeSpaceError as exc:
        result.error = str(exc)
        return result
    result.findings = build(movie)
    gps = movie.facts.gps
    if gps is not None:
        result.gps = {"latitude": gps.latitude, "longitude": gps.longitude, "altitude": gps.altitude}
    return result


def clean(task: CleanTask, result: CleanResult, tmp: Path) -> Path:
    """Write the clean copy to `tmp` and verify it; the caller publishes it. Raises SafeSpaceError."""
    movie = open_movie(task.source)
    result.removed = sorted({f.id for f in build(movie)})
    changes = cleaning.patches(movie)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        cleaning.write_copy(task.source, fd, changes, movie.size)
    finally:
        os.close(fd)
    cleaning.verify(movie, str(tmp), changes)
    result.lossless, result.note = True, NOTE
    return tmp
