"""A visible mark of keyboard focus on lists and scrolling panes, which Fusion draws none around: a person
who moves with Tab must always see where they are (UX.md, Accessibility)."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractScrollArea

_SHEET = (
    "{kind} {{ border: 2px solid transparent; border-radius: 4px; }}"
    "{kind}:focus {{ border: 2px solid palette(highlight); }}"
)


def show_focus(area: QAbstractScrollArea) -> None:
    """Draw a frame in the highlight colour around `area` while it has focus (and keep its place otherwise,
    so nothing moves when focus comes and goes)."""
    area.setStyleSheet(_SHEET.format(kind=type(area).__name__))
