"""`make screenshots`: renders the main window and the images page with sample pictures to PNGs under
docs/screenshots/ (used by the README). Runs offscreen; needs no display."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

SCREEN = os.environ.get("SAFESPACE_SCREEN", "1366x768")  # a laptop's screen; the window must fit in it
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    import json

    _w, _h = (int(v) for v in SCREEN.split("x"))
    _config = Path(tempfile.gettempdir()) / f"safespace-screen-{os.getpid()}.json"
    _config.write_text(
        json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": _w, "height": _h, "dpr": 1}]})
    )
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_config}"
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from tests import imagefactory as fx  # noqa: E402


def area_row(key: str) -> int:
    """The sidebar row of an area, whatever areas come before it."""
    from app.window import AREAS

    return [k for k, _ in AREAS].index(key)


def wait(app: QApplication, until: callable, seconds: float = 60) -> None:  # type: ignore[valid-type]
    deadline = time.monotonic() + seconds
    while not until():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not finish in time")
        app.processEvents()
        time.sleep(0.01)


def settle(app: QApplication, seconds: float = 0.3) -> None:
    """Let layouts finish (word-wrapped text takes a few passes), as a running app does by itself."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def sample_pictures(folder: Path) -> list[str]:
    im = fx.picture((900, 600))
    (folder / "Childs painting - Tom.jpg").write_bytes(fx.dirty_jpeg())
    (folder / "garden-view.png").write_bytes(fx.dirty_png())
    (folder / "waiting-room.heic").write_bytes(fx.dirty_heic())
    (folder / "poster.jpg").write_bytes(fx.jpeg_pixels(im))
    (folder / "notes.jpg").write_bytes(b"not a picture")
    return [str(p) for p in sorted(folder.iterdir())]


def room_check_screens(app: QApplication, window, out: Path) -> None:  # type: ignore[no-untyped-def]
    """The room check with recorded devices (no network is touched): a known printer, new devices, a camera
    the room knows that is not seen."""
    from checks.network import interfaces, scan
    from tests import netfixtures

    today = netfixtures.seeded_room("Therapy room")
    scan.SOURCES = netfixtures.by_protocol(today)
    interfaces.list_interfaces = lambda: [netfixtures.interface("wlan0", "10.99.0.2/24", default_route=True)]
    page = window.room
    page._load_rooms("Therapy room")
    window.sidebar.setCurrentRow(area_row("room"))
    page.options.seconds.setValue(2)
    page.start_check()
    wait(app, lambda: not page.busy)
    page.list.setCurrentRow(0)
    for key in ("speakers", "phones", "webcams"):
        page.checklist.boxes[key].setChecked(True)
    page.name.setText("Jane Smith")
    settle(app)
    window.grab().save(str(out / "room-check.png"))
    page.finish()
    dialog = page.history()
    dialog.show()
    settle(app)
    dialog.grab().save(str(out / "room-history.png"))
    dialog.close()


def computer_screen(app: QApplication, window, out: Path) -> None:  # type: ignore[no-untyped-def]
    """ "This computer" with made-up inputs of the kind a practice laptop has (not this build machine's)."""
    from checks.computer import devices, names, network, programs, run, services

    shares = [
        services.Listener("0.0.0.0", 445, "tcp", 1, "smbd"),
        services.Listener("127.0.0.1", 631, "tcp", 2, "cupsd"),
    ]
    procs = [
        programs.Running(3, "Dropbox", "/opt/dropbox/dropbox"),
        programs.Running(4, "zoom", "/opt/zoom/zoom"),
    ]
    wifi = [netfixtures_interface()]
    scutil = {"ComputerName": "Jane's MacBook Pro", "LocalHostName": "Janes-MacBook-Pro"}

    def camera() -> list:  # type: ignore[type-arg]
        return [devices._say("camera", ["zoom"], 0), devices._say("microphone", ["zoom"], 0)]

    def computer_names() -> list:  # type: ignore[type-arg]
        return names.check(
            "darwin", hostname=lambda: "Janes-MacBook-Pro.local", run=lambda argv: scutil[argv[2]]
        )

    def wifi_network() -> list:  # type: ignore[type-arg]
        return network.check(
            "linux", run=lambda argv: "yes:Practice-Guest:WPA2\n", list_interfaces=lambda: wifi
        )

    run.CHECKS = [
        ("sharing", "sharing", lambda: services.findings(shares)),
        ("programs", "programs", lambda: programs.findings(procs)),
        ("camera", "camera", camera),
        ("names", "names", computer_names),
        ("network", "network", wifi_network),
    ]
    window.sidebar.setCurrentRow(area_row("computer"))
    window.computer.start()
    wait(app, lambda: not window.computer.busy)
    settle(app)
    window.grab().save(str(out / "this-computer.png"))


def guides_screen(app: QApplication, window, out: Path) -> None:  # type: ignore[no-untyped-def]
    """A practice iPhone part-way through its guide, at a step that comes with a caution."""
    page = window.guides
    page.add_device("My Facebook", "facebook", "facebook.com", "Practitioner", False)
    page.add_device("Practice iPhone", "ios", "iOS 27", "Practitioner", False)
    for step in (
        "camera-location",
        "share-without-location",
        "significant-locations",
        "airdrop",
        "device-name",
    ):
        page.mark(step, "done", "")
    page.mark("siri-listen", "needs_help", "Which setting is it on my phone?")
    page.go(next(i for i, s in enumerate(page.guide.steps) if s.id == "share-my-location"))
    window.sidebar.setCurrentRow(area_row("guides"))
    settle(app)
    window.grab().save(str(out / "privacy-walkthroughs.png"))


def reviews_screen(app: QApplication, window, out: Path) -> None:  # type: ignore[no-untyped-def]
    """A review part-way filled in, from what the other screenshots recorded."""
    page = window.reviews
    page.start("Review of November 2026", "Sam Okafor")
    for box in page.item_boxes:
        box.outcome.setCurrentIndex(box.outcome.findData("fine"))
    first = page.item_boxes[0]
    first.outcome.setCurrentIndex(first.outcome.findData("action_needed"))
    first.comment.setText("The smart speaker is new: unplug it before sessions")
    row = page.add_followup()
    row.what.setText("Unplug the smart speaker in the therapy room")
    row.owner.setText("Sam")
    page.save()
    window.sidebar.setCurrentRow(area_row("reviews"))
    settle(app)
    window.grab().save(str(out / "reviews.png"))


def post_screen(app: QApplication, window, out: Path) -> None:  # type: ignore[no-untyped-def]
    """Before you post, with the draft from issue 17, going to a large group."""
    page = window.post
    window.sidebar.setCurrentRow(area_row("post"))
    page.where.setCurrentIndex(page.where.findData("large_group"))
    page.editor.setPlainText(
        "Struggling with an 8 year old boy I see at school on Fridays - he only wants to paint."
    )
    page.check_now()
    wait(app, lambda: page.result is not None)
    settle(app)
    window.grab().save(str(out / "before-you-post.png"))


def netfixtures_interface():  # type: ignore[no-untyped-def]
    from tests import netfixtures

    return netfixtures.interface("wlan0", "192.168.1.23/24", kind="wireless", default_route=True)


def main() -> int:
    out = Path(os.environ.get("SAFESPACE_SCREENSHOTS", ROOT / "docs" / "screenshots"))
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as home, tempfile.TemporaryDirectory() as pics:
        os.environ["SAFESPACE_HOME"] = home
        from app.application import create_app, main_window

        app = create_app()
        window = main_window()
        window.show()  # as large as it opens on this screen
        settle(app)
        window.grab().save(str(out / "main-window.png"))
        page = window.images
        window.welcome.dismissed.emit()
        window.welcome.hide()
        page.add_paths(sample_pictures(Path(pics)))
        wait(app, lambda: not page.busy and page.list.count() == 5 and not page.decoding)
        page.list.setCurrentRow(0)
        page.details.finish()
        settle(app)
        window.grab().save(str(out / "images-page.png"))
        from app.dialogs.clean_dialog import CleanDialog

        dialog = CleanDialog(window.settings, page.list.count(), window)
        dialog.set_folder(str(Path(pics).parent / "Safe copies"))
        dialog.advanced.setChecked(True)
        dialog.show()
        settle(app)
        dialog.grab().save(str(out / "make-safe-copies-dialog.png"))
        dialog.close()
        with tempfile.TemporaryDirectory() as safe:
            page.make_copies(safe, True, True)
            wait(app, lambda: not page.busy)
            settle(app)
            window.grab().save(str(out / "safe-copies-made.png"))
        post_screen(app, window, out)
        room_check_screens(app, window, out)
        computer_screen(app, window, out)
        guides_screen(app, window, out)
        reviews_screen(app, window, out)
        window.close()
    print(f"Screenshots written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
