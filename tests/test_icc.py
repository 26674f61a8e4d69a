"""Colour profiles: the neutral copy keeps colours exactly (checked by littleCMS through Pillow) and keeps
none of the text (checked by exiftool); what the text says is shown, with names and dates flagged."""

from __future__ import annotations

import io
import json
import random
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from checks.images import icc
from checks.images.common import icc_description
from checks.model import Severity

MARK = "NEEDLE-7731"


# ---- profiles built in code ---------------------------------------------------------------------------


def s15(v: float) -> bytes:
    return struct.pack(">i", round(v * 65536))


def xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ \0\0\0\0" + s15(x) + s15(y) + s15(z)


def curv(gamma: float) -> bytes:
    return b"curv\0\0\0\0" + struct.pack(">IH", 1, round(gamma * 256))


def curv_table(n: int = 64) -> bytes:
    return (
        b"curv\0\0\0\0"
        + struct.pack(">I", n)
        + b"".join(struct.pack(">H", round(65535 * (i / (n - 1)) ** 2.2)) for i in range(n))
    )


def para(gamma: float) -> bytes:
    return b"para\0\0\0\0" + struct.pack(">HH", 0, 0) + s15(gamma)


def desc_v2(text: str, slack: bytes = b"") -> bytes:
    a = text.encode("latin-1") + b"\0"
    u = text.encode("utf-16-be")
    return (
        b"desc\0\0\0\0"
        + struct.pack(">I", len(a))
        + a
        + struct.pack(">II", 0, len(text))
        + u
        + bytes(3 + 67)
        + slack
    )


def text_tag(text: str) -> bytes:
    return b"text\0\0\0\0" + text.encode("latin-1") + b"\0"


def mluc(*texts: str) -> bytes:
    records, data = b"", b""
    base = 16 + 12 * len(texts)
    for i, t in enumerate(texts):
        enc = t.encode("utf-16-be")
        records += b"enUS" if i == 0 else b"deDE"
        records += struct.pack(">II", len(enc), base + len(data))
        data += enc
    return b"mluc\0\0\0\0" + struct.pack(">II", len(texts), 12) + records + data


def lut16_rgb_to_pcs() -> bytes:
    """A lut16 from RGB: identity-ish curves, a 3-point grid that maps RGB to a plausible PCS XYZ."""
    ins, outs, grid, n = 3, 3, 3, 16
    out = b"mft2\0\0\0\0" + bytes((ins, outs, grid, 0))
    out += b"".join(s15(v) for v in (1, 0, 0, 0, 1, 0, 0, 0, 1)) + struct.pack(">HH", n, n)
    ramp = b"".join(struct.pack(">H", round(65535 * (i / (n - 1)) ** 1.8)) for i in range(n))
    out += ramp * ins
    for r in range(grid):
        for g in range(grid):
            for b in range(grid):
                x = 0.43 * r + 0.38 * g + 0.14 * b
                y = 0.22 * r + 0.72 * g + 0.06 * b
                z = 0.01 * r + 0.10 * g + 0.71 * b
                out += b"".join(
                    struct.pack(">H", min(65535, round(v / 2 / 1.999 * 65535))) for v in (x, y, z)
                )
    return out + ramp * outs + b"\xaa" * 6  # slack after the table that must not travel


def lut_cmyk(wide: bool, ins: int, outs: int, grid: int) -> bytes:
    """A lut16 ('mft2') or lut8 ('mft1') with curved tables and a grid of smooth, made-up values."""
    n = 32 if wide else 256
    unit, top = (2, 65535) if wide else (1, 255)
    head = (b"mft2" if wide else b"mft1") + bytes(4) + bytes((ins, outs, grid, 0))
    head += b"".join(s15(v) for v in (1, 0, 0, 0, 1, 0, 0, 0, 1))
    if wide:
        head += struct.pack(">HH", n, n)
    ramp = b"".join(round(top * (i / (n - 1)) ** 1.3).to_bytes(unit, "big") for i in range(n))
    table = b""
    for i in range(grid**ins):
        for o in range(outs):
            table += round(top * (((i * 7 + o * 13) % 17) / 16) * 0.8).to_bytes(unit, "big")
    return head + ramp * ins + table + ramp * outs


def mab_rgb_to_pcs() -> bytes:
    """A v4 lutAtoBType with A curves, a 16-bit CLUT, M curves, a matrix and B curves."""
    ins, outs = 3, 3
    head_len = 32
    a_curves = b"".join(_pad4(curv(1.8)) for _ in range(ins))
    clut = bytes((2, 2, 2)) + bytes(13) + bytes((2, 0, 0, 0))
    for r in range(2):
        for g in range(2):
            for b in range(2):
                vals = (0.43 * r + 0.38 * g + 0.14 * b, 0.22 * r + 0.72 * g + 0.06 * b, 0.7 * b + 0.01 * r)
                clut += b"".join(struct.pack(">H", min(65535, round(v / 1.2 * 65535))) for v in vals)
    clut = _pad4(clut)
    m_curves = b"".join(_pad4(para(1.0)) for _ in range(outs))
    matrix = b"".join(s15(v) for v in (0.9, 0.05, 0.0, 0.0, 1.0, 0.0, 0.0, 0.02, 0.95, 0, 0, 0))
    b_curves = b"".join(_pad4(curv(1.0)) for _ in range(outs))
    body, offsets = b"", {}
    for name, blob in (("b", b_curves), ("matrix", matrix), ("m", m_curves), ("clut", clut), ("a", a_curves)):
        offsets[name] = head_len + len(body)
        body += blob + (b"GAP!" if name == "clut" else b"")  # a gap between elements
    head = b"mAB \0\0\0\0" + bytes((ins, outs, 0, 0))
    head += struct.pack(">5I", offsets["b"], offsets["matrix"], offsets["m"], offsets["clut"], offsets["a"])
    return head + body


def _pad4(b: bytes) -> bytes:
    return b + b"\0" * (-len(b) % 4)


def build(
    tags: list[tuple[bytes, bytes]],
    *,
    version: int = 2,
    cls: bytes = b"mntr",
    space: bytes = b"RGB ",
    pcs: bytes = b"XYZ ",
    date: tuple[int, ...] = (2024, 3, 14, 9, 26, 53),
    profile_id: bytes = b"\x11" * 16,
    share: bool = True,
) -> bytes:
    """A profile from (signature, data) pairs; identical data is shared when `share` (as real ones do)."""
    header = bytearray(128)
    header[4:8] = b"appl"
    header[8] = version
    header[9] = 0x20 if version == 2 else 0x30
    header[12:24] = cls + space + pcs
    header[24:36] = struct.pack(">6H", *date)
    header[36:40] = b"acsp"
    header[40:44] = b"APPL"
    header[44:48] = b"\xff\xff\x00\x01"
    header[48:56] = b"APPLNDL!"
    header[56:64] = b"NEEDLE\x00\x01"
    header[64:68] = struct.pack(">I", 0)
    header[68:80] = struct.pack(">3i", 0xF6D6, 0x10000, 0xD32D)
    header[80:84] = b"appl"
    header[84:100] = profile_id
    header[100:128] = b"NEEDLE-RESERVED".ljust(28, b"\0")
    pos = 132 + 12 * len(tags)
    table, data = b"", b""
    seen: dict[bytes, tuple[int, int]] = {}
    for sig, blob in tags:
        if share and blob in seen:
            table += struct.pack(">4sII", sig, *seen[blob])
            continue
        seen[blob] = (pos + len(data), len(blob))
        table += struct.pack(">4sII", sig, pos + len(data), len(blob))
        data += _pad4(blob)
    total = pos + len(data)
    header[0:4] = struct.pack(">I", total)
    return bytes(header) + struct.pack(">I", len(tags)) + table + data


def matrix_tags(text: list[tuple[bytes, bytes]], trc: bytes | None = None) -> list[tuple[bytes, bytes]]:
    trc = trc or curv_table()
    return [
        *text,
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.4361, 0.2225, 0.0139)),
        (b"gXYZ", xyz(0.3851, 0.7169, 0.0971)),
        (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
        (b"rTRC", trc),
        (b"gTRC", trc),
        (b"bTRC", trc),
    ]


V2_TEXT = [
    (b"desc", desc_v2(f"Jane Smith's Display {MARK}", slack=MARK.encode())),
    (b"cprt", text_tag(f"Copyright {MARK}")),
    (b"dmnd", desc_v2(f"Maker {MARK}")),
    (b"dmdd", desc_v2(f"Model {MARK}")),
    (b"vued", desc_v2(f"Viewing {MARK}")),
    (b"zzzz", MARK.encode() * 4),
    (b"vcgt", b"vcgt\0\0\0\0" + MARK.encode()),
]
V4_TEXT = [
    (b"desc", mluc(f"Colour LCD {MARK}", "Farb-LCD")),
    (b"cprt", mluc(f"Copyright {MARK}")),
    (b"dmnd", mluc(f"Maker {MARK}")),
    (b"dmdd", mluc(f"Model {MARK}")),
    (b"meta", b"dict\0\0\0\0" + MARK.encode()),
    (b"mmod", b"mmod\0\0\0\0" + MARK.encode() + bytes(20)),
]

PROFILES = {
    "v2 matrix, shared curve": build(matrix_tags(V2_TEXT)),
    "v2 matrix, gamma": build(matrix_tags(V2_TEXT, curv(2.2)), share=False),
    "v4 matrix, para, chad": build(
        [
            *matrix_tags(V4_TEXT, para(2.4)),
            (b"chad", b"sf32\0\0\0\0" + b"".join(s15(v) for v in (1, 0, 0, 0, 1, 0, 0, 0, 1))),
        ],
        version=4,
    ),
    "v2 lut16 with slack": build(
        [*V2_TEXT, (b"wtpt", xyz(0.9642, 1.0, 0.8249)), (b"A2B0", lut16_rgb_to_pcs())], cls=b"scnr"
    ),
    "v4 lutAtoB": build(
        [*V4_TEXT, (b"wtpt", xyz(0.9642, 1.0, 0.8249)), (b"A2B0", mab_rgb_to_pcs())], version=4, cls=b"scnr"
    ),
    "Pillow sRGB": ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
}
CMYK = build(
    [
        *V2_TEXT,
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"A2B0", lut_cmyk(True, 4, 3, 3)),
        (b"B2A0", lut_cmyk(False, 3, 4, 5)),
        (b"gamt", lut_cmyk(False, 3, 1, 3)),
    ],
    cls=b"prtr",
    space=b"CMYK",
    pcs=b"Lab ",
)
GREY = build(
    [(b"desc", desc_v2(f"Grey {MARK}")), (b"wtpt", xyz(0.9642, 1.0, 0.8249)), (b"kTRC", curv(1.8))],
    space=b"GRAY",
)


def grid_image(mode: str = "RGB") -> Image.Image:
    steps = range(0, 256, 15)
    pixels = [(r, g, b) for r in steps for g in steps for b in steps]
    im = Image.new("RGB", (len(pixels), 1))
    im.putdata(pixels)
    return im.convert(mode) if mode != "RGB" else im


def through(profile: bytes, im: Image.Image, intent: int) -> bytes:
    src = ImageCms.ImageCmsProfile(io.BytesIO(profile))
    dst = ImageCms.createProfile("sRGB")
    transform = ImageCms.buildTransform(src, dst, im.mode, "RGB", renderingIntent=ImageCms.Intent(intent))
    out = ImageCms.applyTransform(im, transform)
    assert out is not None
    return out.tobytes()


# ---- the neutral copy ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(PROFILES))
def test_neutral_profile_keeps_colours_exactly(name: str) -> None:
    original = PROFILES[name]
    neutral = icc.neutral_profile(original)
    assert neutral is not None
    im = grid_image()
    for intent in (0, 1, 3):
        assert through(neutral, im, intent) == through(original, im, intent), intent
    grey = icc.neutral_profile(GREY)
    assert grey is not None
    assert through(grey, grid_image("L"), 0) == through(GREY, grid_image("L"), 0)


@pytest.mark.parametrize("name", list(PROFILES))
def test_neutral_profile_keeps_no_text_date_or_id(name: str) -> None:
    neutral = icc.neutral_profile(PROFILES[name])
    assert neutral is not None
    assert MARK.encode() not in neutral and b"NEEDLE" not in neutral
    assert MARK.encode("utf-16-be") not in neutral
    for gone in (
        b"APPL",
        b"appl",
        b"lcms",
        b"dmnd",
        b"dmdd",
        b"meta",
        b"vued",
        b"zzzz",
        b"\xaa" * 6,
        b"GAP!",
    ):
        assert gone not in neutral, gone
    assert neutral[24:36] == bytes(12) and neutral[84:100] == bytes(16) and neutral[100:128] == bytes(28)
    assert neutral[4:8] + neutral[40:44] + neutral[48:56] + neutral[80:84] == bytes(
        20
    )  # CMM, platform, maker
    assert neutral[8] == PROFILES[name][8] and neutral[12:24] == PROFILES[name][12:24]
    assert neutral[64:68] == PROFILES[name][64:68]
    assert struct.unpack(">I", neutral[:4])[0] == len(neutral) and len(neutral) % 4 == 0
    text = icc.describe(neutral)
    assert text.description == "RGB colour profile" and text.copyright == icc.NEUTRAL_COPYRIGHT
    assert (text.created, text.has_id, text.private_tags, text.device_maker) == (None, False, [], None)
    assert icc.profile_finding(text).severity is Severity.INFO
    assert icc.neutral_profile(neutral) == neutral  # cleaning twice changes nothing


def test_cmyk_lut_profile_keeps_colours_both_ways() -> None:
    neutral = icc.neutral_profile(CMYK)
    assert neutral is not None and MARK.encode() not in neutral
    assert icc.describe(neutral).description == "CMYK colour profile"
    cmyk = Image.frombytes("CMYK", (256, 1), bytes(range(256)) * 4)
    srgb = ImageCms.createProfile("sRGB")
    for intent in (0, 1):
        assert through(neutral, cmyk, intent) == through(CMYK, cmyk, intent)
        results = []
        for profile in (CMYK, neutral):  # towards the printer: the B2A table
            dst = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            t = ImageCms.buildTransform(srgb, dst, "RGB", "CMYK", renderingIntent=ImageCms.Intent(intent))
            out = ImageCms.applyTransform(grid_image(), t)
            assert out is not None
            results.append(out.tobytes())
        assert results[0] == results[1]


def test_neutral_profile_tag_table_is_aligned_and_shares_data() -> None:
    neutral = icc.neutral_profile(PROFILES["v2 matrix, gamma"])
    assert neutral is not None
    (count,) = struct.unpack_from(">I", neutral, 128)
    table = {
        sig: (off, size)
        for sig, off, size in (struct.unpack_from(">4sII", neutral, 132 + 12 * i) for i in range(count))
    }
    assert set(table) == {b"desc", b"cprt", b"wtpt", b"rXYZ", b"gXYZ", b"bXYZ", b"rTRC", b"gTRC", b"bTRC"}
    assert all(off % 4 == 0 and off + size <= len(neutral) for off, size in table.values())
    assert table[b"rTRC"] == table[b"gTRC"] == table[b"bTRC"]  # written once, as the copies were identical
    assert neutral[table[b"desc"][0] : table[b"desc"][0] + 4] == b"desc"  # v2 keeps v2 tag types


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool is not installed")
def test_exiftool_sees_no_text_in_the_neutral_profile(tmp_path: Path) -> None:
    paths: dict[Path, tuple[str, str]] = {}
    for n, (name, original) in enumerate(PROFILES.items()):
        neutral = icc.neutral_profile(original)
        assert neutral is not None
        for label, profile in (("original", original), ("neutral", neutral)):
            path = tmp_path / f"{label}-{n}.jpg"
            grid_image().save(path, icc_profile=profile)
            paths[path] = (name, label)
    out = subprocess.run(
        ["exiftool", "-j", "-icc_profile:all", *map(str, paths)], capture_output=True, text=True, check=True
    ).stdout
    for tags in json.loads(out):
        name, label = paths[Path(tags["SourceFile"])]
        seen = json.dumps(tags)
        if label == "original" and name != "Pillow sRGB":
            # the reader does read the text and the date, so its silence below means something
            assert MARK in seen and "2024:03:14" in seen, name
        if label == "neutral":
            assert MARK not in seen and "NEEDLE" not in seen, (name, seen)
            assert not [v for k, v in tags.items() if "Date" in k and not str(v).startswith("0000")], seen
            assert tags.get("ProfileDescription") == "RGB colour profile", seen
            assert tags.get("ProfileID") in (None, 0, "0", "00000000000000000000000000000000"), seen
    assert sorted(label for _, label in paths.values()).count("neutral") == len(PROFILES)


# ---- hostile profiles ---------------------------------------------------------------------------------


def _with_entry(profile: bytes, index: int, off: int, size: int) -> bytes:
    b = bytearray(profile)
    struct.pack_into(">II", b, 132 + 12 * index + 4, off, size)
    return bytes(b)


def test_hostile_profiles_give_none_not_a_crash() -> None:
    good = PROFILES["v2 matrix, gamma"]
    rxyz = 8  # the table index of rXYZ in matrix_tags(V2_TEXT)
    assert good[132 + 12 * rxyz : 132 + 12 * rxyz + 4] == b"rXYZ"
    hostile = [
        b"",
        bytes(131),
        good[:200],  # cut short: the declared size is beyond the end
        good[:128] + struct.pack(">I", 10**9) + good[132:],  # a huge tag count
        _with_entry(good, rxyz, len(good) - 4, 20),  # past the end
        _with_entry(good, rxyz, 2**32 - 8, 20),
        _with_entry(good, rxyz, 0, 20),  # overlapping the header
        _with_entry(good, rxyz, 140, 0),  # zero size
        bytes(4) + good[4:],  # declared size 0
        good.replace(b"acsp", b"xxxx"),
    ]
    # a curve that claims 2**31 entries, a lut16 whose grid would need terabytes, a named-colour profile
    big_curve = b"curv\0\0\0\0" + struct.pack(">I", 2**31) + bytes(8)
    hostile.append(build(matrix_tags([], big_curve)))
    lut = bytearray(lut16_rgb_to_pcs())
    lut[8], lut[10] = 15, 255
    hostile.append(build([(b"wtpt", xyz(0.9642, 1.0, 0.8249)), (b"A2B0", bytes(lut))], cls=b"scnr"))
    hostile.append(build(matrix_tags([]), cls=b"nmcl"))
    hostile.append(build([(b"desc", desc_v2("no colour tags"))]))
    mpet = build(
        [(b"wtpt", xyz(0.9642, 1.0, 0.8249)), (b"A2B0", b"mAB \0\0\0\0" + bytes(24)), (b"D2B0", b"mpet")]
    )
    hostile.append(mpet)
    for profile in hostile:
        assert icc.neutral_profile(profile) is None, profile[:40]
        text = icc.describe(profile)  # never raises
        assert isinstance(text, icc.ProfileText)
        icc.profile_finding(text)


def test_mutated_profiles_never_crash_and_stay_openable() -> None:
    rng = random.Random(11)
    sources = list(PROFILES.values())
    for _ in range(1500):
        b = bytearray(rng.choice(sources))
        for _ in range(rng.randint(1, 8)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        neutral = icc.neutral_profile(bytes(b))
        icc.profile_finding(icc.describe(bytes(b)))
        if neutral is not None:
            assert icc.neutral_profile(neutral) == neutral


# ---- what the text says -------------------------------------------------------------------------------


def test_describe_reads_v2_and_v4_text() -> None:
    v2 = icc.describe(PROFILES["v2 matrix, gamma"])
    assert v2.description == f"Jane Smith's Display {MARK}"
    assert v2.copyright == f"Copyright {MARK}"
    assert (v2.device_maker, v2.device_model, v2.viewing) == (
        f"Maker {MARK}",
        f"Model {MARK}",
        f"Viewing {MARK}",
    )
    assert (v2.manufacturer, v2.model, v2.creator) == ("APPL", "NDL!", "appl")
    assert v2.created is not None and v2.created.isoformat() == "2024-03-14T09:26:53"
    assert v2.has_id and v2.private_tags == ["zzzz", "vcgt"]
    v4 = icc.describe(PROFILES["v4 lutAtoB"])
    assert v4.description == f"Colour LCD {MARK} / Farb-LCD"
    assert v4.has_meta and "mmod" in v4.private_tags and "meta" not in v4.private_tags
    assert icc_description(PROFILES["v4 lutAtoB"]) == v4.description  # the old name still works


def test_describe_strips_control_and_bidi_characters_and_bounds_length() -> None:
    nasty = "Evil\x1b[2J\u202eTXET\u202c" + "x" * 5000
    text = icc.describe(build(matrix_tags([(b"desc", mluc(nasty))]), version=4))
    assert text.description is not None
    assert "\x1b" not in text.description and "\u202e" not in text.description
    assert len(text.description) <= 200


def test_finding_flags_a_person_and_shows_the_text() -> None:
    finding = icc.profile_finding(icc.describe(PROFILES["v2 matrix, gamma"]))
    assert finding.id == "image.icc" and finding.severity is Severity.HIGH
    assert "Jane Smith" in finding.title
    values = {f["name"]: f["value"] for f in finding.data["fields"]}
    assert values["Copyright"] == f"Copyright {MARK}" and values["Made on"] == "14 Mar 2024, 09:26"
    assert "maker of screens" not in finding.detail


def test_finding_flags_a_date() -> None:
    profile = build(
        matrix_tags([(b"desc", mluc("Color LCD")), (b"cprt", mluc("Copyright Apple Inc., 2024"))]), version=4
    )
    finding = icc.profile_finding(icc.describe(profile))
    assert finding.severity is Severity.LOW
    assert finding.title == "Has a colour profile made on 14 Mar 2024, 09:26"
    assert "link pictures to that computer" in finding.detail
    assert "particular to one screen" in finding.detail  # a screen's profile ("mntr")


def test_finding_without_name_or_date_says_what_was_checked() -> None:
    profile = build(matrix_tags([(b"desc", desc_v2("Display"))]), date=(0,) * 6)
    finding = icc.profile_finding(icc.describe(profile))
    assert finding.severity is Severity.INFO and finding.title == "Has a colour profile: “Display”"
    assert "found no person's name or date" in finding.detail


def test_unreadable_profile_is_said_so() -> None:
    finding = icc.profile_finding(icc.describe(b"garbage"))
    assert finding.severity is Severity.LOW and "could not read" in finding.detail


def test_standard_copy_with_its_published_date_is_for_information() -> None:
    profile = build(matrix_tags([(b"desc", desc_v2("sRGB IEC61966-2.1"))]), date=(1998, 2, 9, 6, 49, 0))
    finding = icc.profile_finding(icc.describe(profile))
    assert finding.severity is Severity.INFO and "standard profile" in finding.detail
    moved = build(matrix_tags([(b"desc", desc_v2("sRGB IEC61966-2.1"))]), date=(2024, 2, 9, 6, 49, 0))
    assert icc.profile_finding(icc.describe(moved)).severity is Severity.LOW  # same name, another date


def test_text_in_private_tags_is_shown_and_checked() -> None:
    profile = build(
        matrix_tags([(b"desc", mluc("Color LCD")), (b"dscm", mluc("Dr Jane Needle's screen"))]), version=4
    )
    text = icc.describe(profile)
    assert text.other_text == ["Dr Jane Needle's screen"] and text.private_tags == ["dscm"]
    finding = icc.profile_finding(text)
    assert finding.severity is Severity.HIGH and "Dr Jane" in finding.title


def test_real_profiles_in_the_shared_corpus(corpus: Path) -> None:
    """Every colour profile in the sample photos (read by Pillow, not by SafeSpace) is rebuilt with exactly
    the same colours and none of its text."""
    profiles: dict[bytes, str] = {}
    for path in sorted(corpus.rglob("*")):
        try:
            with Image.open(path) as im:
                profile = im.info.get("icc_profile")
        except Exception:  # not a picture Pillow opens: not what this test is about
            continue
        if profile:
            profiles.setdefault(profile, path.name)
    assert len(profiles) >= 3
    for profile, name in profiles.items():
        neutral = icc.neutral_profile(profile)
        assert neutral is not None, name
        original_text = icc.describe(profile)
        assert original_text.description and original_text.description.encode() not in neutral, name
        mode = "L" if profile[16:20] == b"GRAY" else "RGB"
        for intent in (0, 1, 3):
            assert through(neutral, grid_image(mode), intent) == through(profile, grid_image(mode), intent), (
                name
            )


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "TIFF"])
@pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool is not installed")
def test_clean_copies_carry_the_neutral_profile(tmp_path: Path, fmt: str) -> None:
    from checks.images.clean import clean_paths

    original = PROFILES["v2 matrix, gamma"]
    src = tmp_path / f"marked.{fmt.lower()}"
    extra = {"lossless": True} if fmt == "WEBP" else {}
    grid_image().resize((64, 48)).save(src, fmt, icc_profile=original, **extra)
    [result] = clean_paths([src], tmp_path / "out", keep_icc=True)
    assert result.status == "cleaned", result.error
    out = Path(result.output or "")
    seen = subprocess.run(
        ["exiftool", "-j", "-icc_profile:all", str(out)], capture_output=True, text=True, check=True
    ).stdout
    assert MARK not in seen and "2024:03:14" not in seen, seen
    with Image.open(out) as im:
        kept = im.info.get("icc_profile")
    assert kept == icc.neutral_profile(original)


def test_jpeg_segments_round_trip_through_pillow(tmp_path: Path) -> None:
    big = build(matrix_tags(V2_TEXT, curv_table(40_000)))  # larger than one segment holds
    neutral = icc.neutral_profile(big)
    assert neutral is not None and len(neutral) > 65_519
    segments = icc.jpeg_segments(neutral)
    assert len(segments) == 2 and all(len(s) <= 65_537 for s in segments)
    path = tmp_path / "two.jpg"
    plain = io.BytesIO()
    grid_image().save(plain, "JPEG")
    data = plain.getvalue()
    path.write_bytes(data[:2] + segments[1] + segments[0] + data[2:])  # out of order, as some writers do
    with Image.open(path) as im:
        assert im.info.get("icc_profile") == neutral  # Pillow puts them in order by their numbers
    assert icc.join_jpeg_chunks([s[4:] for s in segments[::-1]]) == neutral
