"""`safespace images report|clean`: what pictures give away, and safe copies of them."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from pathlib import Path
from typing import TextIO

from checks import pool
from checks.images import findings as words
from checks.images.clean import CleanResult, clean_paths, record_activity
from checks.images.inputs import Inputs, Skipped, gather
from checks.images.report import ImageReport, crashed, limited, report_file
from checks.model import Severity, sort_findings
from checks.text import safe, valid_unicode

EXIT_OK, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 130


def configure(images: argparse.ArgumentParser) -> None:
    from checks.images.formats import describe

    images.description = (
        "Says what pictures give away and makes safe copies; originals are never changed. " + describe()
    )
    isub = images.add_subparsers(dest="images_command", metavar="ACTION", required=True)

    rep = isub.add_parser("report", help="say what each picture gives away")
    _common(rep, "read")

    cln = isub.add_parser("clean", help="make safe copies, verified clean; originals are never changed")
    _common(cln, "clean")
    cln.add_argument("--out", required=True, metavar="DIR", help="folder for the safe copies")
    cln.add_argument(
        "--rename",
        action="store_true",
        help="give the copies neutral names (image-001.jpg, ...), since names can identify clients",
    )
    icc = cln.add_mutually_exclusive_group()
    icc.add_argument(
        "--keep-icc",
        dest="keep_icc",
        action="store_true",
        default=True,
        help="keep the colour profile so colours stay right (default)",
    )
    icc.add_argument(
        "--drop-icc", dest="keep_icc", action="store_false", help="remove the colour profile too"
    )
    cln.add_argument(
        "--convert",
        choices=["heic"],
        help="heic: make JPEG copies of HEIC and AVIF photos (PNG with transparency), for older computers; "
        "by default they stay HEIC/AVIF, the same picture untouched",
    )


def run(args: argparse.Namespace) -> int:
    if args.images_command == "report":
        return _report(args)
    return _clean(args)


def _common(parser: argparse.ArgumentParser, verb: str) -> None:
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="pictures, or folders to search for pictures"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--jobs",
        type=_jobs,
        default=pool.default_jobs(),
        metavar="N",
        help=f"how many files to {verb} at once (default: one per core)",
    )


def _jobs(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a whole number") from None
    if not 1 <= n <= 64:
        raise argparse.ArgumentTypeError("must be between 1 and 64")
    return n


class _Progress:
    """Progress on stderr: one updating line on a terminal, an occasional line otherwise."""

    def __init__(self, stream: TextIO, verb: str):
        self.stream, self.verb = stream, verb
        self.tty = stream.isatty()

    def __call__(self, done: int, total: int, name: str) -> None:
        if self.tty:
            self.stream.write(f"\r{self.verb} {done}/{total}: {safe(name)[:50]:<50}")
            if done == total:
                self.stream.write("\n")
        elif done == total or done % max(1, total // 20) == 0:
            self.stream.write(f"{self.verb} {done}/{total}\n")
        self.stream.flush()


def _dump(document: dict[str, object]) -> None:
    """JSON on stdout: indented for a person at a terminal, compact for a program (much faster)."""
    tty = sys.stdout.isatty()
    json.dump(valid_unicode(document), sys.stdout, indent=2 if tty else None, ensure_ascii=False)
    sys.stdout.write("\n")


def _passed_over(inputs: Inputs) -> None:
    """What a folder held that was not handled, one line a kind (each file is listed in --json)."""
    for line in inputs.summary():
        print(line)


def _report(args: argparse.Namespace) -> int:
    inputs = gather(args.paths)
    paths = inputs.files
    if not paths:
        if not args.json:
            _passed_over(inputs)
        print("safespace: no pictures found there.", file=sys.stderr)
        if args.json:
            _dump({"images": [], "skipped": [s.to_dict() for s in inputs.skipped]})
        return EXIT_FAILED
    progress = _Progress(sys.stderr, "Checked") if len(paths) > 1 else None
    done = 0

    def stream(_index: int, result: ImageReport) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, len(paths), Path(result.path).name)

    try:
        # In worker processes even with one job: each file gets its time and memory limits there.
        ran = pool.run(
            report_file,
            paths,
            jobs=args.jobs,
            on_result=stream,
            isolate=True,
            crashed=crashed,
            limited=limited,
        )
    except KeyboardInterrupt:
        print("\nStopped. Nothing was written or changed.", file=sys.stderr)
        return EXIT_INTERRUPTED
    results = [r for r in ran if r is not None]
    if args.json:
        _dump({"images": [r.to_dict() for r in results], "skipped": [s.to_dict() for s in inputs.skipped]})
    else:
        for r in results:
            _print_report(r)
        _passed_over(inputs)
    return EXIT_FAILED if any(r.error for r in results) else EXIT_OK


def _print_report(r: ImageReport) -> None:
    fmt = f" ({r.format.upper()})" if r.format else ""
    print(f"{safe(r.path)}{fmt}")
    if r.error:
        print(f"  Could not be fully read: {r.error}")
    if r.note:
        print(f"  Note: {r.note}")
    if not r.findings and not r.error:
        print(f"  {Severity.OK.label}: no hidden details that point to a person, a place or a device.")
    for category, heading in words.CATEGORIES.items():
        group = sort_findings([f for f in r.findings if f.category == category])
        if not group:
            continue
        print(f"  {heading}")
        for f in group:
            print(f"    [{f.severity.label}] {safe(f.title)}")
            print(f"      {safe(f.detail)}")
    print()


def _clean(args: argparse.Namespace) -> int:
    import contextlib
    import os
    import signal

    progress = _Progress(sys.stderr, "Cleaned")
    cancel = threading.Event()
    results: list[CleanResult] = []
    skipped: list[Skipped] = []
    stopped_by: list[int] = []

    def stream(result: CleanResult) -> None:
        results.append(result)
        if not args.json and result.status == "failed":
            sys.stderr.write(
                ("\n" if progress.tty else "") + f"Failed: {safe(result.source)}: {result.error}\n"
            )

    total = [0]

    def counted(done: int, of: int, name: str) -> None:
        total[0] = of
        progress(done, of, name)

    def stop(signum: int, _frame: object) -> None:
        # Ctrl-C (any number of times) or SIGTERM: no new picture starts; those being cleaned finish, so
        # every copy in the folder is whole, verified and counted. os.write: a handler may interrupt a print.
        if not stopped_by:
            stopped_by.append(signum)
            cancel.set()
            with contextlib.suppress(OSError):
                os.write(2, b"\nStopping: the pictures being cleaned now will finish; no new ones start.\n")

    saved = {}
    if threading.current_thread() is threading.main_thread():
        saved = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            ordered = clean_paths(
                args.paths,
                args.out,
                rename=args.rename,
                keep_icc=args.keep_icc,
                jobs=args.jobs,
                progress=counted,
                cancel=cancel,
                on_result=stream,
                skipped=skipped,
                convert=args.convert == "heic",
            )
        except KeyboardInterrupt as exc:  # stopped another way (pool.Stopped, or not in the main thread)
            stopped_by.append(getattr(exc, "signum", signal.SIGINT))
            ordered = results
        if stopped_by:  # exactly the copies that were finished (each whole and verified) are counted
            if ordered:
                record_activity(ordered)
            if args.json:
                _dump({"results": [r.to_dict() for r in ordered], "skipped": [s.to_dict() for s in skipped],
                       "stopped": True})  # fmt: skip
            cleaned = sum(r.status == "cleaned" for r in ordered)
            left = total[0] - len(ordered) if total[0] else None
            rest = (
                "the other pictures were"
                if left is None
                else f"{left} {'picture was' if left == 1 else 'pictures were'}"
            )
            print(
                f"Stopped. {cleaned} safe {'copy' if cleaned == 1 else 'copies'} finished and verified in "
                f"{safe(str(args.out))}" + (f"; {rest} not cleaned" if left != 0 else "") + ". "
                "No partial files were left.",
                file=sys.stderr,
            )
            return EXIT_INTERRUPTED if stopped_by[0] == signal.SIGINT else 128 + stopped_by[0]
        passed_over = Inputs(skipped=skipped)
        if not ordered:
            _passed_over(passed_over)
            print("safespace: no pictures found there.", file=sys.stderr)
            return EXIT_FAILED
        record_activity(ordered)
        if args.json:
            _dump({"results": [r.to_dict() for r in ordered], "skipped": [s.to_dict() for s in skipped]})
        else:
            for r in ordered:
                if r.status == "cleaned":
                    removed = ", ".join(r.removed) if r.removed else "nothing was found to remove"
                    print(f"Cleaned: {safe(r.source)} -> {safe(r.output or '')} ({removed})")
            failed = [r for r in ordered if r.status == "failed"]
            made = len(ordered) - len(failed)
            print(f"{made} safe {'copy' if made == 1 else 'copies'} made and verified, {len(failed)} failed.")
            for r in failed:
                print(f"Failed: {safe(r.source)}: {r.error}")
            _passed_over(passed_over)
        return EXIT_FAILED if any(r.status == "failed" for r in ordered) else EXIT_OK
    finally:
        # After a stop the command is ending: later presses are ignored, until the process has exited
        # (else one could raise at whatever line is running, or kill it while Python shuts down).
        for sig, handler in saved.items():
            signal.signal(sig, signal.SIG_IGN if stopped_by else handler)
