"""The "Room check" page: pick the room, press one button, see what on the network could listen or watch,
tick the checklist, and save the check."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import workers
from app.dialogs.room_history import RoomHistory
from app.widgets.checklist import ChecklistPanel
from app.widgets.device_list import DeviceList
from app.widgets.device_view import DeviceView
from app.widgets.plain_label import PlainLabel
from app.widgets.progress_panel import ProgressPanel
from app.widgets.scan_options import ScanOptions
from checks import room_check
from checks.errors import SafeSpaceError
from checks.network import interfaces
from checks.network.classify import Device
from checks.settings import Settings
from checks.store import Room, Store

if TYPE_CHECKING:  # the scanning stack (asyncio, aiohttp, UPnP) is imported when a scan starts
    from checks.network.scan import ScanResult


log = logging.getLogger(__name__)


class RoomPage(QWidget, workers.JobHolder):
    def __init__(
        self,
        settings: Settings,
        save_settings: Callable[[], None],
        parent: QWidget | None = None,
        *,
        store: Store,
    ):
        super().__init__(parent)
        self.setAccessibleName("Room check")
        self.settings, self._save_settings = settings, save_settings
        self.store = store  # the window's: any trouble with it is said once, by the window
        self._job: workers.Job | None = None
        self._baseline: list = []
        self._scanned_room: Room | None = None  # the room whose finished scan is listed
        self._result: ScanResult | None = None
        self._interface: str | None = None
        self._closing = False

        self.room_box = QComboBox()
        self.room_box.setAccessibleName("Room")
        self.room_box.setMinimumWidth(220)
        self.room_box.currentTextChanged.connect(self._room_changed)
        self.new_room_button = self._button("Add a room…", "Add a room", self.ask_new_room)
        self.more_button = self._button("Room…", "Rename or remove this room", lambda: None)
        more = QMenu(self.more_button)
        more.addAction("Rename this room…", self.ask_rename_room)
        more.addAction("Remove this room…", self.ask_remove_room)
        self.more_button.setMenu(more)
        self.check_button = self._button("Check this room", "Check this room", self.start_check)
        self.check_button.setObjectName("primary")
        self.history_button = self._button("Past checks…", "Past checks of this room", self.show_history)
        top = QHBoxLayout()
        top.addWidget(PlainLabel("Room:", wrap=False))
        top.addWidget(self.room_box)
        top.addWidget(self.new_room_button)
        top.addWidget(self.more_button)
        top.addWidget(self.history_button)
        top.addStretch(1)
        top.addWidget(self.check_button)
        self.options = ScanOptions(settings.scan_interface, settings.scan_seconds)
        self.progress = ProgressPanel()
        self.progress.cancel_requested.connect(self.cancel)
        self.notice = PlainLabel("", role="notice")
        self.notice.hide()

        self.list = DeviceList()
        self.list.selected.connect(self._show_current)
        self.view = DeviceView()
        self.view.accept_requested.connect(self.mark_known)
        self.view.forget_requested.connect(self.forget)
        self.view.note_saved.connect(self.save_note)
        found = QSplitter(Qt.Orientation.Vertical)
        found.addWidget(self.list)
        found.addWidget(self.view)
        found.setSizes([300, 300])
        found.setChildrenCollapsible(False)

        self.checklist = ChecklistPanel(room_check.room_checklist())
        self.checklist.changed.connect(self._update_buttons)
        self.name = QLineEdit(settings.practitioner_name)
        self.name.setPlaceholderText("Your name, for the record")
        self.name.setAccessibleName("Checked by")
        self.finish_button = self._button(
            "Finish and save this check", "Finish and save this check", self.finish
        )
        self.finish_button.setObjectName("primary")
        self.saved = PlainLabel("", role="muted", selectable=True)
        self.saved.hide()
        side_body = QWidget()
        side = QVBoxLayout(side_body)
        side.addWidget(self.checklist)
        side.addStretch(1)
        # Saving is always in sight, below the checklist's scroll area, never at the end of it.
        finish_row = QHBoxLayout()
        finish_row.addWidget(PlainLabel("Checked by:", wrap=False))
        finish_row.addWidget(self.name, 1)
        finish_row.addWidget(self.finish_button)
        side_scroll = QScrollArea()
        side_scroll.setAccessibleName("Checklist, and saving the check")
        side_scroll.setWidgetResizable(True)
        side_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side_scroll.setWidget(side_body)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(found)
        split.addWidget(side_scroll)
        split.setSizes([520, 380])
        split.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(PlainLabel("Room check", role="page-title"))
        layout.addWidget(
            PlainLabel(
                "Before a session, check the room for devices on this network that could listen, watch or "
                "identify a client, and look around for what no scan can see.",
                role="subtitle",
            )
        )
        layout.addLayout(top)
        layout.addWidget(self.options)
        layout.addWidget(self.progress)
        layout.addWidget(self.notice)
        layout.addWidget(split, 1)
        layout.addLayout(finish_row)
        layout.addWidget(self.saved)
        self._load_rooms(settings.last_room)
        self._clear_devices()
        if not self.room_box.count():
            self._say(
                "Start by adding a room with “Add a room…”, for example “Therapy room 1”. SafeSpace "
                "remembers what each room is known to have, and points out what is new."
            )

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.clicked.connect(slot)
        return button

    # Rooms ---------------------------------------------------------------------------------------------

    def _load_rooms(self, select: str = "") -> None:
        self.room_box.blockSignals(True)
        self.room_box.clear()
        for room in self.store.rooms():
            self.room_box.addItem(room.name)
        index = self.room_box.findText(select, Qt.MatchFlag.MatchFixedString)
        self.room_box.setCurrentIndex(index if index >= 0 else 0)
        self.room_box.blockSignals(False)
        self._update_buttons()

    def current_room(self) -> Room | None:
        name = self.room_box.currentText()
        return self.store.room(name, create=False) if name else None

    def ask_new_room(self) -> None:
        name, ok = QInputDialog.getText(
            self, "Add a room", "Name of the room (for example “Therapy room 2”):"
        )
        if ok and name.strip():
            self.add_room(name)

    def add_room(self, name: str) -> None:
        try:
            room = self.store.room(name)
        except SafeSpaceError as exc:
            self._say(str(exc))
            return
        self._load_rooms(room.name)
        self._say("")
        self._room_changed(room.name)

    def ask_rename_room(self) -> None:
        room = self.current_room()
        if room is None:
            return
        name, ok = QInputDialog.getText(self, "Rename this room", "New name of the room:", text=room.name)
        if ok:
            self.rename_room(name)

    def rename_room(self, name: str) -> None:
        room = self.current_room()
        if room is None:
            return
        try:
            renamed = self.store.rename_room(room, name)
        except SafeSpaceError as exc:
            self._say(str(exc))
            return
        self._load_rooms(renamed.name)
        self._room_changed(renamed.name)

    def ask_remove_room(self) -> None:
        room = self.current_room()
        if room is None:
            return
        answer = QMessageBox.question(
            self,
            "Remove this room",
            f"Remove “{room.name}” and the devices it is known to have? Its past checks are kept for "
            "reviews.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.remove_room()

    def remove_room(self) -> None:
        room = self.current_room()
        if room is None or self.busy:
            return
        self.store.remove_room(room)
        self._clear_devices()
        self._load_rooms()
        self._room_changed(self.room_box.currentText())

    def _room_changed(self, name: str) -> None:
        self.settings.last_room = name
        self._save_settings()
        if self._scanned_room is not None and self._scanned_room.name != name:
            self._clear_devices()
        self._update_buttons()

    # Scanning ------------------------------------------------------------------------------------------

    def start_check(self) -> None:
        if self.busy:
            return
        room = self.current_room()
        if room is None:
            self._say("Add a room first: SafeSpace remembers what each room is known to have.")
            return
        self.settings.scan_interface = self.options.interface_name() or ""
        self.settings.scan_seconds = self.options.listen_seconds()
        self._save_settings()
        self._clear_devices()
        self.saved.hide()
        try:
            iface = interfaces.choose(self.options.interface_name())
        except interfaces.NoNetwork as exc:
            self._say(f"{exc} The checklist beside still helps, and you can save the check without a scan.")
            self.view.show_nothing("There is no network to scan from here.")
            return
        from checks.network import scan  # only now: the scanning stack is not needed to start the app

        self._baseline = self.store.baseline(room)
        self._interface, seconds = iface.name, self.options.listen_seconds()

        def work(rep: workers.Reporter) -> ScanResult:
            return scan.scan(iface, seconds, cancel=rep.cancel, progress=rep.progress,
                             on_device=lambda d, replaced: rep.result((d, replaced)))  # fmt: skip

        self.run_job(work, lambda result: self._scan_done(room, result), self._scan_failed, self._arrive,
                     self.progress, f"Listening for devices on {iface.describe()}…")  # fmt: skip

    def _set_busy(self, _busy: bool) -> None:
        self._update_buttons()

    def _arrive(self, found: tuple[Device, tuple[str, ...]]) -> None:
        device, replaced = found
        device.status, device.note = Store.status_in(self._baseline, device)
        self.list.put(device, replaced)

    def stop(self, timeout: float = 30.0) -> None:
        self._closing = True  # a scan stopped by closing the window is not applied: the store is closing
        super().stop(timeout)

    def _scan_done(self, room: Room, result: ScanResult) -> None:
        if self._closing:
            return
        self._result = result
        devices = room_check.finish_scan(self.store, room, result)
        log.info("room scan: %d devices, stopped early: %s, problems: %d", len(devices), result.cancelled,
                 len(result.problems))  # fmt: skip
        if not result.cancelled:
            self._scanned_room = room
        self._show_devices(devices)
        self._say(self._outcome(result, devices))
        self._update_buttons()

    def _scan_failed(self, message: str) -> None:
        self._say(message)
        self._update_buttons()

    @staticmethod
    def _outcome(result: ScanResult, devices: list[Device]) -> str:
        seen = [d for d in devices if d.status != "missing"]
        new = [d for d in seen if d.status == "new"]
        watch = [d for d in new if d.may_listen_or_watch]
        missing = len(devices) - len(seen)
        words = [f"Found {len(seen)} device{'s' if len(seen) != 1 else ''}: {len(new)} new"]
        if watch:
            words.append(f"{len(watch)} of them could listen or watch; they are at the top")
        if missing:
            words.append(f"{missing} known to this room not seen")
        text = "; ".join(words) + "."
        if result.cancelled:
            text = "The scan was stopped early. " + text
        if result.problems:
            text += " " + " ".join(result.problems)
        return text

    def _show_devices(self, devices: list[Device]) -> None:
        self.list.show_all(devices)
        if not devices:
            self.view.show_nothing("No devices announced themselves on this network.")

    def _clear_devices(self) -> None:
        self.list.reset_devices()
        self._scanned_room, self._result, self._interface = None, None, None
        self.notice.hide()
        self.view.show_nothing("Press “Check this room” to look for devices on this network.")
        self._update_buttons()

    # The devices of the room ------------------------------------------------------------------------

    def _show_current(self, device: Device) -> None:
        self.view.show_device(device, can_change=self._scanned_room is not None and not self.busy)

    def mark_known(self, device_id: str, note: str) -> None:
        device, room = self.list.device(device_id), self._scanned_room
        if device is None or room is None:
            return
        device.note = note.strip()[:200] or None
        self.store.accept(room, [device], device.note)
        device.status = "known"
        self.list.put(device)

    def save_note(self, device_id: str, note: str) -> None:
        device, room = self.list.device(device_id), self._scanned_room
        if device is None or room is None:
            return
        device.note = note.strip()[:200] or None
        self.store.set_note(room, device_id, device.note)
        self.list.put(device)

    def forget(self, device_id: str) -> None:
        device, room = self.list.device(device_id), self._scanned_room
        if device is None or room is None:
            return
        self.store.forget(room, device_id)
        if device.status == "missing":
            self.list.remove(device_id)
        else:
            device.status, device.note = "new", None
            self.list.put(device)

    # Finishing -------------------------------------------------------------------------------------------

    def finish(self) -> int | None:
        room = self.current_room()
        if room is None or self.busy:
            return None
        result = self._result
        devices = self.list.devices() if result is not None else []  # a list already saved is not saved again
        data = room_check.record(
            room.name, self._interface, devices, self.checklist.answers(), self.name.text(),
            scanned=result is not None, cancelled=bool(result and result.cancelled),
            problems=result.problems if result else [],
        )  # fmt: skip
        check_id = self.store.save_check(room, self._interface, data)
        self.settings.practitioner_name = self.name.text().strip()
        self._save_settings()
        self.checklist.reset()
        self._result = None
        self.saved.setText(f"Saved: {room_check.summary(data)}. It is in this room's past checks.")
        self.saved.show()
        self._update_buttons()
        return check_id

    def history(self) -> RoomHistory | None:
        room = self.current_room()
        return None if room is None else RoomHistory(room.name, self.store.checks(room), self)

    def show_history(self) -> None:
        dialog = self.history()
        if dialog is not None:
            dialog.exec()

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def _update_buttons(self) -> None:
        has_room = bool(self.room_box.currentText())
        idle = not self.busy
        self.check_button.setEnabled(idle and has_room)
        self.room_box.setEnabled(idle)
        self.new_room_button.setEnabled(idle)
        self.more_button.setEnabled(idle and has_room)
        self.history_button.setEnabled(idle and has_room)
        self.options.setEnabled(idle)
        # A check can always be saved, with or without a scan (with no network, the checklist is the check).
        self.finish_button.setEnabled(idle and has_room)
