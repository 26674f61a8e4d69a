"""The files a batch works on: those named, and the pictures in the folders named, with a word for every
file that was passed over and why (so a folder's videos are never skipped in silence).

Folders are walked recursively in name order, without following links to folders (a link loop cannot trap
the walk) and without entering the output folder. A sub-folder that cannot be read is said, not skipped.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from checks.images.formats import BY_NAME, PICTURE_EXTENSIONS, sniff

# Why a file was passed over, for each kind of file: said once per kind in a summary.
REASONS = {
    "video": "videos in a format SafeSpace cannot clean yet, only MP4 and MOV; they keep their location",
    "picture": "pictures in a format SafeSpace cannot clean; save them as JPEG or PNG first",
    "document": "documents, which SafeSpace does not clean",
    "other": "files that are not pictures",
    "folder": "folders that could not be opened",
    "link": "links that lead nowhere or in a loop",
}
_NOUNS = {
    "video": ("video", "videos"),
    "picture": ("picture", "pictures"),
    "document": ("document", "documents"),
    "other": ("other file", "other files"),
    "folder": ("folder", "folders"),
    "link": ("link", "links"),
}


@dataclass
class Skipped:
    path: str
    kind: str  # a key of REASONS
    reason: str  # for this file, in plain words

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Inputs:
    files: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def summary(self) -> list[str]:
        """Lines such as "12 videos were not cleaned: ...", one per kind, most first."""
        counts = Counter(s.kind for s in self.skipped)
        out = []
        for kind, n in counts.most_common():
            one, many = _NOUNS[kind]
            out.append(f"{n} {one if n == 1 else many} passed over ({REASONS[kind]}).")
        return out


def gather(paths: Iterable[str | Path], skip: Path | None = None) -> Inputs:
    found = Inputs()
    skip_real = _real(skip) if skip else None
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            _walk(path, skip_real, found)
        else:
            found.files.append(path)  # named on purpose: its report says what it is
    return found


def _real(path: Path) -> str:
    try:
        return os.path.realpath(path)
    except (OSError, RuntimeError):  # a link loop
        return str(path)


def _walk(top: Path, skip: str | None, found: Inputs) -> None:
    def trouble(error: OSError) -> None:
        found.skipped.append(
            Skipped(
                str(error.filename or top), "folder", "This folder could not be opened (permission denied)."
            )
        )

    for root, dirs, files in os.walk(top, onerror=trouble):
        dirs.sort()
        if skip is not None:
            dirs[:] = [d for d in dirs if _real(Path(root) / d) != skip]
        for name in sorted(files):
            _consider(Path(root) / name, found)
        for name in dirs:
            if (Path(root) / name).is_symlink():
                found.skipped.append(
                    Skipped(str(Path(root) / name), "link", "A link to a folder is not followed.")
                )


def _consider(candidate: Path, found: Inputs) -> None:
    try:
        if candidate.is_symlink() and not candidate.exists():
            found.skipped.append(Skipped(str(candidate), "link", "This link leads nowhere (or in a loop)."))
            return
        if not candidate.is_file():  # pipes, sockets and devices are not pictures
            return
        with open(candidate, "rb") as f:
            head = f.read(64)
    except (OSError, RuntimeError):
        found.skipped.append(Skipped(str(candidate), "other", "This file could not be opened."))
        return
    fmt = sniff(head)
    record = BY_NAME.get(fmt)
    if (record is not None and record.readable) or fmt == "raw":
        found.files.append(candidate)  # RAW: reported (it gives away a lot), refused when cleaning
    elif record is not None and record.kind != "picture":
        found.skipped.append(Skipped(str(candidate), record.kind, record.refusal))
    elif record is not None:
        found.skipped.append(Skipped(str(candidate), "picture", record.refusal))
    elif candidate.suffix.lower() in PICTURE_EXTENSIONS:
        found.files.append(candidate)  # named like a picture: a damaged photo is reported, not passed over
    else:
        found.skipped.append(Skipped(str(candidate), "other", "This is not a picture."))
