"""`safespace review list|show ID|export ID --format pdf|html|json --out FILE`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from checks.reviews import document
from checks.reviews.reviews import OUTCOMES, all_reviews, damaged, load
from checks.reviews.words import REVIEW_STATES, state, when
from checks.store import open_store
from checks.text import safe


def configure(p: argparse.ArgumentParser) -> None:
    rsub = p.add_subparsers(dest="review_command", metavar="ACTION", required=True)
    lst = rsub.add_parser("list", help="the reviews kept, newest first")
    lst.add_argument("--json", action="store_true", help="print as JSON")
    show = rsub.add_parser("show", help="one review")
    show.add_argument("id", type=int, metavar="ID")
    show.add_argument("--json", action="store_true", help="print as JSON")
    exp = rsub.add_parser("export", help="write a review as a report")
    exp.add_argument("id", type=int, metavar="ID")
    exp.add_argument("--format", choices=document.FORMATS, required=True)
    exp.add_argument("--out", required=True, metavar="FILE", type=Path)


def run(args: argparse.Namespace) -> int:
    store, trouble = open_store()
    if trouble:  # said first: an empty list after a damaged file was set aside is no "nothing saved yet"
        print(f"safespace: {trouble}", file=sys.stderr)
    with store:
        if args.review_command == "list":
            reviews = all_reviews(store)
            for number in damaged(store):
                print(f"safespace: review number {number} is damaged and cannot be read.", file=sys.stderr)
            if args.json:
                doc = [
                    {
                        "id": r.id,
                        "title": r.title,
                        "status": r.status,
                        "created": r.created,
                        "overdue_followups": len(r.overdue()),
                    }
                    for r in reviews
                ]
                json.dump({"reviews": doc}, sys.stdout, indent=2, ensure_ascii=False)
                sys.stdout.write("\n")
            elif not reviews and (trouble or store.set_aside):
                since = (store.set_aside or "").split(" ", 1)
                print(
                    "No reviews in the new data file. An unreadable one was set aside"
                    + (f" on {when(since[0])} as {since[1]}" if len(since) == 2 else "")
                    + ": its reviews could not be read."
                )
            elif not reviews:
                print("No reviews yet. Start one in the app's Reviews and reports.")
            for r in [] if args.json else reviews:
                late = f", {len(r.overdue())} follow-ups overdue" if r.overdue() else ""
                words = state(r.status, REVIEW_STATES)
                print(f"{r.id:>4}  {when(r.created[:10]):<11}  {words:<6}  {safe(r.title)}{late}")
            return 0
        review = load(store, args.id)
    if args.review_command == "show":
        if args.json:
            json.dump(review.to_dict(), sys.stdout, indent=2, ensure_ascii=False)
            sys.stdout.write("\n")
            return 0
        print(
            f"{safe(review.title)} ({state(review.status, REVIEW_STATES)}), by {safe(review.reviewer)}, "
            f"started {when(review.created)}"
        )
        for item in review.items:
            outcome = OUTCOMES.get(item.outcome or "", "not decided")
            print(f"  {safe(item.label)}: {outcome}" + (f" ({safe(item.reason)})" if item.reason else ""))
        for f in review.followups:
            done = " (done)" if f.done else ""
            print(f"  Follow-up: {safe(f.what)}, {safe(f.owner)}, due {when(f.due)}{done}")
        return 0
    sha = document.export(document.review_document(review), args.format, args.out)
    print(f"Written to {args.out} (SHA-256 of its content: {sha})")
    return 0
