"""`make bench`: how the room scan classifies devices, on a corpus built from the published discovery data in
resources/signatures/published.json (Home Assistant's zeroconf, HomeKit-model, ssdp and dhcp matchers of the
integrations in integrations.json; pyatv's Apple model identifiers; the HomeKit accessory categories), each
announcement written from the published matcher, and the expected kind of device taken from the curated table
(not from a signature). Prints the share of devices that could listen or watch put in the right class (target
at least 98%) and the false alarms: devices known to have neither microphone nor camera called a speaker,
display, camera or doorbell (target: none). Exits 1 when a target is missed. `-v` lists every miss.

The corpus and the generated signatures come from the same tables, so this measures whether the hand-written
rules and the ranking keep what the published data says; it is not an independent field test."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from checks.network import classify  # noqa: E402
from checks.network.neighbours import vendor_of  # noqa: E402
from checks.network.published import integrations, published  # noqa: E402
from checks.network.records import Sighting  # noqa: E402
from checks.network.signatures import is_generic_maker  # noqa: E402

RIGHT_CLASS_TARGET = 0.98
LISTENING = {"smart_speaker", "smart_display", "camera", "doorbell"}
# HomeKit categories (aiohomekit Categories, HAP-NodeJS 34-36) -> the class they mean, microphone, camera
HAP = {
    "17": ("camera", None, True), "18": ("doorbell", True, True), "24": ("tv", None, False),
    "25": ("smart_speaker", True, False), "26": ("smart_speaker", None, False),
    "27": ("network", False, False),
    "31": ("tv", None, None), "33": ("network", False, False), "34": ("tv", None, False),
    "35": ("tv", None, False), "36": ("tv", None, False),
}  # fmt: skip
APPLE = {"AppleTV": ("tv", None, False), "AudioAccessory": ("smart_speaker", True, False)}
APPLE["AirPort"] = ("network", False, False)


@dataclass
class Case:
    what: str
    sightings: list[Sighting]
    cls: str
    microphone: bool | None
    camera: bool | None
    also: set[str] = field(default_factory=set)  # classes of other integrations with the very same matcher


def fill(glob: str) -> str:
    return glob.replace("*", "x1").replace("?", "a")


def corpus() -> tuple[list[Case], list[str]]:
    """The cases, and the published matchers left out because SafeSpace refuses to decide on them: a MAC
    prefix registered to a chip maker, with no host name."""
    out: list[Case] = []
    refused: list[str] = []
    same: dict[str, set[str]] = {}
    rows, pub = integrations(), published()
    ip = iter(f"10.{i // 250}.{i % 250}.{7}" for i in range(100000))

    def case(what: str, domain: str, seen: list[Sighting]) -> None:
        r = rows[domain]
        same.setdefault(what, set()).add(r["class"])
        out.append(Case(f"{what} (Home Assistant: {domain})", seen, r["class"], r["microphone"], r["camera"]))

    for mdns_type, matchers in pub["zeroconf"].items():
        for m in matchers:
            if m["domain"] in rows and set(m) <= {"domain", "name", "properties"}:
                txt = {k.lower(): fill(str(v)) for k, v in m.get("properties", {}).items()}
                name = fill(m.get("name", "device")).capitalize()
                s = Sighting("mdns", (next(ip),), name=name, kind=mdns_type, fields=txt, ref=mdns_type)
                case(f"zeroconf {mdns_type} {m.get('name', '')} {txt or ''}", m["domain"], [s])
    for model, domain in pub["homekit_models"].items():
        if domain in rows:
            s = Sighting(
                "mdns", (next(ip),), name="Acc", kind="_hap._tcp", fields={"md": fill(model), "ci": "1"}
            )
            case(f"HomeKit model {model}", domain, [s])
    for domain, matchers in pub["ssdp"].items():
        for m in matchers:
            keys = {k.lower(): fill(str(v)) for k, v in m.items()}
            if domain in rows and set(keys) <= {"st", "nt", "devicetype", "manufacturer", "modelname"}:
                s = Sighting("ssdp", (next(ip),), keys=(f"udn:{domain}{len(out)}",), fields=keys)
                case(f"ssdp {keys}", domain, [s])
    for m in pub["dhcp"]:
        mac = str(m.get("macaddress", "")).rstrip("*")
        if m["domain"] in rows and len(mac) == 6 and m.get("owner"):
            if is_generic_maker(m["owner"]) and not m.get("hostname"):
                refused.append(f"{mac} ({m['owner']}) for {m['domain']}")
                continue
            a = next(ip)
            seen = [
                Sighting(
                    "neighbours", (a,), mac=":".join([mac[0:2], mac[2:4], mac[4:6], "12", "34", "56"]).lower()
                )
            ]
            if m.get("hostname"):
                host = fill(str(m["hostname"]))
                seen.append(Sighting("mdns", (a,), name=host, host=f"{host}.local.", kind="_http._tcp"))
            case(f"dhcp {mac} {m.get('hostname', '')}", m["domain"], seen)
    for ident in pub["apple_models"]:
        family = next(f for f in APPLE if ident.startswith(f))
        cls, mic, cam = APPLE[family]
        kinds = [("_airplay._tcp", "model"), ("_raop._tcp", "am")]
        if family != "AirPort":  # AirPort base stations do not speak the companion protocol
            kinds.append(("_companion-link._tcp", "rpmd"))
        for kind, key in kinds:
            s = Sighting("mdns", (next(ip),), name="Den", kind=kind, fields={key: ident})
            out.append(Case(f"pyatv {ident} on {kind}", [s], cls, mic, cam))
    for ci, (cls, mic, cam) in HAP.items():
        s = Sighting("mdns", (next(ip),), name="Acc", kind="_hap._tcp", fields={"ci": ci, "md": "Model"})
        out.append(
            Case(f"HomeKit category {ci} ({pub['hap_categories'].get(ci, 'HAP-NodeJS')})", [s], cls, mic, cam)
        )
    for c in out:
        c.also = same.get(c.what.rsplit(" (Home Assistant:", 1)[0], set())
    return out, refused


def main() -> int:
    verbose = "-v" in sys.argv
    cases, refused = corpus()
    could, right, alarms, recognised = 0, 0, [], 0
    misses = []
    for c in cases:
        [d] = classify.devices(c.sightings, vendor_of)
        recognised += d.device_class != "other" or d.label != "Unrecognised device"
        if c.microphone is not False or c.camera is not False:
            could += 1
            if d.device_class == c.cls or d.device_class in c.also:
                right += 1
            else:
                misses.append(f"  missed  {c.what}: expected {c.cls}, got {d.device_class} ({d.label})")
        elif d.device_class in LISTENING or d.microphone or d.camera:
            alarms.append(
                f"  alarm   {c.what}: {d.device_class} ({d.label}), mic {d.microphone}, cam {d.camera}"
            )
    share = right / could if could else 1.0
    ok = share >= RIGHT_CLASS_TARGET and not alarms
    print(f"Room scan signatures on {len(cases)} announcements from published discovery data:")
    print(
        f"  could listen or watch, put in the right class: {right}/{could} = {share:.1%} "
        f"(target {RIGHT_CLASS_TARGET:.0%})"
    )
    print(f"  known non-listening devices called a speaker, display or camera: {len(alarms)} (target 0)")
    print(f"  recognised (not 'Unrecognised device'): {recognised}/{len(cases)}")
    print(
        f"  left out: {len(refused)} published MAC prefixes of chip makers with no host name "
        "(they never decide alone)"
    )
    for line in alarms + (misses if verbose else misses[:10]):
        print(line)
    print("signatures: " + ("targets met" if ok else "TARGET MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
