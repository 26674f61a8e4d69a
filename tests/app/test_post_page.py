"""Before you post: typing is never held up by the check, highlights and findings appear, rewordings apply,
where it is going changes the advice, the text is copied, pictures are checked; the draft is not saved."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtGui import QGuiApplication, QTextCharFormat
from PySide6.QtWidgets import QApplication

from app.pages import post as post_page
from app.widgets.post_editor import utf16
from app.window import MainWindow
from checks.model import Severity
from checks.paths import config_dir, data_dir
from checks.post import check_post
from tests import imagefactory as fx
from tests.app.areas import area_row

EXAMPLE = "Struggling with an 8 year old boy I see at school on Fridays - he only wants to paint."


def _open(window: MainWindow) -> post_page.PostPage:
    window.sidebar.setCurrentRow(area_row("post"))
    assert window.pages.currentWidget() is window.post
    return window.post


def _wait_checked(qtbot, page: post_page.PostPage) -> None:
    qtbot.waitUntil(
        lambda: page.result is not None and page._job is None and not page.timer.isActive(), timeout=10_000
    )


def test_sidebar_puts_it_after_sharing_images(window: MainWindow) -> None:
    names = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert names.index("Before you post") == names.index("Pictures and videos") + 1
    assert not window.sidebar.item(names.index("Before you post")).icon().isNull()


def test_typing_shows_highlights_and_findings_worst_first(qtbot, window: MainWindow) -> None:
    page = _open(window)
    qtbot.keyClicks(page.editor, EXAMPLE)
    assert page.editor.toPlainText() == EXAMPLE
    _wait_checked(qtbot, page)
    assert page.result.severity is Severity.HIGH
    assert page.findings.verdict is not None and page.findings.verdict.text() == "Could identify a client"
    kinds = [r.finding.data["kind"] for r in page.findings.rows]
    assert {"age_gender", "setting", "weekday", "said"} <= set(kinds)
    ranks = [r.finding.severity.rank for r in page.findings.rows]
    assert ranks == sorted(ranks, reverse=True)
    # every finding is underlined in the text, and its line carries a severity marker (never colour alone)
    selections = page.editor.extraSelections()
    underlined = {
        page.editor.toPlainText()[s.cursor.selectionStart() : s.cursor.selectionEnd()] for s in selections
    }
    assert {"an 8 year old boy", "at school", "Fridays", "he only wants to paint"} <= underlined
    assert all(s.format.fontUnderline() for s in selections)
    assert all(
        s.format.underlineStyle()
        in (QTextCharFormat.UnderlineStyle.SingleUnderline, QTextCharFormat.UnderlineStyle.WaveUnderline)
        for s in selections
    )
    assert page.editor.marked_lines() == {0: Severity.MEDIUM}


def test_typing_never_waits_for_the_check(qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check runs only after a pause, on another thread: while it is stuck, typing still goes in."""
    page = _open(window)
    started, release = threading.Event(), threading.Event()
    threads: list[object] = []

    def slow_check(text: str, where: str | None = None):  # type: ignore[no-untyped-def]
        threads.append(QThread.currentThread())
        started.set()
        release.wait(20)
        return check_post(text, where)

    monkeypatch.setattr(post_page, "check_post", slow_check)
    qtbot.keyClicks(page.editor, "My client is 8")
    assert page.timer.isActive() and page.checks_started == 0  # nothing checked while typing
    qtbot.waitUntil(started.is_set, timeout=5_000)  # the pause came: the check started...
    assert threads[0] is not QApplication.instance().thread()  # ...off the GUI thread
    qtbot.keyClicks(page.editor, " and at school on Mondays")  # typing while the check is stuck
    assert page.editor.toPlainText() == "My client is 8 and at school on Mondays"
    release.set()
    qtbot.waitUntil(
        lambda: page.checks_started >= 2 and page._job is None and page.result is not None, timeout=10_000
    )
    qtbot.waitUntil(
        lambda: page.result is not None and "Mondays" in str(page.findings.titles()), timeout=10_000
    )


def test_a_result_for_old_text_is_never_shown(qtbot, window: MainWindow) -> None:
    page = _open(window)
    page.editor.setPlainText("Lovely holiday in Cornwall")
    page.check_now()
    page.editor.setPlainText(EXAMPLE)  # changed while the first check runs
    _wait_checked(qtbot, page)
    assert page.result.severity is Severity.HIGH
    assert all(f.data["text"] in EXAMPLE for f in page.result.details())


def test_rewording_applies_to_the_text_and_is_checked_again(qtbot, window: MainWindow) -> None:
    page = _open(window)
    page.editor.setPlainText(EXAMPLE)
    page.check_now()
    _wait_checked(qtbot, page)
    age = next((f, b, r) for f, b, r in page.findings.replacement_buttons() if f.data["kind"] == "age_gender")
    assert age[2]["text"] == "a young client"
    age[1].click()
    assert page.editor.toPlainText().startswith("Struggling with a young client I see at school")
    _wait_checked(qtbot, page)
    qtbot.waitUntil(
        lambda: "age_gender" not in [r.finding.data["kind"] for r in page.findings.rows], timeout=10_000
    )
    day = next(
        (f, b, r)
        for f, b, r in page.findings.replacement_buttons()
        if f.data["kind"] == "weekday" and not r["text"]
    )
    day[1].click()
    assert (
        page.editor.toPlainText()
        == "Struggling with a young client I see at school - he only wants to paint."
    )
    page.editor.undo()  # one step back: the day returns
    assert "on Fridays" in page.editor.toPlainText()


def test_a_stale_rewording_is_refused(qtbot, window: MainWindow) -> None:
    page = _open(window)
    page.editor.setPlainText(EXAMPLE)
    page.check_now()
    _wait_checked(qtbot, page)
    _, button, _ = page.findings.replacement_buttons()[0]
    page.editor.setPlainText("Something else entirely")
    button.click()
    assert page.editor.toPlainText() == "Something else entirely"
    assert "changed" in page.status.text()


def test_where_it_is_going_changes_the_advice(qtbot, window: MainWindow) -> None:
    page = _open(window)
    page.editor.setPlainText(EXAMPLE)
    page.where.setCurrentIndex(page.where.findData("large_group"))
    _wait_checked(qtbot, page)
    group_advice = page.advice.text()
    assert "Social media is not supervision and not a peer group" in page.not_supervision.text()
    assert page.result.severity is Severity.HIGH
    page.where.setCurrentIndex(page.where.findData("supervision"))
    qtbot.waitUntil(lambda: page.result is not None and page.result.where == "supervision", timeout=10_000)
    assert page.advice.text() != group_advice
    assert "not supervision" not in page.not_supervision.text()
    assert page.result.severity is Severity.MEDIUM  # supervision is where client work belongs
    page.sources_button.click()
    assert "hcpc-uk.co.uk" in page.sources.text() and "bacp.co.uk" in page.sources.text()


def test_copy_puts_the_checked_text_on_the_clipboard(qtbot, window: MainWindow) -> None:
    page = _open(window)
    page.editor.setPlainText(EXAMPLE)
    page.check_now()
    _wait_checked(qtbot, page)
    page.copy_button.click()
    assert QGuiApplication.clipboard().text() == EXAMPLE
    assert "still has details" in page.status.text()


def test_emoji_do_not_shift_the_highlights(qtbot, window: MainWindow) -> None:
    text = "😢😢 tough one: my client Tom is 9 🎨 and paints every Friday"
    page = _open(window)
    page.editor.setPlainText(text)
    page.check_now()
    _wait_checked(qtbot, page)
    shown = page.editor.toPlainText()
    words = set()
    for s in page.editor.extraSelections():
        c = s.cursor
        words.add(c.selectedText())
    assert "Tom" in words and "every Friday" in words
    assert utf16(text, text.index("Tom")) == text.index("Tom") + 2  # each emoji is two UTF-16 units
    assert shown == text


def test_the_draft_is_never_saved(qtbot, window: MainWindow) -> None:
    page = _open(window)
    secret = "Zebedee-Quixote-4471 is 8 and I see him at school"
    page.editor.setPlainText(secret)
    page.check_now()
    _wait_checked(qtbot, page)
    window.save_settings()
    for folder in (config_dir(), data_dir()):
        for path in Path(folder).rglob("*"):
            if path.is_file():
                assert b"Zebedee-Quixote" not in path.read_bytes(), path


def test_pictures_are_checked_with_the_picture_engine(qtbot, window: MainWindow, tmp_path: Path) -> None:
    page = _open(window)
    picture = tmp_path / "drawing.jpg"
    picture.write_bytes(fx.dirty_jpeg())
    page.pictures.add_paths([str(picture)])
    qtbot.waitUntil(lambda: not page.pictures.busy and page.pictures.list.count() == 1, timeout=30_000)
    assert page.pictures.worst() is Severity.HIGH
    assert page.pictures.make_button.isEnabled()
    out = tmp_path / "safe"
    out.mkdir()
    page.pictures.make_copies(str(out), True, True)
    qtbot.waitUntil(lambda: not page.pictures.busy, timeout=30_000)
    copies = list(out.iterdir())
    assert len(copies) == 1 and copies[0].name == "image-001.jpg"
    assert picture.read_bytes() == fx.dirty_jpeg()  # the original is never changed


def test_keyboard_reaches_the_box_the_choice_and_the_buttons(qtbot, window: MainWindow) -> None:
    page = _open(window)
    for w in (page.editor, page.where, page.copy_button, page.pictures.add_button):
        assert w.focusPolicy() & Qt.FocusPolicy.TabFocus, w
        assert w.accessibleName()


def test_what_a_person_sees_an_underline_under_the_words_and_a_marker_beside_the_line(
    qtbot, window: MainWindow
) -> None:
    """Read the rendered pixels, not the model: the underline colour appears just under "Fridays" and not
    under the unmarked word "on"; the margin beside the line has the severity marker drawn in it."""
    from PySide6.QtGui import QColor, QTextCursor

    from app.widgets.severity import COLOURS

    page = _open(window)
    page.editor.setPlainText(EXAMPLE)
    page.check_now()
    _wait_checked(qtbot, page)
    qtbot.wait(50)
    image = page.editor.viewport().grab().toImage()
    want = QColor(COLOURS[Severity.MEDIUM])

    def underline_pixels(word: str) -> int:
        start = EXAMPLE.index(word)
        cursor = QTextCursor(page.editor.document())
        cursor.setPosition(start)
        left = page.editor.cursorRect(cursor)
        cursor.setPosition(start + len(word))
        right = page.editor.cursorRect(cursor)
        count = 0
        for x in range(left.left() + 1, right.left() - 1):
            for y in range(left.top() + left.height() // 2, left.bottom() + 3):
                c = image.pixelColor(x, y)
                if (
                    abs(c.red() - want.red()) + abs(c.green() - want.green()) + abs(c.blue() - want.blue())
                    < 90
                ):
                    count += 1
        return count

    assert underline_pixels("Fridays") >= 5
    assert underline_pixels(" on ") == 0
    margin = page.editor.margin.grab().toImage()
    line = page.editor.cursorRect(QTextCursor(page.editor.document()))
    drawn = [
        margin.pixelColor(x, y)
        for x in range(margin.width())
        for y in range(max(0, line.top()), min(margin.height(), line.bottom() + 4))
    ]
    assert any(abs(c.red() - want.red()) + abs(c.green() - want.green()) < 60 for c in drawn)


def test_a_failed_check_says_so_and_never_logs_the_draft(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "Zebedee-Quixote-4471 is 8"

    def broken(text: str, where: str | None = None):  # type: ignore[no-untyped-def]
        raise ValueError(f"could not read {text!r}")  # an error that quotes the draft

    monkeypatch.setattr(post_page, "check_post", broken)
    page = _open(window)
    page.editor.setPlainText(secret)
    page.check_now()
    qtbot.waitUntil(
        lambda: page._job is None and "could not be checked" in page.status.text(), timeout=10_000
    )
    assert page.result is None
    assert "Zebedee" not in caplog.text and "ValueError" in caplog.text


def test_a_pasted_essay_lists_the_worst_details_and_underlines_them_all(qtbot, window: MainWindow) -> None:
    from app.widgets.post_findings import SHOWN

    page = _open(window)
    essay = " ".join(f"My client, aged {8 + i % 9}, is at school on Fridays." for i in range(40))
    page.editor.setPlainText(essay)
    page.check_now()
    _wait_checked(qtbot, page)
    details = page.result.details()
    assert len(details) > SHOWN
    assert len(page.findings.rows) == SHOWN
    assert len(page.editor.extraSelections()) == len([s for f in details for s in f.data["spans"]])
