"""Runs the frozen SafeSpace as a user would, and checks what it made with independent readers.

    python packaging/smoke_test.py EXECUTABLE [--gui EXECUTABLE]

EXECUTABLE is the bundle's command line (dist/SafeSpace/safespace; safespace-cli.exe on Windows; inside
SafeSpace.app on macOS). --gui is the executable the menu starts, when it is another one (SafeSpace.exe).
Run it with the Python of the build (build/pkgvenv): it uses Pillow to make and read pictures, and the
installed `checks` to start a review in a throw-away SAFESPACE_HOME. Nothing here touches the network, a real
home folder, or anything outside a temporary folder. Exits non-zero with the reasons when anything fails.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

from PIL import Image

FAILURES: list[str] = []
PASSED: list[str] = []
GUI_SECONDS = 6
BAD_OUTPUT = (
    "Traceback",
    "ModuleNotFoundError",
    "Could not load the Qt platform plugin",
    "Failed to execute",
)


def check(ok: bool, what: str) -> bool:
    print(("ok    " if ok else "FAIL  ") + what, flush=True)
    (PASSED if ok else FAILURES).append(what)
    return ok


def run(
    exe: Path, args: Sequence[str], env: dict[str, str], timeout: int = 120
) -> subprocess.CompletedProcess:
    started = time.monotonic()
    done = subprocess.run(
        [str(exe), *args], env=env, capture_output=True, text=True, encoding="utf-8", timeout=timeout
    )
    took = time.monotonic() - started
    print(f"      $ safespace {' '.join(args)}  (exit {done.returncode}, {took:.1f} s)", flush=True)
    for line in (done.stdout + done.stderr).splitlines()[:3]:
        print(f"        {line[:150]}")
    bad = [word for word in BAD_OUTPUT if word in done.stderr or word in done.stdout]
    if bad:
        print(done.stderr[-3000:])
    check(not bad, f"`{' '.join(args)}` printed no {', '.join(bad) or 'traceback'}")
    return done


def pictures(folder: Path) -> list[Path]:
    """A JPEG naming its camera and date, and a PNG with a text chunk: what `images clean` must remove."""
    folder.mkdir(parents=True)
    jpeg = Image.new("RGB", (96, 64), (30, 110, 90))
    exif = Image.Exif()
    exif[0x010F] = "SmokeTestCamera"  # Make
    exif[0x0110] = "Model 7"  # Model
    exif[0x0132] = "2024:05:06 07:08:09"  # DateTime
    jpeg.save(folder / "camera.jpg", exif=exif.tobytes(), quality=90)
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Jane Smith")
    Image.new("RGB", (50, 40), (200, 60, 60)).save(folder / "drawing.png", pnginfo=info)
    return sorted(folder.iterdir())


def images(exe: Path, env: dict[str, str], work: Path) -> None:
    originals = pictures(work / "in")
    before = {p.name: p.read_bytes() for p in originals}
    report = run(exe, ["images", "report", "--json", str(work / "in")], env)
    try:
        doc = json.loads(report.stdout)
        text = json.dumps(doc)
        check("SmokeTestCamera" in text and "Jane Smith" in text, "images report names the camera and author")
    except json.JSONDecodeError:
        check(False, "images report --json printed JSON")
    out = work / "out"
    clean = run(exe, ["images", "clean", str(work / "in"), "--out", str(out), "--jobs", "2"], env)
    check(clean.returncode == 0, "images clean succeeded (with two worker processes)")
    for original in originals:
        copy = out / original.name
        if not check(copy.is_file(), f"a safe copy of {original.name} exists"):
            continue
        with Image.open(copy) as img, Image.open(original) as orig:
            exif = img.getexif()
            check(not ({0x010F, 0x0110, 0x0132} & set(exif)), f"{copy.name}: no camera or date (Pillow)")
            check("Author" not in img.info, f"{copy.name}: no author (Pillow)")
            if original.suffix == ".png":  # lossless: the same pixels
                check(
                    img.convert("RGB").tobytes() == orig.convert("RGB").tobytes(), f"{copy.name}: same pixels"
                )
        if shutil.which("exiftool"):
            tags = subprocess.run(
                ["exiftool", "-j", "-Make", "-Model", "-Author", str(copy)], capture_output=True
            )
            found = json.loads(tags.stdout or b"[{}]")[0]
            check(not {"Make", "Model", "Author"} & set(found), f"{copy.name}: nothing left (exiftool)")
    after = {p.name: p.read_bytes() for p in sorted((work / "in").iterdir())}
    check(after == before, "the originals are unchanged")


def computer_and_guides(exe: Path, env: dict[str, str]) -> None:
    done = run(exe, ["computer", "--json", "--save"], env)
    try:
        doc = json.loads(done.stdout)
        areas = doc.get("areas", {})
        # services and programs are read from the bundle's resources (computer/*.json)
        check(
            done.returncode == 0 and {"sharing", "programs", "names"} <= set(areas) and all(areas.values()),
            f"computer --json has a finding in every area ({', '.join(areas)})",
        )
    except json.JSONDecodeError:
        check(False, "computer --json printed JSON")
    # The room scan's modules (zeroconf, aiohttp, async-upnp-client) load, without a scan: nothing is sent.
    interfaces = run(exe, ["scan", "--list-interfaces"], env)
    check(
        interfaces.returncode == 0, "scan --list-interfaces loads the network modules and lists connections"
    )
    guides = run(exe, ["guides", "list"], env)
    check(guides.returncode == 0 and "ios" in guides.stdout, "guides list shows the guides (ios among them)")


def review_pdf(exe: Path, env: dict[str, str], work: Path) -> None:
    # A review made with this Python's `checks`, in the same SAFESPACE_HOME, from the computer check saved
    # by the frozen app above: the frozen app then reads it back from its store and exports it.
    os.environ["SAFESPACE_HOME"] = env["SAFESPACE_HOME"]
    from checks.reviews import gather, reviews
    from checks.store import Store

    with Store() as store:
        review = reviews.new_review(store, "Smoke test review", "Packaging", gather.available(store))
    pdf = work / "review.pdf"
    done = run(exe, ["review", "export", str(review.id), "--format", "pdf", "--out", str(pdf)], env)
    if not check(done.returncode == 0 and pdf.is_file(), "review export --format pdf wrote a file"):
        return
    check(pdf.read_bytes().startswith(b"%PDF-"), "the report is a PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        check("Smoke test review" in text, "the PDF shows the review's title (pdftotext)")
        check(
            version("safespace") in text,
            f"the PDF shows the app's version {version('safespace')} (pdftotext)",
        )


def gui(exe: Path, env: dict[str, str]) -> None:
    """The window, offscreen, for a few seconds: it must still be running, and have printed no traceback."""
    proc = subprocess.Popen(
        [str(exe)],
        env={**env, "QT_QPA_PLATFORM": "offscreen"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    with contextlib.suppress(subprocess.TimeoutExpired):  # still running is what we hope for
        proc.wait(GUI_SECONDS)
    alive = proc.poll() is None
    proc.kill()
    out, err = proc.communicate()
    text = (out + err).decode("utf-8", "replace")
    check(alive, f"the window stayed open for {GUI_SECONDS} s (exit code {proc.returncode} otherwise)")
    bad = [word for word in BAD_OUTPUT if word in text]
    if bad:
        print(text[-3000:])
    check(not bad, "the window printed no traceback or plugin error")


def leftovers(exe: Path) -> None:
    """No helper process (fork server, resource tracker) of the frozen app is left running (Linux)."""
    if not Path("/proc/self/exe").exists():
        return
    target = exe.resolve()
    time.sleep(1)
    mine = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and Path(os.readlink(proc / "exe")) == target:
                mine.append(proc.name)
        except OSError:
            continue
    check(not mine, f"no process of the bundle is left running ({', '.join(mine) or 'none'})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("exe", type=Path)
    parser.add_argument("--gui", type=Path, help="the executable the menu starts, if not EXE")
    args = parser.parse_args()
    exe = args.exe.absolute()
    with tempfile.TemporaryDirectory(prefix="safespace-smoke-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "SAFESPACE_HOME": str(work / "home"), "PYTHONIOENCODING": "utf-8"}
        env.pop("QT_QPA_PLATFORM", None)
        done = run(exe, ["--version"], env)
        check(
            done.stdout.strip() == f"safespace {version('safespace')}",
            "--version shows the package's version",
        )
        images(exe, env, work)
        computer_and_guides(exe, env)
        review_pdf(exe, env, work)
        gui(exe, env)
        if args.gui:
            gui(args.gui.absolute(), env)
        leftovers(exe)
    if FAILURES:
        print(f"\n{len(FAILURES)} checks of the frozen app failed:\n  " + "\n  ".join(FAILURES))
    else:
        print("\nThe frozen app passed every check.")
    print(f"smoke: {len(PASSED)} passed, {len(FAILURES)} failed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
