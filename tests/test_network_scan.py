"""The scan itself, with recorded sources: streaming, bounded in time, cancellable, and never stopped by one
source failing."""

from __future__ import annotations

import threading
import time

from checks.network import scan
from checks.network.context import Context
from checks.network.records import Sighting
from tests.netfixtures import by_protocol, interface, load, replay


def test_devices_stream_as_they_are_found_and_the_result_is_ordered() -> None:
    heard: list[tuple[str, tuple[str, ...]]] = []
    ticks: list[tuple[int, int, str]] = []
    result = scan.scan(
        interface(), 2, sources=by_protocol(load()), on_device=lambda d, r: heard.append((d.id, r)),
        progress=lambda *a: ticks.append(a),
    )  # fmt: skip
    names = [d.name for d in result.devices]
    assert len(names) == 6 and not result.problems and not result.cancelled
    # Worst first: the speaker and the named phone could identify a client; the printer is low risk.
    assert result.devices[0].severity.value == "high" and names[-1] == "Reception Printer"
    assert {i for i, _ in heard} >= {d.id for d in result.devices}
    assert result.first_device_after is not None and result.first_device_after < 0.5
    assert ticks[-1][0] == ticks[-1][1] and ticks[-1][2] == "Finished: 6 devices found"


def test_a_merge_says_which_earlier_device_it_replaces() -> None:
    first = Sighting("neighbours", ("192.168.1.40",), mac="00:11:22:33:44:55", ref="n")
    later = Sighting("ssdp", ("192.168.1.40",), keys=("udn:uuid:9",), name="TV", ref="s")
    heard = []
    src = {
        "a": replay(
            [Sighting("ssdp", ("192.168.1.41",), keys=("udn:uuid:9",), ref="t"), first, later], gap=0.05
        )
    }
    result = scan.scan(
        interface("wlan0", "192.168.1.10/24"), 2, sources=src, on_device=lambda d, r: heard.append((d.id, r))
    )
    assert len(result.devices) == 1
    assert heard[0] == ("udn:uuid:9", ())
    assert any(r == ("udn:uuid:9",) for _i, r in heard), "the MAC joined the device and changed its id"


def test_cancel_stops_the_scan_early() -> None:
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    started = time.monotonic()
    result = scan.scan(interface(), 10, cancel=cancel, sources=by_protocol(load()))
    assert time.monotonic() - started < 2
    assert result.cancelled and len(result.devices) == 6, "what was found before the cancel is kept"


def test_the_time_bound_holds_even_when_a_source_ignores_it() -> None:
    started = time.monotonic()
    result = scan.scan(interface(), 2, sources={"stuck": replay(load()[:1], hang=True)})
    assert time.monotonic() - started < 3.6
    assert len(result.devices) == 1


def test_a_failing_source_is_reported_and_the_others_carry_on() -> None:
    async def broken(ctx: Context, emit) -> None:
        raise OSError(19, "No such device")

    result = scan.scan(interface(), 2, sources={"wsd": broken, "mdns": replay(load()[:2])})
    assert result.problems == [
        "Could not check cameras and computers answering WS-Discovery: [Errno 19] No such device"
    ]
    assert result.devices


def test_a_sighting_that_breaks_classification_does_not_end_the_scan() -> None:
    odd = Sighting("mdns", ("192.168.1.5",), kind=None, fields={"md": None}, ref="odd")  # type: ignore[dict-item]
    good = Sighting("mdns", ("192.168.1.6",), name="Printer", kind="_ipp._tcp", ref="good")
    result = scan.scan(interface("wlan0", "192.168.1.10/24"), 2, sources={"mdns": replay([odd, good])})
    assert "Printer" in [d.name for d in result.devices]


def test_scan_length_is_kept_within_sensible_limits() -> None:
    result = scan.scan(interface(), 0.1, sources={})
    assert result.seconds == scan.MIN_SECONDS
