"""Import the field's published discovery data into resources/signatures/published.json.

Reads pinned releases of Home Assistant (its generated zeroconf, ssdp and dhcp tables and its HomeKit model
table), pychromecast (cast model types), pyatv (Apple model identifiers) and aiohomekit (HomeKit accessory
categories) from their wheels, without importing or running any of their code (the tables are read with
ast.literal_eval), and records where each table came from and under which licence. MAC prefixes are checked
against netaddr's copy of the IEEE registry and stored with their registered owner.

Not part of the app: run it by hand when updating the pins (it uses pip, which uses the configured index).
The app only ever reads the JSON it writes.

    .venv/bin/python packaging/import_signatures.py            # pip download the pinned wheels, then import
    .venv/bin/python packaging/import_signatures.py --wheels DIR   # import from wheels already downloaded
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from netaddr import EUI
from netaddr.core import NotRegisteredError

OUT = Path(__file__).resolve().parent.parent / "resources" / "signatures" / "published.json"
# package, version, licence, project page, and the tables read from it: (file in the wheel, variable, key)
PINS: list[dict[str, Any]] = [
    {
        "name": "Home Assistant",
        "package": "homeassistant",
        "version": "2026.11.0",
        "licence": "Apache-2.0",
        "url": "https://github.com/home-assistant/core",
        "tables": [
            ("homeassistant/generated/zeroconf.py", "ZEROCONF", "zeroconf"),
            ("homeassistant/generated/zeroconf.py", "HOMEKIT", "homekit_models"),
            ("homeassistant/generated/ssdp.py", "SSDP", "ssdp"),
            ("homeassistant/generated/dhcp.py", "DHCP", "dhcp"),
        ],
    },
    {
        "name": "pychromecast",
        "package": "pychromecast",
        "version": "14.0.10",
        "licence": "MIT",
        "url": "https://github.com/home-assistant-libs/pychromecast",
        "tables": [("pychromecast/const.py", "CAST_TYPES", "cast_models")],
    },
    {
        "name": "pyatv",
        "package": "pyatv",
        "version": "0.18.0",
        "licence": "MIT",
        "url": "https://github.com/postlund/pyatv",
        "tables": [("pyatv/support/device_info.py", "_MODEL_LIST", "apple_models")],
    },
    {
        "name": "aiohomekit",
        "package": "aiohomekit",
        "version": "4.0.1",
        "licence": "Apache-2.0",
        "url": "https://github.com/Jc2k/aiohomekit",
        "tables": [("aiohomekit/model/categories.py", "Categories", "hap_categories")],
    },
]


class _Names(ast.NodeTransformer):
    """Replaces a module constant's name by its value, and Enum.member by the member's name ("Gen4")."""

    def __init__(self, constants: dict[str, Any]) -> None:
        self.constants = constants

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id not in self.constants:
            raise SystemExit(f"{node.id} is not a constant: the published file changed shape; check the pin")
        return ast.Constant(self.constants[node.id])

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        return ast.Constant(node.attr)


def _literal(source: str, name: str) -> Any:
    """The value assigned to a top-level name, or the members of a top-level class (an enum), read without
    running anything."""
    tree = ast.parse(source)
    constants: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return {
                t.id: ast.literal_eval(n.value)
                for n in node.body
                if isinstance(n, ast.Assign)
                for t in n.targets
                if isinstance(t, ast.Name)
            }
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        value = getattr(node, "value", None)
        if not isinstance(target, ast.Name) or value is None:
            continue
        if target.id == name:
            return ast.literal_eval(_Names(constants).visit(value))
        if isinstance(value, ast.Constant):
            constants[target.id] = value.value
    raise SystemExit(f"{name} not found: the published file changed shape; check the pin")


def _owner(prefix: str) -> str | None:
    try:
        return str(EUI(prefix + "000000").oui.registration().org)
    except (NotRegisteredError, ValueError, IndexError):
        return None


def _cast(value: Any) -> Any:
    return [list(v) if isinstance(v, tuple) else v for v in value] if isinstance(value, tuple) else value


def read_wheels(wheels: Path) -> dict[str, Any]:
    out: dict[str, Any] = {"sources": []}
    texts: dict[str, str] = {}
    for pin in PINS:
        [wheel] = sorted(wheels.glob(f"{pin['package']}-{pin['version']}-*.whl"))
        with zipfile.ZipFile(wheel) as z:
            licences = [n for n in z.namelist() if re.search(r"dist-info/(licenses/)?LICEN[CS]E[^/]*$", n)]
            texts[pin["package"]] = "\n\n".join(z.read(n).decode("utf-8") for n in licences)
            for file, var, key in pin["tables"]:
                value = _literal(z.read(file).decode("utf-8"), var)
                out[key] = {k: _cast(v) for k, v in value.items()} if isinstance(value, dict) else value
        out["sources"].append(
            {
                "name": pin["name"],
                "package": f"{pin['package']}=={pin['version']}",
                "licence": pin["licence"],
                "licence_files": licences,
                "licence_text": f"licences/{pin['package']}.txt",
                "url": pin["url"],
                "tables": [f"{file} {var}" for file, var, _ in pin["tables"]],
            }
        )
    out["zeroconf"] = {t.removesuffix(".local."): v for t, v in out["zeroconf"].items()}
    out["homekit_models"] = {m: v["domain"] for m, v in out["homekit_models"].items()}
    out["cast_models"] = {m: next(iter(v)) for m, v in out["cast_models"].items()}
    out["hap_categories"] = {str(v): k for k, v in out["hap_categories"].items()}
    for row in out["dhcp"]:
        mac = str(row.get("macaddress", "")).rstrip("*").upper()
        if mac:
            row["owner"] = _owner(mac) if re.fullmatch(r"[0-9A-F]{6}", mac) else None
    out["_licence_texts"] = texts
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--wheels", type=Path, help="a folder with the pinned wheels (else pip downloads them)")
    p.add_argument("--out", type=Path, default=OUT)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheels = args.wheels
        if wheels is None:
            wheels = Path(tmp)
            pins = [f"{pin['package']}=={pin['version']}" for pin in PINS]
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                 "--python-version", "3.14.2", "-d", str(wheels), *pins],
                check=True,
            )  # fmt: skip
        doc = read_wheels(wheels)
    licences = args.out.parent / "licences"
    licences.mkdir(exist_ok=True)
    for package, text in doc.pop("_licence_texts").items():
        if not text.strip():
            raise SystemExit(f"{package}: no licence file in the wheel")
        (licences / f"{package}.txt").write_text(text, "utf-8")
    doc = {
        "about": "Published discovery data, imported by packaging/import_signatures.py from the pinned "
        "releases named in sources, each under its own licence (recorded there). Do not edit by hand: "
        "run the script.",
        **doc,
    }
    tmp_out = args.out.with_suffix(".json.tmp")
    tmp_out.write_text(json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=True) + "\n", "utf-8")
    tmp_out.replace(args.out)
    counts = {k: len(v) for k, v in doc.items() if isinstance(v, dict | list) and k != "sources"}
    print(f"wrote {args.out}: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
