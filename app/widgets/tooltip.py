"""Tooltips for untrusted text.

Qt shows a tooltip as rich text whenever the text looks like HTML, so untrusted text (file names, photo
details) is escaped first: a file named "<img src=…>.jpg" is shown as just that.
"""

from __future__ import annotations

import html


def plain_tooltip(text: str) -> str:
    return f"<qt>{html.escape(text)}</qt>"
