"""`safespace scan`: a room check from the command line."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from typing import Any

from checks import room_check, settings
from checks.bluetooth import scan as bluetooth
from checks.model import SEVERITY_LABELS, Severity
from checks.network import interfaces, scan
from checks.network.classify import Device
from checks.network.signatures import device_class
from checks.store import Store
from checks.text import safe

STATUS_WORDS = {"new": "NEW", "known": "known", "missing": "MISSING", None: ""}


def configure(p: argparse.ArgumentParser) -> None:
    p.description = (
        "Listens for devices announcing themselves on this computer's network (mDNS, UPnP, "
        "WS-Discovery and the neighbour table). It sends only discovery messages, never to the internet. "
        + scan.NOT_PRESENT
    )
    p.add_argument(
        "--seconds",
        type=_seconds,
        default=scan.DEFAULT_SECONDS,
        metavar="N",
        help=f"how long to listen (default {scan.DEFAULT_SECONDS:g})",
    )
    p.add_argument(
        "--interface", metavar="NAME", help="the network connection to scan (default: the main one)"
    )
    p.add_argument("--list-interfaces", action="store_true", help="list this computer's network connections")
    p.add_argument("--room", metavar="NAME", help="compare with the devices this room is known to have")
    p.add_argument(
        "--accept-new", action="store_true", help="add the new devices to the room's known devices"
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument(
        "--bluetooth",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also listen for Bluetooth trackers, phones and other devices nearby (default: on when this "
        "computer has Bluetooth; it only listens, never connects)",
    )


def _seconds(value: str) -> float:
    try:
        n = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a number of seconds") from None
    if not scan.MIN_SECONDS <= n <= scan.MAX_SECONDS:
        raise argparse.ArgumentTypeError(f"must be between {scan.MIN_SECONDS:g} and {scan.MAX_SECONDS:g}")
    return n


def shown(d: Device) -> str:
    name = f", “{safe(d.name)}”" if d.name and d.name.casefold() != d.label.casefold() else ""
    return f"{safe(d.label)}{name}"


def run(args: argparse.Namespace) -> int:
    if args.accept_new and not args.room:
        print("safespace: --accept-new needs --room NAME.", file=sys.stderr)
        return 2
    if args.list_interfaces:
        for i in interfaces.list_interfaces():
            print(i.describe())
        return 0
    iface = interfaces.choose(args.interface)
    cancel = threading.Event()
    announced: set[str] = set()

    def live(device: Device, replaced: tuple[str, ...]) -> None:
        if device.id in announced or announced & set(replaced):
            announced.add(device.id)
            return
        announced.add(device.id)
        where = ", ".join(device.addresses[:2])
        kind = device_class(device.device_class).label.lower()
        print(f"Found: {shown(device)} ({kind}) at {safe(where)}", file=sys.stderr, flush=True)

    print(f"Listening on {iface.describe()} for {args.seconds:g} seconds…", file=sys.stderr, flush=True)
    box: dict[str, Any] = {}
    finished = threading.Event()

    def work() -> None:
        try:
            box["result"] = scan.scan(iface, args.seconds, cancel=cancel, on_device=live)
        finally:
            finished.set()

    # The scan runs in a thread so that Ctrl-C can stop it cleanly. (An Event, not Thread.join: a join
    # interrupted by Ctrl-C can return at once on later calls.)
    threading.Thread(target=work, daemon=True).start()
    bt_done = _start_bluetooth(args, cancel, box)
    interrupted = False
    try:
        while not finished.wait(0.2):
            pass
        while not bt_done.wait(0.2):
            pass
    except KeyboardInterrupt:
        interrupted = True
        cancel.set()
        finished.wait(5)
        bt_done.wait(5)
    result: scan.ScanResult | None = box.get("result")
    if result is None:
        print("safespace: the scan stopped before it finished.", file=sys.stderr)
        return 130 if interrupted else 1
    devices = result.devices
    if args.room:
        with Store() as store:
            if store.trouble:
                print(f"safespace: {store.trouble}", file=sys.stderr)
            room = store.room(args.room)
            devices = room_check.finish_scan(store, room, result, args.accept_new)
            if not result.cancelled:
                who = settings.load()[0].practitioner_name
                data = room_check.record(room.name, iface.name, devices, None, who, scanned=True,
                                         problems=result.problems)  # fmt: skip
                store.save_check(room, iface.name, data)
    if args.json:
        doc = result.to_dict() | {"room": args.room, "devices": [d.to_dict() for d in devices]}
        doc["bluetooth"] = box["bluetooth"].to_dict() if "bluetooth" in box else None
        json.dump(doc, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        _summary(args, iface, result, devices)
        if "bluetooth" in box:
            _bluetooth_summary(box["bluetooth"])
    return 130 if interrupted else 0


def _start_bluetooth(
    args: argparse.Namespace, cancel: threading.Event, box: dict[str, Any]
) -> threading.Event:
    """The Bluetooth listen, beside the network scan and as long; done at once with --no-bluetooth."""
    done = threading.Event()
    if not args.bluetooth:
        done.set()
        return done

    def work() -> None:
        try:
            box["bluetooth"] = bluetooth.scan(args.seconds, cancel)
        finally:
            done.set()

    threading.Thread(target=work, daemon=True).start()
    return done


def _bluetooth_summary(bt: bluetooth.BluetoothResult) -> None:
    if bt.scanned:
        n = len(bt.devices)
        print(f"\nBluetooth ({bt.mode} listening): {n} device{'s' if n != 1 else ''} nearby.")
    for d in bt.devices:
        print(f"  {SEVERITY_LABELS[d.severity]}: {safe(d.explanation)}")
        for f in d.findings[1:]:
            print(f"    {safe(f.title)}")
        print(f"    What to do: {d.advice}")
    if bt.silent:
        print(f"  {bt.silent} more said nothing about what they are.")
    for problem in bt.problems:
        print(f"\n{problem}")
    if bt.scanned:
        print(f"\n{bluetooth.NOT_SEEN}")


def _summary(
    args: argparse.Namespace, iface: interfaces.Interface, result: scan.ScanResult, devices: list[Device]
) -> None:
    where = f" of “{safe(args.room)}”" if args.room else ""
    stopped = " (stopped early)" if result.cancelled else ""
    count = sum(d.status != "missing" for d in devices)
    print(f"\nRoom check{where} on {iface.name}{stopped}: {count} device{'s' if count != 1 else ''} found.")
    for severity in Severity:
        group = [d for d in devices if d.severity == severity and d.status != "missing"]
        if not group:
            continue
        print(f"\n{SEVERITY_LABELS[severity]} ({len(group)})")
        for d in group:
            mark = STATUS_WORDS[d.status]
            print(f"  {mark + ' ' if mark else ''}{safe(d.explanation)}")
            for f in d.findings[1:]:
                print(f"    {safe(f.title)}")
            print(f"    What to do: {d.advice}")
            if d.note:
                print(f"    Note: {safe(d.note)}")
            print(f"    At {safe(', '.join(d.addresses[:3]))}" + (f"; MAC {d.mac}" if d.mac else ""))
    missing = [d for d in devices if d.status == "missing"]
    if missing:
        print(f"\nKnown to this room but not seen ({len(missing)})")
        for d in missing:
            print(f"  MISSING {shown(d)}: {d.advice}")
    if args.room and args.accept_new:
        print("\nThe new devices are now remembered as belonging to this room.")
    for problem in result.problems:
        print(f"\n{problem}")
    print(f"\n{scan.NOT_PRESENT}")
