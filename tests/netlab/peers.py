"""Real protocol peers for the network lab, each run inside its own test namespace:

    peers.py zeroconf SPEC.json   python-zeroconf registrations (a speaker, a phone, many services)
    peers.py ssdp SPEC.json       a UPnP device: answers M-SEARCH, serves its description over HTTP
    peers.py wsd SPEC.json        a WS-Discovery target: answers Probes (an ONVIF camera)
    peers.py http ADDRESS PORT    an HTTP server that records every request (to prove nothing was fetched)

Each prints "ready" once it listens, and runs until killed. Only ever started inside a namespace.
"""

from __future__ import annotations

import json
import re
import socket
import struct
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def ready() -> None:
    print("ready", flush=True)


def forever() -> None:
    while True:
        time.sleep(3600)


def link_local() -> str:
    """This namespace's IPv6 link-local address on lab0, once duplicate-address detection has finished."""
    import subprocess

    for _ in range(100):
        out = subprocess.run(
            ["ip", "-6", "-o", "addr", "show", "dev", "lab0", "scope", "link"], capture_output=True, text=True
        ).stdout
        if out and "tentative" not in out:
            return out.split()[3].split("/")[0]
        time.sleep(0.1)
    raise RuntimeError("no IPv6 link-local address on lab0")


def run_zeroconf(spec: dict) -> None:
    from zeroconf import IPVersion, ServiceInfo, Zeroconf

    if spec["bind"] == "ipv6":  # IPv6 only, on the lab interface: addresses "link-local" mean its own
        link_local()  # zeroconf joins the group only once the interface has its address
        zc = Zeroconf(interfaces=[socket.if_nametoindex("lab0")], ip_version=IPVersion.V6Only)
    else:
        zc = Zeroconf(interfaces=[spec["bind"]], ip_version=IPVersion.V4Only)
    for s in spec["services"]:
        addresses = [link_local() if a == "link-local" else a for a in s["addresses"]]
        info = ServiceInfo(
            s["type"],
            f"{s['name']}.{s['type']}",
            addresses=[
                socket.inet_pton(socket.AF_INET6 if ":" in a else socket.AF_INET, a) for a in addresses
            ],
            port=s.get("port", 8009),
            properties=s.get("txt", {}),
            server=s["server"],
        )
        zc.register_service(info, allow_name_change=False, cooperating_responders=True)
    ready()
    forever()


def _multicast_socket(group: str, port: int, bind: str) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("", port))
    sock.setsockopt(
        socket.IPPROTO_IP,
        socket.IP_ADD_MEMBERSHIP,
        struct.pack("4s4s", socket.inet_aton(group), socket.inet_aton(bind)),
    )
    return sock


def _serve_http(address: str, port: int, routes: dict[str, bytes], log: list[str] | None = None) -> None:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if log is not None:
                log.append(self.path)
                print(f"GET {self.path}", flush=True)
            body = routes.get(self.path)
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((address, port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()


def description(d: dict) -> bytes:
    services = "".join(
        f"<service><serviceType>{t}</serviceType><serviceId>urn:upnp-org:serviceId:{i}</serviceId></service>"
        for i, t in enumerate(d.get("services", []))
    )
    return (
        '<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0">'
        "<specVersion><major>1</major><minor>0</minor></specVersion><device>"
        f"<deviceType>{d['device_type']}</deviceType><friendlyName>{d['friendly_name']}</friendlyName>"
        f"<manufacturer>{d['manufacturer']}</manufacturer><modelName>{d['model']}</modelName>"
        f"<UDN>{d['udn']}</UDN><serviceList>{services}</serviceList></device></root>"
    ).encode()


def run_ssdp(spec: dict) -> None:
    bind = spec["bind"]
    for d in spec["devices"]:
        if d.get("serve", True):
            _serve_http(bind, d["port"], {"/description.xml": description(d)})
    sock = _multicast_socket("239.255.255.250", 1900, bind)
    ready()
    while True:
        data, addr = sock.recvfrom(4096)
        text = data.decode("utf-8", "replace")
        if not text.startswith("M-SEARCH"):
            continue
        st = re.search(r"^ST:\s*(.+?)\s*$", text, re.M | re.I)
        wanted = st.group(1) if st else ""
        for d in spec["devices"]:
            location = d.get("location") or f"http://{bind}:{d['port']}/description.xml"
            for target in ["upnp:rootdevice", d["device_type"], *d.get("services", [])]:
                if wanted not in ("ssdp:all", target):
                    continue
                reply = (
                    "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nEXT:\r\n"
                    f"LOCATION: {location}\r\nSERVER: Linux/5.10 UPnP/1.0 SafeSpaceLab/1.0\r\n"
                    f"ST: {target}\r\nUSN: {d['udn']}::{target}\r\n\r\n"
                )
                sock.sendto(reply.encode(), addr)


PROBE_MATCH = """<?xml version="1.0" encoding="UTF-8"?>
<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"
 xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing"
 xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"
 xmlns:dn="http://www.onvif.org/ver10/network/wsdl" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">
<s:Header><a:MessageID>urn:uuid:{mid}</a:MessageID><a:RelatesTo>{relates}</a:RelatesTo>
<a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To>
<a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</a:Action></s:Header>
<s:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>{endpoint}</a:Address></a:EndpointReference>
<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types><d:Scopes>{scopes}</d:Scopes>
<d:XAddrs>http://{bind}/onvif/device_service</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>"""


def run_wsd(spec: dict) -> None:
    bind = spec["bind"]
    sock = _multicast_socket("239.255.255.250", 3702, bind)
    ready()
    while True:
        data, addr = sock.recvfrom(65536)
        text = data.decode("utf-8", "replace")
        if "Probe</" not in text and "/Probe<" not in text:
            continue
        mid = re.search(r"MessageID>\s*([^<]+?)\s*<", text)
        types = re.search(r"Types>\s*([^<]*?)\s*<", text)
        if mid is None or (types and types.group(1) and "NetworkVideoTransmitter" not in types.group(1)):
            continue
        reply = PROBE_MATCH.format(
            mid=uuid.uuid4(),
            relates=mid.group(1),
            endpoint=spec["endpoint"],
            scopes=" ".join(spec["scopes"]),
            bind=bind,
        )
        sock.sendto(reply.encode(), addr)


def run_http(address: str, port: int) -> None:
    _serve_http(address, port, {}, log=[])
    ready()
    forever()


if __name__ == "__main__":
    kind = sys.argv[1]
    if kind == "http":
        run_http(sys.argv[2], int(sys.argv[3]))
    else:
        with open(sys.argv[2]) as f:
            conf = json.load(f)
        {"zeroconf": run_zeroconf, "ssdp": run_ssdp, "wsd": run_wsd}[kind](conf)
