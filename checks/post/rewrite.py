"""One-click rewordings: each finding offers replacements that keep the meaning without the detail, applied to
the text only when the person asks."""

from __future__ import annotations

import re
from typing import Any

from checks.post.hits import Hit
from checks.post.rules import Rules

# Small words that go with a detail when the detail is removed ("on Fridays", "at school", "in Leeds").
_LEAD = re.compile(
    r"(?:\s+(?:on|at|in|near|from|every|each|by|around|after|before|this|last|next|of|to))?\s*$", re.I
)

REPLACEMENT_KEY = {
    "setting": "generic",
    "named_setting": "named",
    "landmark": "landmark",
}


class StaleEdit(ValueError):
    """The text changed since the check: the replacement no longer fits where it was meant to go."""


def replacements(hit: Hit, text: str, rules: Rules) -> list[dict[str, Any]]:
    """The rewordings offered for one detail, each with the span it replaces and the text it expects there."""
    key = REPLACEMENT_KEY.get(hit.kind, hit.kind)
    if hit.kind == "age" and re.match(r"(?:a|an|the|this|my|our)\s", hit.text, re.I):
        key = "age_gender"  # "a 15-year-old": a whole person, not an adjective
    words = rules.replacements.get(key) or [""]
    out: list[dict[str, Any]] = []
    for word in words:
        start, end = hit.start, hit.end
        if word == "":
            window = max(0, hit.start - 40)  # the small words just before, never the whole draft
            lead = _LEAD.search(text[window : hit.start])
            start = window + lead.start() if lead else hit.start
            if start == 0 or text[start - 1 : start] in ("\n",):
                # at the start of a line, take the space after instead
                while end < len(text) and text[end] == " ":
                    end += 1
            label = "Leave it out"
        else:
            word = _match_case(word, text, start)
            label = f"Say “{word}”"
        out.append({"label": label, "text": word, "span": [start, end], "expect": text[start:end]})
    return out


def _match_case(word: str, text: str, start: int) -> str:
    before = text[:start].rstrip()
    if not before or before[-1] in ".!?\n":
        return word[:1].upper() + word[1:]
    return word


def apply(text: str, replacement: dict[str, Any]) -> str:
    """The text with one replacement made. Raises StaleEdit if the text there is no longer what it was."""
    start, end = replacement["span"]
    if not (0 <= start <= end <= len(text)) or text[start:end] != replacement["expect"]:
        raise StaleEdit("The text has changed since it was checked. Check it again and try once more.")
    left, right = text[:start], text[end:]
    if replacement["text"] == "":
        if left.endswith((" ", "\t")) and (
            right[:1] in (" ", "\t", ",", ".", "!", "?", ";", ":") or not right
        ):
            left = left.rstrip(" \t")
        elif not left and right[:1].islower() and text[:1].isupper():
            right = right[:1].upper() + right[1:]
        return left + right
    return left + replacement["text"] + right
