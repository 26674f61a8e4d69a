"""Text for a terminal."""


def safe(text: str) -> str:
    """Untrusted text (file names, photo details, device names) made safe for a terminal: every control
    character becomes '?', so nothing can move the cursor, clear the screen or ring the bell."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)
