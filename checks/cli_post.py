"""`safespace post check`: what in a draft post, caption or message could identify a client.

The draft is read from a file or from standard input, checked on this computer, and never saved or sent.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from checks.errors import SafeSpaceError
from checks.model import Severity
from checks.post import MAX_CHARS, check_post, destinations
from checks.post.hits import CATEGORIES
from checks.text import one_line, safe

HELP = "check a draft post or message for details that could identify a client"
MAX_BYTES = 4 * MAX_CHARS  # a draft is text; anything bigger is not one


class NotADraft(SafeSpaceError):
    """The file is not a text draft SafeSpace can read."""


def configure(p: argparse.ArgumentParser) -> None:
    p.description = (
        "Checks a draft post, caption or message for details that could identify a client: ages, names, "
        "schools, towns, days, what happened in a session, and ways to find you. Everything is checked on "
        "this computer; the draft is not saved and nothing is sent anywhere."
    )
    sub = p.add_subparsers(dest="post_command", metavar="ACTION", required=True)
    check = sub.add_parser("check", help="check a draft (a file, or - for standard input)")
    check.add_argument("file", nargs="?", default="-", help="a text file with the draft, or - (the default)")
    check.add_argument("--json", action="store_true", help="print the result as JSON")
    kinds = destinations()
    check.add_argument(
        "--where",
        choices=list(kinds),
        default="public",
        help="where it will be posted: " + "; ".join(f"{k} = {v}" for k, v in kinds.items()),
    )


def read_draft(name: str) -> str:
    if name == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        label = "the text given"
    else:
        path = Path(name)
        label = path.name
        try:
            with path.open("rb") as f:
                data = f.read(MAX_BYTES + 1)
        except FileNotFoundError as exc:
            raise NotADraft(f"{name}: there is no such file.") from exc
        except IsADirectoryError as exc:
            raise NotADraft(f"{name}: this is a folder; give a text file with the draft.") from exc
        except OSError as exc:
            raise NotADraft(f"{name}: could not be read ({exc.strerror or exc}).") from exc
    if len(data) > MAX_BYTES:
        raise NotADraft(f"{label} is too long for a draft post (more than {MAX_BYTES // 1000:,} KB).")
    if b"\x00" in data:
        raise NotADraft(
            f"{label} is not text (it looks like a picture or a document); save the draft as text."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def run(args: argparse.Namespace) -> int:
    text = read_draft(args.file)
    result = check_post(text, args.where)
    if args.json:
        json.dump(result.to_dict(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    combo = result.combination()
    verdict = result.severity.label
    title = one_line(combo.title) if combo else "no details found that point to a client"
    print(verdict if title == verdict else f"{verdict}: {safe(title)}")
    if combo is not None:
        print(f"  {safe(combo.detail)}")
    if result.truncated:
        print(f"  Only the first {MAX_CHARS:,} characters were checked.")
    details = result.details()
    for category, heading in CATEGORIES.items():
        group = [f for f in details if f.category == category]
        if not group:
            continue
        print(f"\n{heading}")
        for f in group:
            label = "" if f.severity is Severity.OK else f"[{f.severity.label}] "
            print(f"  {label}{safe(one_line(f.title))}")
            print(f"    {safe(f.detail)}")
            offers = [r["label"] for r in f.data.get("replacements", [])]
            if offers:
                print(f"    Instead: {safe('; '.join(offers))}")
    where = next(f for f in result.findings if f.id == "post.where")
    print(f"\n{where.title}\n  {safe(where.detail)}")
    for s in where.data["sources"]:
        print(f"  - {s['title']}: {s['url']}")
    print(
        "\nSafeSpace cannot know what a reader already knows: someone who knows the client may recognise "
        "them "
        "from less. The draft was checked on this computer and was not saved."
    )
    return 0
