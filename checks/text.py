"""Untrusted or user-typed text, made safe to keep and to show."""

from __future__ import annotations


def one_line(value: object, limit: int | None = None) -> str:
    """One line of printable text: control characters become spaces, runs of white space one space, no
    space at either end; cut to `limit` characters with an ellipsis."""
    text = value if isinstance(value, str) else str(value)
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else " " for ch in text)
    if "  " in text or text[:1].isspace() or text[-1:].isspace():
        text = " ".join(text.split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def safe(text: str) -> str:
    """Untrusted text (file names, photo details, device names) made safe for a terminal: every control
    character becomes '?', so nothing can move the cursor, clear the screen or ring the bell."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)
