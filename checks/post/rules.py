"""The rules and word lists of "Before you post", read from resources/post/ (never from the network).

Each file carries `about`, `sources` (title, url, licence) and `last_verified`; `load()` checks that and
compiles every pattern once. Lists are data so that a person can add a word without touching the code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

FILES = (
    "client",
    "school_years",
    "topics",
    "settings",
    "where_when",
    "practitioner",
    "names",
    "towns",
    "destinations",
)


class RulesError(ValueError):
    """A rules file is missing a source, a date or a field, or has a pattern that does not compile."""


def read(name: str) -> dict[str, Any]:
    text = resources.files("resources").joinpath("post", f"{name}.json").read_text(encoding="utf-8")
    doc: dict[str, Any] = json.loads(text)
    validate(name, doc)
    return doc


def validate(name: str, doc: dict[str, Any]) -> None:
    sources = doc.get("sources")
    if not isinstance(sources, list) or not sources:
        raise RulesError(f"{name}: sources must be a non-empty list")
    for s in sources:
        if not (isinstance(s, dict) and s.get("title") and str(s.get("url", "")).startswith("http")):
            raise RulesError(f"{name}: every source needs a title and an http(s) url")
    try:
        date.fromisoformat(str(doc.get("last_verified")))
    except ValueError as exc:
        raise RulesError(f"{name}: last_verified must be a date (YYYY-MM-DD)") from exc
    if not doc.get("about"):
        raise RulesError(f"{name}: about must say what the file is for")


def _alt(words: list[str]) -> str:
    """A regex alternation of literal words, longest first (so 'high school' wins over 'high')."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _compile(pattern: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise RulesError(f"pattern {pattern!r} does not compile: {exc}") from exc


@dataclass(frozen=True)
class Rules:
    """Everything the detectors need, compiled."""

    age: tuple[re.Pattern[str], ...]
    gender_word: re.Pattern[str]
    gender_role: re.Pattern[str]
    person: re.Pattern[str]
    occupation: re.Pattern[str]
    family_word: re.Pattern[str]
    own_family: re.Pattern[str]
    family: tuple[re.Pattern[str], ...]
    session: tuple[re.Pattern[str], ...]
    session_word: re.Pattern[str]
    said: tuple[re.Pattern[str], ...]
    artwork: tuple[re.Pattern[str], ...]
    school_years: tuple[tuple[re.Pattern[str], str], ...]
    topics: re.Pattern[str]
    topic_upper: frozenset[str]
    topic_group: dict[str, str]
    setting_generic: re.Pattern[str]
    setting_extra: tuple[re.Pattern[str], ...]
    occupation_extra: re.Pattern[str]
    setting_suffix: re.Pattern[str]
    setting_prefix: re.Pattern[str]
    setting_not_names: frozenset[str]
    landmarks: tuple[re.Pattern[str], ...]
    weekday: re.Pattern[str]
    weekday_short: re.Pattern[str]
    times: tuple[re.Pattern[str], ...]
    dates: tuple[re.Pattern[str], ...]
    patterns: tuple[re.Pattern[str], ...]
    relative: tuple[re.Pattern[str], ...]
    weekday_unambiguous: re.Pattern[str]
    not_places: frozenset[str]
    street: re.Pattern[str]
    not_street: frozenset[str]
    postcode: re.Pattern[str]
    outward: re.Pattern[str]
    zip_context: re.Pattern[str]
    zip_area: re.Pattern[str]
    phone_regions: tuple[str, ...]
    practice_suffix: re.Pattern[str]
    practice_tails: frozenset[str]
    not_practice: frozenset[str]
    colleague: tuple[re.Pattern[str], ...]
    handle: re.Pattern[str]
    email: re.Pattern[str]
    website: re.Pattern[str]
    names: frozenset[str]
    common_names: frozenset[str]
    towns: dict[str, tuple[str, ...]]  # first word -> whole names starting with it, longest first
    month_words: frozenset[str]
    weekday_words: frozenset[str]
    replacements: dict[str, list[str]]
    destinations: dict[str, Any]


@cache
def load() -> Rules:
    docs = {name: read(name) for name in FILES}
    c, sy, tp, st, ww, pr, nm, tw = (docs[n] for n in FILES[:8])
    num = "|".join([*c["number_words"], r"\d{1,2}"])
    gender = _alt(c["gender_role"]["nouns"])

    def fill(p: str) -> str:
        return p.replace("NUM", num).replace("GENDER", gender)

    months = _alt(ww["months"])
    weekdays = "|".join(ww["weekdays"])
    topic_words: list[str] = []
    topic_group: dict[str, str] = {}
    for group, words in tp["groups"].items():
        for w in words:
            topic_words.append(w)
            topic_group.setdefault(w.lower(), group)
    towns: dict[str, list[str]] = {}
    for names in tw["towns"].values():
        for town in names:
            towns.setdefault(town.split()[0], []).append(town)
    street_types = _alt(ww["street_types"])
    replacements: dict[str, list[str]] = {}
    for doc in (c, st, ww, pr):
        for key, value in doc.get("replacements", {}).items():
            replacements[key] = value
    replacements["school_year"] = sy["replacements"]
    replacements["topic"] = tp["replacements"]
    return Rules(
        age=tuple(_compile(fill(p)) for p in c["age_patterns"]),
        gender_word=_compile(rf"\b(?:{gender})s?\b"),
        gender_role=_compile(
            rf"\b(?:{_alt(c['gender_role']['determiners'])})\s+"
            r"(?:[\w'’-]+\s+)?(?:(?:little|young|teenage|older|elderly|new|single|quiet|shy|bright|lovely|sweet|poor)\s+)*"
            rf"(?:{gender})s?\b"
        ),
        person=_compile(rf"\b(?:{_alt(c['person_words'])})\b(?!['’])"),
        occupation=_compile(
            r"(?<!\bI'm )(?<!\bI am )(?<!\bI’m )(?<!\bI was )"
            r"\b(?:(?:is|was|he's|she's|they're|he’s|she’s|works as|worked as|as)\s+(?:a|an)"
            r"|a|an|retired|ex-?|former)"
            rf"\s+(?:(?:retired|local|former|trainee|part-time|ex-?)\s+)?(?:{_alt(c['occupations'])})\b"
        ),
        family_word=_compile(rf"(?<!\bmy )(?<!\bour )(?<!\bMy )(?<!\bOur )\b(?:{_alt(c['family_words'])})\b"),
        own_family=_compile(c["own_family"]),
        family=tuple(_compile(p) for p in c["family_patterns"]),
        session=tuple(_compile(p) for p in c["session_patterns"]),
        session_word=_compile(c["session_word"]),
        said=tuple(
            [_compile(p) for p in c["said_patterns"]] + [_compile(p, 0) for p in c["said_case_patterns"]]
        ),
        artwork=tuple(_compile(p) for p in c["artwork_patterns"]),
        school_years=tuple(
            (_compile(p["pattern"], 0 if p.get("case") == "exact" else re.IGNORECASE), p["says"])
            for p in sy["patterns"]
        ),
        topics=_compile(rf"(?<![\w-])(?:{_alt(topic_words)})(?![\w-])"),
        topic_upper=frozenset(tp["uppercase_only"]),
        topic_group=topic_group,
        setting_generic=_compile(
            r"\b(?:at|in|to|from|into|outside|near|the|her|his|their|a|an|local|same|new|old|our|this|that)\s+"
            rf"(?:[\w'’-]+\s+)?(?:{_alt(st['generic'])})\b(?!['’])"
        ),
        setting_extra=tuple(_compile(p, 0) for p in st["extra_patterns"]),
        occupation_extra=_compile(c["occupation_extra"].replace("OCC", _alt(c["occupations"]))),
        setting_suffix=_compile(rf"\b(?:{_alt(st['named_suffixes'])})\b", 0),
        setting_prefix=_compile(
            r"\b(?:St\.?|Saint)\s+[A-Z][a-z]+['’]s\b|\b(?:HMP|HMYOI|HMYOI)\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\b",
            0,
        ),
        setting_not_names=frozenset(st["not_names"]),
        landmarks=tuple(_compile(p) for p in st["landmark_patterns"]),
        weekday=_compile(rf"\b(?:{weekdays})s?\b"),
        weekday_short=_compile(
            r"(?:\b(?:on|every|next|last|this|till|until|from|by|before|after)\s+)"
            rf"(?:{_alt(ww['weekday_short'])})\b\.?(?!\w)"
        ),
        times=tuple(_compile(p) for p in ww["time_patterns"]),
        dates=tuple(_compile(p.replace("MONTH", months)) for p in ww["date_patterns"]),
        patterns=tuple(_compile(p.replace("WEEKDAY", weekdays)) for p in ww["pattern_patterns"]),
        relative=tuple(_compile(p, re.IGNORECASE if p.islower() else 0) for p in ww["relative_patterns"]),
        weekday_unambiguous=_compile(ww["weekday_unambiguous"]),
        not_places=frozenset(st["not_places"]),
        street=_compile(
            r"(?:\b\d{1,4}[A-Za-z]?,?\s+)?\b((?:[A-Z][a-z'’]+\s+){1,3})"
            rf"(?:{street_types})\b\.?(?!\s+[A-Z][a-z]+['’]s)",
            0,
        ),
        not_street=frozenset(ww["not_street_words"]),
        postcode=_compile(ww["uk_postcode"]),
        outward=_compile(ww["uk_outward_in_context"], 0),
        zip_context=_compile(ww["us_zip_in_context"], 0),
        zip_area=_compile(ww["us_zip_area"]),
        phone_regions=tuple(pr["phone_regions"]),
        practice_suffix=_compile(rf"\b(?:{_alt(pr['practice_suffixes'])})\b", 0),
        practice_tails=frozenset(pr["practice_tails"]),
        not_practice=frozenset(pr["not_practice_words"]),
        colleague=tuple(_compile(p, 0) for p in pr["colleague_patterns"]),
        handle=_compile(pr["handle"], 0),
        email=_compile(pr["email"], 0),
        website=_compile(pr["website"]),
        names=frozenset(nm["names"]),
        common_names=frozenset(nm["common_words"]),
        towns={k: tuple(sorted(v, key=len, reverse=True)) for k, v in towns.items()},
        month_words=frozenset(m.capitalize() for m in ww["months"]),
        weekday_words=frozenset(w.capitalize() for w in ww["weekdays"]),
        replacements=replacements,
        destinations=docs["destinations"],
    )
