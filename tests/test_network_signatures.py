"""The signature files follow their schema, which catches the mistakes a person editing them makes."""

from __future__ import annotations

import copy
import json
from importlib import resources

import pytest

from checks.network import mdns
from checks.network import signatures as sig


def test_every_signature_file_is_valid_and_names_its_source() -> None:
    found = sig.all_signatures()
    assert len(found) >= 100
    classes = sig.device_classes()
    assert set(classes) == {
        "smart_speaker", "smart_display", "camera", "doorbell", "tv", "phone", "tablet", "computer",
        "printer", "network", "other",
    }  # fmt: skip
    used = {s.device_class for s in found}
    assert used == set(classes), "every kind of device has at least one signature"
    assert all(s.source and s.last_verified for s in found)


def test_the_watch_list_covers_every_service_type_a_signature_knows() -> None:
    watched = set(mdns.watch_list())
    for s in sig.all_signatures():
        if "mdns_type" in s.match:
            assert f"{s.match['mdns_type']}.local." in watched


def _doc() -> dict:
    return json.loads(resources.files("resources").joinpath("signatures", "mdns.json").read_text("utf-8"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.pop("source"), "missing ['source']"),
        (lambda s: s.update(source="x"), "source must say"),
        (lambda s: s.update(last_verified="last week"), "last_verified must be a date"),
        (lambda s: s.update({"class": "robot"}), "unknown class"),
        (lambda s: s.update(confidence="certain"), "confidence must be"),
        (lambda s: s.update(microphone="yes"), "microphone must be true, false or null"),
        (lambda s: s.update(match={}), "at least one condition"),
        (lambda s: s.update(match={"colour": "red"}), "unknown condition"),
        (lambda s: s.update(match={"mdns_type": "_GoogleCast._tcp"}), "lower-case"),
        (lambda s: s.update(match={"mdns_type": "googlecast"}), "must look like"),
        (lambda s: s.update(match={"mac_prefix": ["00408c"]}), "upper-case hex"),
        (lambda s: s.update(match={"txt": {}}), "txt must map"),
        (lambda s: s.update(id="Has Spaces"), "id must be"),
        (lambda s: s.update(severity="dire"), "unknown severity"),
        (lambda s: s.update(colour="red"), "unknown ['colour']"),
    ],
)
def test_mistakes_in_a_signature_are_named(change, message: str) -> None:
    doc = copy.deepcopy(_doc())
    change(doc["signatures"][0])
    with pytest.raises(sig.SignatureError, match=message.replace("[", r"\[").replace("]", r"\]")):
        sig.validate(doc, "mdns.json", sig.device_classes())


def test_a_class_without_advice_is_refused() -> None:
    doc = json.loads(resources.files("resources").joinpath("signatures", "classes.json").read_text("utf-8"))
    del doc["classes"]["camera"]["advice"]
    with pytest.raises(sig.SignatureError, match="camera: needs exactly"):
        sig.validate_classes(doc)


def test_a_kind_is_found_whoever_found_the_device() -> None:
    """Network kinds, Bluetooth kinds, and "other" for a kind that no table knows (from old saved data)."""
    from checks.network.signatures import device_class, device_classes

    assert device_class("smart_speaker") == device_classes()["smart_speaker"]
    assert device_class("tracker").label and device_class("tracker") != device_classes()["other"]
    assert device_class("no-such-kind") == device_classes()["other"]
