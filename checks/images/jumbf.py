"""Content Credentials (C2PA manifests in JUMBF boxes, ISO/IEC 19566-5): what they say about the picture.

A manifest store is a JUMBF superbox labelled "c2pa" holding one manifest per signed step. Each manifest
holds an assertion store (who made it, where, with what, what was done, earlier versions and their
previews), a claim (the program that signed, the file's name) and a signature (the signer's certificate).
Everything is read with fixed limits: box count and depth, and size of each JSON or CBOR part.
"""

from __future__ import annotations

import contextlib
import json
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from checks.images import cbor
from checks.images.facts import Facts

MAX_DEPTH = 12
MAX_BOXES = 4_000
MAX_PART = 2 * 1024 * 1024  # bytes of one JSON or CBOR part that are decoded
SOURCE = "Content Credentials"
C2PA_UUID = bytes.fromhex("d8fec3d61b0e483c92975828877ec481")  # the BMFF 'uuid' box that carries one


@dataclass
class Superbox:
    label: str = ""
    kind: bytes = b""  # the description box's 16-byte type
    children: list[Superbox] = field(default_factory=list)
    content: list[tuple[bytes, bytes]] = field(default_factory=list)  # (box type, payload)


class JumbfError(ValueError):
    pass


def _boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload start, payload end) of each box in data[start:end]; stops at a damaged one."""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, pos)
        head = 8
        if size == 1:
            if pos + 16 > end:
                return
            (size,) = struct.unpack_from(">Q", data, pos + 8)
            head = 16
        elif size == 0:
            size = end - pos
        if size < head or pos + size > end:
            return
        yield kind, pos + head, pos + size
        pos += size


def parse(data: bytes) -> list[Superbox]:
    """The JUMBF superboxes at the top level of data."""
    budget = [MAX_BOXES]
    return [_superbox(data, s, e, 0, budget) for kind, s, e in _boxes(data, 0, len(data)) if kind == b"jumb"]


def _superbox(data: bytes, start: int, end: int, depth: int, budget: list[int]) -> Superbox:
    if depth > MAX_DEPTH:
        raise JumbfError("nested too deeply")
    box = Superbox()
    for i, (kind, s, e) in enumerate(_boxes(data, start, end)):
        budget[0] -= 1
        if budget[0] < 0:
            raise JumbfError("too many boxes")
        if i == 0:
            if kind != b"jumd" or e - s < 17:
                raise JumbfError("a superbox without its description")
            box.kind, toggles = data[s : s + 16], data[s + 16]
            if toggles & 0x02:
                limit = min(e, s + 17 + 512)
                stop = data.find(b"\0", s + 17, limit)
                box.label = data[s + 17 : stop if stop >= 0 else limit].decode("utf-8", "replace")
        elif kind == b"jumb":
            box.children.append(_superbox(data, s, e, depth + 1, budget))
        else:
            box.content.append((kind, data[s:e]))
    return box


# ---- where callers find the boxes ---------------------------------------------------------------------


def join_app11(payloads: list[bytes]) -> list[bytes]:
    """JUMBF boxes from JPEG APP11 segments (payloads after the length: "JP", box instance, sequence number,
    then the box, whose 8- or 16-byte header every continuation repeats). One result per box instance,
    its pieces put in sequence order."""
    pieces: dict[int, dict[int, bytes]] = {}
    for p in payloads:
        if len(p) < 16 or p[:2] != b"JP":
            continue
        instance, sequence = struct.unpack_from(">HI", p, 2)
        header = 16 if struct.unpack_from(">I", p, 8)[0] == 1 else 8
        body = p[8:] if sequence <= 1 else p[8 + header :]
        pieces.setdefault(instance, {}).setdefault(sequence, body)
    return [b"".join(parts[k] for k in sorted(parts)) for _, parts in sorted(pieces.items())]


def read_app11(payloads: list[bytes], facts: Facts) -> None:
    """Read the JUMBF in a JPEG's APP11 segments (payloads after the length), joined in sequence order.
    Segments that mention C2PA but do not join into a readable store are still Content Credentials."""
    found, noted = False, len(facts.unknown)
    for box in join_app11(payloads):
        found = read_c2pa(box, facts) or found
    if not found and any(b"c2pa" in p for p in payloads):
        del facts.unknown[noted:]  # not "a JUMBF block": what is there says it is C2PA
        facts.c2pa = True
        facts.unknown.append("damaged Content Credentials")
    elif not found and len(facts.unknown) == noted:
        facts.unknown.append("JUMBF block")


def bmff_manifest(body: bytes) -> bytes | None:
    """The JUMBF manifest store in a BMFF 'uuid' box, given the box's content after its 16-byte user type
    (version and flags, a purpose string, for "manifest" an 8-byte offset, then the store)."""
    stop = body.find(b"\0", 4, 4 + 64)
    if len(body) < 5 or stop < 0:
        return None
    purpose = body[4:stop]
    if purpose == b"manifest":
        return body[stop + 1 + 8 :]
    return body[stop + 1 :] if purpose == b"original" else None


# ---- what the manifests say ---------------------------------------------------------------------------


C2PA_STORE = bytes.fromhex("6332706100110010800000aa00389b71")  # the description type of a manifest store


def read_c2pa(payload: bytes, facts: Facts) -> bool:
    """Record what a C2PA manifest store says: names, places, programs, edits, earlier versions. JUMBF that
    is not Content Credentials is noted as an unrecognised block. True when it was Content Credentials."""
    payload = bytes(payload)
    try:
        stores = parse(payload)
    except JumbfError:
        stores = []
    c2pa = [s for s in stores if s.label == "c2pa" or s.kind == C2PA_STORE]
    if not c2pa:
        if b"c2pa" in payload:
            facts.c2pa = True
            facts.unknown.append("damaged Content Credentials")
            return True
        labels = ", ".join(sorted({s.label for s in stores if s.label}))[:60]
        facts.unknown.append("JUMBF block" + (f" '{labels}'" if labels else ""))
        return False
    facts.c2pa = True
    for store in c2pa:
        for manifest in store.children:
            _manifest(manifest, facts)
    return True


def _manifest(manifest: Superbox, facts: Facts) -> None:
    for box in manifest.children:
        label = box.label
        if label == "c2pa.assertions":
            for assertion in box.children:
                _assertion(assertion, facts)
        elif label.startswith("c2pa.claim"):
            claim = _data(box)
            if isinstance(claim, dict):
                _claim(claim, facts)
        elif label == "c2pa.signature":
            _signature(_data(box), facts)
        elif label == "c2pa.credentials":
            _identities(_data(box), facts)


def _data(box: Superbox) -> Any:
    """The first JSON or CBOR content of a superbox, decoded; None when it cannot be."""
    for kind, raw in box.content:
        if len(raw) > MAX_PART:
            return None
        try:
            if kind == b"cbor":
                return cbor.loads(raw)
            if kind == b"json":
                return json.loads(raw.decode("utf-8", "replace"))
        except (cbor.CborError, ValueError, RecursionError):
            return None
    return None


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict):  # {"@value": ...} or a language alternative
        for k in ("@value", "x-default", "name"):
            if isinstance(value.get(k), str):
                return str(value[k])
    return None


def _assertion(box: Superbox, facts: Facts) -> None:
    label = re.sub(r"\.v\d+$", "", box.label)
    if label.startswith("c2pa.thumbnail.claim"):
        facts.thumbnails.append("Content Credentials preview picture")
    elif label.startswith("c2pa.thumbnail.ingredient"):
        facts.thumbnails.append("Content Credentials preview of an earlier version")
    elif label == "c2pa.ingredient":
        _ingredient(_data(box), facts)
    elif label == "c2pa.actions":
        _actions(_data(box), facts)
    elif label.startswith(("stds.schema-org.", "schema.org")):
        _creative_work(_data(box), facts)
    elif label in ("stds.exif", "stds.iptc", "stds.iptc.photo-metadata", "c2pa.metadata", "cawg.metadata"):
        _json_ld(_data(box), facts)
    elif label == "cawg.identity":
        _identity_assertion(_data(box), facts)
    elif not label.startswith(("c2pa.hash.", "c2pa.soft-binding", "c2pa.training-mining")):
        facts.add("image.c2pa", "Other record", box.label)


def _claim(claim: dict[Any, Any], facts: Facts) -> None:
    facts.add("image.software", f"Signed with ({SOURCE})", _text(claim.get("claim_generator")))
    info = claim.get("claim_generator_info")
    for item in info if isinstance(info, list) else [info]:
        if isinstance(item, dict):
            name, version = _text(item.get("name")), _text(item.get("version"))
            facts.add("image.software", f"Signed with ({SOURCE})", " ".join(x for x in (name, version) if x))
    facts.add("image.c2pa", "File name", _text(claim.get("dc:title")))
    facts.add("image.unique_id", f"Instance ID ({SOURCE})", _text(claim.get("instanceID")))


def _ingredient(data: Any, facts: Facts) -> None:
    if not isinstance(data, dict):
        return
    facts.add("image.c2pa", "Earlier version's file name", _text(data.get("title") or data.get("dc:title")))
    for key in ("instanceID", "documentID"):
        facts.add("image.unique_id", f"Earlier version's ID ({SOURCE})", _text(data.get(key)))
    if data.get("thumbnail"):
        facts.add("image.c2pa", "Holds", "a preview of an earlier version")


_ACTIONS = {
    "c2pa.created": "Created",
    "c2pa.opened": "Opened",
    "c2pa.edited": "Edited",
    "c2pa.cropped": "Cropped",
    "c2pa.resized": "Resized",
    "c2pa.color_adjustments": "Colours changed",
    "c2pa.filtered": "Filtered",
    "c2pa.drawing": "Drawn on",
    "c2pa.placed": "Another picture placed in it",
    "c2pa.removed": "Something removed",
    "c2pa.redacted": "Something hidden",
    "c2pa.converted": "Converted",
    "c2pa.orientation": "Turned",
    "c2pa.published": "Published",
    "c2pa.transcoded": "Re-encoded",
    "c2pa.repackaged": "Repackaged",
}


def _actions(data: Any, facts: Facts) -> None:
    actions = data.get("actions") if isinstance(data, dict) else None
    for action in (actions if isinstance(actions, list) else [])[:200]:
        if not isinstance(action, dict):
            continue
        name = _text(action.get("action")) or "unknown step"
        words = _ACTIONS.get(name, name)
        agent = action.get("softwareAgent")
        software = _text(agent) if not isinstance(agent, dict) else _text(agent.get("name"))
        when = _text(action.get("when"))
        facts.add("image.software", f"Edited with ({SOURCE})", software)
        facts.add("image.time", f"{'Created' if name == 'c2pa.created' else 'Edited'} ({SOURCE})", when)
        facts.add("image.c2pa", "Edit step", ", ".join(x for x in (words, software, when) if x))
        source = _text(action.get("digitalSourceType")) or ""
        if source.endswith(("trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia")):
            facts.add("image.c2pa", "Made with", "AI (generated or changed by a trained model)")
        for key in ("actors", "parameters"):
            _names(action.get(key), facts, f"Person named in an edit ({SOURCE})")


def _creative_work(data: Any, facts: Facts) -> None:
    if not isinstance(data, dict):
        return
    for key, label in (("author", "Author"), ("creator", "Creator"), ("contributor", "Contributor")):
        _names(data.get(key), facts, f"{label} ({SOURCE})")
    _names(data.get("copyrightHolder"), facts, f"Rights owner ({SOURCE})")
    for key in ("contentLocation", "locationCreated"):
        loc = data.get(key)
        place = _place(loc) if isinstance(loc, dict) else _text(loc)
        facts.add("image.place", f"Place ({SOURCE})", place)
    facts.add("image.time", f"Created ({SOURCE})", _text(data.get("dateCreated")))
    _json_ld(data, facts)


def _place(loc: dict[Any, Any]) -> str | None:
    address = loc.get("address")
    parts = [_text(loc.get("name")), _text(address) if not isinstance(address, dict) else None]
    if isinstance(address, dict):
        parts += [_text(address.get(k)) for k in ("streetAddress", "addressLocality", "addressRegion")]
    return ", ".join(p for p in parts if p) or None


def _names(value: Any, facts: Facts, label: str, depth: int = 0) -> None:
    """Names, user names, e-mail addresses and links of the people or organisations in value."""
    if depth > 6:
        return
    if isinstance(value, str):
        facts.add("image.author", label, value)
    elif isinstance(value, list):
        for item in value[:50]:
            _names(item, facts, label, depth + 1)
    elif isinstance(value, dict):
        for key in ("name", "username", "email", "identifier", "url", "@id", "uri"):
            text = _text(value.get(key))
            if text and not (key == "@id" and not text.startswith(("http", "mailto"))):
                facts.add("image.author", label, text)
        for key in ("credential", "credentials", "verifiedIdentities", "actor", "actors"):
            if key in value:
                _names(value[key], facts, label, depth + 1)


def _json_ld(data: Any, facts: Facts) -> None:
    """JSON-LD written with XMP property names ("exif:GPSLatitude"), read as XMP is."""
    from checks.images.xmp import PREFIXES, record_values

    if not isinstance(data, dict):
        return
    context = data.get("@context")
    prefixes = dict(PREFIXES)
    if isinstance(context, dict):
        prefixes |= {str(k): str(v) for k, v in context.items() if isinstance(v, str)}
    values: dict[tuple[str, str], list[str]] = {}

    def walk(obj: Any, depth: int) -> None:
        if depth > 8 or not isinstance(obj, dict):
            return
        for key, value in list(obj.items())[:500]:
            if not isinstance(key, str) or ":" not in key:
                continue
            prefix, _, local = key.partition(":")
            ns = prefixes.get(prefix)
            items = value if isinstance(value, list) else [value]
            for item in items[:100]:
                text = _text(item)
                if ns and text is not None:
                    values.setdefault((ns, local), []).append(text)
                elif isinstance(item, dict):
                    walk(item, depth + 1)

    walk(data, 0)
    record_values(values, facts, SOURCE)


def _identity_assertion(data: Any, facts: Facts) -> None:
    """A creator identity assertion (CAWG): names in its signer payload or in the credential it signs."""
    if not isinstance(data, dict):
        return
    _names(data.get("signer_payload"), facts, f"Identity ({SOURCE})")
    signature = data.get("signature")
    if isinstance(signature, bytes) and len(signature) <= MAX_PART:
        try:
            cose = cbor.loads(signature)
        except cbor.CborError:
            cose = None
        _signature(cose, facts, f"Identity ({SOURCE})")
        if isinstance(cose, list) and len(cose) > 2 and isinstance(cose[2], bytes):
            with contextlib.suppress(ValueError, RecursionError):
                _identities(json.loads(cose[2].decode("utf-8", "replace")), facts)


def _identities(data: Any, facts: Facts) -> None:
    subject = data.get("credentialSubject") if isinstance(data, dict) else None
    _names(subject if subject is not None else data, facts, f"Identity ({SOURCE})")


def _signature(cose: Any, facts: Facts, label: str = f"Signed by ({SOURCE})") -> None:
    """The signer named in the first certificate of a COSE_Sign1 signature's x5chain (header 33)."""
    if not isinstance(cose, list) or len(cose) < 2:
        return
    headers: list[Any] = [cose[1]]
    if isinstance(cose[0], bytes) and len(cose[0]) <= MAX_PART:
        with contextlib.suppress(cbor.CborError):
            headers.insert(0, cbor.loads(cose[0]))
    for header in headers:
        chain = header.get(33) if isinstance(header, dict) else None
        first = chain[0] if isinstance(chain, list) and chain else chain
        if isinstance(first, bytes):
            facts.add("image.author", label, certificate_subject(first))
            return


_NAME_OIDS = {
    bytes.fromhex("550403"): "name",
    bytes.fromhex("55040a"): "organisation",
    bytes.fromhex("55040b"): "unit",
    bytes.fromhex("550407"): "town",
    bytes.fromhex("550408"): "region",
    bytes.fromhex("550406"): "country",
    bytes.fromhex("2a864886f70d010901"): "email",
}


def _tlv(data: bytes, pos: int, end: int) -> tuple[int, int, int]:
    """(tag, content start, content end) of the DER item at pos."""
    if pos + 2 > end:
        raise JumbfError("certificate cut short")
    tag, length = data[pos], data[pos + 1]
    start = pos + 2
    if length & 0x80:
        n = length & 0x7F
        if not 1 <= n <= 4 or start + n > end:
            raise JumbfError("bad certificate length")
        length, start = int.from_bytes(data[start : start + n], "big"), start + n
    if start + length > end:
        raise JumbfError("certificate cut short")
    return tag, start, start + length


def certificate_subject(der: bytes) -> str | None:
    """The subject of an X.509 certificate (DER) as plain words: name, organisation, town, country, e-mail."""
    try:
        _, s, e = _tlv(der, 0, len(der))  # Certificate
        _, s, e = _tlv(der, s, e)  # TBSCertificate
        fields: list[tuple[int, int, int]] = []
        pos = s
        while pos < e and len(fields) < 7:
            tag, cs, ce = _tlv(der, pos, e)
            fields.append((tag, cs, ce))
            pos = ce
        if fields and fields[0][0] == 0xA0:
            fields = fields[1:]  # the version
        if len(fields) < 5:
            return None
        _, s, e = fields[4]  # serial, signature algorithm, issuer, validity, subject
        parts: list[str] = []
        while s < e:
            _, set_s, set_e = _tlv(der, s, e)
            s = set_e
            _, seq_s, seq_e = _tlv(der, set_s, set_e)
            _, oid_s, oid_e = _tlv(der, seq_s, seq_e)
            _, val_s, val_e = _tlv(der, oid_e, seq_e)
            if der[oid_s:oid_e] in _NAME_OIDS and len(parts) < 8:
                parts.append(der[val_s:val_e].decode("utf-8", "replace"))
        return ", ".join(parts) or None
    except (JumbfError, IndexError):
        return None
