"""The guides in resources/guides/, loaded and checked against the schema once."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from checks.errors import SafeSpaceError
from checks.guides.probes import PROBES
from checks.guides.schema import Guide, validate


class NoSuchGuide(SafeSpaceError):
    """A guide asked for by name does not exist."""


@cache
def guides() -> dict[str, Guide]:
    """Every guide, by id, in a steady order (phones, computers, then accounts)."""
    folder = resources.files("resources").joinpath("guides")
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            gid = entry.name.removesuffix(".json")
            found[gid] = validate(json.loads(entry.read_text("utf-8")), gid, set(PROBES))
    order = {"phone": 0, "computer": 1, "account": 2}
    return dict(sorted(found.items(), key=lambda kv: (order[kv[1].kind], kv[1].title)))


def guide(guide_id: str) -> Guide:
    try:
        return guides()[guide_id]
    except KeyError:
        known = ", ".join(guides())
        raise NoSuchGuide(f"There is no guide called “{guide_id}” (there are: {known}).") from None


def content_version() -> str:
    """The newest content date among the guides: printed on reports."""
    return max(g.content_version for g in guides().values())
