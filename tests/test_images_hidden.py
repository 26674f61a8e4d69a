"""Data hidden inside the structures a clean copy keeps must not survive: each is built here as an adversary
would, cleaned, and the copy searched byte for byte and read by exiftool; the picture must still look the
same (Pillow, every frame, colours after the palette)."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageSequence

from checks.images import pixels
from checks.images.clean import clean_paths
from checks.images.report import report_file
from tests import imagefactory as fx
from tests.conftest import exiftool_tags

MARK = b"HIDDEN-MARKER-7Q"


def shown(data: bytes) -> list[tuple[str, tuple[int, int], bytes]]:
    """Every frame as Pillow shows it (the test's own reading, not SafeSpace's)."""
    out = []
    for frame in ImageSequence.Iterator(Image.open(io.BytesIO(data))):
        im = frame.convert("RGBA") if frame.mode in ("P", "PA", "1") else frame.copy()
        out.append((im.mode, im.size, im.tobytes()))
    return out


def _gif_frames() -> bytes:
    frames = [fx.picture().convert("P"), fx.picture().rotate(180).convert("P")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], loop=0, duration=80)
    return out.getvalue()


def gif_netscape_extra() -> bytes:
    data = _gif_frames()
    at = data.index(b"NETSCAPE2.0") + 11  # the loop sub-block, then the chain's terminator
    return data[: at + 4] + bytes([len(MARK)]) + MARK + data[at + 4 :]


def gif_control_extra() -> bytes:
    data = _gif_frames()
    at = data.index(b"\x21\xf9\x04") + 7  # just before the graphic control's terminator
    return data[:at] + bytes([len(MARK)]) + MARK + data[at:]


def gif_after_image_data() -> bytes:
    """Bytes after the LZW end code, inside the picture's own data blocks."""
    im = fx.picture().convert("P")
    out = io.BytesIO()
    im.save(out, "GIF")
    data = out.getvalue()
    assert data.endswith(b"\x00\x3b")
    return data[:-2] + bytes([len(MARK)]) + MARK + b"\x00\x3b"


def _jpeg_with(*segments: bytes, before_sof: bool = True) -> bytes:
    base = fx.jpeg_pixels()
    at = base.index(b"\xff\xc0") if before_sof else base.index(b"\xff\xda")
    return base[:at] + b"".join(segments) + base[at:]


def jpeg_adobe_trailing() -> bytes:
    return fx.insert_after_soi(
        fx.jpeg_pixels(), fx.segment(0xEE, b"Adobe\x00\x64\x00\x00\x00\x00\x01" + MARK)
    )


def jpeg_dnl() -> bytes:
    return _jpeg_with(fx.segment(0xDC, b"\x00\x30" + MARK), before_sof=False)


def jpeg_lse() -> bytes:
    return _jpeg_with(fx.segment(0xF8, b"\x01" + MARK))


def jpeg_unused_quant_table() -> bytes:
    table = bytes([0x03]) + (MARK * 4)  # table 3: no component uses it
    return _jpeg_with(fx.segment(0xDB, table))


def jpeg_unused_huffman_table() -> bytes:
    counts = bytes([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, len(MARK)])
    return _jpeg_with(fx.segment(0xC4, bytes([0x13]) + counts + MARK))  # AC table 3: no scan uses it


def jpeg_table_trailing_bytes() -> bytes:
    table = bytes([0x02]) + bytes(range(1, 65))
    return _jpeg_with(fx.segment(0xDB, table + MARK))  # a table, then bytes no decoder reads


def jpeg_stray_bytes() -> bytes:
    """Bytes between sections: decoders skip them; they used to make the whole file refused."""
    base = fx.jpeg_pixels()
    at = base.index(b"\xff\xc0")
    return base[:at] + MARK + base[at:]


def _png(mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    fx.picture(mode=mode).save(out, "PNG")
    return out.getvalue()


def _png_insert(data: bytes, *chunks: bytes, after: bytes = b"IHDR") -> bytes:
    at = data.index(after) - 4
    (length,) = struct.unpack_from(">I", data, at)
    at += 12 + length
    return data[:at] + b"".join(chunks) + data[at:]


def png_wrong_sizes() -> bytes:
    bad = [fx.png_chunk(t, body + MARK) for t, body in [
        (b"pHYs", struct.pack(">IIB", 2835, 2835, 1)), (b"sRGB", b"\x00"), (b"cHRM", bytes(32)),
        (b"bKGD", bytes(6)), (b"tRNS", bytes(6)), (b"gAMA", bytes(4)),
    ]]  # fmt: skip
    return _png_insert(_png(), *bad)


def png_suggested_palette() -> bytes:
    return _png_insert(_png(), fx.png_chunk(b"sPLT", b"pal\x00\x08" + MARK))


def png_after_zlib_stream() -> bytes:
    data = _png()
    at = data.index(b"IDAT") - 4
    (length,) = struct.unpack_from(">I", data, at)
    body = data[at + 8 : at + 8 + length] + MARK
    return data[:at] + fx.png_chunk(b"IDAT", body) + data[at + 12 + length :]


def png_after_rows() -> bytes:
    """Inside the zlib stream, after the last row: decoders stop at the rows they need."""
    im = fx.picture()
    raw = b"".join(
        b"\x00" + im.tobytes()[y * im.width * 3 : (y + 1) * im.width * 3] for y in range(im.height)
    )
    data = _png()
    at = data.index(b"IDAT") - 4
    (length,) = struct.unpack_from(">I", data, at)
    stored = zlib.compress(raw + MARK * 8, 0)  # stored, so the marker is there to find
    return data[:at] + fx.png_chunk(b"IDAT", stored) + data[at + 12 + length :]


def png_frames_without_animation() -> bytes:
    fctl = struct.pack(">IIIIIHHBB", 0, 64, 48, 0, 0, 1, 10, 0, 0)
    return _png_insert(_png(), fx.png_chunk(b"fcTL", fctl), fx.png_chunk(b"fdAT", b"\x00\x00\x00\x01" + MARK),
                       after=b"IDAT")  # fmt: skip


def _webp_anim(lossless: bool) -> bytes:
    frames = [fx.picture(mode="RGBA"), fx.picture(mode="RGBA").rotate(180)]
    out = io.BytesIO()
    frames[0].save(out, "WEBP", save_all=True, append_images=frames[1:], lossless=lossless, duration=80,
                   quality=90, allow_mixed=False)  # fmt: skip
    return out.getvalue()


def _riff(body: bytes) -> bytes:
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


def _webp_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    out, pos = [], 12
    while pos + 8 <= len(data):
        fourcc, size = struct.unpack_from("<4sI", data, pos)
        out.append((fourcc, data[pos + 8 : pos + 8 + size]))
        pos += 8 + size + size % 2
    return out


def webp_inside_frame() -> bytes:
    chunks = _webp_chunks(_webp_anim(lossless=False))
    body = b"".join(
        fx.riff_chunk(t, p + fx.riff_chunk(b"NDLE", MARK) if t == b"ANMF" else p) for t, p in chunks
    )
    return _riff(body)


def webp_oversized_anim() -> bytes:
    chunks = _webp_chunks(_webp_anim(lossless=False))
    return _riff(b"".join(fx.riff_chunk(t, p + MARK if t == b"ANIM" else p) for t, p in chunks))


def _still_webp(lossless: bool) -> bytes:
    out = io.BytesIO()
    fx.picture(mode="RGBA").save(out, "WEBP", lossless=lossless, quality=90)
    return out.getvalue()


def webp_after_lossless_data() -> bytes:
    chunks = _webp_chunks(_still_webp(lossless=True))
    return _riff(b"".join(fx.riff_chunk(t, p + MARK if t == b"VP8L" else p) for t, p in chunks))


def webp_alpha_beside_lossless() -> bytes:
    data = _still_webp(lossless=True)
    chunks = _webp_chunks(data)
    assert chunks[0][0] == b"VP8L", chunks
    size = (fx.picture().width - 1) | (fx.picture().height - 1) << 24
    vp8x = fx.riff_chunk(b"VP8X", bytes([0x10, 0, 0, 0]) + size.to_bytes(6, "little"))
    return _riff(vp8x + fx.riff_chunk(b"ALPH", b"\x00" + MARK) + fx.riff_chunk(b"VP8L", chunks[0][1]))


# Files that libjpeg or libwebp refuse (so no viewer shows them): a copy may be refused too, but if one is
# made it must not hold the marker.
UNVIEWABLE = {"jpeg LSE segment", "jpeg bytes after a table", "webp ALPH beside lossless data"}
CASES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "gif NETSCAPE2.0 extra sub-block": ("gif", gif_netscape_extra),
    "gif graphic control extra sub-block": ("gif", gif_control_extra),
    "gif bytes after the image data": ("gif", gif_after_image_data),
    "jpeg APP14 with trailing bytes": ("jpg", jpeg_adobe_trailing),
    "jpeg DNL segment": ("jpg", jpeg_dnl),
    "jpeg LSE segment": ("jpg", jpeg_lse),
    "jpeg unused quantisation table": ("jpg", jpeg_unused_quant_table),
    "jpeg unused Huffman table": ("jpg", jpeg_unused_huffman_table),
    "jpeg bytes after a table": ("jpg", jpeg_table_trailing_bytes),
    "jpeg stray bytes between sections": ("jpg", jpeg_stray_bytes),
    "png chunks of the wrong size": ("png", png_wrong_sizes),
    "png suggested palette": ("png", png_suggested_palette),
    "png bytes after the zlib stream": ("png", png_after_zlib_stream),
    "png data after the last row": ("png", png_after_rows),
    "png frames without animation": ("png", png_frames_without_animation),
    "webp unknown chunk inside a frame": ("webp", webp_inside_frame),
    "webp oversized ANIM": ("webp", webp_oversized_anim),
    "webp bytes after the lossless data": ("webp", webp_after_lossless_data),
    "webp ALPH beside lossless data": ("webp", webp_alpha_beside_lossless),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("keep_icc", [True, False])
def test_hidden_data_does_not_survive(tmp_path: Path, case: str, keep_icc: bool) -> None:
    ext, build = CASES[case]
    data = build()
    assert MARK in data
    if case not in UNVIEWABLE:
        Image.open(io.BytesIO(data)).load()  # the adversary's file is a picture viewers show
    src = tmp_path / f"in.{ext}"
    src.write_bytes(data)
    report = report_file(src)
    assert report.error is None, report.error
    [result] = clean_paths([src], tmp_path / "out", keep_icc=keep_icc)
    if case in UNVIEWABLE and result.status == "failed":
        assert result.output is None and not list((tmp_path / "out").iterdir())
        return
    assert result.status == "cleaned", result.error
    copy = Path(result.output or "").read_bytes()
    assert MARK not in copy
    assert MARK.decode() not in str(exiftool_tags(Path(result.output or "")))
    if case not in UNVIEWABLE:
        assert shown(data) == shown(copy), "the copy must show the same picture"


@pytest.mark.parametrize("compression", [None, "tiff_lzw", "tiff_adobe_deflate"])
def test_palette_tiff_keeps_its_colours(tmp_path: Path, compression: str | None) -> None:
    """A TIFF with a colour map used to come out all black, and be called lossless."""
    im = fx.picture().convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    out = io.BytesIO()
    im.save(out, "TIFF", **({"compression": compression} if compression else {}))
    src = tmp_path / "palette.tif"
    src.write_bytes(out.getvalue())
    [result] = clean_paths([src], tmp_path / "out")
    assert result.status == "cleaned", result.error
    copy = Image.open(result.output or "")
    assert copy.convert("RGBA").tobytes() == im.convert("RGBA").tobytes()
    assert max(copy.convert("RGB").getextrema()) != (0, 0), "not black"


def test_a_verifier_comparing_indices_would_be_fooled() -> None:
    """The comparison is of colours shown: the same indices with another palette differ."""
    im = fx.picture().convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    black = im.copy()
    black.putpalette(bytes(768))
    assert im.tobytes() == black.tobytes()
    assert pixels.display(im) != pixels.display(black)
