"""Serial numbers inside maker notes and vendor blocks: what ExifTool reads as a serial, SafeSpace reports.

Each maker note or vendor block is built in code from its published layout (exiftool.org/TagNames and
ExifTool's own modules) with planted serial numbers, put in a JPEG, and read twice: by SafeSpace (the
`image.serial` finding) and by ExifTool (`exiftool -j -a -G1 -n`, the independent oracle; skipped when it
is missing). Hostile variants (cut short, wrong offsets, directory loops, huge counts) must neither crash
nor invent a serial. The corpus test runs over `../shared/corpus` (or $SAFESPACE_CORPUS) when present.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import shutil
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from checks.images import vendor
from checks.images.clean import make_clean_copy
from checks.images.facts import Facts
from checks.images.report import expand, report_bytes, report_file
from tests import imagefactory as f
from tests.conftest import CORPUS

A = f.ascii_value
Note = Callable[[int], bytes]


def _u32(*values: int, endian: str = ">") -> bytes:
    return struct.pack(endian + "I" * len(values), *values)


def _in_jpeg(make: str, note: Note, model: str = "Model X") -> bytes:
    return f.jpeg_with(f.segment(0xE1, f.exif_with_makernote(make, note, model)))


_PENTAX = [
    (0x0001, 3, b"\x00\x03"),
    (0x0229, 2, A("PTX-NEEDLE-1")),
    (0x0215, 4, _u32(0x12B1E, 20100105, 8, 0, 7654321)),  # CameraInfo: InternalSerialNumber is the 5th
]
_SERIAL_INFO = (
    A("RS1 :V00560000", 16) + A("SID:00100056", 16) + A("RL1 :V00560000", 16) + A("LID:00010024", 16)
)
_SAMSUNG = [(0x0001, 7, b"0100"), (0xA002, 2, A("SAMNEEDLE12")), (0xA005, 2, A("SAMLENS9876"))]


def _ricoh_with_subdir(note_at: int) -> bytes:
    """Ricoh IFD note (TIFF-based offsets) whose 0x2001 block is "[Ricoh Camera Info]\\0" + a BE IFD."""
    main_at = note_at + 8
    block_at = main_at + 2 + 12 * 2 + 4 + 16  # after the IFD and 0x0005's 16-byte value
    block = b"[Ricoh Camera Info]\x00" + f.ifd_bytes([(0x002C, 7, _SERIAL_INFO)], block_at + 20)
    return b"Ricoh\x00\x00\x00" + f.ifd_bytes([(0x0005, 7, b"RCH-NEEDLE-00042"), (0x2001, 7, block)], main_at)


def _reconyx(prefix: bytes, size: int, at: int, serial: str, utf16: bool) -> Note:
    block = bytearray(size)
    block[: len(prefix)] = prefix
    raw = serial.encode("utf-16-le") if utf16 else serial.encode()
    block[at : at + len(raw)] = raw
    return lambda _at: bytes(block)


def _base_jpeg_with_afcp(shift: int = 0, endian: str = ">", before: bytes = b"") -> bytes:
    base = f.jpeg_pixels() + before
    iptc = f.iim(80, "Afcp Needle Author") + f.iim(90, "Afcpton")
    return base + f.afcp_trailer(iptc, len(base) + shift, endian)


# name -> (JPEG, serial numbers planted in it, as ExifTool shows them with -n)
CASES: dict[str, Callable[[], tuple[bytes, set[str]]]] = {
    "olympus-new-pointer": lambda: (
        _in_jpeg("OLYMPUS IMAGING CORP.", f.olympus_note("OLY-NEEDLE-1", "4124207000283102", "OLYLENS-77")),
        {"OLY-NEEDLE-1", "4124207000283102", "OLYLENS-77"},
    ),
    "olympus-new-block": lambda: (
        _in_jpeg(
            "OLYMPUS IMAGING CORP.",
            f.olympus_note("OLY-NEEDLE-2", "4124207000283103", "OLYLENS-78", True, True),
        ),
        {"OLY-NEEDLE-2", "4124207000283103", "OLYLENS-78"},
    ),
    "olympus-old-pointer": lambda: (
        _in_jpeg(
            "OLYMPUS OPTICAL CO.,LTD", f.olympus_note("OLY-NEEDLE-3", "0199802105663001", "OLYLENS-79", False)
        ),
        {"OLY-NEEDLE-3", "0199802105663001", "OLYLENS-79"},
    ),
    "olympus-old-block": lambda: (
        _in_jpeg(
            "OLYMPUS CORPORATION",
            f.olympus_note("OLY-NEEDLE-4", "0199802105663002", "OLYLENS-80", False, True),
        ),
        {"OLY-NEEDLE-4", "0199802105663002", "OLYLENS-80"},
    ),
    "pentax-aoc": lambda: (
        _in_jpeg("PENTAX Corporation", f.simple_note(b"AOC\x00MM", _PENTAX, 6, False)),
        {"PTX-NEEDLE-1", "7654321"},
    ),
    "pentax-aoc-offsets-from-note": lambda: (  # ExifTool's FixBase finds these; so must SafeSpace
        _in_jpeg("PENTAX Corporation", f.simple_note(b"AOC\x00MM", _PENTAX, 6, True)),
        {"PTX-NEEDLE-1", "7654321"},
    ),
    "pentax-type5": lambda: (
        _in_jpeg("PENTAX", f.simple_note(b"PENTAX \x00MM", _PENTAX, 10, True)),
        {"PTX-NEEDLE-1", "7654321"},
    ),
    "ricoh-pentax": lambda: (
        _in_jpeg(
            "RICOH IMAGING COMPANY, LTD.", f.simple_note(b"RICOH\x00MM", _PENTAX, 8, True), "RICOH GR III"
        ),
        {"PTX-NEEDLE-1", "7654321"},
    ),
    "ricoh-serial-and-serialinfo": lambda: (
        _in_jpeg("RICOH", _ricoh_with_subdir, "GXR"),
        {"RCH-NEEDLE-00042", "SID:00100056", "LID:00010024"},
    ),
    "ricoh-internal-serial": lambda: (
        _in_jpeg(
            "RICOH", f.simple_note(b"Ricoh\x00\x00\x00", [(0x0005, 7, bytes(range(0xA1, 0xB1)))], 8, False)
        ),
        {bytes(range(0xA1, 0xB1)).hex()},
    ),
    "sigma": lambda: (
        _in_jpeg(
            "SIGMA",
            f.simple_note(b"SIGMA\x00\x00\x00\x01\x00", [(0x0002, 2, A("SIGMA-NEEDLE-6"))], 10, False),
        ),
        {"SIGMA-NEEDLE-6"},
    ),
    "foveon": lambda: (
        _in_jpeg(
            "FOVEON", f.simple_note(b"FOVEON\x00\x00\x01\x00", [(0x0002, 2, A("FOVEON-NEEDLE-7"))], 10, False)
        ),
        {"FOVEON-NEEDLE-7"},
    ),
    "motorola": lambda: (
        _in_jpeg(
            "motorola",
            f.simple_note(
                b"MOT\x00", [(0x5500, 2, A("MPJ24.139-23.4")), (0x5501, 2, A("ZY22NEEDLE"))], 8, True
            ),
            "moto g(6)",
        ),
        {"ZY22NEEDLE"},
    ),
    "samsung-type2": lambda: (
        _in_jpeg("SAMSUNG", f.simple_note(b"", _SAMSUNG, 0, False), "NX300"),
        {"SAMNEEDLE12", "SAMLENS9876"},
    ),
    "samsung-type2-offsets-from-note": lambda: (
        _in_jpeg("SAMSUNG", f.simple_note(b"", _SAMSUNG, 0, True), "NX300"),
        {"SAMNEEDLE12", "SAMLENS9876"},
    ),
    "sony": lambda: (
        _in_jpeg(
            "SONY", f.simple_note(b"SONY DSC \x00\x00\x00", [(0x2031, 2, A("04030201"))], 12, False), "ILCE-9"
        ),
        {"1020304"},  # stored in reversed digit pairs; ExifTool (and SafeSpace) put them in order
    ),
    "reconyx-hyperfire": lambda: (
        _in_jpeg(
            "RECONYX", _reconyx(b"\x01\xf1\x03\x00", 0x80, 0x2A, "H500NEEDLE01", True), "HC500 HYPERFIRE"
        ),
        {"H500NEEDLE01"},
    ),
    "reconyx-ultrafire": lambda: (
        _in_jpeg("RECONYX", _reconyx(b"RECONYXUF\x00", 0x80, 0x4B, "UFNEEDLE02", False), "UltraFire"),
        {"UFNEEDLE02"},
    ),
    "reconyx-hf2": lambda: (
        _in_jpeg("RECONYX", _reconyx(b"RECONYXH2\x00", 0xA0, 0x7E, "HF2NEEDLE03", True), "HF2 PRO"),
        {"HF2NEEDLE03"},
    ),
    "flir": lambda: (
        f.jpeg_with(*f.flir_segments("FLIRNEEDLE42", "FLIRLENS99", f.LAT, f.LON)),
        {"FLIRNEEDLE42", "FLIRLENS99"},
    ),
    "flir-one-section": lambda: (
        f.jpeg_with(*f.flir_segments("FLIRNEEDLE43", "FLIRLENS98", f.LAT, f.LON, parts=1)),
        {"FLIRNEEDLE43", "FLIRLENS98"},
    ),
    "infiray": lambda: (
        f.jpeg_with(*f.infiray_segments("IRNEEDLE0001", "VISNEEDLE0002")),
        {"IRNEEDLE0001", "VISNEEDLE0002"},
    ),
}


def _sony_internal(model: str, at: int, serial: bytes) -> tuple[bytes, set[str]]:
    """Sony note with the enciphered 0x9050 block (each byte b stored as b**3 % 249) holding the internal
    serial number at the model's position."""
    block = bytearray(range(256)) * 4  # 1,024 bytes of varied content around it
    block[at : at + len(serial)] = serial
    enciphered = bytes(pow(b, 3, 249) if b < 249 else b for b in block)
    note = f.simple_note(b"SONY DSC \x00\x00\x00", [(0x9050, 7, enciphered)], 12, False)
    return _in_jpeg("SONY", note, model), {serial.hex()}


CASES["sony-internal-ilce-7m2"] = lambda: _sony_internal("ILCE-7M2", 0x7C, bytes([0x12, 0x34, 0x56, 0x78]))
CASES["sony-internal-slt"] = lambda: _sony_internal("SLT-A99V", 0xF0, bytes([0x01, 0x23, 0x45, 0x67, 0xF8]))
CASES["sony-internal-ilce-7m3"] = lambda: _sony_internal("ILCE-7M3", 0x88, bytes([0xAB, 0xCD, 0xEF, 1, 2, 3]))
CASES["sony-internal-ilce-1"] = lambda: _sony_internal(
    "ILCE-1", 0x8A, bytes([0xFA, 0xCE, 0x00, 0x11, 0x22, 0x33])
)


CASES["gopro"] = lambda: (f.jpeg_with(f.gopro_segment("C3221324545448")), {"C3221324545448"})
CASES["canon-ciff-eos"] = lambda: (f.jpeg_with(f.ciff_segment("Canon EOS 10D", 560123456)), {"560123456"})


def _leica_m9(_at: int) -> bytes:
    """Leica M9: "LEICA0" + 2 bytes, IFD at 8 (offsets from the note), 0x3000 an inline block with an IFD
    whose 0x3103 is the serial number (0x0500 there is not one, for ExifTool)."""
    block_at = 8 + 2 + 12 + 4
    block = f.ifd_bytes([(0x0500, 7, b"ABC1203040001"), (0x3103, 2, A("M9NEEDLE42"))], block_at)
    return b"LEICA0\x03\x00" + f.ifd_bytes([(0x3000, 7, block)], 8)


_LEICA5_ENTRIES = [(0x0305, 4, _u32(4455667)), (0x0500, 7, b"XNEEDLE9900")]
_PANASONIC_ENTRIES = [(0x0025, 7, b"LEICAINTNEEDLE01"), (0x0052, 2, A("LENSNEEDLE-33"))]
CASES.update(
    {
        "leica-panasonic-format": lambda: (
            _in_jpeg("LEICA", f.simple_note(b"LEICA\x00\x00\x00", _PANASONIC_ENTRIES, 8, False), "D-LUX 4"),
            {"LEICAINTNEEDLE01", "LENSNEEDLE-33"},
        ),
        "leica-m8": lambda: (
            _in_jpeg(
                "Leica Camera AG",
                f.simple_note(b"LEICA\x00\x00\x00", [(0x0303, 4, _u32(123456))], 8, False),
                "M8",
            ),
            {"123456"},
        ),
        "leica-r8": lambda: (
            _in_jpeg(
                "Leica Camera AG",
                f.simple_note(b"", [(0x000B, 7, b"\x00\x01\x02\x03R8NEEDLE")], 0, False),
                "R8",
            ),
            {"R8NEEDLE"},
        ),
        "leica-m9": lambda: (_in_jpeg("Leica Camera AG", _leica_m9, "M9"), {"M9NEEDLE42"}),
        "leica-x2": lambda: (
            _in_jpeg("LEICA CAMERA AG", f.simple_note(b"LEICA\x00\x01\x00", _LEICA5_ENTRIES, 8, True), "X2"),
            {"4455667", "XNEEDLE9900"},
        ),
        "leica-q": lambda: (
            _in_jpeg("LEICA CAMERA AG", f.simple_note(b"LEICA\x00\x08\x00", _LEICA5_ENTRIES, 8, False), "Q"),
            {"4455667", "XNEEDLE9900"},
        ),
        "leica-d-lux7": lambda: (
            _in_jpeg("LEICA CAMERA AG", f.simple_note(b"LEICA CAMERA AG\x00", _PANASONIC_ENTRIES, 18, False)),
            {"LEICAINTNEEDLE01", "LENSNEEDLE-33"},
        ),
    }
)


def _om_system() -> tuple[bytes, set[str]]:
    """OM System: "OM SYSTEM\\0" + 6 bytes, IFD at 16, offsets from the note's start."""
    endian = "<"
    equipment = [(0x0101, 2, A("OMS-NEEDLE-5", 32)), (0x0202, 2, A("OMLENS-81", 32))]
    main_len = len(f.ifd_bytes([(0x2010, 13, b"\x00" * 4)], 16, endian))
    main = f.ifd_bytes([(0x2010, 13, struct.pack("<I", 16 + main_len))], 16, endian)
    note = b"OM SYSTEM\x00\x00\x00II\x04\x00" + main + f.ifd_bytes(equipment, 16 + main_len, endian)
    return _in_jpeg("OM Digital Solutions", lambda _at: note, "OM-1"), {"OMS-NEEDLE-5", "OMLENS-81"}


CASES["om-system"] = _om_system


def serials(data: bytes) -> list[str]:
    report = report_bytes(data, "case.jpg")
    assert report.error is None, report.error
    return [v["value"] for x in report.findings if x.id == "image.serial" for v in x.data["fields"]]


def exiftool_serials(paths: list[Path]) -> dict[str, dict[str, str]]:
    """What ExifTool reads as serial numbers (tags named *Serial*, non-empty), per file, as stored (-n)."""
    if shutil.which("exiftool") is None:
        pytest.skip("exiftool is not installed (make test installs it where it can: libimage-exiftool-perl)")
    out = subprocess.run(
        ["exiftool", "-j", "-a", "-G1", "-n", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )
    found: dict[str, dict[str, str]] = {}
    for entry in json.loads(out.stdout or "[]"):
        tags = {k: str(v).strip() for k, v in entry.items() if "Serial" in k.split(":")[-1]}
        for k, v in tags.items():  # a list of bytes (Sony's internal serial, with -n) as ExifTool prints it
            if re.fullmatch(r"\d+( \d+)+", v) and all(int(b) < 256 for b in v.split()):
                tags[k] = bytes(int(b) for b in v.split()).hex()
        found[entry["SourceFile"]] = {k: v for k, v in tags.items() if v}
    return found


def _covers(reported: list[str], value: str) -> bool:
    """ExifTool's value is among SafeSpace's (allowing a label around it, as Nikon's "No= 123")."""
    return any(
        value == r or (len(r) >= 4 and r in value) or (len(value) >= 4 and value in r) for r in reported
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_serial_is_reported(name: str) -> None:
    data, planted = CASES[name]()
    assert planted
    reported = serials(data)
    assert all(_covers(reported, value) for value in planted), reported  # (Canon pads with zeros as ExifTool)


@pytest.mark.parametrize("name", sorted(CASES))
def test_exiftool_reads_the_same_serials(name: str, tmp_path: Path) -> None:
    data, planted = CASES[name]()
    path = tmp_path / f"{name}.jpg"
    path.write_bytes(data)
    read = set(exiftool_serials([path])[str(path)].values())
    assert read == planted  # the layout built here is the one ExifTool documents
    assert all(_covers(serials(data), value) for value in read)


def test_canon_ciff_number_of_a_powershot_is_not_a_serial(tmp_path: Path) -> None:
    """CIFF's 0x180B is the serial number only on EOS models (ExifTool: an unknown number on others)."""
    data = f.jpeg_with(f.ciff_segment("Canon PowerShot A5", 123456))
    assert serials(data) == []
    path = tmp_path / "powershot.jpg"
    path.write_bytes(data)
    assert exiftool_serials([path])[str(path)] == {}


def test_clean_copies_have_no_serial(tmp_path: Path) -> None:
    """Every case, cleaned: SafeSpace's verified copy holds no serial, by SafeSpace and by ExifTool."""
    paths = []
    for name, build in sorted(CASES.items()):
        data, _ = build()
        copy = make_clean_copy(data, keep_icc=True)
        out = b"".join(bytes(p) for p in copy.pieces)
        copy.verify(out)
        assert "image.serial" in copy.removed, name
        assert serials(out) == [], name
        paths.append(tmp_path / f"{name}.jpg")
        paths[-1].write_bytes(out)
    assert {str(p): {} for p in paths} == exiftool_serials(paths)


def test_flir_position_is_reported_as_exiftool_reads_it(tmp_path: Path) -> None:
    data, _ = CASES["flir"]()
    report = report_bytes(data, "flir.jpg")
    assert report.gps is not None
    assert report.gps["latitude"] == pytest.approx(f.LAT) and report.gps["longitude"] == pytest.approx(f.LON)
    gps = next(x for x in report.findings if x.id == "image.gps")
    assert gps.data["source"] == "FLIR"
    if shutil.which("exiftool") is None:
        pytest.skip("exiftool is not installed")
    path = tmp_path / "flir.jpg"
    path.write_bytes(data)
    tags = json.loads(subprocess.run(["exiftool", "-j", "-n", "-G1", str(path)], capture_output=True).stdout)[
        0
    ]
    assert tags["FLIR:GPSLatitude"] == pytest.approx(f.LAT) and tags["FLIR:GPSLongitude"] == pytest.approx(
        f.LON
    )


def test_flir_visible_light_photo_is_reported(tmp_path: Path) -> None:
    data = f.jpeg_with(*f.flir_segments("FLIRNEEDLE45", "FLIRLENS96", f.LAT, f.LON, photo=True))
    report = report_bytes(data, "flir.jpg")
    extra = next(x for x in report.findings if x.id == "image.extra_images")
    assert any("FLIR" in p for p in extra.data["pictures"])
    if shutil.which("exiftool") is None:
        pytest.skip("exiftool is not installed")
    path = tmp_path / "flir.jpg"
    path.write_bytes(data)
    tags = json.loads(subprocess.run(["exiftool", "-j", "-G1", str(path)], capture_output=True).stdout)[0]
    assert tags.get("FLIR:EmbeddedImageType") == "JPG"


def test_flir_position_not_valid_is_not_a_position() -> None:
    data, _ = CASES["flir"]()
    at = data.index(struct.pack("<I", 1) + bytes(4) + b"N\x00")  # the GPSInfo record's valid flag
    report = report_bytes(data[:at] + bytes(4) + data[at + 4 :], "flir.jpg")
    assert report.gps is None


def test_infiray_sensor_needs_its_version_header() -> None:
    """ExifTool reads an APP9 sensor record only after an "IJPEG" header; SafeSpace does the same."""
    version, sensor = f.infiray_segments("IRNEEDLE0009", "VISNEEDLE0009")
    assert serials(f.jpeg_with(sensor)) == []
    assert serials(f.jpeg_with(sensor, version)) == []
    assert "IRNEEDLE0009" in serials(f.jpeg_with(version, sensor))


@pytest.mark.parametrize(
    ("shift", "endian", "before"),
    [(0, ">", b""), (100, ">", b""), (0, "<", b""), (-7, "<", b""), (0, ">", b"data AXS!\xff\xff then")],
)
def test_afcp_iptc_is_reported(shift: int, endian: str, before: bytes, tmp_path: Path) -> None:
    """IPTC in an AFCP trailer, with its stated start right or wrong (ExifTool then finds the header),
    and with a stray "AXS!" before it."""
    data = _base_jpeg_with_afcp(shift, endian, before)
    report = report_bytes(data, "afcp.jpg")
    values = {v["value"] for x in report.findings for v in x.data.get("fields", [])}
    assert {"Afcp Needle Author", "Afcpton"} <= values
    if shutil.which("exiftool") is None:
        pytest.skip("exiftool is not installed")
    path = tmp_path / "afcp.jpg"
    path.write_bytes(data)
    tags = json.loads(subprocess.run(["exiftool", "-j", "-G1", str(path)], capture_output=True).stdout)[0]
    by_tag = {k.split(":")[-1]: v for k, v in tags.items() if k.startswith("IPTC")}
    assert by_tag.get("By-line") == "Afcp Needle Author" and by_tag.get("City") == "Afcpton"


def test_afcp_reader_is_bounded() -> None:
    tail = _base_jpeg_with_afcp()[len(f.jpeg_pixels()) :]
    assert vendor.read_afcp(tail, Facts())
    for cut in range(len(tail)):
        vendor.read_afcp(tail[cut:], Facts())  # cut from the front: offsets now point elsewhere
        vendor.read_afcp(tail[:cut], Facts())
    huge = tail[:6] + b"\xff\xff" + tail[8:]  # 65,535 entries announced
    assert not vendor.read_afcp(huge, Facts())
    assert not vendor.read_afcp(b"AXS!" + b"\xff" * 20, Facts())


def test_afcp_entries_pointing_at_one_block_are_read_once_over() -> None:
    """1,000 directory entries all naming the same IPTC block: never more read than the trailer holds."""
    iptc = b"".join(f.iim(25, f"keyword {i}") for i in range(200))
    header = b"AXS!\x01\x00" + struct.pack(">H", 1000) + bytes(4)
    value_at = len(header) + 12 * 1000
    directory = (b"IPTC" + struct.pack(">II", len(iptc), value_at)) * 1000
    tail = header + directory + iptc + b"AXS!" + struct.pack(">I", 0) + bytes(4)
    facts = Facts()
    assert vendor.read_afcp(tail, facts)
    assert 200 <= facts.iptc_entries <= 200 * (len(tail) // len(iptc))


# --- hostile variants ---


def _in_file(value: str, data: bytes) -> bool:
    """A reported serial must be read from the file, never made up: each run of letters and digits in it
    is there as text (or, for values shown as numbers or hex, as bytes). Control characters and damaged
    text are shown as spaces or replacement marks, so the value is checked run by run."""
    if value.isdigit():
        number = int(value)
        stored = ("0" + value if len(value) == 7 else value).encode()  # Sony's reversed digit pairs
        stored = (
            b"".join(stored[i : i + 2] for i in range(len(stored) - 2, -1, -2)) if len(stored) == 8 else b""
        )
        if (stored and stored in data) or any(
            struct.pack(e + "I", number) in data for e in "<>" if number < 2**32
        ):
            return True
    with contextlib.suppress(ValueError):
        raw = bytes.fromhex(value)
        if raw in data or bytes(pow(b, 3, 249) if b < 249 else b for b in raw) in data:  # Sony enciphers
            return True
    runs = re.findall(r"[A-Za-z0-9:.-]+", value)
    return bool(runs) and all(r.encode() in data or r.encode("utf-16-le") in data for r in runs)


def _mutations(data: bytes, seed: int, cuts: int = 40, words: int = 120, skip: int = 0) -> list[bytes]:
    """Cut short at many points, and words overwritten with offsets past the end, zero and self-pointers,
    from `skip` bytes into the first section on."""
    rng = random.Random(seed)
    start = (data.index(b"\xff\xe1") if b"\xff\xe1" in data else 2) + skip
    end = data.index(b"\xff\xdb")  # the first table: everything before it is the vendor data under test
    out = [data[:cut] for cut in range(start, end, max(1, (end - start) // cuts))]
    for _ in range(words):
        at = rng.randrange(start + 4, end - 4)
        word = rng.choice(
            [b"\xff\xff\xff\xff", b"\x7f\xff\xff\xff", b"\x00\x00\x00\x00", b"\x00\x00\x00\x08"]
        )
        out.append(data[:at] + word + data[at + 4 :])
    return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_variants_neither_crash_nor_invent(name: str) -> None:
    data, _ = CASES[name]()
    for variant in _mutations(data, seed=len(name)):
        report = report_bytes(variant, "hostile.jpg")
        assert report.error is None or "SafeSpace could not read" not in report.error
        for value in (
            v["value"] for x in report.findings if x.id == "image.serial" for v in x.data["fields"]
        ):
            assert _in_file(value, variant), (name, value)


def _intact_runs(value: str) -> list[str]:
    """Runs of letters and digits, less the character on each side that touches damage (a UTF-16 pair
    split by damaged bytes decodes differently in each reader)."""
    runs = []
    for m in re.finditer(r"[A-Za-z0-9:-]{3,}", value):
        a, b = m.start() + (m.start() > 0), m.end() - (m.end() < len(value))
        if b - a >= 2:
            runs.append(value[a:b])
    return runs


def test_hostile_variants_exiftool_reads_are_reported(tmp_path: Path) -> None:
    """Damaged inside the note or block (past the EXIF header): every serial ExifTool still reads there,
    SafeSpace reports too. Damaged text is shown differently by each (ExifTool writes "?" for bytes that
    are not UTF-8), so values are compared by their runs of letters and digits."""
    variants: dict[Path, bytes] = {}
    for name, build in sorted(CASES.items()):
        data, _ = build()
        for i, variant in enumerate(_mutations(data, seed=len(name) + 1, cuts=6, words=18, skip=18)):
            path = tmp_path / f"{name}-{i}.jpg"
            path.write_bytes(variant)
            variants[path] = variant
    read = exiftool_serials(list(variants))
    missed, total = [], 0
    for path, variant in variants.items():
        wanted = read.get(str(path), {})
        reported = [
            v["value"]
            for x in report_bytes(variant, "hostile.jpg").findings
            if x.id == "image.serial"
            for v in x.data["fields"]
        ]
        for tag, value in wanted.items():
            total += 1
            runs = _intact_runs(value)
            if (
                runs
                and not _covers(reported, value)
                and not any(all(r in got for r in runs) for got in reported)
            ):
                missed.append(f"{path.name} {tag}={value!r} (SafeSpace: {reported})")
    assert total > 300
    assert missed == []


def _olympus_loop(note_at: int) -> bytes:
    """Olympus note whose Equipment pointer points back at the main IFD, whose next link points at itself."""
    main_at = 12
    main = f.ifd_bytes([(0x2010, 13, struct.pack("<I", main_at))], main_at, "<", next_ifd=main_at)
    return b"OLYMPUS\x00II\x03\x00" + main


def _huge_count(note_at: int) -> bytes:
    """A Sigma note announcing 65,535 entries, and one entry announcing 4 billion values."""
    body = struct.pack(">H", 0xFFFF) + struct.pack(">HHII", 0x0002, 2, 0xFFFFFFFF, 0x10) + bytes(64)
    return b"SIGMA\x00\x00\x00\x01\x00" + body


@pytest.mark.parametrize(
    ("make", "note"),
    [("OLYMPUS IMAGING CORP.", _olympus_loop), ("SIGMA", _huge_count)],
    ids=["ifd-loop", "huge-count"],
)
def test_loops_and_huge_counts(make: str, note: Note) -> None:
    assert serials(_in_jpeg(make, note)) == []


def test_flir_directory_loops_and_huge_counts() -> None:
    (section,) = f.flir_segments("FLIRNEEDLE44", "FLIRLENS97", f.LAT, f.LON, parts=1)
    payload = bytearray(section[4:])
    fff = 8  # the FFF block starts after "FLIR\0", a byte, its number and the last number
    struct.pack_into(">I", payload, fff + 0x1C, 0xFFFFFFFF)  # record count
    assert "FLIRNEEDLE44" in serials(f.jpeg_with(f.segment(0xE1, bytes(payload))))
    struct.pack_into(">I", payload, fff + 0x18, 0xFFFFFFF0)  # directory past the end
    assert serials(f.jpeg_with(f.segment(0xE1, bytes(payload)))) == []
    many = [f.segment(0xE1, b"FLIR\x00\x01\x00\x00" + bytes(4)) for _ in range(5000)]  # 5,000 sections
    assert serials(f.jpeg_with(*many)) == []


# --- real files ---


@pytest.fixture
def recall_corpus() -> Path:
    root = Path(os.environ.get("SAFESPACE_CORPUS", CORPUS))
    if not root.is_dir():
        pytest.skip(f"the shared sample corpus is not present at {root}")
    return root


def test_every_serial_exiftool_reads_in_the_corpus_is_reported(recall_corpus: Path) -> None:
    paths = sorted(expand([recall_corpus]))
    read = exiftool_serials(paths)
    missed, total = [], 0
    for path in paths:
        wanted = read.get(str(path), {})
        if not wanted:
            continue
        report = report_file(path)
        reported = [v["value"] for x in report.findings if x.id == "image.serial" for v in x.data["fields"]]
        for tag, value in wanted.items():
            total += 1
            if not _covers(reported, value):
                missed.append(f"{path.relative_to(recall_corpus)} {tag}={value!r}")
    assert total > 0
    assert missed == [], f"{len(missed)} of {total} serial numbers missed"
