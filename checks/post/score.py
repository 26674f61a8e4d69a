"""From details to findings: each detail's severity depends on the draft as a whole, and the combination is
scored: a direct identifier, or details of two or more kinds about a client, "Could identify a client"."""

from __future__ import annotations

from typing import Any

from checks.model import Finding, Severity
from checks.post.hits import CLIENT, GROUP_WORDS, KINDS, Hit
from checks.post.rewrite import replacements
from checks.post.rules import Rules

QUASI_GROUPS = ("who", "name", "family", "topic", "said", "where", "when", "you", "artwork")


def about_a_client(hits: list[Hit]) -> bool:
    """Whether the draft is about a client: a detail that only a person has (an age, who they are, a family
    fact, a session), or a name together with something from a session."""
    if any(KINDS[k].marks_client for h in hits if h.category == CLIENT for k in (h.kind, *h.also)):
        return True
    return any(h.kind == "name" for h in hits) and any(h.kind in ("said", "quote", "topic") for h in hits)


def groups_of(hits: list[Hit]) -> list[str]:
    found = {KINDS[k].group for h in hits for k in h.kinds if not KINDS[k].weak}
    return [g for g in QUASI_GROUPS if g in found]


def findings(text: str, hits: list[Hit], rules: Rules, where: str) -> list[Finding]:
    client = about_a_client(hits)
    if not client:
        hits = [h for h in hits if not h.info.needs_context]
    groups = groups_of(hits) if client else []
    direct = client and any(h.info.direct for h in hits)
    supervision = where == "supervision"
    out = [_detail(text, h, rules, client, supervision) for h in hits]
    combo = _combination(hits, groups, client, direct, supervision)
    if combo is not None:
        out.insert(0, combo)
    return out


def _detail(text: str, hit: Hit, rules: Rules, client: bool, supervision: bool) -> Finding:
    info = hit.info
    if not client:
        severity = Severity.LOW
        why = info.why + " Nothing in this draft says it is about a client, so on its own it is low risk."
    elif info.direct:
        severity = Severity.HIGH
        why = info.why
    elif hit.kind == "session" or info.weak:
        severity = Severity.LOW
        why = info.why
    else:
        severity = Severity.LOW if supervision else Severity.MEDIUM
        why = info.why
    shown = hit.text if len(hit.text) <= 60 else hit.text[:59] + "…"
    title = f"{info.title}: “{shown}”"
    if hit.says and hit.kind in ("school_year", "topic", "weekday"):
        title = f"{info.title} ({hit.says}): “{shown}”"
    data: dict[str, Any] = {
        "kind": hit.kind,
        "kinds": list(hit.kinds),
        "group": info.group,
        "spans": [[hit.start, hit.end]],
        "text": hit.text,
        "replacements": replacements(hit, text, rules),
    }
    return Finding(f"post.{hit.kind}", info.category, severity, title, why, data)


def _combination(
    hits: list[Hit], groups: list[str], client: bool, direct: bool, supervision: bool
) -> Finding | None:
    if not hits:
        return None
    spans = [
        [h.start, h.end] for h in hits if any(KINDS[k].group in groups for k in h.kinds) or h.info.direct
    ]
    data: dict[str, Any] = {"groups": groups, "spans": spans, "kinds": sorted({h.kind for h in hits})}
    if not client:
        return Finding(
            "post.combination",
            "combination",
            Severity.LOW,
            "Nothing here says it is about a client",
            "Places, days or contact details on their own do not point to a client. Check that no one in it "
            "is "
            "a client, and that nothing in the pictures is either.",
            data,
        )
    said = [_say_group(g, hits) for g in groups]
    if direct or len(groups) >= 2:
        parts = _join(said)
        names = [h for h in hits if h.info.direct]
        if names and len(groups) < 2:
            detail = f"It has {_say_group(names[0].info.group, hits)}, which points to one person on its own."
        else:
            detail = (
                f"Together, {parts} can point to one person. Each alone is common; together they narrow it "
                "down to one client for anyone who knows the place, or who finds where you work from your "
                "profile."
            )
        severity = Severity.MEDIUM if supervision and not names else Severity.HIGH
        if supervision:
            detail += " For supervision notes, keep only what the work needs and leave out names."
        return Finding("post.combination", "combination", severity, "Could identify a client", detail, data)
    if groups:
        return Finding(
            "post.combination",
            "combination",
            Severity.LOW if supervision else Severity.MEDIUM,
            "One detail about a client",
            f"It is about a client and has {said[0]}. On its own that rarely points to one person, but with "
            "what a reader already knows (or finds on your profile) it can.",
            data,
        )
    return Finding(
        "post.combination",
        "combination",
        Severity.LOW,
        "About client work, with no detail that points to one person",
        "It says it is about a client but gives nothing that narrows who. Keep it that way.",
        data,
    )


def _say_group(group: str, hits: list[Hit]) -> str:
    """A group in words, with what was found: 'an age and a gender (“an 8 year old boy”)'."""
    first = next((h for h in hits if h.info.group == group and not h.info.weak), None)
    first = first or next((h for h in hits if group in {KINDS[k].group for k in h.kinds}), None)
    if first is None:
        return GROUP_WORDS[group]
    shown = first.text if len(first.text) <= 40 else first.text[:39] + "…"
    return f"{first.info.title[0].lower()}{first.info.title[1:]} (“{shown}”)"


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
