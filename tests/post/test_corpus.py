"""The labelled corpus: big enough, well formed, and the detectors meet the issue's targets on it. The bench
(tests/bench/bench_post.py) prints the figures; this holds them to the targets, so a change cannot lower
them."""

from __future__ import annotations

from collections import Counter

from tests.post import make_corpus
from tests.post.evaluate import CORPUS, HOLDOUT, evaluate, load_corpus


def test_the_corpus_is_at_least_200_drafts_of_every_kind() -> None:
    drafts = load_corpus()
    assert len(drafts) >= 200
    labels = Counter(d["label"] for d in drafts)
    assert labels["identifying"] >= 100 and labels["none"] >= 50 and labels["client"] >= 20
    cats = Counter(s["category"] for d in drafts for s in d["spans"])
    assert cats["client"] and cats["where_when"] and cats["practitioner"]
    assert any("😢" in d["text"] or "🎉" in d["text"] for d in drafts)  # emoji
    assert any("colour" in d["text"] or "counselling" in d["text"] for d in drafts)  # UK spelling
    assert any("grade" in d["text"] or "Mom" in d["text"] for d in drafts)  # US words


def test_the_jsonl_files_are_made_from_the_sources() -> None:
    for source, out in make_corpus.PAIRS:
        assert make_corpus.read_source(source) == load_corpus(out), out
    assert CORPUS in [o for _, o in make_corpus.PAIRS] and HOLDOUT in [o for _, o in make_corpus.PAIRS]


def test_spans_are_inside_the_text() -> None:
    for d in load_corpus() + load_corpus(HOLDOUT):
        for s in d["spans"]:
            assert 0 <= s["start"] < s["end"] <= len(d["text"])
            assert d["text"][s["start"] : s["end"]].strip() == d["text"][s["start"] : s["end"]]


def test_the_targets_are_met_on_the_corpus() -> None:
    score = evaluate()
    assert score.recall("client") >= 0.95 and score.recall("where_when") >= 0.95
    assert all(score.precision(c) >= 0.85 for c in ("client", "where_when", "practitioner"))
    assert score.none_above_low <= score.none / 10
    assert score.identifying_high >= 0.95 * score.identifying


def test_held_out_drafts_stay_where_they_were_measured() -> None:
    """Not tuned on: a floor just under what was measured when they were written (client recall 81%, where
    and when 92%, 23 of 24 identifying drafts rated high, no draft without client content above low)."""
    score = evaluate(load_corpus(HOLDOUT))
    assert score.recall("client") >= 0.78 and score.recall("where_when") >= 0.88
    assert score.none_above_low == 0 and score.identifying_high >= score.identifying - 2
