"""`make bench`: how well "Before you post" finds what could identify a client, on the labelled corpus in
tests/post/corpus.jsonl. Prints recall and precision per category, the share of identifying drafts rated
"Could identify a client", and the share of drafts without client content rated above "Low risk", against the
targets (exits 1 when one is missed); then the same figures on the held-out drafts (tests/post/holdout.jsonl),
which were never used to tune the rules. `-v` lists every miss and every wrong finding."""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from checks.post import check_post  # noqa: E402
from tests.post.evaluate import CATEGORIES, HOLDOUT, Score, evaluate, load_corpus  # noqa: E402

RECALL_TARGET = {"client": 0.95, "where_when": 0.95}
PRECISION_TARGET = 0.85
NONE_ABOVE_LOW_MAX = 0.10
NAMES = {"client": "About a client", "where_when": "Where and when", "practitioner": "About you"}


def table(score: Score) -> bool:
    ok = True
    print(f"{'category':<18}{'labelled':>9}{'recall':>9}{'shown':>7}{'precision':>11}")
    for cat in CATEGORIES:
        r, p = score.recall(cat), score.precision(cat)
        miss = (cat in RECALL_TARGET and r < RECALL_TARGET[cat]) or p < PRECISION_TARGET
        ok &= not miss
        print(
            f"{NAMES[cat]:<18}{score.labelled[cat]:>9}{r:>9.1%}{score.shown[cat]:>7}{p:>11.1%}"
            + ("   below target" if miss else "")
        )
    high = score.identifying_high / score.identifying if score.identifying else 1.0
    above = score.none_above_low / score.none if score.none else 0.0
    ok &= above <= NONE_ABOVE_LOW_MAX
    print(
        f"Identifying drafts rated 'Could identify a client': {score.identifying_high}/{score.identifying} "
        f"({high:.1%})"
    )
    print(
        f"Drafts without client content rated above 'Low risk': {score.none_above_low}/{score.none} "
        f"({above:.1%}; target at most {NONE_ABOVE_LOW_MAX:.0%})"
    )
    return ok


def details(score: Score) -> None:
    for cat, words, text in score.misses:
        print(f"  missed  [{cat}] {words!r}  in: {text}")
    for cat, words, text in score.wrong:
        print(f"  wrong   [{cat}] {words!r}  in: {text}")
    for label, verdict, text in score.rated:
        print(f"  rated   ({label}) {verdict}: {text}")


def main() -> int:
    drafts = load_corpus()
    began = time.perf_counter()
    score = evaluate(drafts)
    took = time.perf_counter() - began
    print(
        f"Before you post: {len(drafts)} labelled drafts, checked in {took:.2f} s "
        f"({took / len(drafts) * 1000:.1f} ms each)"
    )
    ok = table(score)
    long_draft = " ".join(d["text"] for d in drafts)[:10_000]
    began = time.perf_counter()
    check_post(long_draft, "large_group")
    print(
        f"A 10,000-character draft is checked in {time.perf_counter() - began:.2f} s (off the GUI thread, "
        "after a pause in typing)"
    )
    print(
        f"Targets (recall >= 95% for client and where/when, precision >= 85%): {'met' if ok else 'NOT met'}"
    )
    if "-v" in sys.argv:
        details(score)
    held = load_corpus(HOLDOUT)
    print(
        f"\nHeld-out drafts ({len(held)}; written after the rules were tuned on the corpus above and never "
        "used "
        "to change them, so the better guide to new text):"
    )
    held_score = evaluate(held)
    table(held_score)
    if "-v" in sys.argv:
        details(held_score)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
