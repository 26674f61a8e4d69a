"""`make check-content`: the same check `make test` runs, with "today" given, so that no test fails just
because time passed."""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from importlib import resources
from pathlib import Path

from checks.guides import content_check
from checks.guides.loader import guide, guides

ROOT = Path(__file__).resolve().parents[2]


def test_the_content_passes_and_the_unconfirmed_steps_are_listed(capsys) -> None:
    assert content_check.main(["--today", "2026-12-02"]) == 0
    out = capsys.readouterr().out
    assert "ERROR" not in out and "REVIEW" not in out
    unconfirmed = [s.key for g in guides().values() for s in g.steps if s.marker == "unconfirmed"]
    assert unconfirmed and all(f"  {key}\n" in out for key in unconfirmed)
    assert f"Not yet confirmed on a device or in the maker's help ({len(unconfirmed)} steps)" in out
    assert (
        "  ios.safety-check [checked] https://support.apple.com/guide/personal-safety/ips2aad835e1/web" in out
    )
    total = sum(len(g.steps) for g in guides().values())
    assert f"{len(guides())} guides, {total} steps" in out


def test_a_passed_review_date_is_reported_but_never_fails(capsys) -> None:
    late = date.fromisoformat(guide("ios").review_by).replace(year=2031)
    assert content_check.main(["--today", late.isoformat(), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "REVIEW ios: review by" in out
    assert "This guide was last checked in December 2026; menus may have changed since" in out
    assert content_check.main(["--today", guide("ios").review_by, "--quiet"]) == 0
    assert "REVIEW" not in capsys.readouterr().out, "on the review day itself the guide is still current"


def _ios() -> dict:
    return json.loads(resources.files("resources").joinpath("guides", "ios.json").read_text("utf-8"))


def test_a_broken_guide_is_named_and_the_rest_still_checked() -> None:
    report = content_check.Report()
    doc = copy.deepcopy(_ios())
    doc["steps"][3]["how"][0]["versions"] = ["iOS 26"]  # no path left for iOS 27
    content_check.check_document(doc, "ios", date(2026, 12, 2), report)
    content_check.check_document(_ios(), "ios", date(2026, 12, 2), report)
    assert len(report.errors) == 1 and "no menu path for ['iOS 27']" in report.errors[0]
    assert len(report.guides) == 1


def test_internal_names_are_found_in_any_text_but_not_in_addresses() -> None:
    doc = copy.deepcopy(_ios())
    doc["steps"][2]["source"]["url"] = "https://support.apple.com/guide/reference/x"
    doc["intro"] = "Based on /work/shared/reference/guides-sources.md"
    report = content_check.Report()
    content_check.check_document(doc, "ios", date(2026, 12, 2), report)
    leaks = [e for e in report.errors if "internal" in e]
    assert leaks and all(".intro" in e or "intro" in e for e in leaks), report.errors
    assert not [e for e in report.errors if ".url" in e]


def test_make_check_content_runs_this_check() -> None:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert "check-content: $(STAMP)\n\t$(BIN)/python -m checks.guides.content_check\n" in makefile


def test_the_readme_counts_come_from_the_data() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = " ".join(readme[readme.index("### Privacy walkthroughs") :].split("\n### ")[0].split())
    steps = sum(len(g.steps) for g in guides().values())
    assert f"{len(guides())} guides and {steps} steps" in section
    for g in guides().values():
        if g.version_kind == "system":
            for (
                v
            ) in g.versions:  # "iOS 26", "Windows 11 24H2", "Ubuntu 26.04 (GNOME 50)": the number is named
                assert re.findall(r"\d+(?:\.\d+|H2)?", v.split(" (")[0])[-1] in section, (g.id, v)
        else:
            name = g.title.split(" (")[0].removesuffix(" account").removesuffix(" and fitness apps")
            assert name in section, g.id
