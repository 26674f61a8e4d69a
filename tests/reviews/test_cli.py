"""`safespace review list|show|export`, through the real entry point (which brings the PDF renderer)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from app.__main__ import main
from checks.reviews import gather, reviews
from checks.store import Store
from tests.reviews.fixtures import practice
from tests.reviews.pdfpages import read


def test_list_show_and_export(capsys, tmp_path: Path) -> None:
    with Store() as store:
        practice(store)
        review = reviews.new_review(store, "Review 2026", "Sam", gather.available(store)[:1])
        review.followups.append(reviews.FollowUp("Check Room 2", "Jo", "2020-01-01"))
        reviews.save(store, review)
    assert main(["review", "list"]) == 0
    assert f"{review.id:>4}" in (out := capsys.readouterr().out) and "1 follow-ups overdue" in out
    assert main(["review", "show", str(review.id), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Review 2026"
    for fmt in ("json", "html", "pdf"):
        target = tmp_path / f"review.{fmt}"
        assert main(["review", "export", str(review.id), "--format", fmt, "--out", str(target)]) == 0
        said = capsys.readouterr().out
        sha = said.rsplit("SHA-256 of its content: ", 1)[1].strip(")\n")
        if fmt == "json":
            assert json.loads(target.read_text())["sha256"] == sha
        elif fmt == "html":
            assert f"<code>{sha}</code>" in target.read_text()
        elif shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True).stdout
            assert sha in text.replace("\n", "")
            pages = read(target)  # readable on paper, not 1 pt text in a corner
            assert 10.0 <= pages.size_of("Reviewer") <= 11.0 and "Page 1 of" in pages.text(1)
    assert main(["review", "show", "99"]) == 1
    assert "no review number 99" in capsys.readouterr().err
