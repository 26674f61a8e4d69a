"""A detail found in a draft (a span of characters and its kind), and what each kind of detail means."""

from __future__ import annotations

from dataclasses import dataclass

CLIENT, WHERE_WHEN, PRACTITIONER = "client", "where_when", "practitioner"
CATEGORIES = {
    CLIENT: "About a client",
    WHERE_WHEN: "Where and when",
    PRACTITIONER: "About you",
}


@dataclass(frozen=True)
class Kind:
    category: str
    group: str  # details of one group say the same kind of thing; combinations count groups, not details
    title: str  # "An age", shown as the finding's title with what was found
    why: str  # why it matters, in plain words
    direct: bool = False  # identifies on its own (a name, a photo of client work)
    needs_context: bool = False  # reported only when the draft is about a client (a topic, quoted words)
    marks_client: bool = True  # says that the draft is about a client (for the client category)
    weak: bool = False  # shown, but not counted as a detail that narrows who it is ("today", "sessions")


KINDS: dict[str, Kind] = {
    "name": Kind(
        CLIENT,
        "name",
        "A first name",
        "A name is the most direct way to point to one person, even a first name alone.",
        direct=True,
        marks_client=False,
    ),
    "initial": Kind(
        CLIENT,
        "name",
        "An initial",
        "An initial with an age or a place is often enough for people who know the client.",
    ),
    "age": Kind(
        CLIENT, "who", "An age", "An age narrows who it can be to a few people in a school or a street."
    ),
    "age_gender": Kind(
        CLIENT,
        "who",
        "An age and a gender",
        "An age with a gender halves again the few people it can be.",
    ),
    "school_year": Kind(
        CLIENT, "who", "A school year", "A school year gives a child's age to within a year, in one school."
    ),
    "gender_role": Kind(
        CLIENT,
        "who",
        "Who they are",
        "Who someone is (a boy, a young mum, a widower) narrows who it can be.",
    ),
    "person": Kind(
        CLIENT,
        "who",
        "A person",
        "Words for who someone is (a kid, a pupil, a family) tell a reader a real person is behind it.",
        needs_context=True,
        marks_client=False,
        weak=True,
    ),
    "occupation": Kind(
        CLIENT,
        "who",
        "A job",
        "A job (a nurse on one ward, the local vicar) narrows who it can be to a handful of people.",
        needs_context=True,
        marks_client=False,
    ),
    "family_member": Kind(
        CLIENT,
        "family",
        "A family member",
        "Who is in a client's family, and what they do, is known to neighbours, schools and relatives.",
        needs_context=True,
        marks_client=False,
    ),
    "family": Kind(
        CLIENT,
        "family",
        "A family detail",
        "Family facts (a parent in prison, being adopted, in foster care) are known to neighbours, schools "
        "and relatives, and point straight to one family.",
    ),
    "topic": Kind(
        CLIENT,
        "topic",
        "A sensitive topic",
        "Health, sexuality, abuse or loss are what would hurt a client most if read by the wrong person, and "
        "with other details they narrow who it can be.",
        needs_context=True,
        marks_client=False,
    ),
    "said": Kind(
        CLIENT,
        "said",
        "What happened in a session",
        "What a client made, said or likes is what they, their family and their friends recognise at once; "
        "a stranger can use it to start a conversation with them.",
        needs_context=True,
        marks_client=False,
    ),
    "quote": Kind(
        CLIENT,
        "said",
        "Words in quotation marks",
        "A client's own words are recognisable to them and to people close to them.",
        needs_context=True,
        marks_client=False,
    ),
    "session": Kind(
        CLIENT,
        "session",
        "Says it is about a client",
        "It tells readers that this is about a real client of yours, so every other detail points to them.",
    ),
    "session_word": Kind(
        CLIENT,
        "session",
        "Mentions sessions or clients",
        "Next to details about a person, it tells readers the person is a client of yours.",
        needs_context=True,
        marks_client=False,
        weak=True,
    ),
    "artwork": Kind(
        CLIENT,
        "artwork",
        "A photo of client work",
        "A child's drawing, a sand tray or a letter is recognised by the client, their family and their "
        "school, and a photo of it can carry where and when it was taken.",
        direct=True,
    ),
    "setting": Kind(
        WHERE_WHEN,
        "where",
        "A setting",
        "A setting (a school, a hospice) narrows where the client can be found.",
    ),
    "named_setting": Kind(
        WHERE_WHEN,
        "where",
        "A named place",
        "A named school or service points to one building and its people.",
    ),
    "town": Kind(WHERE_WHEN, "where", "A town", "A town narrows who it can be to the people who live there."),
    "street": Kind(
        WHERE_WHEN, "where", "A street", "A street points to a few houses and the people in them."
    ),
    "postcode": Kind(WHERE_WHEN, "where", "A postcode", "A postcode points to a few streets."),
    "zip": Kind(WHERE_WHEN, "where", "A ZIP code", "A ZIP code points to one neighbourhood."),
    "place": Kind(WHERE_WHEN, "where", "A place", "A named place narrows where the client can be found."),
    "landmark": Kind(WHERE_WHEN, "where", "A landmark", "A landmark says where to go and wait."),
    "weekday": Kind(
        WHERE_WHEN,
        "when",
        "A day of the week",
        "A day says when someone will be at a place; a regular day, every week.",
    ),
    "time": Kind(WHERE_WHEN, "when", "A time", "A time says when to be there."),
    "date": Kind(WHERE_WHEN, "when", "A date", "A date ties the post to one day that others can remember."),
    "relative": Kind(
        WHERE_WHEN,
        "when",
        "When it happened",
        "“Today” or “last week” dates the session from the date of the post.",
        needs_context=True,
        weak=True,
    ),
    "pattern": Kind(
        WHERE_WHEN,
        "when",
        "A regular pattern",
        "A regular pattern says where someone will be, week after week.",
    ),
    "practice": Kind(
        PRACTITIONER,
        "you",
        "Your practice's name",
        "Your practice's name leads a reader to where you work, and from there to who you see.",
    ),
    "website": Kind(PRACTITIONER, "you", "A website", "A website leads a reader to you and where you work."),
    "email": Kind(PRACTITIONER, "you", "An email address", "An email address names you or your practice."),
    "phone": Kind(
        PRACTITIONER, "you", "A phone number", "A phone number leads straight to you or your practice."
    ),
    "handle": Kind(PRACTITIONER, "you", "A social media name", "A handle leads a reader to your profile."),
    "colleague": Kind(
        PRACTITIONER,
        "you",
        "A named colleague",
        "A named supervisor, colleague or member of staff tells a reader which team or school this is.",
    ),
}

# How the groups are said in an explanation ("an age, a school and a weekday together ...").
GROUP_WORDS = {
    "name": "a name",
    "who": "an age or who they are",
    "family": "a family detail",
    "topic": "a sensitive topic",
    "said": "what happened in a session",
    "artwork": "client work",
    "where": "a place",
    "when": "a day or a time",
    "you": "a way to find you",
}


@dataclass(frozen=True)
class Hit:
    kind: str
    start: int
    end: int
    text: str
    says: str = ""  # a more precise word for what it is ("a school year", "a regular day")
    also: tuple[str, ...] = ()  # the kinds of shorter details merged into this one

    @property
    def info(self) -> Kind:
        return KINDS[self.kind]

    @property
    def kinds(self) -> tuple[str, ...]:
        return (self.kind, *self.also)

    @property
    def category(self) -> str:
        return KINDS[self.kind].category


# When two details of one category overlap, the one that says more names the merged detail.
PRIORITY = [
    "name",
    "initial",
    "artwork",
    "age_gender",
    "age",
    "school_year",
    "family",
    "topic",
    "gender_role",
    "occupation",
    "quote",
    "said",
    "family_member",
    "person",
    "named_setting",
    "street",
    "postcode",
    "zip",
    "town",
    "place",
    "landmark",
    "setting",
    "pattern",
    "date",
    "weekday",
    "time",
    "relative",
    "email",
    "website",
    "phone",
    "practice",
    "handle",
    "colleague",
    "session",
    "session_word",
]
_RANK = {k: i for i, k in enumerate(PRIORITY)}


def _resolve_layer(hits: list[Hit]) -> list[Hit]:
    kept: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), h.start)):
        for i, k in enumerate(kept):
            if not (k.start <= hit.start and hit.end <= k.end):
                continue  # only a hit inside another is merged; partly overlapping ones stay apart
            if k.kind in GREEDY and hit.kind not in GREEDY:
                continue
            lead, other = (hit, k) if _RANK[hit.kind] < _RANK[k.kind] else (k, hit)
            kinds = dict.fromkeys([*lead.also, other.kind, *other.also])
            kinds.pop(lead.kind, None)
            kept[i] = Hit(lead.kind, k.start, k.end, k.text, lead.says, tuple(kinds))
            break
        else:
            kept.append(hit)
    return kept


def _layer(hit: Hit) -> tuple[str, bool]:
    # "boy I see" says it is a client as well as who: the words that mark client work are kept apart
    return (hit.category, hit.kind in ("session", "session_word"))


def overlaps(a: Hit, b: Hit) -> bool:
    return a.start < b.end and b.start < a.end


# Clauses ("he only wants to paint") that may hold a precise detail ("Tom", "(8)"): the detail stays apart.
GREEDY = frozenset({"said", "quote", "occupation"})


def resolve(hits: list[Hit]) -> list[Hit]:
    """One hit per detail within a category. A hit inside a longer one of the same category is merged into
    it: the merged hit spans the longer one, is named by the kind that says more ("a 14yo girl" is an age
    and a gender), and remembers the other kind. A precise detail inside a clause (a name in what was said)
    and hits that only partly overlap are kept apart. Hits of different categories may overlap ("my 4
    o'clock" says it is a client and gives a time)."""
    layers: dict[tuple[str, bool], list[Hit]] = {}
    for hit in hits:
        layers.setdefault(_layer(hit), []).append(hit)
    kept: list[Hit] = []
    for layer in layers.values():
        kept.extend(_resolve_layer(layer))
    return sorted(kept, key=lambda h: (h.start, h.end))
