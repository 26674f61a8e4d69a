"""Where a step's advice comes from: a public web page anyone can open, the maker's own help first.

A step's `source` names the page (URL and title), who published it, and whether that is the maker of the
system or service (`maker`) or someone else (`secondary`, used only where the maker has no page). Its
`last_verified` says how far the menu path was checked: against that maker's page (`checked`, with the
date the page was read and the versions it speaks for), against a secondary page (`secondary`), or not at
all (`unconfirmed`). No step is marked as confirmed on a device: none has been tried on one yet, and the
app says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

# Each maker, the web hosts of its own help (a maker's source must be on one of them), and its help's name.
MAKERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Apple": ("Apple Support", ("support.apple.com",)),
    "Google": ("Google help", ("support.google.com", "safety.google", "blog.google")),
    "Microsoft": ("Microsoft Support", ("support.microsoft.com", "learn.microsoft.com")),
    "Samsung": ("Samsung support", ("samsung.com",)),
    "Canonical": ("Ubuntu help", ("help.ubuntu.com",)),
    "GNOME": ("GNOME help", ("help.gnome.org",)),
    "Debian": ("Debian documentation", ("debian.org",)),
    "Meta": ("Meta help", ("facebook.com", "help.instagram.com", "faq.whatsapp.com", "help.meta.com")),
    "LinkedIn": ("LinkedIn Help", ("linkedin.com",)),
    "X": ("X Help Center", ("help.x.com",)),
    "Strava": ("Strava support", ("support.strava.com",)),
    "TikTok": ("TikTok support", ("support.tiktok.com",)),
    "Snap": ("Snapchat Support", ("help.snapchat.com",)),
}
KINDS = {"maker": "the maker's own help", "secondary": "a secondary source"}
MARKERS = {
    "checked": "checked against the maker's own help page",
    "secondary": "taken from a secondary source, not the maker's help",
    "unconfirmed": "not yet confirmed on a device or in the maker's help",
}
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

# Words that give away a developer's file or note: never shown to a user.
INTERNAL = re.compile(
    r"(shared/|reference/|resources/|/work/|\.md\b|\.json\b|\.py\b|§|SafeSpace reference|ISDi template|TODO)",
    re.IGNORECASE,
)


def internal(text: str) -> str | None:
    """The internal file name or note in this text, if there is one."""
    found = INTERNAL.search(text)
    return found.group(0) if found else None


def url_problem(url: str) -> str | None:
    """Why this is not a well-formed public https address, or None."""
    if not isinstance(url, str) or url != url.strip() or any(c.isspace() for c in url):
        return "must be an https address without spaces"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "is not a well-formed address"
    host = parts.hostname or ""
    if parts.scheme != "https":
        return "must start with https://"
    if "." not in host or host.endswith(".") or not re.fullmatch(r"[a-z0-9.-]+", host):
        return "must name a public web host"
    if host in ("localhost", "example.com") or re.fullmatch(r"[0-9.]+", host):
        return "must name a public web host"
    if parts.username or parts.password or parts.port:
        return "must not carry a user name, password or port"
    return None


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def on_maker_site(url: str, maker: str) -> bool:
    host = host_of(url)
    return any(host == h or host.endswith("." + h) for h in MAKERS[maker][1])


def month(iso_date: str) -> str:
    """ "2026-12-02" as "December 2026"."""
    year, mon = iso_date[:4], int(iso_date[5:7])
    return f"{MONTHS[mon - 1]} {year}"


@dataclass(frozen=True)
class Source:
    url: str
    title: str
    publisher: str  # a maker's name (a key of MAKERS), or the secondary publisher's name
    kind: str  # "maker" or "secondary"

    def text(self) -> str:
        """One line a person can read: the page's title, who published it, and its address."""
        whose = self.publisher if self.kind == "maker" else f"{self.publisher}, a secondary source"
        return f"{self.title} ({whose}): {self.url}"


@dataclass(frozen=True)
class Verified:
    marker: str
    date: str | None  # when the page was read; None when unconfirmed
    versions: tuple[str, ...]  # the versions the page speaks for

    def words(self, source: Source, version: str | None) -> str:
        """How far the step was checked, in words, for the version the person has."""
        if self.marker == "unconfirmed" or self.date is None:
            return (
                "Not yet confirmed on a device or in the maker's own help. If your menus differ, look in the "
                "help named above, or search the settings for the setting's name."
            )
        when = month(self.date)
        if self.marker == "checked":
            help_name = MAKERS[source.publisher][0] if source.publisher in MAKERS else source.publisher
            words = f"Checked against {help_name}, {when}"
        else:
            words = f"Taken from {source.publisher} (not the maker's own help), {when}"
        if version is None:
            words += f", for {', '.join(self.versions)}"
        elif version not in self.versions:
            words += f", for {', '.join(self.versions)}; not yet confirmed for {version}"
        return words + ". Not yet confirmed on a device."
