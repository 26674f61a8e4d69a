"""Starting the desktop app.

Qt is imported only once the window is to be made: on Linux, first `missing_libraries()` looks for the
system libraries Qt loads, so that a computer without one is told which package to install, instead of
Qt's "could not load the Qt platform plugin" and an abort (or an ImportError before that).
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from app.window import MainWindow

# What Qt loads on Linux, and the Debian and Ubuntu package that provides it. In the frozen app most of
# these travel in the bundle (and are found there first); the rest must come from the system.
QT_CORE = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libX11.so.6": "libx11-6",
}
XCB = {
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
}
WAYLAND = {
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
}
FONT_CONFIG = "/etc/fonts/fonts.conf"  # without it fontconfig finds no fonts, and every word is a box


def _loads(name: str) -> bool:
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def platform_choice(env: dict[str, str] | os._Environ[str]) -> str:
    """The Qt platform the window will use: the one asked for, else Wayland or X11 as the session has."""
    asked = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if asked:
        return asked
    return "wayland" if env.get("WAYLAND_DISPLAY") else "xcb"


def missing_libraries(
    env: dict[str, str] | os._Environ[str] = os.environ,
    loads: Callable[[str], bool] = _loads,
    exists: Callable[[str], bool] = os.path.exists,
) -> dict[str, str]:
    """Libraries the window needs that this Linux computer cannot load: {library: package}."""
    if not sys.platform.startswith("linux"):
        return {}
    platform = platform_choice(env)
    wanted = dict(QT_CORE)
    if platform == "xcb":
        wanted |= XCB
    missing = {lib: pkg for lib, pkg in wanted.items() if not loads(lib)}
    if platform == "wayland":
        no_wayland = {lib: pkg for lib, pkg in WAYLAND.items() if not loads(lib)}
        if no_wayland:
            # Qt falls back to X11 (XWayland) when it cannot use Wayland: that is enough to show the window.
            no_xcb = {lib: pkg for lib, pkg in XCB.items() if not loads(lib)}
            if no_xcb or not env.get("DISPLAY"):
                missing |= no_wayland
    if not exists(FONT_CONFIG):
        missing[FONT_CONFIG] = "fontconfig-config"
    return missing


def missing_message(
    missing: dict[str, str],
    task: str = "open its window",
    without: str = "The command line (`safespace --help`) works without them.",
) -> str:
    packages = " ".join(sorted(set(missing.values())))
    return (
        f"SafeSpace cannot {task}: this computer is missing part of what it needs to draw it "
        f"({', '.join(sorted(missing))}).\n"
        f"On Debian or Ubuntu, open a terminal and run:\n    sudo apt install {packages}\n"
        f"then try again. On other systems, install the packages that provide these files. {without}"
    )


def tell(message: str) -> None:
    """On the terminal, and, when started from a menu (no terminal to read), in a desktop message box."""
    print(message, file=sys.stderr)
    if sys.stderr is not None and sys.stderr.isatty():
        return
    for command in (
        ["zenity", "--error", "--no-markup", "--title=SafeSpace", f"--text={message}"],
        ["kdialog", "--title", "SafeSpace", "--error", message],
        ["xmessage", "-center", message],
    ):
        if shutil.which(command[0]):
            subprocess.run(command, check=False)
            return


def create_app(argv: Sequence[str] = ()) -> QApplication:
    from PySide6.QtWidgets import QApplication

    from app import resources, wheel_guard

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *argv])
    app.setApplicationName("SafeSpace")
    app.setApplicationDisplayName("SafeSpace")
    # The desktop entry's name (packaging/org.safespace.SafeSpace.desktop): Wayland finds the icon by it.
    app.setDesktopFileName("org.safespace.SafeSpace")
    app.setStyle("Fusion")  # the same calm look everywhere; follows the system's light or dark palette
    app.setStyleSheet(resources.style_sheet())
    app.setWindowIcon(resources.icon("safespace"))
    if not any(isinstance(c, wheel_guard.WheelGuard) for c in app.children()):
        wheel_guard.install(app)  # combo and spin boxes without focus ignore the wheel
    return app


def main_window() -> MainWindow:
    from app.window import MainWindow
    from checks import settings as settings_store

    settings, message = settings_store.load()
    return MainWindow(settings, message)


def no_display() -> bool:
    """On Linux, a window needs an X or Wayland display unless a Qt platform is chosen explicitly."""
    return (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    )


def run(argv: Sequence[str] = ()) -> int:
    if no_display():
        print(
            "SafeSpace needs a desktop to show its window, and none was found. "
            "From a terminal, `safespace --help` lists what it can do without one.",
            file=sys.stderr,
        )
        return 1
    missing = missing_libraries()
    if missing:
        tell(missing_message(missing))
        return 1
    app = create_app(argv)
    from app import logfile

    logfile.start()
    window = main_window()
    window.show()
    return app.exec()
