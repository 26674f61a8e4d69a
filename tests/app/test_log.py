"""The log: a rotating file in the data folder, with no client data (paths redacted), shown in the app."""

from __future__ import annotations

import logging
from pathlib import Path

from app import logfile
from app.dialogs.log_view import LogView
from app.window import MainWindow
from checks.paths import data_dir


def test_the_log_is_a_rotating_file_in_the_data_folder_without_client_paths(window: MainWindow) -> None:
    path = logfile.start()
    assert path == data_dir() / "safespace.log"
    secret = "/home/sam/Clients/Emma Jones/sand tray.jpg"
    log = logging.getLogger("safespace.test")
    try:
        raise OSError(f"could not read {secret}")
    except OSError:
        log.exception("a job failed on %s", "C:\\Users\\sam\\Clients\\tom.jpg")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "SafeSpace" in text and "started" in text and "a job failed" in text
    assert "Clients" not in text and "Emma" not in text and "tom.jpg" not in text
    assert "[a path]" in text
    assert str(Path(logfile.__file__).resolve()) in text or "Traceback" in text, (
        "the program's own files stay"
    )
    handler = next(
        h for h in logging.getLogger().handlers if isinstance(h, logging.handlers.RotatingFileHandler)
    )
    assert handler.maxBytes == logfile.MAX_BYTES and handler.backupCount == logfile.BACKUPS


def test_show_the_log_from_the_window(window: MainWindow) -> None:
    logfile.start()
    logging.getLogger("safespace.test").warning("something to see")
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert window.log_button.isVisible() and window.log_button.text() == "Show the log…"
    dialog = LogView(window)
    assert "something to see" in dialog.text.toPlainText()
    assert dialog.text.isReadOnly()
