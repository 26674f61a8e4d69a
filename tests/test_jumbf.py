"""Content Credentials: what a C2PA manifest store says (checked against exiftool's reading of the same
store in a JPEG, and openssl's of the certificate), how the pieces are found, and hostile stores."""

from __future__ import annotations

import contextlib
import io
import json
import math
import random
import re
import shutil
import struct
import subprocess
from pathlib import Path

import cbor2
import pytest

from checks.images import cbor, jpeg, jumbf
from checks.images.facts import Facts
from tests import imagefactory as fx

CERT_SUBJECT = "/CN=Jane Cert-Needle/O=Needle Counselling/L=Leeds/C=GB"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> bytes | None:
    if shutil.which("openssl") is None:
        return None
    d = tmp_path_factory.mktemp("cert")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", str(d / "k.pem"), "-days", "2", "-subj", CERT_SUBJECT, "-outform", "DER",
         "-out", str(d / "c.der")],
        check=True, capture_output=True,
    )  # fmt: skip
    return (d / "c.der").read_bytes()


def read(store: bytes) -> Facts:
    facts = Facts()
    jumbf.read_c2pa(store, facts)
    return facts


def test_manifest_store_is_read_for_people_place_software_edits_and_versions(
    certificate: bytes | None,
) -> None:
    facts = read(fx.c2pa_store(certificate))
    assert facts.c2pa and facts.unknown == []
    authors = facts.values("image.author")
    assert fx.C2PA_AUTHOR in authors
    assert "Jane Identity-Needle" in authors and "janeneedle" in authors
    if certificate:
        assert "Jane Cert-Needle, Needle Counselling, Leeds, GB" in authors
    assert facts.gps is not None and facts.gps.source == "Content Credentials"
    assert (round(facts.gps.latitude, 4), round(facts.gps.longitude, 4)) == (39.3517, -74.4429)
    assert {"Needle Camera 1.0", fx.C2PA_SOFTWARE, "Needle App 1.0"} <= set(facts.values("image.software"))
    assert {"2024-03-05T14:22:00Z", "2024-03-06T09:00:00Z"} <= set(facts.values("image.time"))
    steps = [v for label, v in facts.fields["image.c2pa"] if label == "Edit step"]
    assert steps == [
        "Created, Needle Camera 1.0, 2024-03-05T14:22:00Z",
        f"Cropped, {fx.C2PA_SOFTWARE}, 2024-03-06T09:00:00Z",
    ]
    assert fx.C2PA_INGREDIENT in facts.values("image.c2pa")
    assert "IMG_NEEDLE.jpg" in facts.values("image.c2pa")
    assert sorted(facts.thumbnails) == [
        "Content Credentials preview of an earlier version",
        "Content Credentials preview picture",
    ]
    assert {"xmp:iid:NEEDLE-INGREDIENT", "xmp:iid:NEEDLE-CLAIM"} <= set(facts.values("image.unique_id"))
    assert "c2pa.hash.data" not in json.dumps(facts.fields)  # a hash says nothing about anyone


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_certificate_subject_matches_openssl(certificate: bytes | None, tmp_path: Path) -> None:
    assert certificate is not None
    (tmp_path / "c.der").write_bytes(certificate)
    out = subprocess.run(
        ["openssl", "x509", "-inform", "DER", "-in", str(tmp_path / "c.der"), "-noout", "-subject",
         "-nameopt", "sep_multiline,utf8"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    theirs = [line.split("=", 1)[1] for line in out.splitlines()[1:]]
    assert jumbf.certificate_subject(certificate) == ", ".join(theirs)
    for cut in range(0, len(certificate), 7):
        jumbf.certificate_subject(certificate[:cut])  # never raises


def exiftool_lines(path: Path) -> list[tuple[str, str, str]]:
    out = subprocess.run(
        ["exiftool", "-a", "-G1", "-s", "-json:all", "-cbor:all", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = []
    for line in out.splitlines():
        m = re.match(r"\[(\w+)\]\s+(\S+)\s*: (.*)$", line)
        if m:
            found.append((m[1], m[2], m[3]))
    return found


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool is not installed")
def test_same_store_read_by_exiftool(tmp_path: Path, certificate: bytes | None) -> None:
    store = fx.c2pa_store(certificate)
    path = tmp_path / "c2pa.jpg"
    segments = fx.app11_segments(store, chunk=400)
    path.write_bytes(fx.insert_after_soi(fx.jpeg_pixels(), *segments))
    theirs = {(tag, value) for _, tag, value in exiftool_lines(path)}
    # what exiftool reads (so the store is real C2PA JUMBF), and SafeSpace reads too, from the JPEG itself
    wanted = {
        ("AuthorName", fx.C2PA_AUTHOR),
        ("ExifGPSLatitude", fx.C2PA_GPS[0]),
        ("ActionsSoftwareAgent", fx.C2PA_SOFTWARE),
        ("ActionsSoftwareAgentName", "Needle Camera 1.0"),
        ("Title", fx.C2PA_INGREDIENT),
        ("Title", "IMG_NEEDLE.jpg"),
        ("InstanceID", "xmp:iid:NEEDLE-INGREDIENT"),
        ("Claim_Generator_InfoName", "Needle App"),
    }
    assert wanted <= theirs, wanted - theirs
    payloads = [s[4:] for s in segments]
    random.Random(3).shuffle(payloads)
    [joined] = jumbf.join_app11(payloads)
    assert joined == store
    facts = read(joined)
    ours = json.dumps(facts.fields)
    for _, value in wanted:
        assert value in ours, value
    facts = Facts()
    jpeg.parse(path.read_bytes(), facts)  # today's JPEG reader only notes that the store is there
    assert facts.c2pa


def test_where_callers_find_the_store() -> None:
    store = fx.c2pa_store()
    assert jumbf.bmff_manifest(b"\0\0\0\0manifest\0" + bytes(8) + store) == store
    assert jumbf.bmff_manifest(b"\0\0\0\0merkle\0" + b"\xa0") is None
    assert jumbf.bmff_manifest(b"\0\0") is None
    two = fx.app11_segments(store, 300, instance=1) + fx.app11_segments(fx.c2pa_store(b"x"), 300, instance=2)
    assert len(jumbf.join_app11([s[4:] for s in two])) == 2
    assert jumbf.join_app11([b"JP", b"XX" + bytes(20)]) == []


def test_read_app11_joins_and_reads() -> None:
    store = fx.c2pa_store()
    payloads = [s[4:] for s in fx.app11_segments(store, 256)][::-1]
    facts = Facts()
    jumbf.read_app11(payloads, facts)
    assert facts.c2pa and fx.C2PA_AUTHOR in facts.values("image.author")
    facts = Facts()
    jumbf.read_app11([b"JP\x00\x00\x00\x01jumb\x00\x00\x00\x00c2pa.claim"], facts)  # a broken header
    assert facts.c2pa and facts.unknown == ["damaged Content Credentials"]


def test_jumbf_that_is_not_content_credentials() -> None:
    other = fx.jumbf_superbox("6a736f6e" + fx.C2PA_SUFFIX, "jpeg360", fx.jumbf_box(b"json", b"{}"))
    facts = Facts()
    assert jumbf.read_c2pa(other, facts) is False
    assert not facts.c2pa and facts.unknown == ["JUMBF block 'jpeg360'"]
    facts = Facts()
    assert jumbf.read_c2pa(b"\x00\x00\x00\x10jumbc2pa-damaged", facts) is True
    assert facts.c2pa and facts.unknown == ["damaged Content Credentials"]


def test_hostile_stores_never_crash() -> None:
    store = fx.c2pa_store()
    for cut in range(0, len(store), 13):
        read(store[:cut])
    rng = random.Random(19)
    for _ in range(400):
        b = bytearray(store)
        for _ in range(rng.randint(1, 10)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        read(bytes(b))
    deep = fx.jumbf_superbox("store", "c2pa")
    for _ in range(2000):
        deep = fx.jumbf_superbox("manifest", "m", deep)
    assert read(deep).unknown == ["damaged Content Credentials"]
    many = fx.jumbf_superbox("store", "c2pa", *[fx.jumbf_box(b"free", b"")] * 10_000)
    assert read(many).unknown == ["damaged Content Credentials"]
    huge_box = struct.pack(">I4sQ", 1, b"jumb", 2**63) + bytes(64)
    assert read(huge_box).unknown == ["JUMBF block"]  # nothing says it was Content Credentials
    deep_json = fx.jumbf_superbox(
        "store", "c2pa", fx.jumbf_superbox("manifest", "m", fx.jumbf_superbox(
            "assertions", "c2pa.assertions",
            fx.jumbf_superbox("json", "stds.exif", fx.jumbf_box(b"json", b"[" * 100_000)),
            fx.jumbf_superbox("cbor", "c2pa.actions", fx.jumbf_box(b"cbor", b"\x81" * 100_000)),
            fx.jumbf_superbox("cbor", "c2pa.ingredient", fx.jumbf_box(b"cbor", b"\x9b" + b"\xff" * 8)),
        )),
    )  # fmt: skip
    facts = read(deep_json)
    assert facts.c2pa and facts.unknown == []


# ---- the CBOR reader, against cbor2 -------------------------------------------------------------------


def _random_value(rng: random.Random, depth: int = 0) -> object:
    kinds = ["int", "neg", "big", "str", "bytes", "float", "bool", "none"]
    if depth < 4:
        kinds += ["list", "dict"]
    kind = rng.choice(kinds)
    if kind == "int":
        return rng.randrange(2 ** rng.choice([5, 8, 16, 32, 64]))
    if kind == "neg":
        return -1 - rng.randrange(2 ** rng.choice([5, 8, 16, 32, 63]))
    if kind == "big":
        return rng.randrange(2**64)
    if kind == "str":
        return "".join(rng.choice("aé€𝄞 \n") for _ in range(rng.randrange(40)))
    if kind == "bytes":
        return rng.randbytes(rng.randrange(300))
    if kind == "float":
        return rng.choice([0.0, -1.5, 1e300, math.inf, rng.random()])
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "none":
        return None
    if kind == "list":
        return [_random_value(rng, depth + 1) for _ in range(rng.randrange(6))]
    return {f"k{i}": _random_value(rng, depth + 1) for i in range(rng.randrange(6))}


def test_cbor_reader_agrees_with_cbor2() -> None:
    rng = random.Random(5)
    for _ in range(500):
        value = _random_value(rng)
        for encoded in (cbor2.dumps(value), cbor2.dumps(value, canonical=True)):
            assert cbor.loads(encoded) == value
    assert cbor.loads(cbor2.dumps(cbor2.CBORTag(18, [b"a", {33: b"c"}]))) == [b"a", {33: b"c"}]
    assert cbor.loads(bytes.fromhex("f93c00")) == 1.0  # half precision
    assert cbor.loads(bytes.fromhex("7f657374726561646d696e67ff")) == "streaming"  # indefinite text
    assert cbor.loads(bytes.fromhex("9f018202039f0405ffff")) == [1, [2, 3], [4, 5]]
    assert cbor.loads(bytes.fromhex("bf61610161629f0203ffff")) == {"a": 1, "b": [2, 3]}
    assert cbor.loads(bytes.fromhex("a1820102 63616263".replace(" ", ""))) == {"[1, 2]": "abc"}


@pytest.mark.parametrize(
    "hostile",
    [
        b"",
        b"\x9b\xff\xff\xff\xff\xff\xff\xff\xff",  # an array of 2**64 - 1 items
        b"\xbb\x00\x00\x00\x01\x00\x00\x00\x00",  # a map of 2**32 pairs
        b"\x5b\x00\x00\x00\x10\x00\x00\x00\x00",  # a 64 GB byte string
        b"\x81" * 1000,  # nested too deeply
        b"\x9f" * 1000,
        b"\x5f\x41a\x61b\xff",  # an indefinite byte string with a text piece
        b"\x7f\x61a",  # never closed
        b"\x1c",  # reserved
        b"\xff",  # a break alone
        b"\x9f" + b"\x00" * 300_000 + b"\xff",  # too many items
    ],
)
def test_cbor_reader_refuses_hostile_data(hostile: bytes) -> None:
    with pytest.raises(cbor.CborError):
        cbor.loads(hostile)


def test_cbor_reader_never_crashes_on_mutations() -> None:
    rng = random.Random(8)
    sources = [cbor2.dumps(_random_value(rng)) for _ in range(50)]
    for _ in range(3000):
        b = bytearray(rng.choice(sources))
        for _ in range(rng.randint(1, 4)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        with contextlib.suppress(cbor.CborError):
            cbor.loads(bytes(b))


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_reports_name_what_the_credentials_hold(fmt: str) -> None:
    from checks.images.report import report_bytes

    store = fx.c2pa_store()
    if fmt == "JPEG":
        data = fx.insert_after_soi(fx.jpeg_pixels(), *fx.app11_segments(store, 400))
    else:
        out = io.BytesIO()
        fx.picture().save(out, "PNG")
        png = out.getvalue()
        data = png[:33] + fx.png_chunk(b"caBX", store) + png[33:]
    report = report_bytes(data)
    shown = json.dumps([f.to_dict() for f in report.findings])
    for needle in (fx.C2PA_AUTHOR, fx.C2PA_SOFTWARE, fx.C2PA_INGREDIENT):
        assert needle in shown, needle
    assert report.gps is not None and round(report.gps["latitude"], 4) == 39.3517
