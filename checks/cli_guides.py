"""`safespace guides`: the walkthroughs' content, and how far each device has got."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from checks.guides import progress
from checks.guides.loader import content_version, counts, guide, guides
from checks.guides.schema import KINDS, PRIORITIES, Guide, Step
from checks.store import Store
from checks.text import safe


def configure(p: argparse.ArgumentParser) -> None:
    gsub = p.add_subparsers(dest="guides_command", metavar="ACTION", required=True)
    lst = gsub.add_parser("list", help="the guides there are")
    lst.add_argument("--json", action="store_true", help="print as JSON")
    show = gsub.add_parser("show", help="every step of one guide")
    show.add_argument(
        "guide", metavar="GUIDE", help="a guide's id, as `guides list` shows, or a name such as iphone"
    )
    show.add_argument("--version", metavar="VERSION", help="only the menu paths for this version")
    show.add_argument("--json", action="store_true", help="print as JSON")
    prog = gsub.add_parser("progress", help="how far each device has got")
    prog.add_argument("--device", metavar="NAME", help="one device, step by step")
    prog.add_argument("--json", action="store_true", help="print as JSON")


def step_dict(s: Step) -> dict[str, Any]:
    return {
        "id": s.id, "title": s.title, "topic": s.topic, "why": s.why,
        "how": [{"path": list(h.path), "versions": list(h.versions), "note": h.note} for h in s.how],
        "recommended": s.recommended, "priority": s.priority, "may_alert_others": s.may_alert_others,
        "probe": s.probe, "checklist": list(s.checklist),
        "source": {"url": s.source.url, "title": s.source.title, "publisher": s.source.publisher,
                   "kind": s.source.kind},
        "last_verified": {"marker": s.marker, "date": s.verified.date, "versions": list(s.verified.versions)},
    }  # fmt: skip


def guide_dict(g: Guide, steps: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {"id": g.id, "title": g.title, "kind": g.kind, "version_kind": g.version_kind,
                           "versions": list(g.versions), "older_versions": list(g.older_versions),
                           "content_version": g.content_version, "review_by": g.review_by,
                           "steps": len(g.steps)}  # fmt: skip
    if steps:
        out["intro"] = g.intro
        out["steps"] = [step_dict(s) for s in g.steps]
    return out


def run(args: argparse.Namespace) -> int:
    if args.guides_command == "list":
        return _list(args)
    if args.guides_command == "show":
        return _show(args)
    return _progress(args)


def _list(args: argparse.Namespace) -> int:
    if args.json:
        doc = {
            "content_version": content_version(),
            "guides": [guide_dict(g, False) for g in guides().values()],
        }
        json.dump(doc, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    for g in guides().values():
        print(
            f"{g.id:<20} {g.title} ({KINDS[g.kind].lower()}; {', '.join(g.versions)}): {len(g.steps)} steps"
        )
    n_guides, n_steps = counts()
    print(f"{n_guides} guides, {n_steps} steps; last checked {content_version()}.")
    return 0


def _show(args: argparse.Namespace) -> int:
    g = guide(args.guide)
    version, version_note = g.resolve(args.version) if args.version else (None, None)
    if args.version and version is None:
        print(f"The guide for {g.title} covers {', '.join(g.choices())}.", file=sys.stderr)
        return 1
    if args.json:
        json.dump(guide_dict(g), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    print(f"{g.title} ({', '.join(g.versions)})\n{g.intro}\n")
    if version_note:
        print(f"{version_note}\n")
    for n, s in enumerate(g.steps, 1):
        caution = " (changing it may be noticed by someone who shares it)" if s.may_alert_others else ""
        print(f"{n}. {s.title} [{PRIORITIES[s.priority]}]{caution}")
        print(f"   Why: {s.why}")
        for q in s.checklist:
            print(f"   - {q}")
        for h in s.how_for(version) if version else s.how:
            versions = f" ({', '.join(h.versions)})" if h.versions and not version else ""
            print(f"   How{versions}: {h.text()}")
        print(f"   Recommended: {s.recommended}")
        print(f"   Source: {s.source.text()}")
        print(f"   {s.verified.words(s.source, version)}\n")
    return 0


def _progress(args: argparse.Namespace) -> int:
    with Store() as store:
        chosen = [progress.profile(store, args.device)] if args.device else progress.profiles(store)
        rows = []
        for p in chosen:
            g = guide(p.guide)
            done = progress.marks(store, p)
            summary = progress.summary(g, done)
            rows.append((p, g, done, summary))
    if args.json:
        doc = {"devices": [{
            "name": p.name, "guide": p.guide, "os_version": p.os_version, "role": p.role,
            "finished": s.finished, "total": s.total, "counted": s.counted,
            "steps": [{"id": st.id, "title": st.title, "priority": st.priority,
                       "status": done[st.id].status if st.id in done else None,
                       "note": done[st.id].note if st.id in done else None,
                       "time": done[st.id].time if st.id in done else None} for st in g.steps],
        } for p, g, done, s in rows]}  # fmt: skip
        json.dump(doc, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    if not rows:
        print("No devices yet. Add one in the app's Privacy walkthroughs.")
    for p, g, done, s in rows:
        print(f"{safe(p.name)} ({g.title}{', ' + p.os_version if p.os_version else ''}): {s.line()}")
        if args.device:
            for st in g.steps:
                status = progress.STATUSES[done[st.id].status] if st.id in done else "Not done yet"
                note = f" ({safe(done[st.id].note or '')})" if st.id in done and done[st.id].note else ""
                print(f"  {status:<16} {st.title}{note}")
    return 0
