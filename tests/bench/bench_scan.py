"""`make bench`: how fast a room scan finds devices, in the namespace lab (never on a real network).

One peer publishes 50 mDNS services for 50 devices (python-zeroconf; `bench_scan.py 500` for a busy network,
as `make bench` also runs), beside a UPnP TV and an ONVIF camera;
the scanner, in its own namespace, runs a default 5-second scan. Measured from the scan's start: the time to
the first device, and the time until the last of the 52 devices was found.
Targets: first device under 1 s, all found (nothing missed) under 5 s. Exits 1 when a target is missed,
and 0 with a note when the lab cannot be built here (it needs root and network namespaces).
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.netlab import world  # noqa: E402
from tests.netlab.lab import Lab  # noqa: E402

SERVICES = int(sys.argv[1]) if len(sys.argv) > 1 else 50  # `bench_scan.py 500`: a busy network
RUNS = 3
KINDS = [
    ("_googlecast._tcp.local.", {"md": "Google Nest Mini"}),
    ("_ipp._tcp.local.", {"ty": "Brother HL-L2350DW series"}),
    ("_airplay._tcp.local.", {"model": "AppleTV6,2"}),
    ("_companion-link._tcp.local.", {"rpMd": "iPhone15,2"}),
    ("_sonos._tcp.local.", {}),
    ("_axis-video._tcp.local.", {"macaddress": "00408C123456"}),
    ("_hap._tcp.local.", {"ci": "17", "md": "Camera"}),
    ("_spotify-connect._tcp.local.", {}),
    ("_rtsp._tcp.local.", {}),
    ("_http._tcp.local.", {}),
]
SCANNER = """
import json, sys, time
from checks.network import interfaces, scan
times = {}
start = time.monotonic()
def seen(device, replaced):
    times.setdefault(device.id, time.monotonic() - start)
result = scan.scan(interfaces.choose("lab0"), 5, on_device=seen)
final = {d.id for d in result.devices}
print(json.dumps({"first": min(times.values(), default=None),
                  "complete": max((t for i, t in times.items() if i in final), default=None),
                  "found": len(final), "total": time.monotonic() - start}))
"""


def many_services() -> dict:
    services = []
    for i in range(SERVICES):
        kind, txt = KINDS[i % len(KINDS)]
        if "macaddress" in txt:  # each camera its own hardware address, or they are one device
            txt = {"macaddress": f"00408C12{i:04X}"}
        services.append(
            {"type": kind, "name": f"Device {i:02d}", "addresses": [f"10.99.{1 + i // 200}.{i % 200 + 10}"],
             "server": f"device-{i:02d}.local.", "port": 8000 + i, "txt": txt}
        )  # fmt: skip
    return {"bind": "10.99.0.30", "services": services}


def main() -> int:
    why = Lab.unavailable()
    if why:
        print(f"Room scan benchmark skipped: {why}.")
        return 0
    runs = []
    with Lab() as lab:
        scanner = lab.host("scan", 2)
        peers = lab.host("peers", 30)
        tv, camera = lab.host("tv", 40), lab.host("camera", 50)
        lab.peer(peers, "zeroconf", many_services())
        lab.peer(tv, "ssdp", world.samsung_tv("10.99.0.40"))
        lab.peer(camera, "wsd", world.onvif_camera("10.99.0.50"))
        expected = SERVICES + 2
        print(f"Namespace lab: {SERVICES} mDNS services on {SERVICES} devices, a UPnP TV, an ONVIF camera.")
        for n in range(RUNS):
            done = lab.run(scanner, [sys.executable, "-c", SCANNER])
            if done.returncode != 0:
                print(done.stderr)
                return 1
            r = json.loads(done.stdout)
            runs.append(r)
            print(
                f"  run {n + 1}: first device {r['first']:.3f} s, all {r['found']} found at "
                f"{r['complete']:.3f} s, scan finished at {r['total']:.2f} s"
            )
    first = statistics.median(r["first"] for r in runs)
    complete = statistics.median(r["complete"] for r in runs)
    missed = max(expected - r["found"] for r in runs)
    checks = [
        (first < 1.0, f"first device in {first:.3f} s (median; target under 1 s)"),
        (complete < 5.0, f"every device found in {complete:.3f} s (median; target under 5 s)"),
        (
            missed == 0,
            f"{expected - missed} of {expected} devices found in the worst run (target: none missed)",
        ),
    ]
    for ok, text in checks:
        print(f"  {'PASS' if ok else 'MISS'}  {text}")
    return 0 if all(ok for ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
