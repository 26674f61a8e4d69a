"""Programs running now that matter for a practitioner: remote access, recording, video calls, cloud sync,
and monitoring software. The list is data, in resources/computer/programs.json, each entry with its source."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import PurePath
from typing import Any

import psutil

from checks.computer.common import DataError, need_date, need_text, read
from checks.model import Finding, Severity

AREA = "programs"


@dataclass(frozen=True)
class Program:
    id: str
    name: str
    category: str
    names: frozenset[str]
    path_globs: tuple[str, ...]
    says: str | None


@dataclass(frozen=True)
class Running:
    pid: int
    name: str
    exe: str


def validate(doc: Any) -> tuple[dict[str, dict[str, str]], list[Program]]:
    if (
        not isinstance(doc, dict)
        or not isinstance(doc.get("categories"), dict)
        or not isinstance(doc.get("programs"), list)
    ):
        raise DataError("programs.json: expected 'categories' and 'programs'")
    categories = doc["categories"]
    for cid, c in categories.items():
        need_text(c, ("label", "says", "advice"), f"programs.json: category {cid}")
        if c.get("severity") not in [s.value for s in Severity]:
            raise DataError(f"programs.json: category {cid}: unknown severity")
    out, ids = [], set()
    for n, p in enumerate(doc["programs"], start=1):
        where = f"programs.json: program {n} ({p.get('id', '?') if isinstance(p, dict) else '?'})"
        if not isinstance(p, dict):
            raise DataError(f"{where}: must be an object")
        unknown = set(p) - {"id", "name", "category", "match", "says", "source", "last_verified"}
        if unknown:
            raise DataError(f"{where}: unknown {sorted(unknown)}")
        need_text(p, ("id", "name", "category", "source"), where)
        need_date(p.get("last_verified"), where)
        if p["id"] in ids:
            raise DataError(f"{where}: id used twice")
        ids.add(p["id"])
        if p["category"] not in categories:
            raise DataError(f"{where}: unknown category {p['category']!r}")
        match = p.get("match")
        if not isinstance(match, dict) or set(match) - {"names", "path_globs"}:
            raise DataError(f"{where}: match takes 'names' and 'path_globs'")
        names, globs = match.get("names", []), match.get("path_globs", [])
        if not names and not globs:
            raise DataError(f"{where}: match needs a name or a glob")
        for value in (*names, *globs):
            if not isinstance(value, str) or not value or value != value.lower():
                raise DataError(f"{where}: names and globs must be lower-case text")
        if "says" in p and (not isinstance(p["says"], str) or not p["says"].strip()):
            raise DataError(f"{where}: says must be a non-empty text")
        out.append(Program(p["id"], p["name"], p["category"], frozenset(names), tuple(globs), p.get("says")))
    return categories, out


@cache
def catalogue() -> tuple[dict[str, dict[str, str]], tuple[Program, ...]]:
    categories, programs = validate(read("programs.json"))
    return categories, tuple(programs)


def running(processes: Callable[[], Iterable[Any]] | None = None) -> list[Running]:
    """Every process this user may see: pid, name and executable path (empty when hidden)."""
    source = processes or (lambda: psutil.process_iter(["pid", "name", "exe"]))
    out = []
    for proc in source():
        info = getattr(proc, "info", proc)
        out.append(
            Running(int(info.get("pid") or 0), str(info.get("name") or ""), str(info.get("exe") or ""))
        )
    return out


def identify(proc: Running) -> Program | None:
    name = proc.name.lower()
    exe_name = PurePath(proc.exe).name.lower() if proc.exe else ""
    path = proc.exe.lower()
    for program in catalogue()[1]:
        if name in program.names or exe_name in program.names:
            return program
        if any(fnmatch.fnmatchcase(name, g) or fnmatch.fnmatchcase(path, g) for g in program.path_globs):
            return program
    return None


def findings(procs: list[Running]) -> list[Finding]:
    categories = catalogue()[0]
    found: dict[str, tuple[Program, list[Running]]] = {}
    for proc in procs:
        program = identify(proc)
        if program is not None:
            found.setdefault(program.id, (program, []))[1].append(proc)
    out = []
    for program, procs_ in found.values():
        category = categories[program.category]
        says = program.says or category["says"]
        names = sorted({p.name for p in procs_ if p.name})
        out.append(
            Finding(
                f"computer.program.{program.id}",
                AREA,
                Severity(category["severity"]),
                f"{program.name} is running: {says}",
                category["advice"],
                {
                    "program": program.id,
                    "category": program.category,
                    "processes": names,
                    "pids": sorted(p.pid for p in procs_),
                },
            )
        )
    return out


def check() -> list[Finding]:
    result = findings(running())
    if not result:
        result.append(
            Finding(
                "computer.program.none",
                AREA,
                Severity.OK,
                "No remote-access, recording, cloud-sync or monitoring program was seen running",
                "SafeSpace looked at the programs running now that it may see. Programs started later, or "
                "hidden from this user, are not included.",
                {},
            )
        )
    return result
