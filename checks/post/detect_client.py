"""Details about a client: ages and school years, who they are, names and initials, family facts, sensitive
topics, what happened or was said in a session, and the words that say a post is about a client."""

from __future__ import annotations

import re
from collections.abc import Iterator

from checks.post.hits import Hit
from checks.post.rules import Rules

# Words before or after a name that show it is a person's name (needed for names that are also words, such
# as Will or Grace, and for names typed in lower case).
_NAME_BEFORE = re.compile(
    r"(?:\b(?:called|named|name is|names|client|clients|little|wee|young|boy|girl|lad|lass|kid|child|yp|"
    r"pupil|"
    r"son|daughter|brother|sister|mum|mom|dad|see|saw|with|seeing|about|for|meet|met|told|asked|helped|"
    r"supported|love|worried about|thinking of|thinking about)\s+)$",
    re.IGNORECASE,
)
_NAME_AFTER = re.compile(
    r"^(?:\s?\(\s?\d{1,2}\s?\)|,\s?\d{1,2}\b|\s\d{1,2}\b|,\s+(?:my|our)\s+(?:\d|client|\w+\s+client)|\s+is\s+(?:\d|only|just|nearly|in\s+(?:year|foster|care|y\d)|adopted|"
    r"autistic|struggling|finding|doing|being|so|really|still|back)|['’]s\s+(?:mum|mom|dad|mother|father|"
    r"parents|nan|gran|brother|sister|family|carer|foster|teacher|school|drawing|painting|picture|social "
    r"worker|behaviour|behavior|session|story|art|work|dog|cat)|\s+(?:said|says|told|tells|asked|asks|drew|"
    r"draws|painted|paints|cried|cries|wants|wanted|only|just|always|never|keeps|kept|(?:turned|turns)\s+\d|"
    r"came|comes|brought|disclosed|refused|refuses|won't|wouldn't|didn't|doesn't|hasn't|isn't|can't|"
    r"has\s+(?:adhd|autism|been)|was\s+(?:\d|adopted|excluded)|loves|likes|hates|made|built|played|plays|"
    r"shared|showed|talked|spoke|opened|left|ran|hid|hides|screamed|shouted|hit|kicked))",
    re.IGNORECASE,
)
_NAME_STRONG = re.compile(r"\b(?:called|named|client|little|wee)\s+$", re.IGNORECASE)
_SENTENCE_START = re.compile(r"(?:^|[.!?\n]\s*|[\"“(]\s*)$")
_TITLE = re.compile(r"(?:\b(?:Dr|Mr|Mrs|Ms|Miss|Prof|Sir|Dame|Lady|Lord|St|Saint)\.?\s+)$")
_QUOTE = re.compile(r"[“\"]([^“”\"\n]{3,160})[”\"]|(?<![\w])‘([^‘’\n]{3,160})’")
_INITIAL = (
    re.compile(
        r"\b(?:client|boy|girl|lad|kid|child|yp|young person|little|called|named|pupil)\s+"
        r"([A-Z])\b\.?(?!['’]\w|\w)"
    ),
    re.compile(r"(?<![\w.])([A-Z])\.?\s?\((?:\d{1,2}|[mfMF])\)"),
    re.compile(r"(?<![\w.])([A-Z])\.?,\s?(?:aged|age|\d{1,2}\b)"),
    re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx)\.?\s([A-Z])\b(?![\w'’])"),
)


def detect(text: str, rules: Rules) -> Iterator[Hit]:
    own = [m.span() for m in rules.own_family.finditer(text)]

    def after_own_family(start: int) -> bool:
        # "my son turned 5", "my daughter's 8 year old friend": the practitioner's own family
        return any(s <= start <= e + 50 and not any(c in text[e:start] for c in ".!?\n") for s, e in own)

    for pattern in rules.age:
        for m in pattern.finditer(text):
            said = m.group(0).lstrip().lower()
            if after_own_family(m.start()) or (
                said.startswith(("my ", "our "))
                and not re.match(r"\s+(?:client|boy|girl|kid|yp)", text[m.end() :])
            ):
                continue  # "my 2 year old": the practitioner's own child
            kind = "age_gender" if rules.gender_word.search(m.group(0)) else "age"
            yield _hit(kind, m, text)
    for pattern, says in rules.school_years:
        for m in pattern.finditer(text):
            if not after_own_family(m.start()):
                yield _hit("school_year", m, text, says)
    for m in rules.gender_role.finditer(text):
        if not after_own_family(m.start()) and not rules.own_family.fullmatch(m.group(0)):
            yield _hit("gender_role", m, text)
    for m in rules.person.finditer(text):
        if not after_own_family(m.start()):
            yield _hit("person", m, text)
    for pattern in (rules.occupation, rules.occupation_extra):
        for m in pattern.finditer(text):
            yield _hit("occupation", m, text)
    for m in rules.family_word.finditer(text):
        if not after_own_family(m.start()):
            yield _hit("family_member", m, text)
    for pattern in rules.family:
        for m in pattern.finditer(text):
            if not after_own_family(m.start()):
                yield _hit("family", m, text)
    for pattern in rules.session:
        for m in pattern.finditer(text):
            yield _hit("session", m, text)
    for m in rules.session_word.finditer(text):
        yield _hit("session_word", m, text)
    for pattern in rules.said:
        for m in pattern.finditer(text):
            yield _hit("said", m, text)
    for pattern in rules.artwork:
        for m in pattern.finditer(text):
            yield _hit("artwork", m, text)
    for m in rules.topics.finditer(text):
        word = m.group(0)
        if word.lower() in rules.topic_upper and not word.isupper():
            continue  # "add", "did", "send" are words; ADD, DID, SEND are what is meant
        yield _hit("topic", m, text, rules.topic_group.get(word.lower(), "").replace("_", " "))
    for m in _QUOTE.finditer(text):
        inner = m.group(1) or m.group(2) or ""
        if len(inner.split()) >= 2:
            yield Hit("quote", m.start(), m.end(), m.group(0))
    for pattern in _INITIAL:
        for m in pattern.finditer(text):
            if m.group(1) not in ("I", "A") or m.group(0).startswith(("Mr", "Ms", "Miss", "Mx")):
                yield Hit("initial", m.start(1), m.end(1), m.group(1))
    yield from _names(text, rules, own)


def _hit(kind: str, m: re.Match[str], text: str, says: str = "") -> Hit:
    start, end = m.span()
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in " \t,;:-":
        end -= 1
    return Hit(kind, start, end, text[start:end], says)


def _names(text: str, rules: Rules, own: list[tuple[int, int]]) -> Iterator[Hit]:
    for m in re.finditer(r"(?<![\w@#./-])([A-Za-z][a-z]{1,14})(?![\w@-])", text):
        word = m.group(1)
        capitalised = word[0].isupper()
        proper = word.capitalize()
        if proper not in rules.names:
            continue
        before, after = text[max(0, m.start() - 40) : m.start()], text[m.end() : m.end() + 60]
        if _TITLE.search(before):
            continue  # "Dr Grace", "St Mary": a colleague or a place, found by other detectors
        if any(s <= m.start() <= e + 2 for s, e in own):
            continue  # "my sister Emma", "my son Jack": the practitioner's own family
        context = bool(_NAME_BEFORE.search(before) or _NAME_AFTER.search(after))
        if not capitalised or proper in rules.common_names:
            # lower-case names and names that are also words need something that shows they are names
            strong = _NAME_STRONG.search(before)
            if not context or (not capitalised and proper in rules.common_names and not strong):
                continue
            if capitalised and _SENTENCE_START.search(before) and not _NAME_AFTER.search(after):
                continue
        end = m.end()
        surname = re.match(r"\s([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b", text[end:])
        if surname and surname.group(1) not in rules.weekday_words | rules.month_words:
            end += surname.end()
        yield Hit("name", m.start(), end, text[m.start() : end])
        age = re.match(r"\s\(?(\d{1,2})\)?(?=[\s,.!?)]|$)", text[end:])
        if age:  # "Tia 13 showed me": a name and an age
            yield Hit("age", end + age.start(1), end + age.end(1), age.group(1))
