"""Before you post: what in a draft post, caption or message could identify a client.

Everything runs on this computer from the rules in resources/post/; nothing is sent anywhere, and the draft
is never saved or logged. `check_post(text, where)` returns findings with character spans (`data["spans"]`)
and one-click rewordings (`data["replacements"]`, applied with `rewrite.apply`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checks.model import Finding, Severity, sort_findings, worst
from checks.post import detect_client, detect_place
from checks.post.hits import CATEGORIES, Hit, overlaps, resolve
from checks.post.rules import load
from checks.post.score import findings as score

# Details that a name inside them belongs to ("Grace Academy", "Dr Grace Lee", "Lincoln Road").
_SWALLOWS_NAMES = {"named_setting", "practice", "town", "street", "colleague", "email", "website", "handle"}
MAX_CHARS = 100_000  # a draft longer than this is checked up to here, and the result says so


@dataclass
class PostCheck:
    where: str
    findings: list[Finding] = field(default_factory=list)
    checked_chars: int = 0
    truncated: bool = False

    @property
    def severity(self) -> Severity:
        """The verdict: the worst finding about the draft (where it is going is advice, not a finding)."""
        return worst([f for f in self.findings if f.id != "post.where"])

    def details(self) -> list[Finding]:
        """The findings about one detail each, worst first (the combination and destination left out)."""
        return sort_findings([f for f in self.findings if f.category in CATEGORIES])

    def combination(self) -> Finding | None:
        return next((f for f in self.findings if f.id == "post.combination"), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "where": self.where,
            "severity": self.severity.value,
            "verdict": self.severity.label,
            "checked_chars": self.checked_chars,
            "truncated": self.truncated,
            "findings": [f.to_dict() for f in sort_findings(self.findings)],
        }


def find(text: str) -> list[Hit]:
    """Every detail in the text, one per stretch of text within a category."""
    rules = load()
    hits = resolve([*detect_client.detect(text, rules), *detect_place.detect(text, rules)])
    swallowing = [h for h in hits if h.kind in _SWALLOWS_NAMES]
    return [
        h
        for h in hits
        if not (h.kind in ("name", "initial") and any(overlaps(h, s) for s in swallowing))
        and not (h.kind == "gender_role" and any(overlaps(h, s) and s.kind == "age_gender" for s in hits))
    ]


def check_post(text: str, where: str | None = None) -> PostCheck:
    rules = load()
    kinds = rules.destinations["kinds"]
    where = str(where if where in kinds else rules.destinations["default"])
    truncated = len(text) > MAX_CHARS
    text = text[:MAX_CHARS]
    found = score(text, find(text), rules, where)
    found.append(destination_finding(where))
    return PostCheck(where, found, len(text), truncated)


def destinations() -> dict[str, str]:
    """Where a draft can be going: key -> label, in the order offered."""
    return {k: v["label"] for k, v in load().destinations["kinds"].items()}


def destination_finding(where: str) -> Finding:
    doc = load().destinations
    kind = doc["kinds"][where]
    detail = f"{kind['audience']} {kind['advice']}"
    if kind["social"]:
        detail += " " + doc["not_supervision"]
    sources = [{"title": s["title"], "url": s["url"]} for s in doc["sources"]]
    return Finding(
        "post.where",
        "where",
        Severity.INFO,
        f"Where it is going: {kind['label']}",
        detail,
        {"sources": sources},
    )
