"""The first-run check: a Linux computer without a library Qt loads is told which package to install,
before Qt is imported (which would fail with an ImportError, or abort on its platform plugin)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app import application
from app.application import QT_CORE, WAYLAND, XCB, missing_libraries, missing_message

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check runs on Linux only")


def loads_all_but(*absent: str):
    asked: list[str] = []

    def loads(name: str) -> bool:
        asked.append(name)
        return name not in absent

    return loads, asked


@linux_only
def test_a_missing_xcb_library_names_its_package() -> None:
    loads, _ = loads_all_but("libxcb-cursor.so.0")
    missing = missing_libraries({"DISPLAY": ":0"}, loads, lambda _: True)
    assert missing == {"libxcb-cursor.so.0": "libxcb-cursor0"}
    message = missing_message(missing)
    assert "sudo apt install libxcb-cursor0" in message
    assert "libxcb-cursor.so.0" in message


@linux_only
def test_several_missing_libraries_are_one_install_command() -> None:
    loads, _ = loads_all_but("libEGL.so.1", "libxkbcommon-x11.so.0", "libfontconfig.so.1")
    missing = missing_libraries({"DISPLAY": ":0"}, loads, lambda _: False)
    assert set(missing.values()) == {"libegl1", "libxkbcommon-x11-0", "libfontconfig1", "fontconfig-config"}
    assert "sudo apt install fontconfig-config libegl1 libfontconfig1 libxkbcommon-x11-0" in (
        missing_message(missing)
    )


@linux_only
def test_offscreen_does_not_ask_for_x11() -> None:
    loads, asked = loads_all_but(*XCB)
    assert missing_libraries({"QT_QPA_PLATFORM": "offscreen"}, loads, lambda _: True) == {}
    assert not set(asked) & set(XCB)


@linux_only
def test_wayland_without_its_libraries_falls_back_to_x11_when_there_is_one() -> None:
    loads, _ = loads_all_but("libwayland-cursor.so.0")
    env = {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}
    assert missing_libraries(env, loads, lambda _: True) == {}
    only_wayland = {"WAYLAND_DISPLAY": "wayland-0"}
    assert missing_libraries(only_wayland, loads, lambda _: True) == {
        "libwayland-cursor.so.0": "libwayland-cursor0"
    }


def installed(package: str) -> bool:
    status = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True, check=False
    )
    return "ok installed" in status.stdout


@linux_only
def test_each_package_named_provides_its_library() -> None:
    """Where dpkg says a package named in the tables is installed, its library loads: the names are right."""
    if not shutil.which("dpkg-query"):
        pytest.skip("needs dpkg to know which packages are installed")
    checked = 0
    for lib, pkg in {**QT_CORE, **XCB, **WAYLAND}.items():
        # (Ubuntu 24.04 renamed some libraries' packages, libglib2.0-0t64, keeping the old name installable)
        if installed(pkg) or installed(pkg + "t64"):
            assert application._loads(lib), f"{pkg} is installed but {lib} does not load"
            checked += 1
    if checked == 0:
        pytest.skip("none of these packages is installed here (packaging/system-deps.sh installs them)")


@linux_only
def test_the_app_says_so_and_never_loads_qt(tmp_path: Path) -> None:
    """The real start-up path, in a fresh Python where loading libxcb-cursor fails as on a bare system."""
    script = textwrap.dedent(
        """
        import ctypes, sys
        real = ctypes.CDLL
        def fake(name, *args, **kwargs):
            if name == "libxcb-cursor.so.0":
                raise OSError(name + ": cannot open shared object file: No such file or directory")
            return real(name, *args, **kwargs)
        ctypes.CDLL = fake
        from app.__main__ import main
        code = main([])
        print("qt loaded" if "PySide6" in sys.modules else "qt not loaded")
        sys.exit(code)
        """
    )
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env |= {
        "DISPLAY": ":99",
        "PYTHONPATH": str(Path(__file__).parent.parent),
        "SAFESPACE_HOME": str(tmp_path),
    }
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert out.returncode == 1
    assert "sudo apt install libxcb-cursor0" in out.stderr
    assert "Traceback" not in out.stderr
    assert out.stdout.strip() == "qt not loaded"


def test_started_from_a_menu_the_message_is_shown_in_a_window(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[list[str]] = []
    monkeypatch.setattr(
        application.shutil, "which", lambda name: "/usr/bin/" + name if name == "kdialog" else None
    )
    monkeypatch.setattr(application.subprocess, "run", lambda cmd, check: ran.append(cmd))
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    application.tell("SafeSpace cannot open its window")
    assert ran == [["kdialog", "--title", "SafeSpace", "--error", "SafeSpace cannot open its window"]]


@linux_only
def test_a_pdf_report_names_the_package_instead_of_failing_in_qt(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import ctypes, sys
        from checks.reviews import reviews
        from checks.store import Store
        with Store() as store:
            review = reviews.new_review(store, "Room 2", "Sam", [])
        real = ctypes.CDLL
        def fake(name, *args, **kwargs):
            if name == "libEGL.so.1":
                raise OSError(name + ": cannot open shared object file: No such file or directory")
            return real(name, *args, **kwargs)
        ctypes.CDLL = fake
        from app.__main__ import main
        code = main(["review", "export", str(review.id), "--format", "pdf", "--out", sys.argv[1]])
        print("qt loaded" if "PySide6" in sys.modules else "qt not loaded")
        sys.exit(code)
        """
    )
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parent.parent), SAFESPACE_HOME=str(tmp_path))
    out = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "r.pdf")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert out.returncode == 1, out.stderr
    assert "cannot make a PDF" in out.stderr and "sudo apt install libegl1" in out.stderr
    assert "html or json" in out.stderr and "Traceback" not in out.stderr
    assert out.stdout.strip() == "qt not loaded"
    assert not (tmp_path / "r.pdf").exists()
