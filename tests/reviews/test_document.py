"""Reports: JSON, HTML and PDF from the same content, the digest printed in each, everything escaped."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from checks.reviews import document, gather, reviews
from checks.store import Store
from tests.reviews.fixtures import HOSTILE, practice


def signed_review(store: Store) -> reviews.Review:
    practice(store)
    review = reviews.new_review(store, f"Review {HOSTILE}", "Sam", gather.available(store))
    for item in review.items:
        item.outcome, item.comment = "fine", f"comment {HOSTILE}"
    review.followups.append(reviews.FollowUp(f"Fix {HOSTILE}", "Sam", "2026-12-01"))
    reviews.sign(store, review, "Sam Okafor", on="2026-11-25")
    return review


def test_a_review_in_all_three_formats_carries_the_same_digest(tmp_path: Path) -> None:
    from app import report_pdf  # the app's renderer: PDF is made by Qt from the report's HTML

    with Store() as store:
        content = document.review_document(signed_review(store))
    sha = document.digest(content)
    document.write(tmp_path / "r.json", document.to_json(content))
    exported = (tmp_path / "r.json").read_bytes()
    doc = json.loads(exported)
    assert doc["sha256"] == sha and document.verify(exported)
    meta = doc["content"]["meta"]
    assert meta["app_version"] and meta["guide_content_version"] and doc["exported"]
    assert "generated" not in meta and "exported" not in meta, "the export time is outside the digest"
    assert meta["no_client_data"].startswith("This report holds no client data")
    assert "not a signature" in doc["sha256_proves"] and "anyone" in doc["sha256_proves"]
    html = document.to_html(content)
    assert f"<code>{sha}</code>" in html and "This report holds no client data" in html
    assert "not a signature" in html
    report_pdf.render(html, tmp_path / "r.pdf")
    pdf = (tmp_path / "r.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"/Type /Page" in pdf
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (make test installs poppler-utils where it can)")
    text = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True).stdout
    assert sha in text.replace("\n", "") and "Signed by" in text and "Sam Okafor" in text


def test_exports_at_different_times_give_the_same_digest(tmp_path: Path) -> None:
    """The same signed review, exported as PDF, HTML and JSON at three different times: one digest."""
    with Store() as store:
        review = signed_review(store)
        said = set()
        for fmt, exported in (("json", "2026-12-01T09:00:00+00:00"), ("html", "2026-12-02T10:00:00+00:00")):
            content = document.review_document(reviews.load(store, review.id))
            data = (
                document.to_json(content, exported)
                if fmt == "json"
                else document.to_html(content, exported).encode()
            )
            (tmp_path / f"r.{fmt}").write_bytes(data)
            said.add(document.digest(content))
        said.add(
            document.export(document.review_document(reviews.load(store, review.id)), "html", tmp_path / "x")
        )
    assert len(said) == 1
    assert json.loads((tmp_path / "r.json").read_text())["exported"] == "2026-12-01T09:00:00+00:00"
    assert "Exported on 2 Dec 2026, 10:00" in (tmp_path / "r.html").read_text()


def test_reports_use_words_and_dates_a_person_reads() -> None:
    with Store() as store:
        review_html = document.to_html(document.review_document(signed_review(store)))
        device = gather.device_progress(store, "Practice iPad")
        progress_html = document.to_html(document.device_document(device))
    for html in (progress_html, review_html):
        assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:", html), "no ISO time stamps"
        for code in ("needs_help", "not_applicable", "action_needed", ">signed<", ">draft<", ">new:"):
            assert code not in html
    assert "Needs help" in progress_html and "Essential" in progress_html
    assert "25 Nov 2026" in review_html and "1 Dec 2026" in review_html and "Signed" in review_html
    assert "20 Nov 2026, 09:05" in review_html


def test_a_json_report_with_renamed_keys_does_not_verify_rather_than_fail() -> None:
    with Store() as store:
        good = document.to_json(document.review_document(signed_review(store)))
    doc = json.loads(good)
    assert document.verify(good)
    for broken in (
        {"contents": doc["content"], "sha256": doc["sha256"]},
        {"content": doc["content"], "sha": doc["sha256"]},
        {"content": "text", "sha256": doc["sha256"]},
        [1, 2],
    ):
        assert document.verify(json.dumps(broken).encode()) is False
    assert document.verify(b"\xff not json") is False
    assert document.verify(b"[" * 100_000) is False


def test_bidi_controls_never_reach_the_html_raw() -> None:
    sneaky = "Notes\u202egpj.exe \u2066x\u2069 \u200fy\u061c"
    with Store() as store:
        practice(store)
        review = reviews.new_review(store, sneaky, sneaky, gather.available(store)[:1])
        review.items[0].comment = sneaky
        html = document.to_html(document.review_document(review))
    for mark in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c":
        assert mark not in html
    assert "Notesgpj.exe" in html


def test_an_altered_report_no_longer_verifies() -> None:
    with Store() as store:
        content = document.review_document(signed_review(store))
    exported = json.loads(document.to_json(content))
    exported["content"]["review"]["signed_by"] = "Somebody else"
    assert not document.verify(json.dumps(exported).encode())


def test_hostile_strings_come_out_escaped() -> None:
    with Store() as store:
        content = document.review_document(signed_review(store))
    html = document.to_html(content)
    assert "<script>" not in html and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "\x07" not in html and "\x1b" not in html and "\ufffd" in html
    assert "\\u0007" in document.to_json(content).decode(), "JSON escapes control characters itself"


def test_a_room_check_and_a_device_have_their_own_reports(tmp_path: Path) -> None:
    with Store() as store:
        practice(store)
        check = store.checks(store.room("Therapy room"))[0]["data"]
        device = gather.device_progress(store, "Practice iPad")
    room_html = document.to_html(document.room_check_document("Therapy room", check))
    assert (
        "Room check of Therapy room" in room_html
        and "Checked by" in room_html
        and "Done: Smart speakers" in room_html
    )
    device_doc = document.device_document(device)
    dev_html = document.to_html(device_doc)
    assert "Privacy walkthrough: Practice iPad" in dev_html and "Needs help" in dev_html
    assert "&lt;script&gt;" in dev_html and "<script>" not in dev_html
    sha = document.export(device_doc, "json", tmp_path / "d.json")
    assert json.loads((tmp_path / "d.json").read_text())["sha256"] == sha


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path, monkeypatch) -> None:
    with Store() as store:
        content = document.review_document(signed_review(store))

    def broken(html: str, path: Path) -> None:
        path.write_bytes(b"%PDF half")
        raise OSError("disk full")

    monkeypatch.setattr(document, "PDF_RENDERER", broken)
    with pytest.raises(OSError, match="disk full"):
        document.export(content, "pdf", tmp_path / "r.pdf")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(document.ExportError, match="cannot be written"):
        document.export(content, "html", tmp_path / "missing" / "r.html")
