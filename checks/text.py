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


def valid_unicode(value: object) -> object:
    """`value` (and every string inside lists and dicts) as text that can be written as UTF-8: a file name
    that is not valid UTF-8 comes from the system with stand-ins for its bytes, shown here as U+FFFD."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
            return value
        except UnicodeEncodeError:
            return value.encode("utf-8", "surrogateescape" if _escaped(value) else "replace").decode(
                "utf-8", "replace"
            )
    if isinstance(value, dict):
        return {valid_unicode(k): valid_unicode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [valid_unicode(v) for v in value]
    return value


def _escaped(value: str) -> bool:
    return all(not 0xD800 <= ord(c) <= 0xDFFF or 0xDC80 <= ord(c) <= 0xDCFF for c in value)


def safe(text: str) -> str:
    """Untrusted text (file names, photo details, device names) made safe for a terminal: every control
    character becomes '?', so nothing can move the cursor, clear the screen or ring the bell."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)
