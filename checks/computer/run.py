"""Every check of this computer, one after another, each allowed to fail on its own."""

from __future__ import annotations

import logging
import platform
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from checks.computer import devices, names, network, programs, services
from checks.computer.common import AREAS, cannot
from checks.model import Finding, sort_findings, worst

log = logging.getLogger(__name__)
CHECKS: list[tuple[str, str, Callable[[], list[Finding]]]] = [
    ("sharing", "what this computer shares with the network", services.check),
    ("programs", "the programs running now", programs.check),
    ("camera", "the camera and microphone", devices.check),
    ("names", "this computer's names", names.check),
    ("network", "the network it is on", network.check),
]


@dataclass
class ComputerReport:
    time: str
    system: str
    findings: list[Finding] = field(default_factory=list)
    cancelled: bool = False

    def by_area(self) -> dict[str, list[Finding]]:
        return {area: sort_findings([f for f in self.findings if f.category == area]) for area in AREAS}

    def to_dict(self) -> dict[str, Any]:
        return {
            "time": self.time,
            "system": self.system,
            "cancelled": self.cancelled,
            "worst": worst(self.findings).value,
            "areas": {area: [f.to_dict() for f in group] for area, group in self.by_area().items()},
        }


def check_computer(
    progress: Callable[[int, int, str], None] | None = None, cancel: threading.Event | None = None
) -> ComputerReport:
    report = ComputerReport(
        datetime.now().astimezone().isoformat(timespec="seconds"), f"{platform.system()} {platform.release()}"
    )
    for n, (area, words, run) in enumerate(CHECKS):
        if cancel is not None and cancel.is_set():
            report.cancelled = True
            break
        if progress is not None:
            progress(n, len(CHECKS), f"Checking {words}…")
        try:
            report.findings += run()
        except Exception as exc:  # one check failing must not hide the others
            log.debug("computer check %s failed", area, exc_info=True)
            report.findings.append(cannot(area, area, words, f"The check stopped with an error: {exc}"))
    if progress is not None:
        progress(len(CHECKS), len(CHECKS), "Finished")
    return report
