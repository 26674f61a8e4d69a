"""`safespace computer`."""

from __future__ import annotations

import json

from checks import cli
from checks.computer.common import AREAS
from checks.store import Store


def test_json_groups_findings_by_area_and_can_be_saved(capsys) -> None:
    assert cli.main(["computer", "--json", "--save"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert list(doc["areas"]) == list(AREAS)
    assert all(doc["areas"][area] for area in AREAS), "every area says something, even when it cannot check"
    for findings in doc["areas"].values():
        for f in findings:
            assert set(f) == {"id", "category", "severity", "title", "detail", "data"}
    with Store() as store:
        [saved] = store.computer_checks()
    assert saved["data"]["areas"].keys() == doc["areas"].keys()


def test_the_summary_reads_by_area(capsys) -> None:
    assert cli.main(["computer"]) == 0
    out = capsys.readouterr().out
    for heading in AREAS.values():
        assert f"\n{heading}\n" in out
