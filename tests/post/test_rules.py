"""The rules and word lists: every file has sources, a date and what it is for; bad files are refused."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from checks.post import rules


@pytest.mark.parametrize("name", rules.FILES)
def test_every_file_has_sources_a_date_and_a_purpose(name: str) -> None:
    doc = rules.read(name)
    assert doc["about"] and doc["sources"] and doc["last_verified"]
    assert all(s["url"].startswith(("https://", "http://")) for s in doc["sources"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(sources=[]), "sources must be"),
        (lambda d: d["sources"][0].update(url="somewhere"), "title and an http"),
        (lambda d: d.update(last_verified="soon"), "last_verified must be a date"),
        (lambda d: d.update(about=""), "about must say"),
    ],
)
def test_a_bad_file_is_refused(change, message: str) -> None:  # type: ignore[no-untyped-def]
    doc = rules.read("client")
    change(doc)
    with pytest.raises(rules.RulesError, match=message):
        rules.validate("client", doc)


def test_all_patterns_compile_and_the_lists_are_loaded() -> None:
    r = rules.load()
    assert "Jayden" in r.names and "Will" in r.common_names and "Grace" in r.common_names
    assert "Croydon" in r.towns["Croydon"] and "Milton Keynes" in r.towns["Milton"]
    assert r.towns["Milton"][0] != "Milton"  # longest first: "Milton Keynes" is tried before "Milton"
    assert len(r.destinations["kinds"]) == 5


def test_the_gazetteer_is_small_and_offline() -> None:
    path = resources.files("resources").joinpath("post", "towns.json")
    assert len(path.read_bytes()) < 1_000_000
    towns = json.loads(path.read_text("utf-8"))["towns"]
    assert {"GB", "US", "IE"} <= set(towns) and "Leeds" in towns["GB"] and "Springfield" in towns["US"]


def test_a_bad_pattern_is_refused() -> None:
    with pytest.raises(rules.RulesError, match="does not compile"):
        rules._compile("(unclosed")
