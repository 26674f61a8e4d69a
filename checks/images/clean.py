"""`safespace images clean`: clean copies, verified by reading them back, written atomically.

Originals are only ever opened for reading. Each output is written to a hidden temporary name in the output
folder, read back and verified, then linked into place under a name that is free (an existing file is never
overwritten). A copy that fails verification is deleted and the file reported as failed.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from checks import pool
from checks.errors import SafeSpaceError, UnsupportedImage
from checks.images import findings as words
from checks.images.common import CUT_SHORT
from checks.images.facts import Facts
from checks.images.formats import BY_NAME, RAW_REFUSAL, sniff
from checks.images.inputs import Skipped, gather
from checks.images.report import _streamed, analyse, read_bytes
from checks.images.sniff import EXTENSIONS, RAW_EXTENSIONS
from checks.images.verify import verify_lossless, verify_reencoded

log = logging.getLogger(__name__)
TMP_PREFIX = ".safespace-"
CONTAINER_NOTES = {
    "heif": "The same picture, untouched: its own data was copied byte for byte. Hidden details, previews "
    "and extra pictures (depth maps, HDR gain maps, a motion photo's video) were removed.",
}
CONTAINER_NOTES["avif"] = CONTAINER_NOTES["heif"]


@dataclass
class CleanResult:
    source: str
    output: str | None = None
    status: str = "failed"  # "cleaned" | "failed"
    lossless: bool = False
    removed: list[str] = field(default_factory=list)  # finding ids the original had
    error: str | None = None
    note: str | None = None  # how the copy was made, in plain words

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CleanTask:
    source: str
    out_dir: str
    name: str  # the wished-for output name (neutral names: without extension); a free variant if taken
    tmp_name: str
    keep_icc: bool = True
    neutral: bool = False
    convert: bool = False  # HEIC/AVIF to JPEG


@dataclass
class CleanCopy:
    """A clean copy made in memory, before it is written."""

    pieces: list[bytes | memoryview]  # the copy's bytes, in order
    verify: Callable[[bytes], None]  # checks the bytes as written; raises VerificationFailed
    format: str  # the copy's format (a converted HEIC becomes "jpeg")
    lossless: bool
    removed: list[str]  # finding ids the original had
    note: str


def make_clean_copy(data: bytes, keep_icc: bool, convert: bool = False) -> CleanCopy:
    """A clean copy in memory. `convert`: HEIC and AVIF become a JPEG (PNG with transparency), for people
    who share with older computers; otherwise they are cleaned in place, like every container format."""
    facts = Facts()
    fmt, parsed = analyse(data, facts)
    removed = [f.id for f in words.build(facts) if not (keep_icc and f.id in words.KEPT_WHEN_ICC)]
    cut = (
        f" {CUT_SHORT} The copy keeps the picture as far as it goes."
        if getattr(parsed, "truncated", False)
        else ""
    )
    converted = convert and fmt in ("heif", "avif")
    if (
        BY_NAME[fmt].cleaning == "container"
        and not getattr(parsed, "reencode_needed", False)
        and not converted
    ):
        pieces = parsed.clean(keep_icc)
        note = CONTAINER_NOTES.get(fmt, "Hidden details removed; the picture itself was copied unchanged.")
        if getattr(parsed, "animated", False):
            note += " Only the still picture was kept, not the moving sequence beside it."
        return CleanCopy(
            pieces,
            lambda out: verify_lossless(fmt, parsed, out, keep_icc),
            fmt,
            True,
            removed,
            note + cut + _profile_note(facts),
        )
    copy = parsed.reencode(keep_icc)
    cut += _profile_note(facts)

    def verifier(out: bytes) -> None:
        verify_reencoded(copy.format, copy.source_frames, out, keep_icc, exact=copy.lossless)

    return CleanCopy([copy.data], verifier, copy.format, copy.lossless, removed, copy.note + cut)


def _profile_note(facts: Facts) -> str:
    if facts.icc_rebuilt is False:
        return (
            " Its colour profile could not be rebuilt safely, so the copy has none: colours may look a "
            "little different."
        )
    return ""


def clean_one(task: CleanTask) -> CleanResult:
    """Clean one file (runs in a worker process). Never raises; never leaves a partial output."""
    result = CleanResult(task.source)
    tmp = Path(task.out_dir) / task.tmp_name
    try:
        if Path(task.source).suffix.lower() in RAW_EXTENSIONS:
            raise UnsupportedImage(RAW_REFUSAL)
        if _streamed(Path(task.source)):
            from checks.video import media

            media.clean(task, result, tmp)
            result.output = str(_publish(tmp, Path(task.out_dir), _video_name(task)))
            result.status = "cleaned"
            return result
        data = read_bytes(Path(task.source))
        copy = make_clean_copy(data, task.keep_icc, task.convert)
        _write_new(tmp, copy.pieces)
        copy.verify(tmp.read_bytes())
        result.output = str(_publish(tmp, Path(task.out_dir), _final_name(task, copy.format, data)))
        result.status = "cleaned"
        result.lossless, result.removed, result.note = copy.lossless, copy.removed, copy.note
    except SafeSpaceError as exc:
        result.error = str(exc)
    except MemoryError:
        result.error = "The picture needs more memory than is safe to use."
    except Exception as exc:  # a bug must cost one file, never the batch
        log.exception("unexpected error cleaning %s", task.source)
        result.error = f"SafeSpace could not clean this file ({type(exc).__name__})."
    finally:
        tmp.unlink(missing_ok=True)
    return result


def _write_new(path: Path, pieces: Sequence[bytes | memoryview]) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            for piece in pieces:
                f.write(piece)
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise SafeSpaceError(f"The clean copy could not be written: {exc.strerror or exc}.") from exc


NAME_MAX = 255  # bytes in one file name, on every common file system


def _fits(stem: str, tail: str) -> str:
    """stem + tail, the stem shortened (never the tail) until the name fits in NAME_MAX bytes."""
    while stem and len(os.fsencode(stem + tail)) > NAME_MAX:
        stem = stem[:-1]
    return stem + tail


def _candidates(name: str) -> Iterable[str]:
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    yield _fits(stem, dot + ext)
    for i in range(1, 10_000):
        yield _fits(stem, f"-{i}{dot}{ext}")


def _publish(tmp: Path, out_dir: Path, name: str) -> Path:
    """Give the verified copy its final name without ever replacing an existing file."""
    for candidate in _candidates(name):
        final = out_dir / candidate
        try:
            os.link(tmp, final)  # fails if `final` exists: no overwrite, even in a race
            return final
        except FileExistsError:
            continue
        except OSError:
            if final.exists():  # a file system without hard links: check, then rename
                continue
            os.rename(tmp, final)
            return final
    raise SafeSpaceError("No free name was found for the clean copy in the output folder.")


def _crashed(task: CleanTask) -> CleanResult:
    return CleanResult(
        task.source,
        error="Reading this file made the picture decoder crash, so no copy was made. "
        "The file may be damaged, or built to attack picture software.",
    )


def _final_name(task: CleanTask, fmt: str, data: bytes) -> str:
    """A neutral name takes the extension of what the copy is; an original name keeps its own, unless the
    copy was converted to another format (a HEIC becomes a JPEG)."""
    if task.neutral:
        return task.name + EXTENSIONS[fmt]
    if fmt != sniff(data[:64]):
        return str(Path(task.name).with_suffix(EXTENSIONS[fmt]))
    return task.name


def _video_name(task: CleanTask) -> str:
    """A video keeps its own kind of name (.mov stays .mov); a neutral name gets that extension."""
    suffix = Path(task.source).suffix.lower()
    ext = suffix if suffix in BY_NAME["video"].extensions else ".mp4"
    return task.name + ext if task.neutral else task.name


def _neutral_numbers(sources: list[Path]) -> dict[int, int]:
    """Neutral numbers only for the files that can become copies (a RAW or a BMP would leave a gap), in
    input order."""
    numbers: dict[int, int] = {}
    for i, src in enumerate(sources):
        try:
            if not src.is_file():  # a pipe would block the open; it gets its reason when it is tried
                continue
            with open(src, "rb") as f:
                fmt = BY_NAME.get(sniff(f.read(64)))
        except OSError:
            continue
        if fmt is not None and fmt.readable and src.suffix.lower() not in RAW_EXTENSIONS:
            numbers[i] = len(numbers)
    return numbers


def neutral_stem(index: int, total: int) -> str:
    """image-001, image-002, ...: names that name no one."""
    return f"image-{index + 1:0{max(3, len(str(total)))}d}"


def clean_paths(
    paths: Iterable[str | Path],
    out_dir: str | Path,
    *,
    rename: bool = False,
    keep_icc: bool = True,
    jobs: int = 1,
    progress: pool.Progress | None = None,
    cancel: threading.Event | None = None,
    on_result: Callable[[CleanResult], None] | None = None,
    skipped: list[Skipped] | None = None,
    convert: bool = False,
) -> list[CleanResult]:
    """Clean every picture named or found in the folders named, into out_dir. Results in input order;
    files not reached because of `cancel` are left out."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SafeSpaceError(f"The output folder cannot be created: {exc.strerror or exc}.") from exc
    if not os.access(out, os.W_OK):
        raise SafeSpaceError("SafeSpace is not allowed to write to the output folder.")
    inputs = gather(paths, skip=out)
    if skipped is not None:
        skipped.extend(inputs.skipped)
    sources = inputs.files
    here = os.path.realpath(out)
    if any(os.path.dirname(os.path.realpath(src)) == here for src in sources):
        raise SafeSpaceError(
            "Choose a different folder for the safe copies: beside the originals, it is easy to share the "
            "wrong file."
        )
    token = secrets.token_hex(6)
    numbers = _neutral_numbers(sources) if rename else {}
    tasks = [
        CleanTask(
            str(src),
            str(out),
            neutral_stem(numbers.get(i, i), len(sources)) if rename else src.name,
            f"{TMP_PREFIX}{token}-{i}.tmp",
            keep_icc,
            rename,
            convert,
        )
        for i, src in enumerate(sources)
    ]
    done = 0

    def report(_index: int, result: CleanResult) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, len(tasks), Path(result.source).name)
        if on_result is not None:
            on_result(result)

    try:
        # Always in worker processes: a file built to crash a decoder must not take the caller with it.
        # A file past its memory or time limit is reported (not retried) and the batch goes on.
        results = pool.run(
            clean_one,
            tasks,
            jobs=jobs,
            on_result=report,
            cancel=cancel,
            isolate=True,
            crashed=_crashed,
            limited=lambda task, why: CleanResult(task.source, error=pool.limit_message(why)),
        )
    finally:
        # A worker killed mid-file (past its time limit, or after an error here) leaves its temporary file.
        # If it had already linked the file into place, that copy was never reported: it goes too, by inode.
        for leftover in out.glob(f"{TMP_PREFIX}{token}-*.tmp"):
            try:
                tmp = leftover.stat()
                if tmp.st_nlink > 1:
                    for twin in out.iterdir():
                        if twin != leftover and os.path.samestat(twin.stat(), tmp):
                            twin.unlink()
            except OSError:
                log.warning("could not check the output folder for a copy left half-published")
            leftover.unlink(missing_ok=True)
    return [r for r in results if r is not None]


def record_activity(results: list[CleanResult]) -> None:
    """Counts for reviews (how many safe copies were made and checked): never a file name. A store that
    cannot be opened is no reason to fail a user's batch."""
    from checks.store import Store  # here, not at the top: worker processes import this module

    cleaned = sum(r.status == "cleaned" for r in results)
    try:
        with Store() as store:
            store.record_images(cleaned, len(results) - cleaned)
    except SafeSpaceError:
        pass
