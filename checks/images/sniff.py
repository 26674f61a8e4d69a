"""Tell a picture's format from its first bytes, never from its name."""

from __future__ import annotations

from pathlib import Path

_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"mif2", b"MiHE"}
_AVIF_BRANDS = {b"avif", b"avis"}
_VIDEO_BRANDS = {b"isom", b"iso2", b"mp41", b"mp42", b"qt  ", b"M4V ", b"3gp4", b"3gp5", b"avc1", b"dash"}
RAW_EXTENSIONS = {
    ".nef",
    ".nrw",
    ".arw",
    ".srf",
    ".sr2",
    ".cr2",
    ".crw",
    ".dng",
    ".pef",
    ".srw",
    ".3fr",
    ".erf",
    ".kdc",
    ".mef",
    ".mos",
    ".raw",
    ".rwl",
    ".iiq",
    ".x3f",
}
EXTENSIONS = {
    "jpeg": ".jpg",
    "png": ".png",
    "webp": ".webp",
    "gif": ".gif",
    "tiff": ".tif",
    "heif": ".heic",
    "avif": ".avif",
}
# Extensions that mean "this is meant to be a picture": a folder's files with these are always listed,
# so a damaged photo is reported rather than silently skipped.
PICTURE_EXTENSIONS = {
    ".jpg",
    ".jpeg",
    ".jpe",
    ".jfif",
    ".png",
    ".apng",
    ".webp",
    ".gif",
    ".tif",
    ".tiff",
    ".heic",
    ".heif",
    ".hif",
    ".avif",
    ".psd",
    ".bmp",
    ".jxl",
} | RAW_EXTENSIONS


def sniff(head: bytes) -> str:
    """A format name for the first 64 bytes of a file: a key of formats.PARSERS, a known refused kind
    ("raw", "psd", "bmp", "jxl", "video", "pdf") or "unknown"."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "raw" if head[8:10] == b"CR" else "tiff"
    if head[:4] in (b"IIRO", b"IIRS", b"IIU\x00", b"II+\x00", b"MM\x00+") or head.startswith(
        b"FUJIFILMCCD-RAW"
    ):
        return "raw"
    if head[4:8] == b"ftyp":
        brands = {head[i : i + 4] for i in range(8, min(len(head), 64) - 3, 4)}
        if b"crx " in brands:
            return "raw"
        if head[8:12] in _AVIF_BRANDS or (brands & _AVIF_BRANDS and not brands & _HEIF_BRANDS - {b"mif1"}):
            return "avif"
        if brands & _HEIF_BRANDS:
            return "heif"
        if brands & _VIDEO_BRANDS:
            return "video"
    if head.startswith(b"8BPS"):
        return "psd"
    if head.startswith(b"BM"):
        return "bmp"
    if head.startswith(b"\xff\x0a") or head.startswith(b"\x00\x00\x00\x0cJXL "):
        return "jxl"
    if head.startswith(b"%PDF"):
        return "pdf"
    return "unknown"


def sniff_file(path: Path) -> str:
    with open(path, "rb") as f:
        return sniff(f.read(64))


REFUSED = {
    "raw": "This is a camera RAW file. RAW files keep private camera data that cannot be removed safely; "
    "export it as a JPEG from your photo editor, then make a safe copy of that.",
    "psd": "This is a Photoshop document. Export it as a JPEG or PNG, then make a safe copy of that.",
    "bmp": "BMP pictures are not supported. Save it as a PNG, then make a safe copy of that.",
    "jxl": "JPEG XL pictures are not supported yet. Save it as a JPEG or PNG, then make a safe copy of that.",
    "video": "This is a video, not a picture. SafeSpace cannot clean videos.",
    "pdf": "This is a PDF document, not a picture.",
    "unknown": "This is not a picture SafeSpace can read.",
}
