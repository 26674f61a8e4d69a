"""The programs and services data files follow their schema."""

from __future__ import annotations

import copy

import pytest

from checks.computer import programs, services
from checks.computer.common import DataError, read


def test_the_data_files_are_valid() -> None:
    categories, progs = programs.validate(read("programs.json"))
    assert set(categories) == {"remote_access", "recording", "meetings", "cloud_sync", "monitoring"}
    assert {p.category for p in progs} == set(categories)
    needed = {"teamviewer", "anydesk", "rustdesk", "chrome-remote-desktop", "screenconnect", "vnc-server",
              "dropbox", "onedrive", "google-drive", "icloud"}  # fmt: skip
    assert needed <= {p.id for p in progs}
    _kinds, table = services.validate(read("services.json"))
    ports = {p for s in table for p in s.ports}
    assert {445, 548, 2049, 5900, 3389, 7000, 22, 80, 32400} <= ports


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["programs"][0].pop("source"), "source must be a non-empty text"),
        (lambda d: d["programs"][0].update(last_verified="x"), "last_verified must be a date"),
        (lambda d: d["programs"][0].update(category="games"), "unknown category"),
        (lambda d: d["programs"][0].update(match={"names": [], "path_globs": []}), "needs a name or a glob"),
        (lambda d: d["programs"][0].update(match={"names": ["TeamViewer"]}), "lower-case"),
        (lambda d: d["programs"][0].update(match={"cmdline": ["x"]}), "match takes"),
        (lambda d: d["programs"][1].update(id=d["programs"][0]["id"]), "id used twice"),
        (lambda d: d["programs"][0].update(colour="red"), "unknown"),
        (lambda d: d["categories"]["recording"].update(severity="dire"), "unknown severity"),
    ],
)
def test_mistakes_in_the_programs_file_are_named(change, message: str) -> None:
    doc = copy.deepcopy(read("programs.json"))
    change(doc)
    with pytest.raises(DataError, match=message):
        programs.validate(doc)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["services"][0].update(ports=[70000]), "tcp ports"),
        (lambda d: d["services"][0].update(kind="mystery"), "unknown kind"),
        (lambda d: d["kinds"].pop("other"), "needs the kind 'other'"),
        (lambda d: d["services"][0].pop("source"), "source must be"),
    ],
)
def test_mistakes_in_the_services_file_are_named(change, message: str) -> None:
    doc = copy.deepcopy(read("services.json"))
    change(doc)
    with pytest.raises(DataError, match=message):
        services.validate(doc)
