"""`safespace computer`: what this computer shares, runs and records, from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from checks.computer.common import AREAS
from checks.computer.run import check_computer
from checks.model import Severity
from checks.store import Store, StoreError
from checks.text import safe


def configure(p: argparse.ArgumentParser) -> None:
    p.description = (
        "Checks this computer: services open to the network, remote-access, recording, "
        "cloud-sync and monitoring programs running now, whether the camera or microphone is in use, its "
        "names, and the network it is on. Everything is read on this computer; nothing is sent anywhere."
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--save", action="store_true", help="keep the result for reviews")


def run(args: argparse.Namespace) -> int:
    report = check_computer()
    if args.json:
        json.dump(report.to_dict(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return _save(report) if args.save else 0
    print(f"This computer ({safe(report.system)}), checked {report.time}")
    for area, findings in report.by_area().items():
        print(f"\n{AREAS[area]}")
        for f in findings:
            label = "" if f.severity is Severity.OK else f"[{f.severity.label}] "
            print(f"  {label}{safe(f.title)}")
            print(f"    {safe(f.detail)}")
    if args.save:
        if _save(report):
            return 1
        print("\nSaved for reviews.")
    return 0


def _save(report: Any) -> int:
    """Keep the result for reviews, after it was shown: a store that cannot be written loses nothing the
    user saw, and says why in words."""
    try:
        store = Store()
    except StoreError as exc:
        print(f"safespace: the result was not saved. {exc}", file=sys.stderr)
        return 1
    with store:
        if store.trouble:
            print(f"safespace: {store.trouble}", file=sys.stderr)
        try:
            store.save_computer(report.to_dict())
        except StoreError as exc:
            print(f"safespace: the result was not saved. {exc}", file=sys.stderr)
            return 1
    return 0
