"""Device names that name a person: "Jane Smith's iPhone", "iPhone de Marie", "Dr Patel's MacBook",
"Janes-MacBook-Pro" (the host name a Mac makes of "Jane's MacBook Pro")."""

from __future__ import annotations

import re

_DEVICE = (
    r"i?phone|ipad|ipod|mac\s?book(\s?(pro|air))?|imac|mac\s?mini|mac\s?studio|apple\s?watch|galaxy\S*|pixel\S*"
    r"|android|laptop|notebook|computer|desktop|pc|tablet|kindle|surface|chromebook|watch|echo|tv|airpods"
    r"|thinkpad|xps|mobile|cell|handy|portable"
)
_POSSESSIVE = re.compile(rf"^\s*(?P<who>[^\W\d_][\w.\- ]{{0,40}}?)\s*['’‘`´]\s*s?\s+(?:{_DEVICE})\b", re.I)
_FOREIGN = re.compile(
    rf"^\s*(?:{_DEVICE})\s+(?:de|du|von|di|da|van|del|della|do)\s+(?P<who>[^\W\d_][\w.\- ]{{0,40}})", re.I
)
_TITLE = re.compile(r"(?<![A-Za-z])(?P<who>(?:dr|mr|mrs|ms|miss|mx|prof)\.?[\s\-_]+[^\W\d_]\w{1,30})", re.I)
_HOSTNAME = re.compile(
    r"^(?P<who>[a-z]{2,20}(?:-[a-z]{2,20})?)s?-(?:iphone|ipad|ipod|macbook(?:-pro|-air)?|imac|mac-mini"
    r"|mac-studio|apple-watch|galaxy[\w-]*|pixel[\w-]*|laptop|pc|desktop|android)\b",
    re.I,
)
# Words that often stand before a device in names and are not people.
_NOT_PEOPLE = {
    "living",
    "room",
    "living-room",
    "office",
    "kitchen",
    "bedroom",
    "therapy",
    "therapy-room",
    "reception",
    "practice",
    "clinic",
    "my",
    "the",
    "home",
    "work",
    "old",
    "new",
    "spare",
    "guest",
    "family",
    "kids",
    "main",
    "front",
    "back",
    "studio",
    "shared",
    "team",
    "admin",
    "staff",
    "meeting",
    "lounge",
    "hall",
    "upstairs",
    "downstairs",
    "waiting",
    "waiting-room",
    "consulting",
    "counselling",
    "test",
    "demo",
    "loaner",
    "school",
    "personal",
    "business",
    "company",
    "corporate",
    "it",
    "desk",
    "our",
    "your",
    "his",
    "her",
    "their",
    "macbook",
    "iphone",
    "ipad",
    "android",
    "apple",
    "samsung",
    "google",
    "office-pc",
    "desktop",
    "laptop",
}


def person_in_name(name: str | None) -> str | None:
    """The person a device name names, or None. Errs towards flagging: a false alarm costs a glance, a
    missed name can lead someone to a practitioner."""
    if not name:
        return None
    text = name.strip()
    for pattern in (_POSSESSIVE, _FOREIGN):
        m = pattern.search(text)
        if m and m.group("who").strip().lower() not in _NOT_PEOPLE:
            return m.group("who").strip()
    m = _TITLE.search(text)
    if m:
        return m.group("who").strip()
    host = text.split(".", 1)[0]
    m = _HOSTNAME.match(host)
    if m:
        who = m.group("who")
        if who.lower() not in _NOT_PEOPLE and who.lower().split("-")[0] not in _NOT_PEOPLE:
            return who
    return None
