"""The detectors on hostile and tricky drafts: what must be found, what must not, and the verdict."""

from __future__ import annotations

import time

import pytest

from checks.model import Severity
from checks.post import MAX_CHARS, check_post, find

EXAMPLE = "Struggling with an 8 year old boy I see at school on Fridays - he only wants to paint."


def kinds(text: str, where: str = "large_group") -> dict[str, list[str]]:
    """kind -> the words found, for the details shown."""
    out: dict[str, list[str]] = {}
    for f in check_post(text, where).details():
        for kind in f.data["kinds"]:  # a detail that took in a shorter one ("a 14yo girl") has both kinds
            out.setdefault(kind, []).append(f.data["text"])
    return out


def has(text: str, kind: str, words: str) -> bool:
    return any(words in found for found in kinds(text).get(kind, []))


def test_the_example_from_the_issue_could_identify_a_client() -> None:
    result = check_post(EXAMPLE, "large_group")
    assert result.severity is Severity.HIGH
    found = kinds(EXAMPLE)
    assert found["age_gender"] == ["an 8 year old boy"]
    assert found["setting"] == ["at school"]
    assert found["weekday"] == ["Fridays"]
    assert found["said"] == ["he only wants to paint"]
    assert not [f for f in result.details() if f.severity is Severity.HIGH]  # each alone is not enough...
    assert "session" in found  # "boy I see": it is about a client
    combo = result.combination()
    assert combo is not None and combo.severity is Severity.HIGH and combo.title == "Could identify a client"
    for words in ("an age and a gender", "a setting", "a day of the week", "what happened in a session"):
        assert words in combo.detail
    # every span points at the words it names
    for f in result.details():
        ((start, end),) = f.data["spans"]
        assert EXAMPLE[start:end] == f.data["text"]


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("my client, aged 8, said hi", "age", "aged 8"),
        ("a 15-year-old at the academy", "age", "a 15-year-old"),
        ("she's a 14yo girl in care", "age_gender", "14yo girl"),
        ("client (8) keeps crying", "age", "(8)"),
        ("my client in her teens", "age", "in her teens"),
        ("client, Year 3, struggling", "school_year", "Year 3"),
        ("a girl in P4 at our school", "school_year", "P4"),
        ("my client is in 3rd grade", "school_year", "3rd grade"),
        ("my client is in Grade 3", "school_year", "Grade 3"),
        ("a client who is a sophomore", "school_year", "sophomore"),
        ("my client started Reception in September", "school_year", "started Reception"),
        ("yr 9 lad I see", "school_year", "yr 9"),
        ("this boy I see keeps hiding", "gender_role", "this boy"),
        ("my client is a young mum", "gender_role", "a young mum"),
        ("my client's dad is in prison", "family", "dad is in prison"),
        ("a client who is adopted", "family", "adopted"),
        ("a boy in foster care I see", "family", "in foster care"),
        ("my client Jayden is 11", "name", "Jayden"),
        ("client called grace said no", "name", "grace"),
        ("tom (9) keeps drawing monsters", "name", "tom"),
        ("Client J (14) told me", "initial", "J"),
        ("my client has ADHD", "topic", "ADHD"),
        ("my client has been self-harming", "topic", "self-harming"),
        ("in session today she said “I hate my mum”", "quote", "“I hate my mum”"),
        ("my 4 o'clock today was hard", "session", "my 4 o'clock today"),
    ],
)
def test_about_a_client(text: str, kind: str, words: str) -> None:
    assert has(text, kind, words), kinds(text)


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("my client at St Mary's Primary", "named_setting", "St Mary's Primary"),
        ("a boy I see at Oakwood Academy", "named_setting", "Oakwood Academy"),
        ("my client at the hospice", "setting", "at the hospice"),
        ("my client in Croydon", "town", "Croydon"),
        ("my client lives on Mill Road", "street", "Mill Road"),
        ("my client lives near LS6 2AB", "postcode", "LS6 2AB"),
        ("my client lives in Springfield, IL 62704", "zip", "62704"),
        ("my client, zip code 90210", "zip", "90210"),
        ("a client I see every Friday after lunch", "pattern", "every Friday after lunch"),
        ("my client on Tuesday", "weekday", "Tuesday"),
        ("my client on weds", "weekday", "on weds"),
        ("my client at 4pm", "time", "4pm"),
        ("my client on 14 March", "date", "14 March"),
        ("my client lives near the big Tesco", "landmark", "near the big Tesco"),
    ],
)
def test_where_and_when(text: str, kind: str, words: str) -> None:
    assert has(text, kind, words), kinds(text)


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("my client. Call 0113 496 0123", "phone", "0113 496 0123"),
        ("my client. Call +44 7700 900123", "phone", "+44 7700 900123"),
        ("my client. Call (212) 555-0199", "phone", "(212) 555-0199"),
        ("my client. Email jane@oaktree.co.uk", "email", "jane@oaktree.co.uk"),
        ("my client. See www.oaktreecounselling.co.uk.", "website", "www.oaktreecounselling.co.uk"),
        ("my client. Follow @oaktree_therapy", "handle", "@oaktree_therapy"),
        ("my client. I run Oak Tree Counselling Ltd", "practice", "Oak Tree Counselling Ltd"),
        ("my client. My supervisor Jane Smith agreed", "colleague", "supervisor Jane Smith"),
    ],
)
def test_about_the_practitioner(text: str, kind: str, words: str) -> None:
    assert has(text, kind, words), kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "Will you all be at the conference? Hope to see you there.",  # Will, Hope: words, not names
        "Grace and mercy to all this Christmas.",
        "Mark your diaries for the summer social!",
        "Anyone else find 24/7 on-call tiring? £10.30 for parking.",  # not a date, not a time
        "Celebrating 10 years in practice today!",  # not an age
        "Our training has 12000 members across 50 states",  # not ZIP codes
        "I offer Play Therapy and Art Therapy.",  # modalities, not practice names
        "Good Practice in Action is a useful BACP series.",
        "I'm a teacher by background and love it.",  # the practitioner's own job
        "Add the SEND forms to your list, then send them.",
    ],
)
def test_words_that_are_not_details(text: str) -> None:
    result = check_post(text, "public")
    assert result.severity.rank <= Severity.LOW.rank, [
        (f.data["kind"], f.data["text"]) for f in result.details()
    ]
    assert not [f for f in result.details() if {"name", "age", "zip", "practice"} & set(f.data["kinds"])]
    if "24/7" in text:
        assert not [f for f in result.details() if f.data["text"] in ("24/7", "10.30")]


@pytest.mark.parametrize(
    "text",
    [
        "Two weeks in Cornwall and I feel human again 🌊☀️ #holiday",
        "Our next CPD workshop on trauma: Saturday 14 March, 10am-4pm, St Mary's Church Hall, Leeds.",
        "Happy birthday to my sister Emma! 30 today 🎉",
        "My son turned 5 today and started Reception!",
        "My 2 year old has decided sleep is optional. Tips?",
        "I'm now offering evening appointments. Call 07700 900123.",
        "Follow us @harbourtherapy for wellbeing tips, and see harbourtherapy.co.uk",
    ],
)
def test_posts_without_client_content_are_low_risk_at_most(text: str) -> None:
    assert check_post(text, "public").severity.rank <= Severity.LOW.rank


@pytest.mark.parametrize(
    "text",
    [
        EXAMPLE.upper(),  # shouting
        "struggling w/ an 8yo boy i see @ school on fridays - he only wants 2 paint 😩",  # text speak
        "Struggling with an 8\u00a0year\u00a0old boy I see at school on Fridays.",  # no-break spaces
        "Struggling with an 8 year old boy\nI see at school\non Fridays",  # line breaks
        "Struggling with an 8 year old boy I see at school on Fridays" * 3,  # repeated
    ],
)
def test_hostile_spellings_of_the_example_are_still_found(text: str) -> None:
    result = check_post(text, "large_group")
    assert result.severity is Severity.HIGH, [(f.data["kind"], f.data["text"]) for f in result.details()]


def test_a_name_alone_is_low_but_a_name_with_a_client_detail_is_high() -> None:
    assert check_post("Happy birthday Jayden!", "public").severity is Severity.LOW
    assert check_post("Session with Jayden today, he's 11.", "public").severity is Severity.HIGH


def test_one_detail_about_a_client_is_worth_checking_not_high() -> None:
    result = check_post("My client has ADHD. Any reading?", "public")
    assert result.severity is Severity.MEDIUM
    assert result.combination().title == "One detail about a client"


def test_a_session_with_nothing_specific_is_low_risk() -> None:
    result = check_post("Tough session today. Off for a walk.", "public")
    assert result.severity is Severity.LOW


def test_supervision_notes_lower_the_combination_but_not_a_name() -> None:
    assert check_post(EXAMPLE, "supervision").severity is Severity.MEDIUM
    assert check_post("Session with Jayden today, he's 11.", "supervision").severity is Severity.HIGH


def test_every_destination_says_where_and_social_ones_say_it_is_not_supervision() -> None:
    for where in ("public", "large_group", "private_group", "direct", "supervision"):
        f = next(f for f in check_post(EXAMPLE, where).findings if f.id == "post.where")
        assert f.severity is Severity.INFO and f.data["sources"]
        assert ("not supervision" in f.detail) == (where != "supervision")
    assert check_post(EXAMPLE, "nonsense").where == "public"  # an unknown destination is treated as public


def test_empty_and_odd_input() -> None:
    for text in ("", "   ", "\n\n", "\x00\x01\x02", "🎉" * 500, "a" * 5000, "\u202eevil\u202c bidi"):
        result = check_post(text, "public")
        assert result.severity.rank <= Severity.LOW.rank


def test_control_characters_do_not_hide_a_detail() -> None:
    assert (
        check_post("an 8 year old boy\u200b I see at school on Fridays", "public").severity is Severity.HIGH
    )


def test_a_very_long_draft_is_cut_and_says_so() -> None:
    text = "Lovely day. " * (MAX_CHARS // 10)
    result = check_post(text, "public")
    assert result.truncated and result.checked_chars == MAX_CHARS


def test_pathological_input_does_not_hang() -> None:
    """Regexes built from word lists must not backtrack for ever on long runs of the same word."""
    nasty = [
        "St " * 3000,
        "A " * 3000 + "Primary",
        "the " * 3000 + "school",
        "he said " * 2000,
        "1" * 10000,
        "Mr " * 3000,
        "@" * 10000,
        "www." * 3000,
    ]
    for text in nasty:
        began = time.perf_counter()
        find(text)
        assert time.perf_counter() - began < 20, text[:20]


def test_to_dict_has_spans_and_replacements_and_no_draft() -> None:
    d = check_post(EXAMPLE, "public").to_dict()
    assert d["severity"] == "high" and d["verdict"] == "Could identify a client"
    details = [f for f in d["findings"] if f["category"] in ("client", "where_when", "practitioner")]
    assert all(f["data"]["spans"] and f["data"]["replacements"] for f in details)
    assert EXAMPLE not in str(d)  # the whole draft is never in the result, only the words found
