"""The details of one device found in a room check: what it is, what it could do, what to do, the evidence,
and the room's own note. Every value that came from the network is shown as plain text."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.widgets.column_view import ColumnView
from app.widgets.findings_view import FindingRow
from app.widgets.plain_label import PlainLabel
from checks.network.classify import Device
from checks.network.signatures import device_class
from checks.room_check import STATUS_WORDS, capabilities, shown_name

CONFIDENCE_WORDS = {"high": "SafeSpace is fairly sure", "medium": "SafeSpace thinks so", "low": "a guess"}


class DeviceView(ColumnView):
    accept_requested = Signal(str, str)  # device id, note
    forget_requested = Signal(str)  # device id
    note_saved = Signal(str, str)  # device id, note

    def __init__(self, parent: QWidget | None = None):
        super().__init__("About this device", parent)
        self.device: Device | None = None
        self.can_change = False
        self.show_nothing()

    def show_nothing(self, text: str = "Select a device to see what it is and what to do about it.") -> None:
        self.device = None
        self.fresh().addWidget(PlainLabel(text, role="muted"))

    def show_device(self, device: Device, can_change: bool) -> None:
        """can_change: the room's list of known devices may be changed now (a finished scan of a room)."""
        self.device, self.can_change = device, can_change
        layout = self.fresh()
        layout.addWidget(PlainLabel(shown_name(device), role="heading", selectable=True, anywhere=True))
        status = STATUS_WORDS[device.status]
        kind = device_class(device.device_class).label
        layout.addWidget(PlainLabel(" · ".join(p for p in (status, kind, capabilities(device)) if p)))
        for finding in device.findings:
            layout.addWidget(FindingRow(finding))
        if device.note:
            layout.addWidget(PlainLabel(f"Your note: {device.note}", selectable=True))
        layout.addWidget(self._actions(device))
        layout.addWidget(PlainLabel("Details", role="subheading"))
        layout.addWidget(PlainLabel(self._details(device), role="muted", selectable=True, anywhere=True))

    def _actions(self, device: Device) -> QWidget:
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 6, 0, 0)
        self.note = QLineEdit(device.note or "")
        self.note.setPlaceholderText("A note for this room, for example “reception printer”")
        self.note.setAccessibleName("Note about this device")
        self.note.setMaxLength(200)
        row = QHBoxLayout()
        self.accept_button = QPushButton("This belongs in this room")
        self.accept_button.setAccessibleName("Mark this device as known for this room")
        self.accept_button.clicked.connect(lambda: self.accept_requested.emit(device.id, self.note.text()))
        self.save_note_button = QPushButton("Save note")
        self.save_note_button.setAccessibleName("Save the note about this device")
        self.save_note_button.clicked.connect(lambda: self.note_saved.emit(device.id, self.note.text()))
        self.forget_button = QPushButton("Forget this device")
        self.forget_button.setAccessibleName("Forget this device: it counts as new next time")
        self.forget_button.clicked.connect(lambda: self.forget_requested.emit(device.id))
        known = device.status in ("known", "missing")
        self.accept_button.setVisible(not known)
        self.save_note_button.setVisible(known)
        self.forget_button.setVisible(known)
        for w in (self.note, self.accept_button, self.save_note_button, self.forget_button):
            w.setEnabled(self.can_change)
        row.addWidget(self.accept_button)
        row.addWidget(self.save_note_button)
        row.addWidget(self.forget_button)
        row.addStretch(1)
        col.addWidget(self.note)
        col.addLayout(row)
        if not self.can_change:
            col.addWidget(
                PlainLabel("You can mark devices as known once a scan of a room has finished.", role="muted")
            )
        return box

    @staticmethod
    def _details(d: Device) -> str:
        lines = [f"Kind: {device_class(d.device_class).label} ({CONFIDENCE_WORDS[d.confidence]})"]
        if d.vendor:
            lines.append(f"Maker of its network hardware: {d.vendor}")
        if d.mac:
            hidden = " (randomised, so its maker is hidden)" if d.randomised_mac else ""
            lines.append(f"Hardware address: {d.mac}{hidden}")
        if d.addresses:
            lines.append(f"Network addresses: {', '.join(d.addresses)}")
        if d.first_seen:
            lines.append(f"First seen in this room: {d.first_seen}")
        if d.last_seen:
            lines.append(f"Last seen: {d.last_seen}")
        lines.append("")
        lines.append("What it said on the network:")
        lines += [f"  {e}" for e in d.evidence]
        return "\n".join(lines)
