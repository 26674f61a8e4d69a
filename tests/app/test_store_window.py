"""The window's one store and its settings, when the saved data or the settings file is damaged or out of
reach: the app starts, says what happened once, and every page works from the same data."""

from __future__ import annotations

from pathlib import Path

from checks import paths, settings
from checks.store import Store, StoreError


def test_a_corrupt_database_is_set_aside_once_and_said_once_in_the_app(qtbot) -> None:
    from app.application import create_app, main_window
    from app.widgets.banner import Banner

    db = paths.data_dir() / "safespace.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_bytes(b"this is not a database" * 100)
    create_app()
    window = main_window()
    qtbot.addWidget(window)
    banners = [b for b in window.findChildren(Banner) if "could not be read" in b.accessibleName()]
    assert len(banners) == 1, "said once, for the whole app"
    assert window.room.store is window.reviews.store is window.store
    assert len([p for p in db.parent.iterdir() if ".unreadable-" in p.name]) == 1


def test_an_unwritable_data_folder_is_said_once_and_rooms_are_shared(qtbot, monkeypatch) -> None:
    from app.application import create_app, main_window
    from app.widgets.banner import Banner

    def refuse(self: Store, path: Path | None = None) -> None:
        raise StoreError("SafeSpace cannot open its saved data in /nowhere: Permission denied.")

    real_init = Store.__init__
    monkeypatch.setattr(
        Store,
        "__init__",
        lambda self, path=None: real_init(self, path) if path == Store.MEMORY else refuse(self, path),
    )
    create_app()
    window = main_window()
    qtbot.addWidget(window)
    banners = [
        b for b in window.findChildren(Banner) if b.accessibleName() == "Your saved data could not be read"
    ]
    assert len(banners) == 1
    window.room.add_room("Therapy room 1")
    assert [r.name for r in window.reviews.store.rooms()] == ["Therapy room 1"], "one store for every page"


def test_the_app_starts_with_a_settings_file_it_cannot_decode(qtbot) -> None:
    path = settings.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xff\xfe{")
    from app.application import main_window

    window = main_window()
    assert window.settings == settings.Settings()
    window.close()
