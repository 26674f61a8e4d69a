"""What a person sees on a PDF's pages, read by poppler (an independent reader): each word with its box
(pdftotext -bbox) and page 1 as pixels (pdftoppm). Skips when poppler-utils is not installed."""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

# DejaVu Sans (the font the reports use, checked with pdffonts): the height poppler gives a word's box is
# the font's ascent plus descent, 0.928 + 0.236 of its size (from the font's own metrics).
DEJAVU_BOX = 1.164
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


@dataclass
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def size(self) -> float:
        """The font size in points."""
        return (self.y1 - self.y0) / DEJAVU_BOX


@dataclass
class Pages:
    sizes: list[tuple[float, float]]
    words: list[Word]

    def on(self, page: int) -> list[Word]:
        return [w for w in self.words if w.page == page]

    def text(self, page: int) -> str:
        return " ".join(w.text for w in self.on(page))

    def size_of(self, word: str) -> float:
        """The font size of the first place `word` appears."""
        return next(round(w.size, 1) for w in self.words if w.text == word)

    def body_size(self) -> float:
        """The most common font size: the body text's."""
        return statistics.mode(round(w.size, 1) for w in self.words)


def need(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (make test installs poppler-utils where it can)")


def read(pdf: Path) -> Pages:
    need("pdftotext")
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True)
    sizes: list[tuple[float, float]] = []
    words: list[Word] = []
    for line in out.stdout.splitlines():
        if m := _PAGE.search(line):
            sizes.append((float(m[1]), float(m[2])))
        elif m := _WORD.search(line):
            words.append(Word(len(sizes), *map(float, m.groups()[:4]), m[5]))
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "DejaVuSans" in fonts, f"the report is set in another font than expected:\n{fonts}"
    return Pages(sizes, words)


def ink(pdf: Path, tmp: Path, page: int = 1) -> float:
    """The share of page `page`'s pixels that are not white, rendered by pdftoppm at 50 dpi."""
    from PIL import Image

    need("pdftoppm")
    stem = tmp / f"page-{page}"
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "50",
            "-png",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(stem),
        ],
        check=True,
    )
    with Image.open(f"{stem}.png") as im:
        grey = im.convert("L")
        dark = sum(grey.point(lambda v: 255 if v < 200 else 0).convert("1").histogram()[255:])
        return dark / (grey.width * grey.height)
