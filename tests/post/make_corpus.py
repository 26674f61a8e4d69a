"""Turns tests/post/corpus_source.txt and holdout_source.txt (drafts with [marked]{c} details) into
corpus.jsonl and holdout.jsonl: one JSON
object a line with the text, its label and the spans (start, end, category). Run after editing the source:

    .venv/bin/python tests/post/make_corpus.py
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PAIRS = (
    (HERE / "corpus_source.txt", HERE / "corpus.jsonl"),
    (HERE / "holdout_source.txt", HERE / "holdout.jsonl"),
)
CATEGORY = {"c": "client", "w": "where_when", "p": "practitioner"}
LABELS = {"I": "identifying", "C": "client", "N": "none"}
_MARK = re.compile(r"\[([^\[\]]+)\]\{([cwp]{1,3})\}")


def parse(line: str) -> dict[str, Any]:
    label, _, marked = line.partition("|")
    if label not in LABELS:
        raise ValueError(f"unknown label {label!r} in {line!r}")
    marked = marked.replace("\\n", "\n")
    text, spans, pos = "", [], 0
    for m in _MARK.finditer(marked):
        text += marked[pos : m.start()]
        for letter in m.group(2):  # [in prison]{cw}: a family fact and a place
            spans.append(
                {"start": len(text), "end": len(text) + len(m.group(1)), "category": CATEGORY[letter]}
            )
        text += m.group(1)
        pos = m.end()
    text += marked[pos:]
    if "[" in text and "]{" in text:
        raise ValueError(f"a mark is not closed in {line!r}")
    return {"label": LABELS[label], "text": text, "spans": spans}


def read_source(source: Path) -> list[dict[str, Any]]:
    lines = source.read_text(encoding="utf-8").splitlines()
    return [parse(ln) for ln in lines if ln.strip() and not ln.startswith("#")]


def main() -> int:
    for source, out in PAIRS:
        drafts = read_source(source)
        with out.open("w", encoding="utf-8") as f:
            for d in drafts:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
        print(f"wrote {out} ({len(drafts)} drafts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
