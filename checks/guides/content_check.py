"""`make check-content`: every guide checked against the schema and for what a reader must never meet.

It checks each file on its own (so one broken guide does not hide another's problems): the schema,
well-formed https sources, no internal file names in anything a user sees, no duplicate ids, a menu path
for every version a guide lists, and the review of who else has access first. It then prints the steps
that are not yet confirmed, and the guides whose review date has passed. The exit code depends only on
the content, never on today's date: an overdue review is reported, not failed.

    python -m checks.guides.content_check [--today YYYY-MM-DD] [--quiet]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from typing import Any

from checks.guides.probes import PROBES
from checks.guides.schema import Guide, GuideError, validate
from checks.guides.sources import internal


@dataclass
class Report:
    guides: list[Guide] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)

    @property
    def steps(self) -> int:
        return sum(len(g.steps) for g in self.guides)

    def unconfirmed(self) -> list[str]:
        return [s.key for g in self.guides for s in g.steps if s.marker == "unconfirmed"]

    def confirmed(self) -> list[tuple[str, str, str]]:
        """(step, marker, the page it was checked against) for the steps checked against a page."""
        return [
            (s.key, s.marker, s.source.url) for g in self.guides for s in g.steps if s.marker != "unconfirmed"
        ]


def _strings(doc: Any, where: str = "") -> list[tuple[str, str]]:
    """Every text in a guide file with where it is, the source addresses left out (a URL may contain
    words such as "reference" that are fine there)."""
    if isinstance(doc, str):
        return [(where, doc)]
    if isinstance(doc, list):
        return [t for n, v in enumerate(doc) for t in _strings(v, f"{where}[{n}]")]
    if isinstance(doc, dict):
        return [t for k, v in doc.items() if k != "url" for t in _strings(v, f"{where}.{k}")]
    return []


def check_document(doc: Any, file_id: str, today: date, report: Report) -> None:
    for where, text in _strings(doc):
        leak = internal(text)
        if leak:
            report.errors.append(f"{file_id}.json{where}: names an internal file or note ({leak!r})")
    try:
        g = validate(doc, file_id, set(PROBES))
    except GuideError as exc:
        report.errors.append(str(exc))
        return
    report.guides.append(g)
    note = g.overdue(today)
    if note:
        report.overdue.append(f"{g.id}: review by {g.review_by} has passed. {note}")


def check(today: date | None = None) -> Report:
    report = Report()
    folder = resources.files("resources").joinpath("guides")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        file_id = entry.name.removesuffix(".json")
        try:
            doc = json.loads(entry.read_text("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            report.errors.append(f"{entry.name}: not valid JSON ({exc})")
            continue
        check_document(doc, file_id, today or date.today(), report)
    if not report.guides and not report.errors:
        report.errors.append("no guides found")
    return report


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="content_check", description="Check the walkthroughs' content.")
    p.add_argument("--today", type=date.fromisoformat, help="the day to judge review dates by (tests)")
    p.add_argument("--quiet", action="store_true", help="print only problems and the summary")
    args = p.parse_args(argv)
    report = check(args.today)
    for error in report.errors:
        print(f"ERROR {error}")
    if not args.quiet:
        confirmed = report.confirmed()
        print(f"Checked against a published page ({len(confirmed)} steps; none confirmed on a device yet):")
        for key, marker, url in confirmed:
            print(f"  {key} [{marker}] {url}")
        unconfirmed = report.unconfirmed()
        print(f"Not yet confirmed on a device or in the maker's help ({len(unconfirmed)} steps):")
        for key in unconfirmed:
            print(f"  {key}")
    for line in report.overdue:
        print(f"REVIEW {line}")
    print(
        f"{len(report.guides)} guides, {report.steps} steps; "
        f"{len(report.confirmed())} checked against a page, "
        f"{len(report.unconfirmed())} not yet confirmed; {len(report.errors)} problems."
    )
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
