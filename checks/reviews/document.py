"""Reports that stand up later: a review, a room check or a device's walkthrough progress, as JSON, as one
self-contained HTML file, or as PDF (rendered by Qt from the same HTML, in app/).

Each carries the app's version, the guides' content version and the time, and the SHA-256 digest of its
content as canonical JSON, printed in the document: a later reader can recompute it from the JSON and tell
whether anything was altered. Reports hold no client data, and say so. Every string is escaped.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from checks import __version__
from checks.errors import SafeSpaceError
from checks.files import atomic_write
from checks.guides.loader import content_version
from checks.reviews.reviews import OUTCOMES, Review

NO_CLIENT_DATA = (
    "This report holds no client data: it describes rooms, devices, settings and checks, never clients, "
    "sessions or file names."
)
FORMATS = ("pdf", "html", "json")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Set by the app (app/report_pdf.py): renders HTML to a PDF file. The Qt-free library has no renderer.
PDF_RENDERER: Callable[[str, Path], None] | None = None


class ExportError(SafeSpaceError):
    """A report could not be written."""


def _meta(kind: str) -> dict[str, Any]:
    return {
        "app": "SafeSpace",
        "app_version": __version__,
        "guide_content_version": content_version(),
        "generated": datetime.now().astimezone().isoformat(timespec="seconds"),
        "kind": kind,
        "no_client_data": NO_CLIENT_DATA,
    }


def review_document(review: Review) -> dict[str, Any]:
    return {"meta": _meta("review"), "review": review.to_dict()}


def room_check_document(room: str, check: dict[str, Any]) -> dict[str, Any]:
    return {"meta": _meta("room_check"), "room": room, "check": check}


def device_document(device: dict[str, Any]) -> dict[str, Any]:
    return {"meta": _meta("device_progress"), "device": device}


def canonical(content: dict[str, Any]) -> bytes:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def digest(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(content)).hexdigest()


def to_json(content: dict[str, Any]) -> bytes:
    doc = {
        "content": content,
        "sha256": digest(content),
        "sha256_of": "the 'content' object as JSON with sorted keys, no spaces, UTF-8",
    }
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def verify(exported: bytes) -> bool:
    """Whether an exported JSON report is as it was written."""
    doc = json.loads(exported)
    return digest(doc["content"]) == doc["sha256"]


def e(value: Any) -> str:
    """Any value as HTML text: escaped, control characters shown as �."""
    return html.escape(_CONTROL.sub("\ufffd", "" if value is None else str(value)), quote=True)


def _rows(pairs: list[tuple[str, Any]]) -> str:
    return "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in pairs if v not in (None, ""))


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{e(i)}</li>" for i in items) + "</ul>" if items else "<p>None.</p>"


def _evidence(kind: str, ev: dict[str, Any]) -> str:
    parts = [f"<p>{e(ev.get('summary'))}</p>"]
    if kind == "room":
        parts.append(
            _list(
                [
                    f"{d.get('status') or ''} {d.get('label')}"
                    + (f", “{d['name']}”" if d.get("name") else "")
                    for d in ev.get("devices", [])
                ]
            )
        )
        ticks = [("[x] " if c.get("done") else "[ ] ") + str(c.get("title")) for c in ev.get("checklist", [])]
        if ticks:
            parts.append("<p>Checklist:</p>" + _list(ticks))
    elif kind == "device":
        parts.append(
            _list([f"{s.get('status') or 'not done'}: {s.get('title')}" for s in ev.get("steps", [])])
        )
    elif kind == "computer":
        parts.append(_list([f"{f.get('severity')}: {f.get('title')}" for f in ev.get("findings", [])]))
    return "".join(parts)


def _review_html(r: dict[str, Any]) -> str:
    head = _rows(
        [
            ("Reviewer", r["reviewer"]),
            ("Started", r["created"]),
            ("Status", r["status"]),
            ("Signed by", r["signed_by"]),
            ("Signed on", r["signed_on"]),
            ("Next review", r["next_review"]),
        ]
    )
    items = "".join(
        f"<h3>{e(i['label'])}</h3>"
        + _rows(
            [
                ("Outcome", OUTCOMES.get(i.get("outcome") or "", "Not decided")),
                ("Reason", i.get("reason")),
                ("Comment", i.get("comment")),
            ]
        ).join(("<table>", "</table>"))
        + _evidence(i["kind"], i.get("evidence", {}))
        for i in r["items"]
    )
    follow = "".join(
        f"<tr><td>{e(f['what'])}</td><td>{e(f['owner'])}</td><td>{e(f['due'])}</td>"
        f"<td>{'Done' if f.get('done') else 'Open'}</td></tr>"
        for f in r["followups"]
    )
    follow_table = (
        f"<table><tr><th>What</th><th>Who</th><th>Due</th><th>State</th></tr>{follow}</table>"
        if follow
        else "<p>None.</p>"
    )
    return (
        f"<h1>{e(r['title'])}</h1><table>{head}</table><h2>What was reviewed</h2>{items}"
        f"<h2>Follow-ups</h2>{follow_table}"
    )


def _room_check_html(room: str, c: dict[str, Any]) -> str:
    devices = _list(
        [f"{d.get('status') or ''}: {d.get('explanation') or d.get('label')}" for d in c.get("devices", [])]
    )
    ticks = _list(
        [("[x] " if i.get("done") else "[ ] ") + str(i.get("title")) for i in c.get("checklist", [])]
    )
    head = _rows(
        [
            ("Room", room),
            ("Time", c.get("time")),
            ("Checked by", c.get("practitioner")),
            ("Network connection", c.get("interface")),
        ]
    )
    return (
        f"<h1>Room check of {e(room)}</h1><table>{head}</table><h2>Devices</h2>{devices}"
        f"<h2>Checklist</h2>{ticks}<p>{e(c.get('note'))}</p>"
    )


def _device_html(d: dict[str, Any]) -> str:
    head = _rows(
        [
            ("Device", d.get("name")),
            ("Guide", d.get("guide")),
            ("Version", d.get("os_version")),
            ("Whose", d.get("role")),
            ("Progress", d.get("summary")),
        ]
    )
    steps = "".join(
        f"<tr><td>{e(s.get('title'))}</td><td>{e(s.get('priority'))}</td>"
        f"<td>{e(s.get('status') or 'Not done')}</td>"
        f"<td>{e(s.get('note'))}</td><td>{e(s.get('time'))}</td></tr>"
        for s in d.get("steps", [])
    )
    return (
        f"<h1>Privacy walkthrough: {e(d.get('name'))}</h1><table>{head}</table><h2>Steps</h2>"
        f"<table><tr><th>Step</th><th>Priority</th><th>State</th><th>Note</th><th>When</th></tr>{steps}</table>"
    )


STYLE = (
    "body{font-family:sans-serif;font-size:11pt;color:#111;margin:2em;max-width:48em}"
    "h1{font-size:18pt}h2{font-size:14pt;margin-top:1.4em}h3{font-size:12pt}"
    "table{border-collapse:collapse;margin:.4em 0}"
    "th,td{border:1px solid #999;padding:3px 6px;text-align:left;"
    "vertical-align:top}footer{margin-top:2em;font-size:9pt;color:#333}"
)


def to_html(content: dict[str, Any]) -> str:
    meta = content["meta"]
    if meta["kind"] == "review":
        body = _review_html(content["review"])
    elif meta["kind"] == "room_check":
        body = _room_check_html(content["room"], content["check"])
    else:
        body = _device_html(content["device"])
    footer = (
        f"<footer><p>{e(meta['no_client_data'])}</p>"
        f"<p>Made by {e(meta['app'])} {e(meta['app_version'])} "
        f"(guide content {e(meta['guide_content_version'])}) "
        f"on {e(meta['generated'])}.</p>"
        "<p>SHA-256 of this report's content (as in its JSON export): "
        f"<code>{digest(content)}</code></p></footer>"
    )
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>SafeSpace report</title>'
        f"<style>{STYLE}</style></head><body>{body}{footer}</body></html>"
    )


def write(path: Path, data: bytes) -> None:
    """Written to a temporary name, then renamed into place: never a half-written report; on failure,
    nothing is left behind."""
    path = Path(path)
    if not path.parent.is_dir():
        raise ExportError(f"The report cannot be written to {path.parent}: there is no such folder.")
    try:
        atomic_write(path, data, prefix=".safespace-report-")
    except PermissionError as exc:
        raise ExportError(f"SafeSpace is not allowed to write to {path.parent}.") from exc


def export(content: dict[str, Any], fmt: str, path: Path) -> str:
    """Write the report; returns the digest printed in it."""
    if fmt == "json":
        write(path, to_json(content))
    elif fmt == "html":
        write(path, to_html(content).encode("utf-8"))
    elif fmt == "pdf":
        if PDF_RENDERER is None:
            raise ExportError("PDF reports are made by the SafeSpace app; here, export as html or json.")
        tmp = Path(path).with_name(f".safespace-report-{os.getpid()}.pdf.tmp")
        try:
            PDF_RENDERER(to_html(content), tmp)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    else:
        raise ExportError(f"Unknown format {fmt!r}: choose pdf, html or json.")
    return digest(content)
