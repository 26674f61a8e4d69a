"""HEIC and AVIF cleaned at the container level: the main picture's coded bytes untouched, all else gone.

Independent readers check the copies: exiftool (`-a -G1 -ee`) for what is left, pillow-heif (libheif) and
Pillow (libavif) for the pixels, and a plain byte search for planted markers.
"""

from __future__ import annotations

import io
import json
import random
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from checks.errors import DamagedImage, SafeSpaceError, VerificationFailed
from checks.images import findings as words
from checks.images import heif, heif_write
from checks.images.facts import Facts
from checks.images.heif_verify import decoded, verify_clean_copy
from checks.images.sniff import sniff
from tests import imagefactory as fx
from tests.conftest import CORPUS, ROOT

MARKER = fx.MARKER
VIDEO_LAT, VIDEO_LON = 48.8584, 2.2945


def _parse(data: bytes, kind: str = "heif") -> heif.Heif:
    return heif.parse(data, Facts(), kind)


def _clean(data: bytes, keep_icc: bool = True, kind: str = "heif") -> tuple[heif.Heif, bytes]:
    source = _parse(data, kind)
    out = b"".join(bytes(p) for p in source.clean(keep_icc))
    verify_clean_copy(source, out, keep_icc)
    assert sniff(out[:64]) == sniff(data[:64]) == kind  # the copy is still known for what it is
    return source, out


def _exiftool(data: bytes, tmp_path: Path, name: str = "copy.heic") -> dict[str, object]:
    if shutil.which("exiftool") is None:
        pytest.skip("exiftool is not installed (make test installs it where it can: libimage-exiftool-perl)")
    path = tmp_path / name
    path.write_bytes(data)
    run = subprocess.run(
        ["exiftool", "-j", "-a", "-G1", "-ee", "-u", str(path)], capture_output=True, text=True, check=False
    )
    return json.loads(run.stdout)[0]


def _identifying(tags: dict[str, object]) -> list[str]:
    bad = ("GPS", "Make", "Model", "Serial", "Artist", "Owner", "Creator", "City", "Location")
    # A kept colour profile's header names its maker: what the profile says is icc.py's business.
    return [k for k in tags if any(b in k.split(":")[-1] for b in bad) and not k.startswith(("File:", "ICC"))]


def _dirty(**options: object) -> bytes:
    """A HEIC with everything a phone or an editor can put beside the picture, each carrying a marker."""
    props, coded = fx.heif_coded()
    thumb_props, thumb = fx.heif_coded(fx.picture((16, 12)))
    irot, imir = fx.isobox(b"irot", b"\x01"), fx.isobox(b"imir", b"\x00")
    udes = fx.fullbox(b"udes", 0, 0, b"en\0", MARKER + b"\0", b"described\0", b"tags\0")
    crtt = fx.fullbox(b"crtt", 0, 0, struct.pack(">Q", 3_800_000_000))
    items = [
        fx.HeifItem(
            1,
            b"hvc1",
            coded,
            [*props, fx.colr_icc(fx.needle_icc()), udes, crtt, irot, imir],
            name=b"Primary " + MARKER,
            pieces=3,
        ),
        fx.HeifItem(2, b"hvc1", thumb, thumb_props, name=b"thumb"),
        fx.HeifItem(3, b"hvc1", thumb, [*thumb_props, fx.auxc(fx.DEPTH_URN)], hidden=True),
        fx.HeifItem(4, b"hvc1", thumb, [*thumb_props, fx.auxc(fx.GAINMAP_URN)], hidden=True),
        fx.HeifItem(5, b"tmap", b"\0" + MARKER, [fx.ispe(64, 48)]),  # an ISO 21496-1 gain map, from 1 and 4
        fx.HeifItem(6, b"Exif", b"\0\0\0\x06" + fx.exif_bytes(6, thumbnail=False)),
        fx.HeifItem(7, b"mime", fx.xmp_packet(motion=True), content_type=b"application/rdf+xml"),
        fx.HeifItem(8, b"mime", MARKER, content_type=b"text/plain"),
    ]
    refs = [(b"thmb", 2, [1]), (b"auxl", 3, [1]), (b"auxl", 4, [1]), (b"cdsc", 6, [1]), (b"cdsc", 7, [1])]
    refs += [(b"cdsc", 8, [1]), (b"dimg", 5, [1, 4])]
    extra = [
        fx.isobox(b"uuid", heif.C2PA_UUID, b"c2pa manifest " + MARKER),
        fx.isobox(b"free", MARKER),
        fx.samsung_mpvd(fx.mp4_with_location(VIDEO_LAT, VIDEO_LON)),
    ]
    return fx.heif_file(items, 1, refs, extra_top=extra, **options)  # type: ignore[arg-type]


def _no_marker(out: bytes) -> None:
    for needle in (MARKER, fx.SERIAL.encode(), b"NeedleCam", b"Exif\0\0", b"xmpmeta", b"mpvd", b"\xa9xyz"):
        assert needle not in out, needle


def test_dirty_heic_is_reported_in_full() -> None:
    facts = Facts()
    assert heif.parse(_dirty(), facts, "heif").video_seconds == 3.0
    found = {f.id: f for f in words.build(facts)}
    assert facts.gps is not None and abs(facts.gps.latitude - fx.LAT) < 1e-3  # EXIF's, not the video's
    assert ("Position of its video", f"{VIDEO_LAT:.5f}, {VIDEO_LON:.5f}") in facts.fields["image.gps_detail"]
    assert facts.motion_photo and "video" in facts.trailer_kinds
    assert found["image.trailer"].title == "Has a 3-second video hidden with the photo"
    assert "its own location" in found["image.trailer"].detail
    assert facts.c2pa and facts.thumbnails
    assert any("depth map" in e for e in facts.extra_images) and any(
        "gain map" in e for e in facts.extra_images
    )
    assert {"image.serial", "image.camera", "image.author", "image.place"} <= set(found)
    assert MARKER.decode() in facts.values("image.caption")[0]  # the udes property's title
    assert any(MARKER.decode() in v for v in facts.values("image.text"))  # an item's name


def test_unused_media_data_is_reported_and_dropped() -> None:
    props, coded = fx.heif_coded()
    hidden = fx.isobox(b"mdat", MARKER)  # media data that no item uses
    data = fx.heif_file([fx.HeifItem(1, b"hvc1", coded, props)], 1, [], extra_top=[hidden])
    facts = Facts()
    heif.parse(data, facts, "heif")
    assert any("unused data" in u for u in facts.unknown)
    _source, out = _clean(data)
    _no_marker(out)


def test_video_location_alone_is_a_position() -> None:
    """A motion photo whose only location is in its video still 'shows where it was taken'."""
    props, coded = fx.heif_coded()
    data = fx.heif_file([fx.HeifItem(1, b"hvc1", coded, props)], 1, [],
                        tail=fx.mp4_with_location(VIDEO_LAT, VIDEO_LON))  # fmt: skip
    facts = Facts()
    heif.parse(data, facts, "heif")
    assert facts.gps is not None and facts.gps.source == "its motion-photo video"
    assert facts.trailer_kinds == ["video"]  # Google's way: the MP4 appended after the picture
    assert any(f.id == "image.gps" for f in words.build(facts))
    _source, out = _clean(data)
    _no_marker(out)


@pytest.mark.parametrize(
    ("tail", "kinds"),
    [
        (
            fx.mp4_with_location(VIDEO_LAT, VIDEO_LON) + b"\x00\x00\x30\x0aMotionPhoto_Data" + MARKER,
            ["video"],
        ),
        (b"\x00\x00\x00\x03 not a box " + MARKER, ["data"]),
        (b"\x01\x02\x03", ["data"]),
        (bytes(5), ["padding"]),  # zeros are no finding
    ],
)
def test_appended_bytes_that_are_not_boxes(tail: bytes, kinds: list[str]) -> None:
    """Samsung's older trailer (the MP4, then SEF tags) and plain junk after the picture: reported and
    dropped, never a reason to refuse the photo."""
    props, coded = fx.heif_coded()
    data = fx.heif_file([fx.HeifItem(1, b"hvc1", coded, props)], 1, [], tail=tail)
    source, out = _clean(data)
    assert source.facts.trailer_kinds == kinds and not source.cut_short
    _no_marker(out)
    assert out.endswith(coded)


def test_video_stored_as_an_item() -> None:
    props, coded = fx.heif_coded()
    video = fx.HeifItem(2, b"mime", fx.mp4_with_location(VIDEO_LAT, VIDEO_LON), content_type=b"video/mp4")
    data = fx.heif_file([fx.HeifItem(1, b"hvc1", coded, props), video], 1, [(b"cdsc", 2, [1])])
    facts = Facts()
    heif.parse(data, facts, "heif")
    assert facts.motion_photo and facts.trailer_kinds == ["video"] and facts.gps is not None
    _source, out = _clean(data)
    _no_marker(out)


def test_clean_copy_keeps_the_picture_and_nothing_else(tmp_path: Path) -> None:
    data = _dirty()
    original_tags = _exiftool(data, tmp_path, "original.heic")
    assert _identifying(original_tags), (
        "the fixture must carry what exiftool sees, or this test proves nothing"
    )
    source, out = _clean(data)
    _no_marker(out)
    # The colour profile is kept by default, rebuilt with its colours and without its text.
    from checks.images.icc import neutral_profile

    neutral = neutral_profile(fx.needle_icc())
    assert fx.needle_icc() not in out and (neutral is None or neutral in out)
    tags = _exiftool(out, tmp_path)
    assert not _identifying(tags), _identifying(tags)
    assert MARKER.decode() not in json.dumps(tags)
    copy = _parse(out)
    assert copy.structure is not None and source.structure is not None
    assert sorted(copy.structure.items) == [1]
    assert copy.structure.items[1].body(out) == source.structure.items[1].body(data)  # coded bytes untouched
    _mode, size, _n, _digest = decoded(out, "heif")
    assert size == (48, 64)  # irot 90° kept: the 64 x 48 picture stands upright
    assert decoded(out, "heif") == decoded(data, "heif")
    with_pillow = _pillow_heif_pixels(out)
    assert with_pillow == _pillow_heif_pixels(data)


def _pillow_heif_pixels(data: bytes) -> bytes:
    from PIL import Image
    from pillow_heif import register_heif_opener

    register_heif_opener()
    with Image.open(io.BytesIO(data)) as im:
        return im.convert("RGBA").tobytes()


@pytest.mark.parametrize(
    "options",
    [
        {"iloc_version": 0},
        {"iloc_version": 2, "field_size": 8},
        {"field_size": 8, "large_mdat": True},
        {"ipma_version": 1, "ipma_flags": 1},
    ],
)
def test_every_encoding_of_the_item_boxes(options: dict[str, object]) -> None:
    data = _dirty(**options)
    _source, out = _clean(data)
    _no_marker(out)
    assert decoded(out, "heif") == decoded(data, "heif")


def test_picture_sequence_keeps_the_still_picture() -> None:
    """A burst or animation (msf1 with a moov track) beside the still: the copy holds the still only."""
    props, coded = fx.heif_coded()
    moov = fx.isobox(b"moov", fx.fullbox(b"mvhd", 0, 0, bytes(96)), fx.isobox(b"udta", MARKER))
    data = fx.heif_file([fx.HeifItem(1, b"hvc1", coded, props)], 1, [], brand=b"msf1", extra_top=[moov])
    source, out = _clean(data)
    assert source.animated and any("sequence" in e for e in source.facts.extra_images)
    assert b"msf1" not in out and b"moov" not in out
    _no_marker(out)


@pytest.mark.parametrize("iloc_version", [0, 1, 2])
def test_base_offsets_with_no_extent_offsets(iloc_version: int) -> None:
    """iloc with offset size 0: each item's position is its base offset, as some writers do."""
    props, coded = fx.heif_coded()
    items = [fx.HeifItem(2, b"Exif", b"\0\0\0\x06" + fx.exif_bytes()), fx.HeifItem(1, b"hvc1", coded, props)]
    data = fx.heif_file(items, 1, [(b"cdsc", 2, [1])], base_offsets=True, iloc_version=iloc_version)
    source, out = _clean(data)
    assert source.structure is not None and source.structure.items[1].body(data) == coded
    _no_marker(out)


def test_item_numbers_past_16_bits() -> None:
    props, coded = fx.heif_coded()
    items = [
        fx.HeifItem(70_000, b"hvc1", coded, props),
        fx.HeifItem(70_001, b"Exif", b"\0\0\0\x06" + fx.exif_bytes()),
    ]
    data = fx.heif_file(items, 70_000, [(b"cdsc", 70_001, [70_000])], iloc_version=2, ipma_version=1)
    source, out = _clean(data)
    assert source.kept() == [70_000] and decoded(out, "heif") == decoded(data, "heif")
    _no_marker(out)


def test_grid_stored_in_idat_with_tiles() -> None:
    """A grid primary (as iPhones write) whose descriptor lies in idat: the tiles are part of the picture."""
    tile_props, tile = fx.heif_coded(fx.picture((64, 64)))
    assert not any(p[4:8] == b"clap" for p in tile_props)  # grid tiles must not be cropped
    grid = bytes([0, 0, 1, 1]) + struct.pack(">HH", 120, 100)  # 2 x 2 tiles, cropped to 120 x 100
    items = [fx.HeifItem(10, b"grid", grid, [fx.ispe(120, 100), fx.isobox(b"irot", b"\x03")], in_idat=True)]
    items += [fx.HeifItem(20 + i, b"hvc1", tile, tile_props, hidden=True) for i in range(4)]
    items.append(fx.HeifItem(30, b"Exif", b"\0\0\0\x06" + fx.exif_bytes()))
    data = fx.heif_file(items, 10, [(b"dimg", 10, [20, 21, 22, 23]), (b"cdsc", 30, [10])])
    source, out = _clean(data)
    assert source.kept() == [10, 20, 21, 22, 23]
    assert decoded(out, "heif")[1] == (100, 120)
    _no_marker(out)
    in_order = struct.pack(">HHHHHH", 10, 4, 20, 21, 22, 23)
    assert in_order in out
    swapped = out.replace(in_order, struct.pack(">HHHHHH", 10, 4, 21, 20, 22, 23))
    with pytest.raises(VerificationFailed, match="differently"):
        verify_clean_copy(source, swapped, True, decode=False)


def test_alpha_is_kept_because_the_picture_needs_it() -> None:
    from pillow_heif import from_pillow

    buf = io.BytesIO()
    from_pillow(fx.picture((64, 48), "RGBA")).save(buf, quality=90, exif=fx.exif_bytes(1, thumbnail=False))
    data = buf.getvalue()
    source, out = _clean(data)
    assert len(source.kept()) == 2  # the colour picture and its alpha
    assert decoded(out, "heif")[0].startswith("RGBA")
    _no_marker(out)


def test_ten_bit_pixels_stay_ten_bit() -> None:
    from pillow_heif import from_bytes

    im = fx.picture((64, 48))
    raw = b"".join(struct.pack("<H", v * 257) for v in im.tobytes())
    buf = io.BytesIO()
    from_bytes("RGB;16", im.size, raw).save(buf, quality=90, exif=fx.exif_bytes(1, thumbnail=False))
    _source, out = _clean(buf.getvalue())
    mode, _size, count, _digest = decoded(out, "heif")
    assert mode.endswith(";16") and count == 64 * 48 * 6  # libheif hands 10-bit samples in 16 bits
    assert fx.fullbox(b"pixi", 0, 0, bytes([3, 10, 10, 10])) in out
    _no_marker(out)


def test_thumbnails_and_rotation_from_pillow_heif(tmp_path: Path) -> None:
    from pillow_heif import from_pillow

    buf = io.BytesIO()
    from_pillow(fx.picture((64, 48))).save(
        buf, quality=90, exif=fx.exif_bytes(6, thumbnail=False), xmp=fx.xmp_packet(), thumbnails=[16]
    )
    data = buf.getvalue()
    assert _parse(data).facts.thumbnails
    _source, out = _clean(data)
    assert decoded(out, "heif")[1] == (48, 64)  # EXIF orientation 6 became irot; kept
    assert not _identifying(_exiftool(out, tmp_path))


def test_profile_replacement_of_another_length(monkeypatch: pytest.MonkeyPatch) -> None:
    replacement = fx.needle_icc(b"Neutral profile, rebuilt by SafeSpace with fixed words")
    assert len(replacement) != len(fx.needle_icc())
    monkeypatch.setattr(heif_write, "_profile_for_copy", lambda profile: replacement)
    _source, out = _clean(_dirty())
    assert replacement in out and fx.needle_icc() not in out
    from pillow_heif import open_heif

    assert open_heif(io.BytesIO(out)).info["icc_profile"] == replacement


def test_drop_icc_keeps_nclx() -> None:
    props, coded = fx.heif_coded()
    nclx = [p for p in props if p[4:12] == b"colrnclx"]
    assert nclx
    items = [fx.HeifItem(1, b"hvc1", coded, [*props, fx.colr_icc(fx.needle_icc(b"Profile " + MARKER))])]
    _source, out = _clean(fx.heif_file(items, 1, []), keep_icc=False)
    assert b"prof" not in out and MARKER not in out and nclx[0] in out


def test_avif(tmp_path: Path) -> None:
    from PIL import features

    if not features.check("avif"):
        pytest.skip("Pillow here was built without AVIF")
    data = fx.dirty_avif()
    _source, out = _clean(data, kind="avif")
    _no_marker(out)
    assert decoded(out, "avif") == decoded(data, "avif")
    assert not _identifying(_exiftool(out, tmp_path, "copy.avif"))
    rotated = io.BytesIO()
    see_through = fx.picture((64, 48), "RGBA")
    see_through.putalpha(128)
    see_through.save(rotated, "AVIF", quality=90, exif=fx.exif_bytes(6, thumbnail=False))
    source, out = _clean(rotated.getvalue(), kind="avif")
    assert len(source.kept()) == 2  # the picture and its alpha
    assert decoded(out, "avif")[:2] == ("RGBA", (48, 64))  # transparency and rotation kept


def test_verification_can_fail() -> None:
    data = _dirty()
    source = _parse(data)
    out = bytearray(b"".join(bytes(p) for p in source.clean(True)))
    with pytest.raises(VerificationFailed):
        verify_clean_copy(source, data, True)  # the original itself is no clean copy
    at = out.rindex(source.structure.items[1].body(data)[-40:])  # type: ignore[union-attr]
    out[at + 10] ^= 0xFF
    with pytest.raises(VerificationFailed):
        verify_clean_copy(source, bytes(out), True)
    from checks.images.icc import neutral_profile

    if neutral_profile(fx.needle_icc()) is not None:  # a copy made keeping it, checked as if dropped
        with pytest.raises(VerificationFailed):
            verify_clean_copy(source, b"".join(bytes(p) for p in source.clean(True)), False)


def _patch(data: bytes, box: bytes, offset: int, value: bytes) -> bytes:
    at = data.index(box) + 4 + offset  # offset counted from the box's content (after the type)
    return data[:at] + value + data[at + len(value) :]


def _hostile() -> dict[str, bytes]:
    props, coded = fx.heif_coded()
    one = [fx.HeifItem(1, b"hvc1", coded, props)]
    plain = fx.heif_file(one, 1, [])
    grid = bytes([0, 0, 0, 0]) + struct.pack(">HH", 64, 48)
    loops = [fx.HeifItem(i, b"grid", grid, [fx.ispe(64, 48)]) for i in (1, 2)]
    exif = fx.HeifItem(2, b"Exif", b"\0\0\0\x06" + fx.exif_bytes(thumbnail=False))
    return {
        "extent past the end": fx.heif_file(one, 1, [], shift={1: 1 << 20}),
        "picture pointing at the file's own boxes": fx.heif_file(one, 1, [], shift={1: -plain.index(coded)}),
        "picture pointing at the Exif item": fx.heif_file([exif, *one], 1, [], shift={1: -len(exif.body)}),
        "file cut inside the picture": plain[: len(plain) - 100],
        "reference loop": fx.heif_file(loops, 1, [(b"dimg", 1, [2]), (b"dimg", 2, [1])]),
        "self reference": fx.heif_file(loops[:1], 1, [(b"dimg", 1, [1])]),
        "missing tile": fx.heif_file(loops[:1], 1, [(b"dimg", 1, [99])]),
        "no pitm": fx.heif_file(one, None, []),
        "pitm names no item": fx.heif_file(one, 7, []),
        "huge iloc count": _patch(plain, b"iloc", 6, b"\xff\xff"),
        "huge ipma count": _patch(plain, b"ipma", 4, b"\xff\xff\xff\xff"),
        "huge reference count": _patch(
            fx.heif_file(loops[:1] + one[:0], 1, [(b"dimg", 1, [1])]), b"dimg", 2, b"\xff\xff"
        ),
        "bad iloc field size": _patch(plain, b"iloc", 4, b"\x33"),
        "box size 3": _patch(plain, b"iinf", -8, struct.pack(">I", 3)),
        "box size 1, tiny large size": _patch(plain, b"iinf", -8, struct.pack(">I4sQ", 1, b"iinf", 5)),
        "box size past its container": _patch(plain, b"iinf", -8, struct.pack(">I", 1 << 30)),
        "meta past the end": _patch(plain, b"meta", -8, struct.pack(">I", 1 << 30)),
        "box size 0 inside meta": _patch(plain, b"iinf", -8, struct.pack(">I", 0)),
        "property index past the list": _patch(plain, b"ipma", 11, b"\x89"),
        "no item list": plain[: plain.index(b"meta") - 4] + fx.isobox(b"mdat", b"x"),
    }


@pytest.mark.parametrize("name", sorted(_hostile()))
def test_hostile_files_give_a_clear_error(name: str) -> None:
    data = _hostile()[name]
    with pytest.raises(DamagedImage) as caught:
        source = _parse(data)
        source.clean(True)
    assert "damaged" in str(caught.value)


def test_cut_short_and_flipped_bytes_never_crash_nor_leak() -> None:
    """Every truncation and 300 random byte changes in the item boxes: a clear error or a verified copy."""
    data = _dirty()
    meta_end = data.index(b"mdat") - 4
    rng = random.Random(11)
    cases = [data[:cut] for cut in range(0, len(data), 97)]
    for _ in range(300):
        mutated = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            mutated[rng.randrange(0, meta_end)] = rng.randrange(256)
        cases.append(bytes(mutated))
    made = 0
    for case in cases:
        try:
            source = _parse(case)
            out = b"".join(bytes(p) for p in source.clean(True))
            verify_clean_copy(source, out, True, decode=False)  # decoding garbage belongs in a worker
        except SafeSpaceError:
            continue
        made += 1
        _no_marker(out)
    assert made  # truncations inside the trailing boxes still give a copy


def _corpus_heic() -> list[Path]:
    for root in (CORPUS, ROOT.parent.parent / "shared" / "corpus"):  # a worktree sits one level deeper
        folder = root / "exif-samples" / "heic"
        if folder.is_dir():
            return sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".heic", ".heif"))
    return []


@pytest.mark.parametrize("path", _corpus_heic() or [None], ids=lambda p: p.name if p else "absent")
def test_real_phone_photos_clean_losslessly(path: Path | None, tmp_path: Path) -> None:
    if path is None:
        pytest.skip("the shared sample corpus is not present")
    data = path.read_bytes()
    source, out = _clean(data)  # verify_clean_copy decoded both to identical pixels
    tags = _exiftool(out, tmp_path)
    assert not _identifying(tags), _identifying(tags)
    assert source.structure is not None
    assert source.image_ranges() and all(data[a:b] in out for a, b in source.image_ranges()[:3])
