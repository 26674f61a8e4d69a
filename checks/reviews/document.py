"""Reports that stand up later: a review, a room check or a device's walkthrough progress, as JSON, as one
self-contained HTML file, or as PDF (rendered by Qt from the same HTML, in app/).

Each carries the app's version, the guides' content version, and the SHA-256 digest of its content as
canonical JSON, printed in the document. The time of the export is written beside the content, outside the
digest, so the same review gives the same digest in PDF, HTML and JSON, however often it is exported. The
digest shows an accidental or casual change; it is no signature: anyone can change a report and recompute
it. Reports hold no client data, and say so. Every string is escaped; control and bidi characters never
reach the HTML raw.
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
from checks.reviews.words import DEVICE_STATES, PRIORITIES, REVIEW_STATES, STEP_STATES, severity, state, when

NO_CLIENT_DATA = (
    "This report holds no client data: it describes rooms, devices, settings and checks, never clients, "
    "sessions or file names."
)
FORMATS = ("pdf", "html", "json")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Marks that reorder text on screen (U+202E shows "gpj.exe" as "exe.jpg"): shown as nothing at all.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
DIGEST_PROVES = (
    "The SHA-256 digest shows whether this report's content was changed by accident or casually since it "
    "was made: recompute it from the JSON export and compare. It is not a signature: anyone who changes a "
    "report can also recompute its digest, so keep a copy where others cannot change it."
)
# Set by the app (app/report_pdf.py): renders HTML to a PDF file. The Qt-free library has no renderer.
PDF_RENDERER: Callable[[str, Path], None] | None = None


class ExportError(SafeSpaceError):
    """A report could not be written."""


def _meta(kind: str) -> dict[str, Any]:
    return {
        "app": "SafeSpace",
        "app_version": __version__,
        "guide_content_version": content_version(),
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


def exported_now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def to_json(content: dict[str, Any], exported: str | None = None) -> bytes:
    doc = {
        "content": content,
        "exported": exported or exported_now(),
        "sha256": digest(content),
        "sha256_of": "the 'content' object as JSON with sorted keys, no spaces, UTF-8 (not 'exported')",
        "sha256_proves": DIGEST_PROVES,
    }
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def verify(exported: bytes) -> bool:
    """Whether an exported JSON report is as it was written. Anything that is not such a report (not JSON,
    keys renamed or missing) is False, never an error."""
    try:
        doc = json.loads(exported)
        return (
            isinstance(doc, dict)
            and isinstance(doc["content"], dict)
            and digest(doc["content"]) == doc["sha256"]
        )
    except (ValueError, KeyError, TypeError, RecursionError):
        return False


def e(value: Any) -> str:
    """Any value as HTML text: escaped, control characters shown as �."""
    text = _BIDI.sub("", "" if value is None else str(value))
    return html.escape(_CONTROL.sub("\ufffd", text), quote=True)


def _rows(pairs: list[tuple[str, Any]]) -> str:
    return "".join(
        f'<tr><th width="28%">{e(k)}</th><td>{e(v)}</td></tr>' for k, v in pairs if v not in (None, "")
    )


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{e(i)}</li>" for i in items) + "</ul>" if items else "<p>None.</p>"


def _device_line(d: dict[str, Any]) -> str:
    status = state(d.get("status"), DEVICE_STATES)
    text = str(d.get("label") or "") + (f", “{d['name']}”" if d.get("name") else "")
    return f"{status}: {text}" if status else text


def _ticks(checklist: list[dict[str, Any]]) -> list[str]:
    return [("Done: " if c.get("done") else "Not done: ") + str(c.get("title")) for c in checklist]


def _evidence(kind: str, ev: dict[str, Any]) -> str:
    parts = [f"<p>{e(ev.get('summary'))}</p>"]
    if kind == "room":
        parts.append(_list([_device_line(d) for d in ev.get("devices", [])]))
        ticks = _ticks(ev.get("checklist", []))
        if ticks:
            parts.append("<p>Checklist:</p>" + _list(ticks))
    elif kind == "device":
        parts.append(
            _list(
                [
                    f"{state(s.get('status'), STEP_STATES) or 'Not done'}: {s.get('title')}"
                    for s in ev.get("steps", [])
                ]
            )
        )
    elif kind == "computer":
        parts.append(
            _list([f"{severity(f.get('severity'))}: {f.get('title')}" for f in ev.get("findings", [])])
        )
    return "".join(parts)


def _table(head: list[str], rows: list[list[Any]], widths: list[int] | None = None) -> str:
    """A table the width of the page, its header row repeated on each page it runs onto; `widths` in
    percent of the page, one for each column."""
    shares = widths or [100 // len(head)] * len(head)
    cells = "".join(f'<th width="{w}%">{e(h)}</th>' for h, w in zip(head, shares, strict=True))
    body = "".join(
        "<tr>" + "".join(f'<td width="{w}%">{e(c)}</td>' for c, w in zip(row, shares, strict=True)) + "</tr>"
        for row in rows
    )
    return f'<table width="100%"><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>'


def _facts(pairs: list[tuple[str, Any]]) -> str:
    return f'<table width="100%">{_rows(pairs)}</table>'


def _review_html(r: dict[str, Any]) -> str:
    head = _facts(
        [
            ("Reviewer", r.get("reviewer")),
            ("Started", when(r.get("created"))),
            ("State", state(r.get("status"), REVIEW_STATES)),
            ("Signed by", r.get("signed_by")),
            ("Signed on", when(r.get("signed_on"))),
            ("Next review", when(r.get("next_review"))),
        ]
    )
    items = "".join(
        f"<h3>{e(i.get('label'))}</h3>"
        + _facts(
            [
                ("Outcome", OUTCOMES.get(i.get("outcome") or "", "Not decided")),
                ("Reason", i.get("reason")),
                ("Comment", i.get("comment")),
            ]
        )
        + _evidence(str(i.get("kind")), i.get("evidence") or {})
        for i in r.get("items", [])
    )
    rows = [
        [f.get("what"), f.get("owner"), when(f.get("due")), "Done" if f.get("done") else "Open"]
        for f in r.get("followups", [])
    ]
    follow = _table(["What", "Who", "Due", "State"], rows, [52, 18, 18, 12]) if rows else "<p>None.</p>"
    return f"<h1>{e(r.get('title'))}</h1>{head}<h2>What was reviewed</h2>{items}<h2>Follow-ups</h2>{follow}"


def _room_check_html(room: str, c: dict[str, Any]) -> str:
    devices = _list(
        [
            f"{state(d.get('status'), DEVICE_STATES)}: {d.get('explanation') or d.get('label')}"
            for d in c.get("devices", [])
        ]
    )
    head = _facts(
        [
            ("Room", room),
            ("Time", when(c.get("time"))),
            ("Checked by", c.get("practitioner")),
            ("Network connection", c.get("interface")),
        ]
    )
    return (
        f"<h1>Room check of {e(room)}</h1>{head}<h2>Devices</h2>{devices}"
        f"<h2>Checklist</h2>{_list(_ticks(c.get('checklist', [])))}<p>{e(c.get('note'))}</p>"
    )


def _device_html(d: dict[str, Any]) -> str:
    head = _facts(
        [
            ("Device", d.get("name")),
            ("Guide", d.get("guide")),
            ("Version", d.get("os_version")),
            ("Whose", d.get("role")),
            ("Progress", d.get("summary")),
        ]
    )
    rows = [
        [
            s.get("title"),
            state(s.get("priority"), PRIORITIES),
            state(s.get("status"), STEP_STATES) or "Not done",
            s.get("note"),
            when(s.get("time")),
        ]
        for s in d.get("steps", [])
    ]
    return f"<h1>Privacy walkthrough: {e(d.get('name'))}</h1>{head}<h2>Steps</h2>" + _table(
        ["Step", "Priority", "State", "Note", "When"], rows, [30, 19, 15, 20, 16]
    )


STYLE = (
    "body{font-family:sans-serif;font-size:10.5pt;color:#111;margin:0}"
    "h1{font-size:17pt}h2{font-size:13.5pt;margin-top:1.2em}h3{font-size:11.5pt}"
    "table{border-collapse:collapse;margin:.4em 0}"
    "th,td{border:1px solid #999;padding:3px 6px;text-align:left;"
    "vertical-align:top}footer,.small{margin-top:2em;font-size:9pt;color:#333}"
)


def title(content: dict[str, Any]) -> str:
    kind = content["meta"]["kind"]
    if kind == "review":
        return str(content["review"].get("title") or "Review")
    if kind == "room_check":
        return f"Room check of {content.get('room')}"
    return f"Privacy walkthrough: {content['device'].get('name')}"


def to_html(content: dict[str, Any], exported: str | None = None) -> str:
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
        f"(guide content {e(meta['guide_content_version'])}). "
        f"Exported on {e(when(exported or exported_now()))} "
        "(the time of export is not part of the digest).</p>"
        "<p>SHA-256 of this report's content (as in its JSON export): "
        f"<code>{digest(content)}</code></p><p>{e(DIGEST_PROVES)}</p></footer>"
    )
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{e(title(content))}</title>'
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
