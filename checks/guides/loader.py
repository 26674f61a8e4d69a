"""The guides in resources/guides/, loaded and checked against the schema once."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from checks.errors import SafeSpaceError
from checks.guides.probes import PROBES
from checks.guides.schema import Guide, validate

# Other names people use for a guide (`safespace guides show iphone`).
ALIASES = {
    "iphone": "ios", "ipad": "ios", "ipados": "ios", "apple-phone": "ios",
    "mac": "macos", "macbook": "macos", "imac": "macos", "osx": "macos",
    "pixel": "android", "samsung": "android", "galaxy": "android",
    "windows11": "windows", "win": "windows", "pc": "windows",
    "ubuntu": "linux", "debian": "linux", "gnome": "linux",
    "apple-id": "apple-account", "icloud": "apple-account", "apple": "apple-account",
    "google": "google-account", "gmail": "google-account",
    "microsoft": "microsoft-account", "outlook": "microsoft-account",
    "meta": "meta-accounts-center", "accounts-center": "meta-accounts-center",
    "fb": "facebook", "ig": "instagram", "insta": "instagram", "twitter": "x", "wa": "whatsapp",
}  # fmt: skip


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


def resolve(name: str) -> str | None:
    """The guide's id for a name or an alias ("iPhone", "twitter"), or None."""
    key = "-".join(name.strip().lower().replace("_", "-").split())
    if key in guides():
        return key
    return ALIASES.get(key) if ALIASES.get(key) in guides() else None


def guide(guide_id: str) -> Guide:
    found = resolve(guide_id)
    if found is None:
        known = ", ".join(guides())
        raise NoSuchGuide(f"There is no guide called “{guide_id}” (there are: {known}).")
    return guides()[found]


def content_version() -> str:
    """The newest content date among the guides: printed on reports."""
    return max(g.content_version for g in guides().values())


def counts() -> tuple[int, int]:
    """How many guides and steps there are, for the page and the README."""
    return len(guides()), sum(len(g.steps) for g in guides().values())
