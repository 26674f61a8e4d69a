"""What each discovery protocol hears, parsed from recorded answers, hostile ones included."""

from __future__ import annotations

import asyncio
import time

import pytest

from checks.network import neighbours, ssdp, wsd
from checks.network.context import Context
from checks.network.mdns import sighting_from
from checks.network.records import MAX_FIELDS, MAX_TEXT, is_randomised, norm_mac
from tests.netfixtures import interface

IP_NEIGH = """\
192.168.1.1 dev wlan0 lladdr 18:b4:30:aa:bb:cc REACHABLE
192.168.1.23 dev wlan0 lladdr 00:40:8c:12:34:56 STALE
192.168.1.40 dev wlan0 FAILED
192.168.1.41 dev wlan0 INCOMPLETE
fe80::1 dev wlan0 lladdr 18:b4:30:aa:bb:cc router REACHABLE
10.8.0.5 dev tun0 lladdr 02:00:00:00:00:01 DELAY
"""
PROC_ARP = """\
IP address       HW type     Flags       HW address            Mask     Device
192.168.1.1      0x1         0x2         18:b4:30:aa:bb:cc     *        wlan0
192.168.1.50     0x1         0x0         00:00:00:00:00:00     *        wlan0
"""
MAC_ARP = """\
? (192.168.1.1) at 18:b4:30:aa:bb:cc on en0 ifscope [ethernet]
? (192.168.1.7) at 0:40:8c:1:2:3 on en0 ifscope [ethernet]
? (192.168.1.255) at ff:ff:ff:ff:ff:ff on en0 ifscope [ethernet]
? (192.168.1.9) at (incomplete) on en0 ifscope [ethernet]
"""
WINDOWS_ARP = """\

Interface: 192.168.1.10 --- 0x4
  Internet Address      Physical Address      Type
  192.168.1.1           18-b4-30-aa-bb-cc     dynamic
  192.168.1.255         ff-ff-ff-ff-ff-ff     static
  224.0.0.22            01-00-5e-00-00-16     static
"""


def test_neighbour_tables_of_every_system() -> None:
    assert neighbours.parse_ip_neigh(IP_NEIGH) == [
        ("192.168.1.1", "18:b4:30:aa:bb:cc", "wlan0", "REACHABLE"),
        ("192.168.1.23", "00:40:8c:12:34:56", "wlan0", "STALE"),
        ("fe80::1", "18:b4:30:aa:bb:cc", "wlan0", "REACHABLE"),
        ("10.8.0.5", "02:00:00:00:00:01", "tun0", "DELAY"),
    ]
    assert neighbours.parse_proc_arp(PROC_ARP) == [("192.168.1.1", "18:b4:30:aa:bb:cc", "wlan0", "")]
    assert neighbours.parse_arp_a(MAC_ARP) == [
        ("192.168.1.1", "18:b4:30:aa:bb:cc", "en0", ""),
        ("192.168.1.7", "00:40:8c:01:02:03", "en0", ""),
    ]
    assert neighbours.parse_arp_a(WINDOWS_ARP) == [("192.168.1.1", "18:b4:30:aa:bb:cc", "192.168.1.10", "")]


def test_only_this_interfaces_neighbours_count() -> None:
    ctx = Context(interface("wlan0", "192.168.1.10/24"), time.monotonic() + 1)
    kept = neighbours.entries_for(ctx, neighbours.parse_ip_neigh(IP_NEIGH))
    assert [e[0] for e in kept] == ["192.168.1.1", "192.168.1.23", "fe80::1"]


def test_makers_come_from_the_offline_registry_and_randomised_addresses_are_told_apart() -> None:
    assert neighbours.vendor_of("00:40:8c:12:34:56") == "Axis Communications AB"
    assert neighbours.vendor_of("18:b4:30:aa:bb:cc") == "Nest Labs Inc."
    assert is_randomised("da:a1:19:00:00:01") and neighbours.vendor_of("da:a1:19:00:00:01") is None
    assert not is_randomised("00:40:8c:12:34:56")
    assert norm_mac("00-40-8C-12-34-56") == "00:40:8c:12:34:56"
    assert norm_mac("0040.8c12.3456") is None and norm_mac("01:00:5e:00:00:16") is None


DESCRIPTION = b"""<?xml version="1.0"?>
<root xmlns="urn:schemas-upnp-org:device-1-0"><device>
<deviceType>urn:schemas-upnp-org:device:MediaRenderer:1</deviceType>
<friendlyName>[TV] <b>Living</b> Room</friendlyName>
<manufacturer>Samsung Electronics</manufacturer><modelName>UE55TU7100</modelName>
<UDN>uuid:1234</UDN>
<serviceList><service><serviceType>urn:schemas-upnp-org:service:RenderingControl:1</serviceType></service></serviceList>
<deviceList><device><deviceType>urn:samsung.com:device:RemoteControlReceiver:1</deviceType></device></deviceList>
</device></root>"""


def test_a_upnp_description_gives_identity_and_every_type() -> None:
    fields = ssdp.parse_description(DESCRIPTION.replace(b"<b>", b"&lt;b&gt;").replace(b"</b>", b"&lt;/b&gt;"))
    assert fields["friendlyname"] == "[TV] <b>Living</b> Room"
    assert (fields["manufacturer"], fields["modelname"], fields["udn"]) == (
        "Samsung Electronics",
        "UE55TU7100",
        "uuid:1234",
    )
    assert "urn:samsung.com:device:RemoteControlReceiver:1" in fields["types"].split()
    assert "urn:schemas-upnp-org:service:RenderingControl:1" in fields["types"].split()


@pytest.mark.parametrize(
    "xml",
    [
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaa"><!ENTITY b "&a;&a;&a;">]><root>&b;</root>',
        b"<root><device><friendlyName>cut",
        b"not xml at all",
        b'<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"></root>',
    ],
)
def test_hostile_or_broken_descriptions_are_refused(xml: bytes) -> None:
    with pytest.raises(Exception):  # noqa: B017 - defusedxml, ParseError or ValueError: all caught by the scan
        ssdp.parse_description(xml)


@pytest.mark.parametrize(
    ("location", "responder", "allowed"),
    [
        ("http://192.168.1.40:7676/description.xml", "192.168.1.40", None),
        ("http://8.8.8.8/description.xml", "8.8.8.8", "outside the local network"),
        ("http://192.168.1.41/description.xml", "192.168.1.40", "different address"),
        ("http://attacker.example/description.xml", "192.168.1.40", "different address"),
        ("https://192.168.1.40/description.xml", "192.168.1.40", "not a plain local web address"),
        ("file:///etc/passwd", "192.168.1.40", "not a plain local web address"),
        ("http://[::1", "192.168.1.40", "not a valid web address"),
        ("http://127.0.0.1/description.xml", "127.0.0.1", "outside the local network"),
        # A forger chooses the address, the port and the path: only plain description paths are fetched.
        ("http://192.168.1.40:8060/", "192.168.1.40", None),
        ("http://192.168.1.40:9197/dmr", "192.168.1.40", None),
        ("http://192.168.1.40/upnp/IGD.xml", "192.168.1.40", None),
        ("http://192.168.1.40/cgi-bin/reboot", "192.168.1.40", "looks crafted"),
        ("http://192.168.1.40/d.xml?action=reset", "192.168.1.40", "looks crafted"),
        ("http://admin:admin@192.168.1.40/d.xml", "192.168.1.40", "looks crafted"),
        ("http://192.168.1.40/a/../admin.xml", "192.168.1.40", "looks crafted"),
        ("http://192.168.1.40/d.xml#x", "192.168.1.40", "looks crafted"),
        ("http://192.168.1.40:0/d.xml", "192.168.1.40", "crafted"),
        ("http://192.168.1.40/" + "a" * 300 + ".xml", "192.168.1.40", "too long"),
        ("http://192.168.1.40/d\x07.xml", "192.168.1.40", "odd characters"),
    ],
)
def test_descriptions_are_fetched_only_from_the_local_device_that_answered(
    location, responder, allowed
) -> None:
    ctx = Context(interface("wlan0", "192.168.1.10/24"), time.monotonic() + 1)
    reason = ssdp.description_allowed(location, responder, ctx)
    assert reason is None if allowed is None else allowed in reason


def test_a_subnet_that_is_not_private_still_counts_as_local() -> None:
    ctx = Context(interface("eth0", "81.2.69.10/24"), time.monotonic() + 1)
    assert ssdp.description_allowed("http://81.2.69.7/d.xml", "81.2.69.7", ctx) is None
    assert ssdp.description_allowed("http://81.2.70.7/d.xml", "81.2.70.7", ctx) is not None


def _probe_match(relates: str, name: str = "HIKVISION") -> bytes:
    return f"""<?xml version="1.0"?>
<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing"
 xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">
<s:Header><a:RelatesTo>{relates}</a:RelatesTo></s:Header>
<s:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>urn:uuid:cam-1</a:Address></a:EndpointReference>
<d:Types>dn:NetworkVideoTransmitter</d:Types>
<d:Scopes>onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/name/{name} onvif://www.onvif.org/hardware/DS%202CD</d:Scopes>
<d:XAddrs>http://192.168.1.50/onvif/device_service</d:XAddrs></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>""".encode()


def test_a_ws_discovery_answer_names_the_camera() -> None:
    [s] = wsd.parse_matches(_probe_match("urn:uuid:ours"), "192.168.1.50", {"urn:uuid:ours"})
    assert s.keys == ("wsd:urn:uuid:cam-1",)
    assert s.fields["types"] == "http://www.onvif.org/ver10/network/wsdl:networkvideotransmitter"
    assert (s.name, s.fields["hardware"]) == ("HIKVISION", "DS 2CD")
    # An answer to someone else's probe is not ours to trust.
    assert wsd.parse_matches(_probe_match("urn:uuid:theirs"), "192.168.1.50", {"urn:uuid:ours"}) == []
    with pytest.raises(Exception):  # noqa: B017
        wsd.parse_matches(
            b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>", "192.168.1.50", set()
        )
    assert b"NetworkVideoTransmitter" in wsd.probe("urn:uuid:1", wsd.ONVIF_NVT)
    assert b"<wsd:Types>" not in wsd.probe("urn:uuid:1")


class _Info:
    """What python-zeroconf hands over for a resolved service, as a hostile device might fill it."""

    def __init__(self, properties: dict, server: str = "evil.local."):
        self.decoded_properties = properties
        self.server = server
        self.port = 8009

    def parsed_scoped_addresses(self) -> list[str]:
        return ["192.168.1.66", "fe80::1%3"]


def test_a_hostile_mdns_announcement_is_bounded_and_kept_as_plain_text() -> None:
    txt = {f"key{i}": "v" * 5000 for i in range(500)} | {"": None, "md": "Nest\x00Mini\x1b[31m"}
    name = "<img src=x onerror=alert(1)>._http._tcp.local."
    s = sighting_from("_http._tcp.local.", name, _Info(txt))  # type: ignore[arg-type]
    assert s.name == "<img src=x onerror=alert(1)>"
    assert len(s.fields) <= MAX_FIELDS and all(len(v) <= MAX_TEXT for v in s.fields.values())
    assert s.addresses == ("192.168.1.66", "fe80::1") and s.host == "evil.local."
    assert s.port == 8009 and "on port 8009" in s.evidence


def test_googlecast_ids_and_airplay_macs_become_keys() -> None:
    s = sighting_from(
        "_googlecast._tcp.local.",
        "Nest-abc._googlecast._tcp.local.",
        _Info({"id": "ABC123", "md": "Google Nest Mini"}),  # type: ignore[arg-type]
    )
    assert "cast:abc123" in s.keys and "host:evil.local." in s.keys
    a = sighting_from(
        "_airplay._tcp.local.", "TV._airplay._tcp.local.", _Info({"deviceid": "AA:BB:CC:DD:EE:FF"})
    )  # type: ignore[arg-type]
    assert a.mac == "aa:bb:cc:dd:ee:ff"


def test_neighbour_source_reads_twice_and_skips_other_interfaces() -> None:
    reads = []

    def read() -> list:
        reads.append(time.monotonic())
        return neighbours.parse_ip_neigh(IP_NEIGH)

    got = []
    ctx = Context(interface("wlan0", "192.168.1.10/24"), time.monotonic() + 1.0, gateway="192.168.1.1")
    asyncio.run(neighbours.discover(ctx, got.append, read))
    assert len(reads) == 2
    assert [s.addresses[0] for s in got] == ["192.168.1.1", "192.168.1.23", "fe80::1"]
    assert got[0].fields == {"role": "gateway"} and got[1].fields == {"stale": "yes"}


def test_an_answer_with_a_control_character_is_kept() -> None:
    """The library drops such an answer whole, so the device would vanish from the list."""
    from async_upnp_client import ssdp as upnp_ssdp

    answer = (
        b"HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nST: upnp:rootdevice\r\n"
        b"USN: uuid:abc::upnp:rootdevice\r\nSERVER: Linux\x07\x1b[2J UPnP/1.0\r\n"
        b"LOCATION: http://10.0.0.5/d.xml\r\n\r\n"
    )
    original = getattr(upnp_ssdp.decode_ssdp_packet, "__wrapped__", upnp_ssdp.decode_ssdp_packet)
    with pytest.raises(Exception):  # noqa: B017 (whatever the library raises, it drops the answer)
        original(answer, None, ("10.0.0.5", 1900))
    _line, headers = ssdp.lenient(original)(answer, None, ("10.0.0.5", 1900))
    assert headers.get("server") == "Linux??[2J UPnP/1.0" and headers.get(ssdp.ODD_NOTE) == "yes"
    assert headers.get("location") == "http://10.0.0.5/d.xml"
