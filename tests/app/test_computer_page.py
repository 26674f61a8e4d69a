"""The "This computer" page, offscreen: a real check of this machine, saved for reviews."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QLabel

from app.window import MainWindow
from checks.computer import run
from checks.computer.common import AREAS
from checks.model import Finding, Severity
from checks.store import Store
from tests.app.areas import area_row

WAIT = 30_000


def texts(window: MainWindow) -> list[str]:
    return [label.text() for label in window.computer.results.widget().findChildren(QLabel)]


def test_checking_shows_every_area_and_saves_for_reviews(qtbot, window: MainWindow) -> None:
    window.sidebar.setCurrentRow(area_row("computer"))
    page = window.computer
    assert not page.save_button.isEnabled()
    page.check_button.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    shown = texts(window)
    for heading in AREAS.values():
        assert heading in shown
    assert page.summary.isVisible() and page.check_button.text() == "Check again"
    labels = [label for label in page.results.widget().findChildren(QLabel) if label.text()]
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)
    page.save_button.click()
    assert page.saved.text() == "Saved for reviews." and not page.save_button.isEnabled()
    with Store() as store:
        assert len(store.computer_checks()) == 1


def test_findings_come_with_what_to_do(qtbot, window: MainWindow, monkeypatch) -> None:
    found = Finding("computer.program.anydesk", "programs", Severity.HIGH, "AnyDesk is running: <b>x</b>",
                    "If you did not set this up, quit it.", {})  # fmt: skip
    monkeypatch.setattr(run, "CHECKS", [("programs", "the programs", lambda: [found])])
    page = window.computer
    page.check_button.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    assert page.summary.text() == "Found: 1 could identify a client. What to do is under each one."
    shown = texts(window)
    assert "AnyDesk is running: <b>x</b>" in shown and "If you did not set this up, quit it." in shown
    assert "Shared with the network" not in shown, "an area with nothing to say is left out"


def test_closing_during_a_check_leaves_nothing_running(qtbot, window: MainWindow, monkeypatch) -> None:
    slow = ("sharing", "something slow", lambda: time.sleep(0.5) or [])
    monkeypatch.setattr(run, "CHECKS", [slow] * 20)
    window.computer.check_button.click()
    assert window.computer.busy
    started = time.monotonic()
    window.close()
    assert time.monotonic() - started < 5
    assert QThreadPool.globalInstance().waitForDone(5_000)
