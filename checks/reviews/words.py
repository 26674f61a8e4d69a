"""The app's own words for what reports and the review page show: dates as a person reads them
("1 Dec 2026, 21:11"), states in words ("Does not apply"), never ISO stamps or internal codes."""

from __future__ import annotations

from datetime import date, datetime

from checks.model import Severity

STEP_STATES = {
    "done": "Done",
    "not_applicable": "Does not apply",
    "skipped": "Skipped for now",
    "needs_help": "Needs help",
}
REVIEW_STATES = {"signed": "Signed", "draft": "Draft"}
DEVICE_STATES = {"new": "New", "known": "Known", "missing": "Not seen this time"}
PRIORITIES = {"essential": "Essential", "recommended": "Recommended", "optional": "Optional"}


def when(value: object) -> str:
    """An ISO time as "1 Dec 2026, 21:11" (in the time zone it was written in); a date as "1 Dec 2026";
    anything else unchanged."""
    if not isinstance(value, str) or not value:
        return "" if value is None else str(value)
    try:
        if len(value) == 10:
            d = date.fromisoformat(value)
            return f"{d.day} {d:%b %Y}"
        t = datetime.fromisoformat(value)
    except ValueError:
        return value
    return f"{t.day} {t:%b %Y, %H:%M}"


def state(value: object, words: dict[str, str]) -> str:
    """An internal code in words; an unknown code is shown with its underscores as spaces, capitalised."""
    if value is None or value == "":
        return ""
    text = str(value)
    return words.get(text) or text.replace("_", " ").capitalize()


def severity(value: object) -> str:
    try:
        return Severity(str(value)).label
    except ValueError:
        return state(value, {})
