"""Draws the app's icon (resources/icons/safespace.svg) as the PNG, ICO and ICNS files that menus, installers
and the frozen executable use: `python packaging/make_icons.py OUT_DIR`. Needs PySide6 and Pillow (both are
in the app's own dependencies); runs without a display.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def main(out: Path) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from importlib import resources

    from PIL import Image
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QIcon, QImage, QPainter

    app = QGuiApplication([])  # noqa: F841  # QIcon needs an application to load its SVG engine
    svg = resources.files("resources").joinpath("icons").joinpath("safespace.svg")
    icon = QIcon(str(svg))
    if icon.isNull():
        print(f"Could not read {svg}", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        icon.paint(painter, 0, 0, size, size)
        painter.end()
        if not image.save(str(out / f"safespace-{size}.png")):
            print(f"Could not write the {size} px icon", file=sys.stderr)
            return 1
    big = Image.open(out / "safespace-512.png")
    big.save(out / "safespace.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    big.save(out / "safespace.icns")
    print(f"Icons written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
