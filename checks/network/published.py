"""Signatures made from the field's published discovery data (resources/signatures/published.json, imported by
packaging/import_signatures.py) and SafeSpace's curated table of what each integration finds
(resources/signatures/integrations.json).

Each matcher of an integration in the curated table becomes a signature in the schema of signatures.py, and is
validated like a hand-written one. Matchers that cannot be expressed (UPnP fields we never read, DHCP matchers
with no MAC prefix) are left out; so is a MAC prefix registered to a chip maker unless a host name comes
with it.
Reading data only: nothing here touches the network.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

PUBLISHED_FILE = "published.json"
INTEGRATIONS_FILE = "integrations.json"
_SSDP_KEYS = {"st": "ssdp_type", "nt": "ssdp_type", "devicetype": "ssdp_type", "manufacturer": "manufacturer"}
_SSDP_KEYS["modelname"] = "model"


def _read(name: str) -> Any:
    return json.loads(resources.files("resources").joinpath("signatures", name).read_text("utf-8"))


@cache
def published() -> dict[str, Any]:
    return dict(_read(PUBLISHED_FILE))


@cache
def _curated() -> dict[str, Any]:
    return dict(_read(INTEGRATIONS_FILE))


def integrations() -> dict[str, dict[str, Any]]:
    return dict(_curated()["integrations"])


@cache
def _source(table: str) -> str:
    ha = next(s for s in published()["sources"] if s["name"] == "Home Assistant")
    return f"Home Assistant {ha['package'].split('==')[1]} {table} ({ha['licence']}), via {INTEGRATIONS_FILE}"


def _doc(
    domain: str, kind: str, n: int, match: dict[str, Any], confidence: str, table: str
) -> dict[str, Any]:
    row = integrations()[domain]
    doc: dict[str, Any] = {
        "id": f"ha.{kind}.{domain.replace('_', '-')}.{n}",
        "match": match,
        "class": row["class"],
        "confidence": row.get("confidence", confidence),
        **({"label": row["label"]} if row.get("label") else {}),
        "microphone": row["microphone"],
        "camera": row["camera"],
        "source": f"{_source(table)}: {row['reason']}",
        "published": f"Home Assistant: {domain}",
        "last_verified": _curated()["last_verified"],
    }
    return doc


def _zeroconf() -> list[dict[str, Any]]:
    out = []
    for mdns_type, matchers in published()["zeroconf"].items():
        for n, m in enumerate(matchers):
            if m["domain"] not in integrations():
                continue
            match: dict[str, Any] = {"mdns_type": mdns_type.lower()}
            if "name" in m:
                match["name"] = str(m["name"]).lower()
            if m.get("properties"):
                match["txt"] = {str(k).lower(): str(v).lower() for k, v in m["properties"].items()}
            if set(m) - {"domain", "name", "properties"}:
                continue  # a condition we cannot check
            out.append(
                _doc(m["domain"], "zeroconf", n, match, "medium", "homeassistant/generated/zeroconf.py")
            )
    return out


def _homekit() -> list[dict[str, Any]]:
    out = []
    for n, (model, domain) in enumerate(sorted(published()["homekit_models"].items())):
        if domain not in integrations():
            continue
        glob = (
            model.lower() if "*" in model else f"{model.lower()}*"
        )  # Home Assistant matches the model's start
        for t in ("_hap._tcp", "_hap._udp"):
            match = {"mdns_type": t, "txt": {"md": glob}}
            out.append(
                _doc(
                    domain,
                    "homekit-" + t[-3:],
                    n,
                    match,
                    "high",
                    "homeassistant/generated/zeroconf.py HOMEKIT",
                )
            )
    return out


def _ssdp() -> list[dict[str, Any]]:
    out = []
    for domain, matchers in published()["ssdp"].items():
        if domain not in integrations():
            continue
        for n, m in enumerate(matchers):
            keys = {k.lower(): str(v).lower() for k, v in m.items()}
            if set(keys) - set(_SSDP_KEYS):
                continue
            match: dict[str, Any] = {}
            for key in ("st", "nt", "devicetype", "manufacturer", "modelname"):
                if key in keys:
                    match.setdefault(_SSDP_KEYS[key], keys[key])
            out.append(_doc(domain, "ssdp", n, match, "medium", "homeassistant/generated/ssdp.py"))
    return out


def _dhcp(generic: Any) -> list[dict[str, Any]]:
    out = []
    for n, m in enumerate(published()["dhcp"]):
        domain, mac, owner = m["domain"], str(m.get("macaddress", "")), m.get("owner")
        if domain not in integrations() or not re.fullmatch(r"[0-9A-F]{6}\*", mac) or not owner:
            continue
        match: dict[str, Any] = {"mac_prefix": [mac[:6]]}
        if m.get("hostname"):
            match["host"] = str(m["hostname"]).lower()
        elif generic(owner) and integrations()[domain]["class"] != "other":
            continue  # a chip maker's prefix alone says nothing
        doc = _doc(
            domain,
            "dhcp",
            n,
            match,
            "medium" if "host" in match else "low",
            "homeassistant/generated/dhcp.py",
        )
        doc["mac_owner"] = owner.lower().replace("*", "").replace("?", "").replace("[", "") + "*"
        out.append(doc)
    return out


def signature_docs(generic: Any) -> list[dict[str, Any]]:
    """The generated signatures, as documents in the signature files' schema. `generic` says whether a
    registered MAC owner is a chip maker (signatures.is_generic_maker)."""
    docs = _zeroconf() + _homekit() + _ssdp() + _dhcp(generic)
    for i, d in enumerate(docs, 1):
        d["id"] = f"{d['id'].rsplit('.', 1)[0]}.{i}"
    return docs
