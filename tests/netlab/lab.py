"""A private network lab for discovery tests: network namespaces joined by a bridge, with real protocol peers.

Nothing here touches a real interface: every namespace, veth pair and bridge is made by the lab and removed
by `close()`, even when a test fails. Needs root and `ip netns`; `Lab.unavailable()` says why not.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PEERS = Path(__file__).with_name("peers.py")
SUBNET = "10.99.0"
IFNAME = "lab0"  # the same name in every namespace


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", *args], capture_output=True, text=True, check=check, timeout=20)


@dataclass
class Host:
    ns: str
    address: str
    port: str  # its veth end on the bridge


@dataclass
class Lab:
    tag: str = field(default_factory=lambda: f"{os.getpid() % 100000}")
    hosts: dict[str, Host] = field(default_factory=dict)
    procs: list[subprocess.Popen[str]] = field(default_factory=list)
    made_etc: list[Path] = field(default_factory=list)
    tmp: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="safespace-lab-")))

    @staticmethod
    def unavailable() -> str | None:
        """Why a lab cannot be built here, or None when it can."""
        if os.environ.get("SAFESPACE_SKIP_LAB"):
            return "SAFESPACE_SKIP_LAB is set (another lab may be running on this machine)"
        if sys.platform != "linux":
            return "network namespaces exist only on Linux"
        if os.geteuid() != 0:
            return "building network namespaces needs root (CI runs as root)"
        if shutil.which("ip") is None:
            return "the ip command (iproute2) is not installed"
        probe = f"ssprobe{os.getpid() % 100000}"
        made = _ip("netns", "add", probe, check=False)
        if made.returncode != 0:
            return f"this machine does not allow network namespaces: {made.stderr.strip()}"
        _ip("netns", "del", probe, check=False)
        return None

    @property
    def hub(self) -> str:
        return f"ss{self.tag}hub"

    def __enter__(self) -> Lab:
        _ip("netns", "add", self.hub)
        _ip("-n", self.hub, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0")
        _ip("-n", self.hub, "link", "set", "br0", "up")
        _ip("-n", self.hub, "link", "set", "lo", "up")
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def host(self, name: str, number: int, extra: tuple[int, ...] = ()) -> Host:
        """A namespace with one interface (lab0) on the bridge, at 10.99.0.<number>/24 (and extra ones)."""
        ns, port = f"ss{self.tag}{name}", f"p{self.tag}{len(self.hosts)}"
        _ip("netns", "add", ns)
        host = Host(ns, f"{SUBNET}.{number}", port)
        self.hosts[name] = host
        _ip("-n", self.hub, "link", "add", port, "type", "veth", "peer", "name", IFNAME, "netns", ns)
        _ip("-n", self.hub, "link", "set", port, "master", "br0")
        _ip("-n", self.hub, "link", "set", port, "up")
        for n in (number, *extra):
            _ip("-n", ns, "addr", "add", f"{SUBNET}.{n}/24", "dev", IFNAME)
        _ip("-n", ns, "link", "set", "lo", "up")
        _ip("-n", ns, "link", "set", IFNAME, "up")
        return host

    def start(
        self, host: Host, argv: list[str], wait_for: str | None = "ready", timeout: float = 20
    ) -> subprocess.Popen[str]:
        """Run a command inside a host's namespace; wait until it prints `wait_for` on a line."""
        proc = subprocess.Popen(
            ["ip", "netns", "exec", host.ns, *argv],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
            cwd=ROOT,
        )
        self.procs.append(proc)
        if wait_for is None:
            return proc
        deadline = time.monotonic() + timeout
        seen = []
        while time.monotonic() < deadline:
            line = proc.stdout.readline() if proc.stdout else ""
            if not line:
                if proc.poll() is not None:
                    break
                continue
            seen.append(line)
            if wait_for in line:
                return proc
        raise RuntimeError(f"{argv[0]} did not start in {host.ns}: {''.join(seen)[-2000:]}")

    def peer(self, host: Host, kind: str, spec: dict | None = None, *extra: str) -> subprocess.Popen[str]:
        args = [sys.executable, str(PEERS), kind]
        if spec is not None:
            path = self.tmp / f"{host.ns}-{kind}-{len(self.procs)}.json"
            path.write_text(json.dumps(spec))
            args.append(str(path))
        return self.start(host, [*args, *extra])

    def run(self, host: Host, argv: list[str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["ip", "netns", "exec", host.ns, *argv], capture_output=True, text=True, timeout=timeout, cwd=ROOT
        )

    # avahi-daemon ------------------------------------------------------------------------------------

    @staticmethod
    def avahi_unavailable() -> str | None:
        if shutil.which("avahi-daemon") is None:
            return "avahi-daemon is not installed (make test installs it where it can: avahi-daemon)"
        for comm in Path("/proc").glob("[0-9]*/comm"):
            try:
                running = comm.read_text().strip() == "avahi-daemon"
            except OSError:
                continue
            if running:
                return "an avahi-daemon already runs here, and only one can (its pid file is fixed)"
        return None

    def avahi(self, host: Host, host_name: str, services: dict[str, str]) -> subprocess.Popen[str]:
        """avahi-daemon in a host's namespace, on its lab interface only, publishing static services."""
        etc = Path("/etc/netns") / host.ns / "avahi"
        (etc / "services").mkdir(parents=True, exist_ok=True)
        self.made_etc.append(etc.parent)
        (etc / "avahi-daemon.conf").write_text(
            "[server]\n"
            f"host-name={host_name}\nuse-ipv4=yes\nuse-ipv6=no\nallow-interfaces={IFNAME}\nenable-dbus=no\n"
            "[publish]\npublish-workstation=no\npublish-hinfo=no\npublish-addresses=yes\n"
        )
        for name, xml in services.items():
            (etc / "services" / f"{name}.service").write_text(xml)
        return self.start(
            host,
            ["avahi-daemon", "--no-drop-root", "--no-chroot", "--no-rlimits", "--debug"],
            "Server startup complete",
        )

    # Tear down -----------------------------------------------------------------------------------------

    def close(self) -> None:
        for proc in self.procs:  # politely first, so avahi removes its pid file
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, 15)
        for proc in self.procs:
            try:
                proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, 9)
                proc.wait(timeout=5)
            if proc.stdout:
                proc.stdout.close()
        for host in self.hosts.values():
            _ip("netns", "del", host.ns, check=False)
        _ip("netns", "del", self.hub, check=False)
        for etc in self.made_etc:
            shutil.rmtree(etc, ignore_errors=True)
        shutil.rmtree(self.tmp, ignore_errors=True)
