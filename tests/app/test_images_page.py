"""The "Share images safely" page, driven as a user would, offscreen."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent, QGuiApplication, QTextDocument
from PySide6.QtWidgets import QApplication, QLabel

from app.dialogs.clean_dialog import CleanDialog
from app.window import MainWindow
from checks import settings as settings_store
from checks.images.clean import TMP_PREFIX
from tests import imagefactory as fx
from tests.conftest import sha256

WAIT = 60_000


def rows(window: MainWindow) -> dict[str, str]:
    page = window.images
    return {
        (t := page.list.item(i).text()).split("\n")[0]: t.split("\n", 1)[1] for i in range(page.list.count())
    }


def add_and_wait(qtbot, window: MainWindow, paths: list[str], count: int) -> None:
    window.images.add_paths(paths)
    qtbot.waitUntil(lambda: not window.images.busy and window.images.list.count() == count, timeout=WAIT)


def detail_texts(window: MainWindow) -> list[str]:
    return [label.text() for label in window.images.details.widget().findChildren(QLabel)]


def test_adding_a_folder_lists_each_picture_with_a_verdict(qtbot, window: MainWindow, pictures: Path) -> None:
    add_and_wait(qtbot, window, [str(pictures)], 4)
    listed = rows(window)
    assert listed["painting.jpg"].startswith("Could identify a client: Shows where it was taken")
    assert listed["plain.jpg"] == "Nothing found"
    assert listed["broken.jpg"] == "Could not be read: This is not a picture SafeSpace can read."
    assert not window.images.list.item(0).icon().isNull()  # a preview with its severity mark
    # The first picture is selected and its details shown, without a click.
    assert window.images.list.currentRow() == 0
    assert "broken.jpg" in detail_texts(window)


def test_selecting_a_picture_shows_what_it_gives_away(qtbot, window: MainWindow, pictures: Path) -> None:
    add_and_wait(qtbot, window, [str(pictures / "painting.jpg")], 1)
    window.images.list.setCurrentRow(0)
    texts = detail_texts(window)
    for heading in (
        "Where it was taken",
        "Who took it or is in it",
        "What took it",
        "When it was taken",
        "Hidden content",
    ):
        assert heading in texts
    gps = next(t for t in texts if t.startswith("The photo holds its position"))
    assert "51.50070, -0.12460" in gps and "to within about" in gps
    assert "Names the camera's owner: “Dr Jane Smithson”" in texts
    shown = [label for label in window.images.details.widget().findChildren(QLabel) if label.text()]
    assert shown and all(label.textFormat() == Qt.TextFormat.PlainText for label in shown)


def test_untrusted_text_is_shown_as_plain_text(qtbot, window: MainWindow, tmp_path: Path) -> None:
    hostile = tmp_path / "<b>Bold<b> <img src=x onerror=alert(1)>.jpg"
    hostile.write_bytes(fx.dirty_jpeg())
    add_and_wait(qtbot, window, [str(hostile)], 1)
    window.images.list.setCurrentRow(0)
    assert "<b>Bold<b> <img src=x onerror=alert(1)>.jpg" in detail_texts(window)
    # Tooltips would render HTML: theirs is escaped, so the name reads literally.
    tip = window.images.list.item(0).toolTip()
    assert "<img" not in tip and "&lt;img src=x onerror=alert(1)&gt;.jpg" in tip
    doc = QTextDocument()
    doc.setHtml(tip)
    assert doc.toPlainText() == str(hostile)


def test_drag_and_drop_adds_files_and_folders(
    qtbot, window: MainWindow, pictures: Path, tmp_path: Path
) -> None:
    extra = tmp_path / "extra.png"
    extra.write_bytes(fx.dirty_png())
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(pictures)), QUrl.fromLocalFile(str(extra))])
    buttons, keys, copy = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, Qt.DropAction.CopyAction
    enter = QDragEnterEvent(QPoint(10, 10), copy, mime, buttons, keys)  # as a real drag: enter, then drop
    assert QApplication.sendEvent(window.images, enter) and enter.isAccepted()
    QApplication.sendEvent(window.images, QDropEvent(QPointF(10, 10), copy, mime, buttons, keys))
    qtbot.waitUntil(lambda: not window.images.busy and window.images.list.count() == 5, timeout=WAIT)
    assert "extra.png" in rows(window)


def test_making_safe_copies(qtbot, window: MainWindow, pictures: Path, tmp_path: Path, monkeypatch) -> None:
    before = {p.name: sha256(p) for p in pictures.iterdir()}
    add_and_wait(qtbot, window, [str(pictures)], 4)
    out = tmp_path / "safe"
    out.mkdir()
    window.images.make_copies(str(out), neutral_names=True, keep_icc=True)
    qtbot.waitUntil(lambda: not window.images.busy, timeout=WAIT)
    # Numbered in list order (broken.jpg, garden.png, painting.jpg, plain.jpg); broken.jpg has no copy.
    assert sorted(p.name for p in out.iterdir()) == ["image-002.png", "image-003.jpg", "image-004.jpg"]
    assert {p.name: sha256(p) for p in pictures.iterdir()} == before, "originals are never touched"
    summary = window.images.summary
    assert summary.isVisible()
    assert summary.headline.text() == "3 safe copies made and checked."
    assert "1 could not be made" in summary.details.text()
    assert summary.failures.item(0).text() == "broken.jpg: This is not a picture SafeSpace can read."
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    summary.open_button.click()
    assert opened == [QUrl.fromLocalFile(str(out))]
    # Where no program opens folders, the user is told where the copies are and can copy the location.
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    summary.open_button.click()
    assert "No program to show folders was found" in summary.where.text() and str(out) in summary.where.text()
    summary.copy_button.click()
    assert QGuiApplication.clipboard().text() == str(out)
    saved, _ = settings_store.load()
    assert saved.last_output_folder == str(out) and saved.neutral_names is True


def test_the_dialog_asks_for_a_folder_and_remembers_it(
    qtbot, window: MainWindow, pictures: Path, tmp_path: Path
) -> None:
    add_and_wait(qtbot, window, [str(pictures / "garden.png")], 1)
    out = tmp_path / "chosen"
    out.mkdir()

    def answer() -> None:  # like a person: wait until the dialog is on screen, then fill it in
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, CleanDialog) and w.isVisible()]
        if not shown:
            QTimer.singleShot(50, answer)
            return
        dialog = shown[0]
        assert not dialog.ok.isEnabled()  # no folder yet
        dialog.set_folder(str(out))
        dialog.neutral.setChecked(False)
        dialog.advanced.click()
        assert dialog.keep_icc.isVisible()
        dialog.ok.click()

    QTimer.singleShot(50, answer)
    window.images.make_button.click()
    qtbot.waitUntil(lambda: not window.images.busy and window.images.summary.isVisible(), timeout=WAIT)
    assert [p.name for p in out.iterdir()] == ["garden.png"]
    assert settings_store.load()[0].last_output_folder == str(out)
    dialog = CleanDialog(settings_store.load()[0], 1)
    assert dialog.folder() == str(out) and dialog.ok.isEnabled()


def big_batch(tmp_path: Path, count: int, size: tuple[int, int] = (1600, 1200)) -> Path:
    folder = tmp_path / "batch"
    folder.mkdir()
    data = fx.insert_after_soi(fx.jpeg_pixels(fx.picture(size)), fx.segment(0xE1, fx.exif_bytes()))
    for i in range(count):
        (folder / f"photo-{i:04d}.jpg").write_bytes(data)
    return folder


def test_cancel_midway_leaves_no_partial_files(qtbot, window: MainWindow, tmp_path: Path) -> None:
    folder = big_batch(tmp_path, 300, (2400, 1800))
    add_and_wait(qtbot, window, [str(folder)], 300)
    out = tmp_path / "safe"
    window.images.make_copies(str(out), neutral_names=False, keep_icc=True)
    made_so_far: list[object] = []

    def one_more(result: object) -> None:  # like a person pressing Cancel once a few copies are done
        made_so_far.append(result)
        if len(made_so_far) == 5:
            window.images.progress.cancel_button.click()

    window.images._job.signals.result.connect(one_more)
    qtbot.waitUntil(lambda: not window.images.busy, timeout=WAIT)
    made = list(out.iterdir())
    assert 5 <= len(made) < 300
    assert not [p for p in made if p.name.startswith(TMP_PREFIX)]
    assert window.images.summary.headline.text().startswith("Stopped.")
    assert all(p.read_bytes().endswith(b"\xff\xd9") for p in made)


def test_the_window_keeps_responding_during_a_large_batch(qtbot, window: MainWindow, tmp_path: Path) -> None:
    """A thousand photos: the event loop keeps turning (no long stall) and progress shows as it goes."""
    folder = big_batch(tmp_path, 1000)
    stamps: list[float] = []
    values: list[int] = []
    timer = QTimer()
    timer.timeout.connect(
        lambda: (stamps.append(time.monotonic()), values.append(window.images.progress.bar.value()))
    )
    timer.start(10)
    window.images.add_paths([str(folder)])
    qtbot.waitUntil(lambda: not window.images.busy, timeout=WAIT)
    timer.stop()
    assert window.images.list.count() == 1000
    longest = max(b - a for a, b in itertools.pairwise(stamps))
    assert longest < 1.0, f"the window froze for {longest:.2f} s"
    assert len(set(values)) >= 5, "progress was shown as it happened, not all at the end"


def test_copies_beside_the_originals_are_refused_with_a_reason(
    qtbot, window: MainWindow, pictures: Path
) -> None:
    add_and_wait(qtbot, window, [str(pictures / "garden.png")], 1)
    window.images.make_copies(str(pictures), neutral_names=False, keep_icc=True)
    qtbot.waitUntil(lambda: not window.images.busy and window.images.summary.isVisible(), timeout=WAIT)
    assert window.images.summary.headline.text() == "No safe copies were made."
    assert "Choose a different folder" in window.images.summary.details.text()
    assert not window.images.summary.open_button.isVisible()
    assert sorted(p.name for p in pictures.iterdir()) == [
        "broken.jpg",
        "garden.png",
        "painting.jpg",
        "plain.jpg",
    ]


def test_the_list_stays_in_name_order_however_pictures_arrive(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    for name in ("zebra.jpg", "apple.jpg", "mango.png"):
        (tmp_path / name).write_bytes(fx.dirty_png() if name.endswith("png") else fx.dirty_jpeg())
    for count, name in enumerate(("zebra.jpg", "apple.jpg", "mango.png"), start=1):
        add_and_wait(qtbot, window, [str(tmp_path / name)], count)
    assert list(rows(window)) == ["apple.jpg", "mango.png", "zebra.jpg"]
    assert [Path(r.path).name for r in window.images.reports()] == ["apple.jpg", "mango.png", "zebra.jpg"]
