"""Which guide a device's name points to, which version this computer runs, and the CLI's other names."""

from __future__ import annotations

from pathlib import Path

import pytest

from checks.guides.guess import guess, this_version
from checks.guides.loader import resolve


@pytest.mark.parametrize(
    ("name", "system", "expected"),
    [
        ("Practice iPhone", "linux", "ios"),
        ("iphone 15", None, "ios"),
        ("Reception iPad", "windows", "ios"),
        ("Sam's Pixel 9", None, "android"),
        ("Galaxy Tab (waiting room)", None, "android"),
        ("My MacBook Air", "linux", "macos"),
        ("Reception PC", None, "windows"),
        ("Surface", None, "windows"),
        ("My laptop", "linux", "linux"),
        ("My laptop", "darwin-has-no-guide", None),
        ("My laptop", None, None),
        ("My Facebook", None, "facebook"),
        ("Clinic WhatsApp", None, "whatsapp"),
        ("Apple ID", None, "apple-account"),
        ("Apple Account for the iPhone", None, "apple-account"),
        ("Google account", None, "google-account"),
        ("Twitter", None, "x"),
        ("Max's phone", None, None),
        ("Box room tablet", None, None),
        ("", None, None),
    ],
)
def test_a_device_name_points_to_its_guide(name: str, system: str | None, expected: str | None) -> None:
    assert guess(name, system) == expected


@pytest.mark.parametrize(
    ("release", "expected"),
    [
        ('NAME="Ubuntu"\nVERSION_ID="24.04"\n', "Ubuntu 24.04 (GNOME 46)"),
        ('NAME="Ubuntu"\nVERSION_ID="26.04"\n', "Ubuntu 26.04 (GNOME 50)"),
        ('NAME="Debian GNU/Linux"\nVERSION_ID="13"\n', "Debian 13 (GNOME 48)"),
        ('NAME="Ubuntu"\nVERSION_ID="22.04"\n', None),
        ('NAME="Fedora Linux"\nVERSION_ID="41"\n', None),
        (b"\xff\xfe garbage =", None),
    ],
)
def test_this_linux_computers_version_is_read(
    tmp_path: Path, release: str | bytes, expected: str | None
) -> None:
    path = tmp_path / "os-release"
    path.write_bytes(release if isinstance(release, bytes) else release.encode())
    assert this_version("linux", path) == expected
    assert this_version("linux", tmp_path / "missing") is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [("ios", "ios"), ("iphone", "ios"), ("iPhone", "ios"), ("  IPAD ", "ios"), ("twitter", "x"),
     ("Apple ID", "apple-account"), ("google", "google-account"), ("meta", "meta-accounts-center"),
     ("nokia", None), ("", None)],
)  # fmt: skip
def test_guides_have_other_names(name: str, expected: str | None) -> None:
    assert resolve(name) == expected
