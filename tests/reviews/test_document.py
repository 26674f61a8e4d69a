"""Reports: JSON, HTML and PDF from the same content, the digest printed in each, everything escaped."""

from __future__ import annotations

import json
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
    assert meta["app_version"] and meta["guide_content_version"] and meta["generated"]
    assert meta["no_client_data"].startswith("This report holds no client data")
    html = document.to_html(content)
    assert f"<code>{sha}</code>" in html and "This report holds no client data" in html
    report_pdf.render(html, tmp_path / "r.pdf")
    pdf = (tmp_path / "r.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"/Type /Page" in pdf
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (make test installs poppler-utils where it can)")
    text = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True).stdout
    assert sha in text.replace("\n", "") and "Signed by" in text and "Sam Okafor" in text


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
        and "[x] Smart speakers" in room_html
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
