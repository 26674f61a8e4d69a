"""Where and when (settings, towns, streets, postcodes, days, times, dates, patterns), and details about the
practitioner that lead a reader to them (practice name, website, email, phone, handle, named colleagues)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

from checks.post.detect_client import _hit
from checks.post.hits import Hit
from checks.post.rules import Rules

_TOKEN = re.compile(r"[A-Z][\w'’.&-]*|of|the|and|&|upon|on|le|de")
_TOWN_BEFORE = re.compile(
    r"\b(?:in|at|near|nr|from|around|outside|to|visiting|moved to|lives in|based in|across|round|of|"
    r"north|south|east|west|central)\s+$",
    re.IGNORECASE,
)
_TOWN_AFTER = re.compile(r"^(?:-based|\s+based|\s+area|,\s+(?:UK|England|Scotland|Wales|Ireland|[A-Z]{2})\b)")
# "at Kelvinside", "from Romania", "at the Priory": a capitalised name after a word for where
_PLACE = re.compile(
    r"\b(?i:at|from|in|near|outside|attends|attending|goes to|lives in|moved to|moving to|move to|went to|"
    r"going to|based at)\s+(?:the\s+)?"
    r"((?:[A-Z][a-z][\w'’-]*)(?:\s+(?:[A-Z][a-z][\w'’-]*|of|upon|on))*(?:\s+[A-Z][a-z][\w'’-]*)?)"
)
_MONEY = re.compile(r"[£$€]\s?$")


def detect(text: str, rules: Rules) -> Iterator[Hit]:
    yield from _settings(text, rules)
    yield from _towns(text, rules)
    yield from _when(text, rules)
    for m in rules.street.finditer(text):
        first = m.group(1).split()[0]
        words = m.group(1).split()
        if first in rules.not_street or all(w in rules.weekday_words | rules.month_words for w in words):
            continue
        if " ".join(words) + " " + m.group(0).split()[-1] in rules.not_street:
            continue
        hit = _hit("street", m, text)
        if hit.text.endswith(".") and len(hit.text.split()[-1]) > 4:  # "Mill Road." ends a sentence
            hit = Hit("street", hit.start, hit.end - 1, hit.text[:-1])
        yield hit
    for m in rules.postcode.finditer(text):
        yield _hit("postcode", m, text)
    for m in rules.outward.finditer(text):
        code = m.group(1)
        if len(code) == 2 and code[0] in "YPS" and not re.search(r"area|postcode|patch", m.group(0), re.I):
            continue  # "in Y3", "in P4", "in S2" are school years
        yield Hit("postcode", m.start(1), m.end(1), code)
    for pattern in (rules.zip_context, rules.zip_area):
        for m in pattern.finditer(text):
            yield Hit("zip", m.start(1), m.end(1), m.group(1))
    yield from _practitioner(text, rules)


def _settings(text: str, rules: Rules) -> Iterator[Hit]:
    for m in rules.setting_generic.finditer(text):
        yield _hit("setting", m, text)
    for pattern in rules.setting_extra:
        for m in pattern.finditer(text):
            yield _hit("setting", m, text)
    for m in rules.setting_prefix.finditer(text):
        yield _hit("named_setting", m, text)
    for m in rules.setting_suffix.finditer(text):
        start = _walk_back(text, m.start(), rules.setting_not_names)
        if start is not None:
            yield Hit("named_setting", start, m.end(), text[start : m.end()])
    for m in _PLACE.finditer(text):
        words = m.group(1).split()
        usual = [
            w for w in words if w in rules.not_places or w in rules.setting_not_names or w in rules.names
        ]
        if len(usual) == len(words) or (len(words) == 1 and usual) or words[-1] in rules.not_places:
            continue  # "at Christmas", "from Emma", "in English": not places
        yield Hit("place", m.start(1), m.end(1), m.group(1))
    for pattern in rules.landmarks:
        for m in pattern.finditer(text):
            yield _hit("landmark", m, text)


def _walk_back(text: str, end: int, not_names: frozenset[str], limit: int = 5) -> int | None:
    """Where a proper name just before `end` starts ("St Mary's" before "Primary"), or None when the words
    before are not a name ("the local Primary", "Special School")."""
    words = list(re.finditer(r"\S+", text[max(0, end - 80) : end]))[-limit:]
    offset = max(0, end - 80)
    start, named = None, False
    for w in reversed(words):
        token = w.group(0).rstrip(",;:")
        if token != w.group(0) or not (_TOKEN.fullmatch(token)):
            break
        if token[0].isupper():
            if token not in not_names or token in ("St", "St.", "Saint", "Holy"):
                named = True
            elif not named:
                break  # "the Primary", "My School": no name in front
        start = offset + w.start()
    while start is not None and text[start:].split()[0] in ("of", "the", "and", "&", "The", "the"):
        start += len(text[start:].split()[0]) + 1
        while start < end and text[start].isspace():
            start += 1
    return start if named and start is not None and start < end else None


def _towns(text: str, rules: Rules) -> Iterator[Hit]:
    for m in re.finditer(r"(?<![\w'’-])[A-Z][a-z'’.-]+", text):
        first = m.group(0).rstrip(".")
        candidates = rules.towns.get(first)
        if not candidates:
            continue
        rest = text[m.start() :]
        town = next(
            (t for t in candidates if rest.startswith(t) and not rest[len(t) : len(t) + 1].isalnum()), None
        )
        if town is None:
            continue
        if " " not in town and (town in rules.month_words or town in rules.weekday_words or town == "Mobile"):
            continue
        before, after = text[max(0, m.start() - 30) : m.start()], text[m.start() + len(town) :]
        in_address = before.endswith(", ") and re.match(r"^\s*(?:[.!,;)\n]|$|[A-Z]{1,2}\d)", after)
        word_too = town in rules.names or town in rules.not_places  # "to Florence", "in English"
        after_word = before.rstrip().lower().endswith(("to", "for", "of", "with", "about"))
        by_preposition = bool(_TOWN_BEFORE.search(before)) and not (word_too and after_word)
        if by_preposition or (not word_too and (_TOWN_AFTER.match(after) or in_address)):
            yield Hit("town", m.start(), m.start() + len(town), town)


def _when(text: str, rules: Rules) -> Iterator[Hit]:
    for m in rules.weekday.finditer(text):
        says = "a regular day" if m.group(0).lower().endswith("s") else ""
        yield _hit("weekday", m, text, says)
    for m in rules.weekday_short.finditer(text):
        yield _hit("weekday", m, text)
    for m in rules.weekday_unambiguous.finditer(text):
        yield _hit("weekday", m, text)
    for pattern in rules.relative:
        for m in pattern.finditer(text):
            yield _hit("relative", m, text)
    for pattern in rules.times:
        for m in pattern.finditer(text):
            if not _MONEY.search(text[max(0, m.start() - 2) : m.start()]):
                yield _hit("time", m, text)
    for pattern in rules.dates:
        for m in pattern.finditer(text):
            if m.group(0) not in ("24/7", "50/50") and not _MONEY.search(
                text[max(0, m.start() - 2) : m.start()]
            ):
                yield _hit("date", m, text)
    for pattern in rules.patterns:
        for m in pattern.finditer(text):
            yield _hit("pattern", m, text, "a regular pattern")


def _practitioner(text: str, rules: Rules) -> Iterator[Hit]:
    seen: set[tuple[int, int]] = set()
    for region in rules.phone_regions:
        # VALID finds real numbers; POSSIBLE also finds numbers from ranges kept for drama and examples
        # (07700 900123), which look just as real to a reader; ten digits or more, so dates are not numbers.
        for leniency in (phonenumbers.Leniency.VALID, phonenumbers.Leniency.POSSIBLE):
            for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=leniency):
                digits = sum(ch.isdigit() for ch in match.raw_string)
                if (match.start, match.end) not in seen and digits >= 10:
                    seen.add((match.start, match.end))
                    yield Hit("phone", match.start, match.end, match.raw_string)
    for m in rules.email.finditer(text):
        yield _hit("email", m, text)
    for m in rules.website.finditer(text):
        if "@" not in text[max(0, m.start() - 1) : m.start()]:
            site = m.group(0).rstrip(".,;:!?)")
            yield Hit("website", m.start(), m.start() + len(site), site)
    for m in rules.handle.finditer(text):
        yield _hit("handle", m, text)
    for m in rules.practice_suffix.finditer(text):
        start = _walk_back(text, m.start(), rules.not_practice, limit=4)
        if start is None:
            continue
        end = m.end()
        tail = re.match(r"\s+(\S+)", text[end:])
        while tail and tail.group(1).rstrip(".,") in rules.practice_tails:
            end += tail.end() - (len(tail.group(1)) - len(tail.group(1).rstrip(",")))
            tail = re.match(r"\s+(\S+)", text[end:])
        yield Hit("practice", start, end, text[start:end])
    for pattern in rules.colleague:
        for m in pattern.finditer(text):
            yield _hit("colleague", m, text)
