"""What every check of this computer shares: its areas, and how a check that cannot run says so."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from checks.model import Finding, Severity

AREAS = {
    "sharing": "Shared with the network",
    "programs": "Programs running now",
    "camera": "Camera and microphone",
    "names": "This computer's names",
    "network": "The network it is on",
}


class DataError(ValueError):
    """A data file under resources/computer/ does not follow its schema."""


def read(name: str) -> Any:
    return json.loads(resources.files("resources").joinpath("computer", name).read_text("utf-8"))


def cannot(area: str, check: str, what: str, why: str) -> Finding:
    """A check that could not run here: said as information, never a silent pass."""
    return Finding(
        f"computer.{check}.unavailable",
        area,
        Severity.INFO,
        f"Not checked: {what}",
        why,
        {"check": check},
    )


def need_text(d: dict[str, Any], keys: tuple[str, ...], where: str) -> None:
    for key in keys:
        if not isinstance(d.get(key), str) or not d[key].strip():
            raise DataError(f"{where}: {key} must be a non-empty text")


def need_date(value: Any, where: str) -> None:
    from datetime import date

    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        raise DataError(f"{where}: last_verified must be a date (YYYY-MM-DD)") from None
