# ruff: noqa: E501  (the registry is a table, one format a row)
"""The explicit registry of file formats: one typed record per format, from which sniffing, the file
dialog's filter, folder listing and the command line's help are all derived.

A format is told from its first bytes, never from its name. Each record says how the format is read, how a
clean copy is made ("container": the picture's own data is kept as it is and everything else rebuilt or
dropped; "reencode": the decoded pixels are written into a new file), or why it is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from checks.images.facts import Facts

Cleaning = Literal["container", "reencode", "refused"]
Kind = Literal["picture", "video", "document"]


@dataclass(frozen=True)
class Format:
    name: str  # stable machine name, as in JSON ("jpeg", "heif", "raw", "video")
    label: str  # for people ("JPEG", "HEIC/HEIF")
    extensions: tuple[str, ...]  # the first is what a copy in this format is called
    magic: Callable[[bytes], bool]  # from the file's first 64 bytes
    parse: Callable[[bytes, Facts], Any] | None = None
    cleaning: Cleaning = "refused"
    refusal: str = ""
    kind: Kind = "picture"
    streamed: bool = False  # read from disk as it goes (videos), never whole into memory

    @property
    def readable(self) -> bool:
        return self.parse is not None or self.streamed


def _parser(module: str, *args: str) -> Callable[[bytes, Facts], Any]:
    """A format module's parse, imported when first used (so sniffing loads no reader)."""

    def parse(data: bytes, facts: Facts) -> Any:
        import importlib

        return importlib.import_module(f"checks.images.{module}").parse(data, facts, *args)

    return parse


_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"mif2", b"MiHE"}
_AVIF_BRANDS = {b"avif", b"avis"}
_VIDEO_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"qt  ", b"M4V ", b"M4A ",
                 b"3gp4", b"3gp5", b"3gp6", b"3g2a", b"avc1", b"dash", b"MSNV", b"XAVC"}  # fmt: skip


def _brands(head: bytes) -> set[bytes]:
    return {head[i : i + 4] for i in range(8, min(len(head), 64) - 3, 4)} if head[4:8] == b"ftyp" else set()


def _is_avif(head: bytes) -> bool:
    brands = _brands(head)
    return head[8:12] in _AVIF_BRANDS or bool(
        brands & _AVIF_BRANDS and not brands & (_HEIF_BRANDS - {b"mif1"})
    )


def _is_tiff(head: bytes) -> bool:
    return head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+") and head[8:10] != b"CR"


def _is_raw(head: bytes) -> bool:
    return (
        (head[:4] in (b"II*\x00", b"MM\x00*") and head[8:10] == b"CR")
        or head[:4] in (b"IIRO", b"IIRS", b"IIU\x00")
        or head.startswith(b"FUJIFILMCCD-RAW")
        or b"crx " in _brands(head)
    )


def _is_pnm(head: bytes) -> bool:
    return len(head) > 2 and head[0:1] == b"P" and head[1:2] in b"1234567" and head[2:3] in b" \t\r\n#"


RAW_REFUSAL = (
    "This is a camera RAW file. RAW files keep private camera data that cannot be removed safely; "
    "export it as a JPEG from your photo editor, then make a safe copy of that."
)
VIDEO_REFUSAL = (
    "This kind of video cannot be cleaned yet (only MP4 and MOV, what phones record), and a video keeps its "
    "location (where it was recorded), the phone that recorded it and when. Share it only where that cannot "
    "harm anyone, or save it as MP4 first."
)


def _convert(what: str) -> str:
    return f"{what} pictures are not supported. Save it as a PNG or JPEG, then make a safe copy of that."


# In sniffing order: the first whose magic matches is the file's format.
FORMATS: tuple[Format, ...] = (
    Format("jpeg", "JPEG", (".jpg", ".jpeg", ".jpe", ".jfif"), lambda h: h.startswith(b"\xff\xd8\xff"),
           _parser("jpeg"), "container"),
    Format("png", "PNG", (".png", ".apng"), lambda h: h.startswith(b"\x89PNG\r\n\x1a\n"), _parser("png"),
           "container"),
    Format("webp", "WebP", (".webp",), lambda h: h[:4] == b"RIFF" and h[8:12] == b"WEBP", _parser("webp"),
           "container"),
    Format("gif", "GIF", (".gif",), lambda h: h[:6] in (b"GIF87a", b"GIF89a"), _parser("gif"), "container"),
    Format("raw", "camera RAW", (".nef", ".nrw", ".arw", ".srf", ".sr2", ".cr2", ".cr3", ".crw", ".dng",
           ".pef", ".srw", ".3fr", ".erf", ".kdc", ".mef", ".mos", ".raw", ".rwl", ".iiq", ".x3f", ".orf",
           ".rw2", ".raf"), _is_raw, refusal=RAW_REFUSAL),
    Format("tiff", "TIFF", (".tif", ".tiff"), _is_tiff, _parser("tiff"), "reencode"),
    Format("avif", "AVIF", (".avif",), _is_avif, _parser("heif", "avif"), "container"),
    Format("heif", "HEIC/HEIF", (".heic", ".heif", ".hif"), lambda h: bool(_brands(h) & _HEIF_BRANDS),
           _parser("heif", "heif"), "container"),
    Format("video", "MP4/MOV video", (".mp4", ".mov", ".m4v", ".3gp", ".3g2", ".qt"),
           lambda h: bool(_brands(h) & _VIDEO_BRANDS) or h[4:8] in (b"moov", b"mdat", b"wide", b"free"),
           cleaning="container", kind="video", streamed=True),
    Format("othervideo", "other video", (".avi", ".mkv", ".webm", ".wmv", ".flv"),
           lambda h: h[:4] == b"\x1aE\xdf\xa3" or (h[:4] == b"RIFF" and h[8:12] == b"AVI ")
           or h[:4] == b"\x30\x26\xb2\x75" or h[:3] == b"FLV", refusal=VIDEO_REFUSAL, kind="video"),
    Format("psd", "Photoshop", (".psd", ".psb"), lambda h: h.startswith(b"8BPS"),
           refusal="This is a Photoshop document. Export it as a JPEG or PNG, then make a safe copy of that."),
    Format("bmp", "BMP", (".bmp", ".dib"), lambda h: h.startswith(b"BM") and len(h) >= 14, refusal=_convert("BMP")),
    Format("jxl", "JPEG XL", (".jxl",), lambda h: h.startswith((b"\xff\x0a", b"\x00\x00\x00\x0cJXL ")),
           refusal=_convert("JPEG XL")),
    Format("jp2", "JPEG 2000", (".jp2", ".j2k", ".jpf", ".jpx"),
           lambda h: h.startswith((b"\x00\x00\x00\x0cjP  \r\n\x87\n", b"\xff\x4f\xff\x51")),
           refusal=_convert("JPEG 2000")),
    Format("ico", "icon", (".ico", ".cur"), lambda h: h[:4] in (b"\x00\x00\x01\x00", b"\x00\x00\x02\x00"),
           refusal=_convert("Icon")),
    Format("pnm", "PPM/PGM", (".ppm", ".pgm", ".pbm", ".pnm", ".pam"), _is_pnm, refusal=_convert("PPM and PGM")),
    Format("pdf", "PDF document", (".pdf",), lambda h: h.startswith(b"%PDF"),
           refusal="This is a PDF document, not a picture.", kind="document"),
)  # fmt: skip
UNKNOWN_REFUSAL = "This is not a picture SafeSpace can read."
BY_NAME = {f.name: f for f in FORMATS}
READABLE = {f.name: f for f in FORMATS if f.readable}
# Extensions that mean "this is meant to be a picture": in a folder, such a file is always listed, so a
# damaged photo is reported rather than passed over.
PICTURE_EXTENSIONS = frozenset(e for f in FORMATS if f.kind == "picture" for e in f.extensions)


def sniff(head: bytes) -> str:
    """A format name for the first 64 bytes of a file: a key of BY_NAME, or "unknown"."""
    return next((f.name for f in FORMATS if f.magic(head)), "unknown")


def refusal(name: str) -> str:
    fmt = BY_NAME.get(name)
    return fmt.refusal if fmt is not None and fmt.refusal else UNKNOWN_REFUSAL


def file_filter() -> str:
    """The file dialog's filter: the pictures and videos SafeSpace can clean, then everything."""
    patterns = " ".join(f"*{e}" for f in FORMATS if f.readable for e in f.extensions)
    return f"Pictures and videos ({patterns});;All files (*)"


def describe() -> str:
    """One line of what is cleaned and what is refused, for the command line's help."""
    kept = ", ".join(f.label for f in FORMATS if f.cleaning == "container")
    redone = ", ".join(f.label for f in FORMATS if f.cleaning == "reencode")
    refused = ", ".join(f.label for f in FORMATS if not f.readable)
    return f"Cleaned in place: {kept}. Rewritten from their pixels: {redone}. Refused, with the reason: {refused}."
