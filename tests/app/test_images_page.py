"""The "Share pictures and videos safely" page, driven as a user would, offscreen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent, QGuiApplication, QTextDocument
from PySide6.QtWidgets import QApplication, QLabel

from app.dialogs.clean_dialog import CleanDialog
from app.widgets.plain_label import ZWSP
from app.window import MainWindow
from checks import settings as settings_store
from checks.images.clean import TMP_PREFIX
from tests import imagefactory as fx
from tests.conftest import sha256

WAIT = 60_000
BATCH_WAIT = 300


def rows(window: MainWindow) -> dict[str, str]:
    page = window.images
    return {(t := page.list.text(i)).split("\n")[0]: t.split("\n", 1)[1] for i in range(page.list.count())}


def add_and_wait(qtbot, window: MainWindow, paths: list[str], count: int) -> None:
    window.images.add_paths(paths)
    qtbot.waitUntil(lambda: not window.images.busy and window.images.list.count() == count, timeout=WAIT)
    qtbot.waitUntil(lambda: not window.images.decoding, timeout=WAIT)


def detail_texts(window: MainWindow) -> list[str]:
    window.images.details.finish()  # the rows built a few at a time, all now
    return [label.text().replace(ZWSP, "") for label in window.images.details.widget().findChildren(QLabel)]


def test_adding_a_folder_lists_each_picture_with_a_verdict(qtbot, window: MainWindow, pictures: Path) -> None:
    add_and_wait(qtbot, window, [str(pictures)], 4)
    listed = rows(window)
    assert listed["painting.jpg"].startswith("Could identify a client: Shows where it was taken")
    assert listed["plain.jpg"] == "Nothing found"
    assert listed["broken.jpg"] == "Could not be read: This is not a picture SafeSpace can read."
    assert not window.images.list.icon(0).isNull()  # a preview with its severity mark
    decoded = [r for r in window.images.model.rows if r.icon is not None]
    assert {Path(r.report.path).name for r in decoded} == {"painting.jpg", "garden.png", "plain.jpg"}
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
    tip = window.images.list.tooltip(0)
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
    # Numbered in list order (broken.jpg, garden.png, painting.jpg, plain.jpg); broken.jpg has no copy and
    # leaves no gap in the numbers.
    assert sorted(p.name for p in out.iterdir()) == ["image-001.png", "image-002.jpg", "image-003.jpg"]
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


def test_a_large_batch_is_listed_a_batch_at_a_time_with_one_sort_each(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    """The mechanism that keeps the window responsive (timed in tests/bench/bench_gui.py): reports are
    listed in batches, each sorted once with keys computed once per picture, never a sort per picture;
    progress shows as it goes; previews are decoded after the list is made."""
    from app.widgets import picture_list

    keyed: list[str] = []
    real = picture_list.by_name
    monkeypatch.setattr(window.images.model, "order", lambda r: (keyed.append(r.path), real(r))[1])
    folder = big_batch(tmp_path, 300)
    values: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: values.append(window.images.progress.bar.value()))
    timer.start(10)
    listed_before_previews: list[int] = []
    window.images.model.rowsInserted.connect(
        lambda *_: listed_before_previews.append(sum(r.icon is not None for r in window.images.model.rows))
    )
    add_and_wait(qtbot, window, [str(folder)], 300)
    timer.stop()
    assert len(keyed) == 300, "each picture's key is computed once"
    batches = window.images.model.sorts
    assert 1 <= batches < 300 and batches <= len(listed_before_previews) + 1
    assert len(set(values)) >= 3, "progress was shown as it happened, not all at the end"
    assert listed_before_previews and max(listed_before_previews) == 0, "listed before any preview"
    assert all(r.icon is not None for r in window.images.model.rows), "then every preview was decoded"
    assert [r.report.path for r in window.images.model.rows] == sorted(
        r.report.path for r in window.images.model.rows
    )


def test_previews_of_the_rows_on_screen_are_decoded_first(qtbot, window: MainWindow, tmp_path: Path) -> None:
    folder = big_batch(tmp_path, 120, (640, 480))
    page = window.images
    order: list[str] = []
    real = page.previews.arrived
    page.previews.arrived = lambda d: (order.append(d[0]), real(d))  # type: ignore[method-assign]
    page.add_paths([str(folder)])
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    page._stop_previews(wait=True)  # stop the first round; scroll to the end, and decode from there
    qtbot.wait(BATCH_WAIT)  # what the first round had decoded is delivered
    order.clear()
    page.list.scrollToBottom()
    QApplication.processEvents()
    visible = page.list.visible_rows()
    assert visible and visible[-1] == 119
    page.decode_previews()
    qtbot.waitUntil(lambda: not page.decoding, timeout=WAIT)
    on_screen = {page.model.rows[i].report.path for i in visible}
    waiting_on_screen = on_screen & set(order)
    assert waiting_on_screen, "some rows on screen were still without a preview"
    first = set(order[: len(waiting_on_screen)])
    assert first == waiting_on_screen, "the rows on screen were decoded before the others"


def test_a_folder_says_what_it_passed_over(qtbot, window: MainWindow, tmp_path: Path) -> None:
    """Videos SafeSpace cannot clean and documents are said, never skipped in silence; an MP4 is listed."""
    from tests import imagefactory as fx

    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "photo.jpg").write_bytes(fx.dirty_jpeg())
    (folder / "clip.mkv").write_bytes(b"\x1aE\xdf\xa3" + bytes(40))
    (folder / "notes.pdf").write_bytes(b"%PDF-1.7\n")
    window.images.add_paths([str(folder)])
    qtbot.waitUntil(lambda: not window.images.busy, timeout=WAIT)
    text = window.images.notice.text()
    assert "1 video passed over" in text and "location" in text and "1 document passed over" in text
    assert [Path(r.report.path).name for r in window.images.model.rows] == ["photo.jpg"]


def test_a_folder_without_pictures_and_a_cancelled_add_say_so(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("not a picture")
    window.images.add_paths([str(empty)])
    qtbot.waitUntil(lambda: not window.images.busy, timeout=WAIT)
    assert window.images.notice.isVisible()
    assert window.images.notice.text() == (
        "No new pictures were found there: nothing was added to the list. "
        "1 other file passed over (files that are not pictures)."
    )
    folder = big_batch(tmp_path, 200)
    window.images.add_paths([str(folder)])
    window.images.cancel()
    qtbot.waitUntil(lambda: not window.images.busy, timeout=WAIT)
    assert (
        window.images.notice.text().startswith("Stopped: ")
        and "of 200 pictures" in window.images.notice.text()
    )


def test_the_list_counts_sorts_by_risk_and_marks_safe_copies(
    qtbot, window: MainWindow, pictures: Path, tmp_path: Path
) -> None:
    add_and_wait(qtbot, window, [str(pictures)], 4)
    page = window.images
    assert page.count_label.text() == "4 pictures · 1 could identify a client · 1 could not be read" or (
        page.count_label.text().startswith("4 pictures · ")
    )
    page.order.setCurrentIndex(page.order.findData("risk"))
    ranks = [r.severity.rank for r in page.model.rows]
    assert ranks == sorted(ranks, reverse=True) and ranks[0] > ranks[-1], "the most serious first"
    page.order.setCurrentIndex(page.order.findData("name"))
    assert list(rows(window)) == ["broken.jpg", "garden.png", "painting.jpg", "plain.jpg"]
    out = tmp_path / "safe"
    out.mkdir()
    page.make_copies(str(out), neutral_names=True, keep_icc=True)
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    assert rows(window)["plain.jpg"].endswith("Safe copy made")
    assert not rows(window)["broken.jpg"].endswith("Safe copy made")
    assert "3 with a safe copy" in page.count_label.text()


def test_a_name_that_points_to_a_person_is_warned_of_without_neutral_names(window: MainWindow) -> None:
    settings = window.settings
    settings.neutral_names = True
    names = ["/p/Emma Jones - sand tray session 3.jpg", "/p/IMG_0001.jpg"]
    dialog = CleanDialog(settings, 2, window, names=names)
    dialog.show()
    assert not dialog.name_warning.isVisible(), "neutral names are on: the names are not kept"
    dialog.neutral.setChecked(False)
    assert dialog.name_warning.isVisible()
    assert "“Emma Jones - sand tray session 3.jpg” may name a person" in dialog.name_warning.text()
    assert not CleanDialog(settings, 1, window, names=["/p/IMG_0001.jpg"]).name_warning.text()


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


def test_a_long_file_name_without_spaces_wraps_inside_the_details(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    name = "PXL_20240501_101532123.PORTRAIT.ORIGINAL.jpg"  # a real Pixel phone's file name
    (tmp_path / name).write_bytes(fx.dirty_jpeg())
    width = window.width()
    add_and_wait(qtbot, window, [str(tmp_path / name)], 1)
    window.images.list.setCurrentRow(0)
    QApplication.processEvents()
    details = window.images.details
    assert name in detail_texts(window), "the whole name is shown"
    assert details.horizontalScrollBar().maximum() == 0, "nothing is cut off on the right"
    assert details.widget().minimumSizeHint().width() <= details.viewport().width()
    assert window.width() == width, "the window did not grow"


def test_file_dialogs_start_in_pictures_or_the_last_folder_and_shortcuts_are_said(
    window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    from app import exporting
    from app.pages import images

    pictures = tmp_path / "Pictures"
    pictures.mkdir()
    monkeypatch.setattr(images.QStandardPaths, "writableLocation", lambda _where: str(pictures))
    assert images.start_folder("") == str(pictures), "never the folder SafeSpace was started from"
    assert images.start_folder(str(tmp_path)) == str(tmp_path), "the folder last used"
    assert images.start_folder(str(tmp_path / "gone")) == str(pictures)
    assert exporting.start_folder("") == str(pictures)  # Documents, here the same test folder
    page = window.images
    assert "Ctrl+O" in page.add_files_button.toolTip() and "Delete" in page.remove_button.toolTip()


def test_the_details_of_a_picture_are_built_a_few_rows_at_a_time(
    qtbot, window: MainWindow, pictures: Path
) -> None:
    from app.widgets.findings_view import FindingRow

    add_and_wait(qtbot, window, [str(pictures / "painting.jpg")], 1)
    report = window.images.reports()[0]
    details = window.images.details
    details.show_report(report)
    first = len(details.widget().findChildren(FindingRow))
    assert 0 < first < len(report.findings), "a few rows at once, not all"
    qtbot.waitUntil(lambda: len(details.widget().findChildren(FindingRow)) == len(report.findings))
    details.show_report(report)
    details.show_nothing()  # chosen again before the rest were built: nothing half-built is left
    qtbot.wait(50)
    assert details.widget().findChildren(FindingRow) == []
