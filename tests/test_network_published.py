"""Announcements written from published discovery data (pychromecast's cast models, Home Assistant's zeroconf,
ssdp and dhcp tables, the HomeKit category codes), replayed through the classifier: the class, microphone and
camera each must come out as those sources and the makers say. Not written from SafeSpace's own signatures."""

from __future__ import annotations

import fnmatch

import pytest

from checks.network import classify
from checks.network import signatures as sig
from checks.network.neighbours import vendor_of
from checks.network.records import Sighting


def cast(md: str, fn: str = "Lounge") -> Sighting:
    return Sighting(
        "mdns", ("192.168.1.20",), name=f"{md}-abc", kind="_googlecast._tcp", fields={"md": md, "fn": fn}
    )


def one(*seen: Sighting) -> classify.Device:
    [d] = classify.devices(list(seen), vendor_of)
    return d


# pychromecast 14.0.10 const.py CAST_TYPES: models as announced in TXT md. The microphone and camera are the
# makers' (Google Assistant built in; Lenovo's Smart Displays have a camera, its Smart Clock has none).
@pytest.mark.parametrize(
    ("md", "cls", "mic", "cam"),
    [
        ("JBL Link 10", "smart_speaker", True, False),
        ("JBL Link 20", "smart_speaker", True, False),
        ("JBL Link 300", "smart_speaker", True, False),
        ("JBL Link 500", "smart_speaker", True, False),
        ("JBL Link Portable", "smart_speaker", True, False),
        ("LG WK7 ThinQ Speaker", "smart_speaker", True, False),
        ("Bose Smart Ultra Soundbar", "smart_speaker", True, False),
        ("LenovoCD-24502F", "smart_display", True, False),
        ("Lenovo Smart Display 7", "smart_display", True, True),
        ("Lenovo Smart Display 10", "smart_display", True, True),
        ("Nest Wifi point", "smart_speaker", True, False),
        ("Google Nest Hub Max", "smart_display", True, True),
        ("Google Nest Mini", "smart_speaker", True, False),
    ],
)
def test_google_assistant_speakers_and_displays_on_cast(md: str, cls: str, mic: bool, cam: bool) -> None:
    d = one(cast(md))
    assert (d.device_class, d.microphone, d.camera, d.confidence) == (cls, mic, cam, "high")
    assert d.severity.value == "high"
    assert "Why we think so: pychromecast:" in d.explanation


def test_a_plain_chromecast_stays_a_streaming_box() -> None:
    d = one(cast("Chromecast Ultra"))
    assert d.device_class == "tv" and d.microphone is None


@pytest.mark.parametrize("instance", ["iRobot-0123456789ABCDEF", "Roomba-3164C80A", "irobot-j7"])
def test_irobot_robots_on_the_alexa_service_are_not_speakers(instance: str) -> None:
    # Home Assistant zeroconf.py: _amzn-alexa._tcp with name irobot-* or roomba-* is the roomba integration.
    d = one(Sighting("mdns", ("192.168.1.30",), name=instance, kind="_amzn-alexa._tcp"))
    assert d.device_class == "other" and d.microphone is False
    assert d.severity.value == "low"
    assert "Home Assistant: roomba" in d.explanation
    assert (
        "Why we think so"
        not in one(Sighting("mdns", ("192.168.1.32",), name="Oven", kind="_amzn-alexa._tcp")).explanation
    )


def test_the_alexa_service_alone_does_not_mean_an_echo() -> None:
    d = one(Sighting("mdns", ("192.168.1.31",), name="Dishwasher-1234", kind="_amzn-alexa._tcp"))
    assert d.device_class == "other" and d.microphone is None and d.camera is None
    assert d.device_class != "smart_speaker"


# HomeKit Accessory Protocol categories (aiohomekit Categories; HAP-python CATEGORY_*; HA homekit const.py).
@pytest.mark.parametrize(
    ("ci", "cls", "mic", "cam"),
    [
        ("2", "other", None, None),  # a bridge: what is behind it is not announced
        ("17", "camera", None, True),
        ("18", "doorbell", True, True),
        ("24", "tv", None, None),
        ("25", "smart_speaker", True, False),
        ("27", "network", False, False),
        ("31", "tv", None, None),
        ("33", "network", False, False),
        ("34", "tv", None, None),
        ("35", "tv", None, None),
        ("36", "tv", None, None),
    ],
)
def test_homekit_categories(ci: str, cls: str, mic: bool | None, cam: bool | None) -> None:
    d = one(Sighting("mdns", ("192.168.1.40",), name="Acc", kind="_hap._tcp", fields={"ci": ci, "md": "X1"}))
    assert (d.device_class, d.microphone, d.camera) == (cls, mic, cam)
    assert d.label != "Unrecognised device"


def test_a_thread_homekit_camera_is_a_camera() -> None:
    d = one(Sighting("mdns", ("192.168.1.41",), name="Cam", kind="_hap._udp", fields={"ci": "17"}))
    assert d.device_class == "camera" and d.camera is True


def test_a_homekit_bridge_says_to_check_what_is_paired_to_it() -> None:
    d = one(Sighting("mdns", ("192.168.1.42",), name="Bridge", kind="_hap._tcp", fields={"ci": "2"}))
    assert "cameras behind a bridge" in d.explanation and d.camera is None


def test_kodi_is_a_media_player() -> None:
    # Home Assistant zeroconf.py: _xbmc-jsonrpc-h._tcp is the kodi integration.
    d = one(Sighting("mdns", ("192.168.1.50",), name="Kodi (LibreELEC)", kind="_xbmc-jsonrpc-h._tcp"))
    assert d.device_class == "tv" and "Home Assistant: kodi" in d.explanation


def upnp(**fields: str) -> Sighting:
    return Sighting(
        "ssdp", ("192.168.1.60",), name=fields.get("friendlyname"), keys=("udn:uuid:x",), fields=fields
    )


def test_directv_is_a_tv_box_not_a_computer() -> None:
    # Home Assistant ssdp.py: directv = MediaServer:1 with manufacturer DIRECTV.
    d = one(
        upnp(
            st="upnp:rootdevice",
            devicetype="urn:schemas-upnp-org:device:MediaServer:1",
            manufacturer="DIRECTV",
            modelname="HR54-700",
        )
    )
    assert d.device_class == "tv" and "Home Assistant: directv" in d.explanation


def test_kaleidescape_is_a_tv_player() -> None:
    d = one(upnp(devicetype="schemas-upnp-org:device:Basic:1", manufacturer="Kaleidescape, Inc."))
    assert d.device_class == "tv"


def test_an_axis_camera_from_its_ssdp_headers_alone() -> None:
    # As replayed in Home Assistant's axis tests: no description fetched, only the answer's headers.
    d = one(
        upnp(
            st="urn:axis-com:service:BasicService:1",
            usn="uuid:Upnp-BasicDevice-1_0-ACCC8E123456::urn:axis-com:service:BasicService:1",
            server="Linux/4.14.173-axis8, UPnP/1.0, Portable SDK for UPnP devices/1.8.7",
        )
    )
    assert d.device_class == "camera" and d.camera is True


def test_an_airplay_receiver_is_not_labelled_by_raops_metadata_list() -> None:
    # RAOP's md is the metadata it accepts (0 text, 1 artwork, 2 progress): not a model.
    d = one(
        Sighting(
            "mdns",
            ("192.168.1.70",),
            name="A1B2C3D4E5F6@Kitchen",
            kind="_raop._tcp",
            fields={"md": "0,1,2", "am": "WiiM Mini", "cn": "0,1"},
        )
    )
    assert not d.label.startswith("0,1,2")
    assert d.label == "WiiM Mini" and d.name == "Kitchen"
    bare = one(Sighting("mdns", ("192.168.1.71",), name="Den", kind="_raop._tcp", fields={"md": "0,1,2"}))
    assert "0,1,2" not in bare.label and "0,1,2" not in bare.explanation


@pytest.mark.parametrize("instance", ["homee-0123ab", "smappee1000123"])
def test_hubs_offering_ssh_are_not_computers(instance: str) -> None:
    # Home Assistant zeroconf.py: _ssh._tcp with these names are the homee and smappee integrations.
    d = one(Sighting("mdns", ("192.168.1.80",), name=instance, kind="_ssh._tcp"))
    assert d.device_class == "other" and (d.microphone, d.camera) == (False, False)


def neighbour(mac: str, host: str | None = None) -> list[Sighting]:
    out = [Sighting("neighbours", ("192.168.1.90",), mac=mac, ref="n")]
    if host:
        out.append(Sighting("mdns", ("192.168.1.90",), name=host, host=f"{host}.local.", kind="_http._tcp"))
    return out


@pytest.mark.parametrize(
    "mac", ["0c:ae:7d:11:22:33", "2c:ab:33:11:22:33", "94:e3:6d:11:22:33", "34:15:13:11:22:33"]
)
def test_a_texas_instruments_prefix_alone_is_not_a_ring_doorbell(mac: str) -> None:
    assert vendor_of(mac) == "Texas Instruments"
    assert one(*neighbour(mac)).device_class == "other"
    with_name = one(*neighbour(mac, "ring-4f2a"))
    assert (with_name.device_class, with_name.camera, with_name.microphone) == ("doorbell", True, True)


def test_ring_llcs_own_prefix_is_a_doorbell() -> None:
    assert one(*neighbour("9c:76:13:11:22:33")).device_class == "doorbell"


@pytest.mark.parametrize("mac", ["b8:5f:98:11:22:33", "20:a1:71:11:22:33", "00:03:7f:11:22:33"])
def test_an_amazon_or_atheros_prefix_alone_is_not_a_blink_camera(mac: str) -> None:
    alone = one(*neighbour(mac))
    assert alone.device_class != "camera" and alone.camera is not True
    assert one(*neighbour(mac, "blink-mini-1")).device_class == "camera"


def test_doorbirds_shared_block_alone_is_not_a_doorbell() -> None:
    assert vendor_of("1c:ca:e3:11:22:33") == "IEEE Registration Authority"
    assert one(*neighbour("1c:ca:e3:11:22:33")).device_class == "other"
    # Its camera service names it (Home Assistant zeroconf.py: _axis-video._tcp with macaddress 1ccae3*).
    d = one(
        Sighting(
            "mdns",
            ("192.168.1.91",),
            name="DoorBird",
            kind="_axis-video._tcp",
            fields={"macaddress": "1CCAE3AABBCC"},
        )
    )
    assert d.device_class == "doorbell"


@pytest.mark.parametrize("mac", ["5c:84:3c:11:22:33", "f8:46:1c:11:22:33", "00:d9:d1:11:22:33"])
def test_a_playstation_by_sony_interactive_prefix(mac: str) -> None:
    assert vendor_of(mac) == "Sony Interactive Entertainment Inc."
    d = one(*neighbour(mac))
    assert (d.device_class, d.label) == ("tv", "PlayStation")


def test_a_chip_makers_prefix_never_decides_a_class_at_run_time() -> None:
    # Even a signature that slipped past the schema: a generic maker's MAC alone leaves it unrecognised.
    taken = [
        s for s in classify.matches([], "0c:ae:7d:11:22:33", "Texas Instruments") if s.device_class != "other"
    ]
    assert taken == []


def test_every_mac_prefix_is_registered_to_the_owner_its_signature_names() -> None:
    checked = 0
    for s in sig.all_signatures():
        for oui in s.match.get("mac_prefix", []):
            mac = ":".join(oui[i : i + 2] for i in (0, 2, 4)) + ":00:00:01"
            owner = vendor_of(mac)
            assert owner, f"{s.id}: {oui} is not in the IEEE registry"
            globs = (s.mac_owner or "").split("|")
            assert any(fnmatch.fnmatchcase(owner.lower(), g) for g in globs), (
                f"{s.id}: {oui} belongs to {owner}"
            )
            if sig.is_generic_maker(owner) and s.device_class != "other":
                assert set(s.match) - {"mac_prefix", "mac_vendor"}, f"{s.id}: {oui} ({owner}) decides alone"
            checked += 1
    assert checked >= 40


def test_a_chip_makers_prefix_alone_is_refused_by_the_schema() -> None:
    doc = {
        "signatures": [
            {
                "id": "bad",
                "match": {"mac_prefix": ["0CAE7D"]},
                "class": "doorbell",
                "confidence": "medium",
                "mac_owner": "texas instruments*",
                "source": "a test of the schema",
                "last_verified": "2026-12-02",
            }
        ]
    }
    with pytest.raises(sig.SignatureError, match="cannot decide a class alone"):
        sig.validate(doc, "mac.json", sig.device_classes())
    del doc["signatures"][0]["mac_owner"]
    with pytest.raises(sig.SignatureError, match="needs mac_owner"):
        sig.validate(doc, "mac.json", sig.device_classes())
