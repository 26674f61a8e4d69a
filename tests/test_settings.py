from __future__ import annotations

import json
from pathlib import Path

import pytest

from checks import settings


def test_defaults_when_there_is_no_file() -> None:
    loaded, message = settings.load()
    assert loaded == settings.Settings() and message is None
    assert settings.settings_path().is_relative_to(Path(__import__("os").environ["SAFESPACE_HOME"]))


def test_save_and_load_round_trip() -> None:
    s = settings.Settings(last_output_folder="/tmp/safe", keep_icc=False, neutral_names=False, welcomed=True)
    settings.save(s)
    assert settings.load() == (s, None)
    assert not [p for p in settings.settings_path().parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", json.dumps({"keep_icc": "yes"})])
def test_unreadable_file_is_kept_and_the_user_told(content: str) -> None:
    path = settings.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)
    loaded, message = settings.load()
    assert loaded == settings.Settings()
    assert message and "could not be read" in message and "kept as" in message
    kept = [p for p in path.parent.iterdir() if ".unreadable-" in p.name]
    assert len(kept) == 1 and kept[0].read_text() == content
    settings.save(loaded)  # saving afterwards never touches the kept file
    assert kept[0].read_text() == content


def test_unknown_keys_are_ignored() -> None:
    path = settings.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"keep_icc": False, "from_a_newer_version": 1}))
    assert settings.load() == (settings.Settings(keep_icc=False), None)


@pytest.mark.parametrize(
    "content",
    [b'{"practitioner_name": "Sam \xff"}', b"\xef\xbb\xbf\xfe\xfe", b"[" * 100_000 + b"]" * 100_000],
    ids=["not-utf8", "bad-bytes", "absurd-nesting"],
)
def test_hostile_bytes_and_nesting_are_treated_as_an_unreadable_file(content: bytes) -> None:
    path = settings.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    loaded, message = settings.load()
    assert loaded == settings.Settings()
    assert message is not None and "could not be read" in message and ".unreadable-" in message
    kept = [p for p in path.parent.iterdir() if ".unreadable-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == content, "kept as it was, never replaced"
