"""The published discovery data: imported by packaging/import_signatures.py without running the packages'
code, recorded with its licences, and turned into signatures only through the curated table."""

from __future__ import annotations

import importlib.util
import json
import zipfile
from importlib import resources
from pathlib import Path
from types import ModuleType

import pytest

from checks.network import classify, published
from checks.network import signatures as sig
from checks.network.neighbours import vendor_of
from checks.network.records import Sighting

ROOT = Path(__file__).resolve().parents[1]


def _importer() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "import_signatures", ROOT / "packaging" / "import_signatures.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_imported_data_names_its_sources_and_licences() -> None:
    doc = published.published()
    by_name = {s["name"]: s for s in doc["sources"]}
    assert by_name["Home Assistant"]["licence"] == "Apache-2.0"
    assert by_name["pychromecast"]["licence"] == "MIT" and by_name["pyatv"]["licence"] == "MIT"
    for s in doc["sources"]:
        assert "==" in s["package"] and s["url"].startswith("https://")
        text = resources.files("resources").joinpath("signatures", s["licence_text"]).read_text("utf-8")
        assert ("Apache License" in text) if s["licence"] == "Apache-2.0" else ("MIT License" in text)
    assert len(doc["zeroconf"]) > 100 and len(doc["dhcp"]) > 300 and len(doc["ssdp"]) > 30
    assert (
        doc["cast_models"]["jbl link 10"] == "audio"
        and doc["apple_models"]["AudioAccessory5,1"] == "HomePodMini"
    )
    assert doc["hap_categories"]["17"] == "IP_CAMERA"


def _wheel(folder: Path, package: str, version: str, files: dict[str, str]) -> None:
    with zipfile.ZipFile(folder / f"{package}-{version}-py3-none-any.whl", "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
        z.writestr(f"{package}-{version}.dist-info/licenses/LICENSE", f"{package} licence text")


def test_the_importer_reads_tables_without_running_the_packages_code(tmp_path: Path) -> None:
    imp = _importer()
    boom = "raise SystemExit('the importer ran package code')\n"
    _wheel(
        tmp_path,
        "homeassistant",
        "2026.11.0",
        {
            "homeassistant/generated/zeroconf.py": boom
            + 'ZEROCONF = {"_x._tcp.local.": [{"domain": "sonos"}]}\n'
            + 'HOMEKIT = {"BSB002": {"domain": "hue"}}\n',
            "homeassistant/generated/ssdp.py": boom + 'SSDP = {"roku": [{"st": "roku:ecp"}]}\n',
            "homeassistant/generated/dhcp.py": boom
            + 'from typing import Final\nDHCP: Final[list] = [{"domain": "ring", "hostname": "ring*", '
            '"macaddress": "0CAE7D*"}, {"domain": "x", "macaddress": "09E29*"}]\n',
        },
    )
    _wheel(
        tmp_path,
        "pychromecast",
        "14.0.10",
        {"pychromecast/const.py": boom + 'A = "audio"\nG = "Google"\nCAST_TYPES = {"nest audio": (A, G)}\n'},
    )
    _wheel(
        tmp_path,
        "pyatv",
        "0.18.0",
        {"pyatv/support/device_info.py": boom + '_MODEL_LIST = {"AppleTV5,3": DeviceModel.Gen4}\n'},
    )
    _wheel(
        tmp_path,
        "aiohomekit",
        "4.0.1",
        {"aiohomekit/model/categories.py": boom + "class Categories(enum.IntFlag):\n    IP_CAMERA = 17\n"},
    )
    doc = imp.read_wheels(tmp_path)
    assert doc["zeroconf"] == {"_x._tcp": [{"domain": "sonos"}]}
    assert doc["homekit_models"] == {"BSB002": "hue"}
    assert doc["cast_models"] == {"nest audio": "audio"} and doc["apple_models"] == {"AppleTV5,3": "Gen4"}
    assert doc["hap_categories"] == {"17": "IP_CAMERA"}
    assert doc["dhcp"][0]["owner"] == "Texas Instruments" and doc["dhcp"][1]["owner"] is None
    assert doc["_licence_texts"]["pyatv"] == "pyatv licence text"


def test_a_table_that_changed_shape_stops_the_import(tmp_path: Path) -> None:
    imp = _importer()
    with pytest.raises(SystemExit, match="not a constant"):
        imp._literal("CAST_TYPES = {'x': (compute(), 'y')}\n", "CAST_TYPES")
    with pytest.raises(SystemExit, match="not found"):
        imp._literal("OTHER = 1\n", "CAST_TYPES")


def test_every_curated_integration_has_a_reason_and_is_in_the_published_tables() -> None:
    doc = published.published()
    named = {m["domain"] for v in doc["zeroconf"].values() for m in v} | set(doc["ssdp"])
    named |= {m["domain"] for m in doc["dhcp"]} | set(doc["homekit_models"].values())
    classes = sig.device_classes()
    for domain, row in published.integrations().items():
        assert domain in named, f"{domain} is in no published table"
        assert row["class"] in classes and len(row["reason"]) >= 10
        assert row["microphone"] in (True, False, None) and row["camera"] in (True, False, None)


def test_generated_signatures_are_validated_and_name_home_assistant() -> None:
    made = [s for s in sig.all_signatures() if s.id.startswith("ha.")]
    assert len(made) > 300
    assert all(s.published and s.published.startswith("Home Assistant: ") for s in made)
    assert all(s.confidence != "high" or "homekit" in s.id for s in made)
    # no generated MAC rule lets a chip maker's prefix decide alone
    for s in made:
        if "mac_prefix" in s.match and s.device_class != "other":
            assert "host" in s.match or not sig.is_generic_maker(s.mac_owner)


def test_a_published_matcher_classifies_and_says_where_it_comes_from() -> None:
    # Home Assistant zeroconf.py HOMEKIT: model BSB002 is hue (a bridge, ci 2); _printer._tcp is ipp/brother.
    [hue] = classify.devices(
        [
            Sighting(
                "mdns", ("192.168.1.5",), name="Hue", kind="_hap._tcp", fields={"md": "BSB002", "ci": "2"}
            )
        ],
        vendor_of,
    )
    assert (hue.device_class, hue.microphone, hue.camera) == ("other", False, False)
    assert "Home Assistant: hue" in hue.explanation
    [printer] = classify.devices(
        [Sighting("mdns", ("192.168.1.6",), name="Office", kind="_printer._tcp", fields={})], vendor_of
    )
    assert printer.device_class == "printer"


def test_the_imported_file_is_what_the_importer_writes() -> None:
    # The JSON is sorted and indented as the script writes it: a hand edit shows up here.
    text = resources.files("resources").joinpath("signatures", "published.json").read_text("utf-8")
    assert text == json.dumps(json.loads(text), indent=1, ensure_ascii=False, sort_keys=True) + "\n"
