"""The one result model that every part of SafeSpace speaks: GUI, CLI (--json) and reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"
    OK = "ok"

    @property
    def label(self) -> str:
        """The words shown to a person for this severity, the same everywhere (see UX.md)."""
        return SEVERITY_LABELS[self]

    @property
    def rank(self) -> int:
        """Higher is more serious; used to sort findings, worst first."""
        return _RANKS[self]


SEVERITY_LABELS: dict[Severity, str] = {
    Severity.HIGH: "Could identify a client",
    Severity.MEDIUM: "Worth checking",
    Severity.LOW: "Low risk",
    Severity.INFO: "For information",
    Severity.OK: "Nothing found",
}
_RANKS = {Severity.HIGH: 4, Severity.MEDIUM: 3, Severity.LOW: 2, Severity.INFO: 1, Severity.OK: 0}


@dataclass(frozen=True)
class Finding:
    """One thing a check found.

    id: stable machine name, e.g. "image.gps".
    category: what it reveals or concerns, e.g. "location", "people", "device".
    title: a short plain-language line. detail: how it could identify or trace a client, and what to do.
    data: values for machines (coordinates, raw tag values); untrusted strings stay plain text.
    """

    id: str
    category: str
    severity: Severity
    title: str
    detail: str
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category,
            "severity": self.severity.value,
            "title": self.title,
            "detail": self.detail,
            "data": self.data,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Finding:
        return cls(
            d["id"], d["category"], Severity(d["severity"]), d["title"], d["detail"], d.get("data", {})
        )


def worst(findings: list[Finding]) -> Severity:
    """The most serious severity among findings; OK when there are none."""
    return max((f.severity for f in findings), key=lambda s: s.rank, default=Severity.OK)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Worst first; ties keep their order."""
    return sorted(findings, key=lambda f: -f.severity.rank)
