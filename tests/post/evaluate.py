"""Scores the detectors on the labelled corpus: recall and precision per category, and how drafts are rated.
Used by tests/bench/bench_post.py (which prints it) and by the tests (which hold it to a floor)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checks.model import Severity
from checks.post import check_post

CORPUS = Path(__file__).resolve().parent / "corpus.jsonl"
HOLDOUT = Path(__file__).resolve().parent / "holdout.jsonl"
CATEGORIES = ("client", "where_when", "practitioner")


def load_corpus(path: Path = CORPUS) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@dataclass
class Score:
    found: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    labelled: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    shown: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    identifying: int = 0
    identifying_high: int = 0
    none: int = 0
    none_above_low: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (category, missed words, draft)
    wrong: list[tuple[str, str, str]] = field(default_factory=list)  # (category, shown words, draft)
    rated: list[tuple[str, str, str]] = field(default_factory=list)  # (label, verdict, draft) when off

    def recall(self, category: str) -> float:
        return self.found[category] / self.labelled[category] if self.labelled[category] else 1.0

    def precision(self, category: str) -> float:
        return self.right[category] / self.shown[category] if self.shown[category] else 1.0


def evaluate(drafts: list[dict[str, Any]] | None = None) -> Score:
    score = Score()
    for d in drafts if drafts is not None else load_corpus():
        text, spans = d["text"], d["spans"]
        result = check_post(text, "large_group")
        shown = [(f.category, s) for f in result.details() for s in f.data["spans"]]
        for span in spans:
            cat = span["category"]
            score.labelled[cat] += 1
            if any(c == cat and s[0] < span["end"] and span["start"] < s[1] for c, s in shown):
                score.found[cat] += 1
            else:
                score.misses.append((cat, text[span["start"] : span["end"]], text))
        for cat, s in shown:
            score.shown[cat] += 1
            if any(sp["category"] == cat and s[0] < sp["end"] and sp["start"] < s[1] for sp in spans):
                score.right[cat] += 1
            else:
                score.wrong.append((cat, text[s[0] : s[1]], text))
        verdict = result.severity
        if d["label"] == "identifying":
            score.identifying += 1
            if verdict is Severity.HIGH:
                score.identifying_high += 1
            else:
                score.rated.append((d["label"], verdict.label, text))
        elif d["label"] == "none":
            score.none += 1
            if verdict.rank > Severity.LOW.rank:
                score.none_above_low += 1
                score.rated.append((d["label"], verdict.label, text))
    return score
