"""Looking at processes from the outside, for the tests of stopping: which members of a process group are
still alive (read from /proc, so nothing of the program under test is trusted)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path


def alive_in_group(pgid: int) -> list[int]:
    """Processes of the group that are still alive (zombies, already dead, are not counted)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
        state, group = fields[0], int(fields[2])
        if group == pgid and state not in ("Z", "X"):
            alive.append(int(entry.name))
    return alive


def wait_until(condition: Callable[[], bool], timeout: float, step: float = 0.05) -> bool:
    """Polls `condition` until it holds or `timeout` seconds have passed (a bound against hangs, not a
    measurement)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(step)
    return condition()


def pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
