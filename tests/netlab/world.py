"""The devices of the test room, as real peers in the lab, and what each announces."""

from __future__ import annotations

from tests.netlab.lab import Host, Lab

PRINTER_SERVICE = """<?xml version="1.0" standalone='no'?>
<!DOCTYPE service-group SYSTEM "avahi-service.dtd">
<service-group><name>Reception Printer</name>
<service><type>_ipp._tcp</type><port>631</port>
<txt-record>ty=Brother HL-L2350DW series</txt-record><txt-record>note=Reception</txt-record></service>
</service-group>
"""
HOSTILE_NAME = "<b>Bold</b><script>alert(1)</script>"


def speaker_and_phone(address: str, phone_address: str) -> dict:
    return {
        "bind": address,
        "services": [
            {
                "type": "_googlecast._tcp.local.",
                "name": "Google-Nest-Mini-1a2b3c",
                "addresses": [address],
                "server": "1a2b3c4d-nest.local.",
                "port": 8009,
                "txt": {"md": "Google Nest Mini", "fn": "Therapy Room", "id": "1a2b3c4d5e6f"},
            },
            {
                "type": "_companion-link._tcp.local.",
                "name": "Jane Smith's iPhone",
                "addresses": [phone_address],
                "server": "Janes-iPhone.local.",
                "port": 49152,
                "txt": {"rpMd": "iPhone15,2", "rpVr": "510.1"},
            },
            {
                # A service type with capitals: it must be browsed in the case it was announced in.
                "type": "_Volumio._tcp.local.",
                "name": "Kitchen Volumio",
                "addresses": [address],
                "server": "volumio-kitchen.local.",
                "port": 3000,
                "txt": {"volumioName": "Kitchen"},
            },
        ],
    }


def hostile_mdns(address: str) -> dict:
    return {
        "bind": address,
        "services": [
            {
                "type": "_http._tcp.local.",
                "name": HOSTILE_NAME,
                "addresses": [address],
                "server": "odd-gadget.local.",
                "port": 80,
                # Many long TXT entries: kept bounded, never trusted.
                "txt": {f"k{i}": "x" * 180 for i in range(45)},
            }
        ],
    }


def ipv6_apple_tv() -> dict:
    """An Apple TV heard over IPv6 only."""
    return {
        "bind": "ipv6",
        "services": [
            {
                "type": "_airplay._tcp.local.",
                "name": "Waiting Room",
                "addresses": ["link-local"],
                "server": "Waiting-Room-TV.local.",
                "port": 7000,
                "txt": {"model": "AppleTV14,1", "deviceid": "00:11:22:aa:bb:cc"},
            }
        ],
    }


def samsung_tv(address: str) -> dict:
    return {
        "bind": address,
        "devices": [
            {
                "device_type": "urn:samsung.com:device:RemoteControlReceiver:1",
                "friendly_name": "Living Room TV",
                "manufacturer": "Samsung Electronics",
                "model": "UE55TU7100",
                "udn": "uuid:11111111-2222-3333-4444-555555555555",
                "port": 7676,
                "services": ["urn:samsung.com:service:MultiScreenService:1"],
            }
        ],
    }


def misdirecting_ssdp(address: str, elsewhere: str, port: int) -> dict:
    """A UPnP device whose description address points at another host: it must not be fetched."""
    return {
        "bind": address,
        "devices": [
            {
                "device_type": "urn:schemas-upnp-org:device:MediaRenderer:1",
                "friendly_name": "Should never be read",
                "manufacturer": "Nobody",
                "model": "Nothing",
                "udn": "uuid:99999999-8888-7777-6666-555555555555",
                "port": 8099,
                "serve": False,
                "location": f"http://{elsewhere}:{port}/description.xml",
            }
        ],
    }


def onvif_camera(address: str) -> dict:
    return {
        "bind": address,
        "endpoint": "urn:uuid:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        "scopes": [
            "onvif://www.onvif.org/type/video_encoder",
            "onvif://www.onvif.org/hardware/DS-2CD2143G2-I",
            "onvif://www.onvif.org/name/HIKVISION",
        ],
    }


def build(lab: Lab) -> dict[str, Host]:
    """Every peer of the test room, started; the scanner's namespace is "scan"."""
    hosts = {
        "scan": lab.host("scan", 2),
        "speaker": lab.host("speaker", 30, extra=(31,)),
        "tv": lab.host("tv", 40),
        "camera": lab.host("camera", 50),
        "odd": lab.host("odd", 60, extra=(61,)),
        "appletv": lab.host("appletv", 70),
    }
    lab.peer(hosts["appletv"], "zeroconf", ipv6_apple_tv())
    lab.peer(hosts["speaker"], "zeroconf", speaker_and_phone("10.99.0.30", "10.99.0.31"))
    lab.peer(hosts["tv"], "ssdp", samsung_tv("10.99.0.40"))
    lab.peer(hosts["camera"], "wsd", onvif_camera("10.99.0.50"))
    lab.peer(hosts["odd"], "http", None, "10.99.0.61", "8098")
    lab.peer(hosts["odd"], "ssdp", misdirecting_ssdp("10.99.0.60", "10.99.0.61", 8098))
    lab.peer(hosts["odd"], "zeroconf", hostile_mdns("10.99.0.60"))
    if Lab.avahi_unavailable() is None:
        hosts["printer"] = lab.host("printer", 20)
        lab.avahi(hosts["printer"], "reception-printer", {"printer": PRINTER_SERVICE})
    return hosts
