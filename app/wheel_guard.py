"""Controls that do not have focus ignore the mouse wheel, everywhere in the app.

Scrolling a form must never change a value: with the pointer passing over an Outcome box, the wheel would
turn "Fine" into "Risk accepted" just before signing. A combo box or spin box without focus passes the wheel
to what holds it (the form's scroll area scrolls instead); once clicked or tabbed to, the wheel works on it
as usual. Spin boxes no longer take focus from the wheel itself.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QComboBox, QWidget

GUARDED = (QComboBox, QAbstractSpinBox)
_WHEEL, _POLISH = QEvent.Type.Wheel, QEvent.Type.Polish


class WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == _WHEEL and isinstance(watched, GUARDED) and not watched.hasFocus():
            area = _scroll_area(watched)
            if area is not None:  # sent on by hand: Qt does not pass a synthetic wheel event up
                QCoreApplication.sendEvent(area.viewport(), event)
            return True  # never to the control itself
        wheel_focus = Qt.FocusPolicy.WheelFocus
        if (
            kind == _POLISH
            and isinstance(watched, GUARDED)
            and watched.focusPolicy() & wheel_focus == wheel_focus
        ):
            watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel alone gives no focus
        return False


def _scroll_area(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


def install(app: QCoreApplication) -> WheelGuard:
    guard = WheelGuard(app)
    app.installEventFilter(guard)
    return guard


def guarded(widget: QWidget) -> bool:
    return isinstance(widget, GUARDED)
