"""Puts what was found in an image into plain words: one finding per kind of thing it gives away.

Titles are one-line verdicts; details say how it could identify or trace a client, then what to do.
"""

from __future__ import annotations

import re

from checks.images.facts import Facts, Gps
from checks.model import Finding, Severity

ACTION = "Make a safe copy before you share it."
LOCATION, PEOPLE, DEVICE, TIME, HIDDEN = "location", "people", "device", "time", "hidden"
# Categories in the order a person reads them, with a heading for each.
CATEGORIES = {
    LOCATION: "Where it was taken",
    PEOPLE: "Who took it or is in it",
    DEVICE: "What took it",
    TIME: "When it was taken",
    HIDDEN: "Hidden content",
}
# Finding ids that a clean copy may still hold (the colour profile, when kept).
KEPT_WHEN_ICC = {"image.icc"}


def _quote(values: list[str], limit: int = 3) -> str:
    shown = ", ".join(f"“{v}”" for v in values[:limit])
    more = len(values) - limit
    return shown + (f" and {more} more" if more > 0 else "")


_NOTICE_WORDS = re.compile(r"copyright|all rights reserved|rights reserved|\(c\)|©|\bby\b", re.I)


def names_someone(value: str) -> bool:
    """Whether a credit or copyright value holds more than a notice and years ("Copyright 2002" does not)."""
    rest = _NOTICE_WORDS.sub(" ", value)
    return sum(ch.isalpha() for ch in rest) >= 2


def precision_words(metres: float | None) -> str:
    """'to within about 10 metres' style words for a position's precision."""
    if metres is None:
        return "precisely"
    metres = max(metres, 10.0)  # phone and camera GPS is rarely better than this
    if metres < 1000:
        step = 10 if metres < 100 else 50
        return f"to within about {int(round(metres / step) * step)} metres"
    return (
        f"to within about {round(metres / 1000):g} km"
        if metres < 20_000
        else "roughly (to the nearest town or region)"
    )


def _fields(facts: Facts, fid: str) -> dict:
    return {"fields": [{"name": label, "value": value} for label, value in facts.fields.get(fid, [])]}


def build(facts: Facts) -> list[Finding]:
    """All findings for one image, in reading order (location, people, device, time, hidden)."""
    out: list[Finding] = []
    add = out.append

    def simple(fid: str, category: str, severity: Severity, title: str, detail: str) -> None:
        if facts.fields.get(fid):
            add(Finding(fid, category, severity, title, detail, _fields(facts, fid)))

    if facts.gps is not None:
        add(_gps_finding(facts.gps, facts))
    elif facts.gps_empty or facts.fields.get("image.gps_detail"):
        add(
            Finding(
                "image.gps_empty",
                LOCATION,
                Severity.LOW,
                "Has location fields, but no position",
                "The location fields are there but hold no usable position. They are removed with the rest. "
                + ACTION,
                _fields(facts, "image.gps_detail"),
            )
        )
    places = facts.values("image.place")
    if places:
        precise = any(
            ("Sub-location" in label or "address" in label or "City" in label or "city" in label)
            for label, _ in facts.fields["image.place"]
        )
        add(
            Finding(
                "image.place",
                LOCATION,
                Severity.HIGH if precise else Severity.MEDIUM,
                f"Names a place: {_quote(places)}",
                "Place names are written into the photo details. They can lead someone to your practice, "
                "a school or a client's home. " + ACTION,
                _fields(facts, "image.place"),
            )
        )

    owners = facts.values("image.owner")
    if owners:
        add(
            Finding(
                "image.owner",
                PEOPLE,
                Severity.HIGH,
                f"Names the camera's owner: {_quote(owners)}",
                "A stranger can connect this photo to you, and through you to your clients. " + ACTION,
                _fields(facts, "image.owner"),
            )
        )
    authors = facts.fields.get("image.author", [])
    named = [(label, v) for label, v in authors if names_someone(v)]
    if named:
        add(
            Finding(
                "image.author",
                PEOPLE,
                Severity.HIGH,
                f"Names a person: {_quote(list(dict.fromkeys(v for _, v in named)))}",
                "A name, credit or contact detail is written into the photo. It can connect the photo to "
                "you, or to a client. " + ACTION,
                {"fields": [{"name": label, "value": v} for label, v in named]},
            )
        )
    notices = [(label, v) for label, v in authors if not names_someone(v)]
    if notices:
        add(
            Finding(
                "image.copyright",
                PEOPLE,
                Severity.LOW,
                f"Has a copyright notice that names no one: {_quote([v for _, v in notices], 1)}",
                "It holds no name, but it is hidden in the file like the rest, and a safe copy leaves it "
                "out.",
                {"fields": [{"name": label, "value": v} for label, v in notices]},
            )
        )
    simple(
        "image.faces",
        PEOPLE,
        Severity.HIGH,
        f"Names people shown in the picture: {_quote(facts.values('image.faces'))}",
        "Someone tagged faces in this photo with names, and the names travel with the file. " + ACTION,
    )
    simple(
        "image.caption",
        PEOPLE,
        Severity.MEDIUM,
        f"Has a title or caption: {_quote(facts.values('image.caption'), 1)}",
        "Titles and captions often name people, places or events. " + ACTION,
    )
    simple(
        "image.keywords",
        PEOPLE,
        Severity.MEDIUM,
        f"Has keywords: {_quote(facts.values('image.keywords'), 5)}",
        "Keywords often name people, places or events. " + ACTION,
    )

    simple(
        "image.serial",
        DEVICE,
        Severity.HIGH,
        "Holds the camera's serial number",
        "A serial number links every photo from this camera, including ones shared elsewhere, and can be "
        "traced back to whoever bought it. " + ACTION,
    )
    # Phones write their model as the "computer name"; that names a model, not a person.
    models = set(facts.values("image.camera"))
    computers = [(label, v) for label, v in facts.fields.get("image.computer", []) if v not in models]
    if computers:
        add(
            Finding(
                "image.computer",
                DEVICE,
                Severity.MEDIUM,
                f"Names the computer it was made on: {_quote([v for _, v in computers])}",
                "Computer names often include their owner's name. " + ACTION,
                {"fields": [{"name": label, "value": v} for label, v in computers]},
            )
        )
    simple(
        "image.unique_id",
        DEVICE,
        Severity.MEDIUM,
        "Has a unique ID",
        "A unique ID can link this copy to the original and to other copies shared elsewhere. " + ACTION,
    )
    simple(
        "image.camera",
        DEVICE,
        Severity.LOW,
        f"Names the camera: {_quote(facts.values('image.camera'), 2)}",
        "The camera or phone model narrows down who could have taken the photo.",
    )
    simple(
        "image.software",
        DEVICE,
        Severity.LOW,
        f"Names the software used: {_quote(facts.values('image.software'), 2)}",
        "The app or program used can narrow down who made or edited the photo.",
    )
    if facts.makernote:
        maker = "" if facts.makernote == "unknown" else f" ({facts.makernote})"
        add(
            Finding(
                "image.makernote",
                DEVICE,
                Severity.LOW,
                f"Has the camera maker's private data{maker}",
                "Camera makers store extra data in photos that can include serial numbers, settings and "
                "small preview pictures.",
                {"maker": facts.makernote},
            )
        )

    times = facts.fields.get("image.time", [])
    if times:
        taken = next((v for label, v in times if label.startswith("Taken")), times[0][1])
        add(
            Finding(
                "image.time",
                TIME,
                Severity.MEDIUM,
                f"Shows when it was taken: {taken}",
                "A date and time can connect the photo to a session or an appointment. " + ACTION,
                _fields(facts, "image.time"),
            )
        )

    _hidden(facts, add)
    return out


def _gps_finding(gps: Gps, facts: Facts) -> Finding:
    where = f"{gps.latitude:.5f}, {gps.longitude:.5f}"
    words = precision_words(gps.precision_m)
    data = {
        "latitude": gps.latitude,
        "longitude": gps.longitude,
        "altitude": gps.altitude,
        "precision_m": round(gps.precision_m, 1) if gps.precision_m is not None else None,
        "source": gps.source,
        "time": gps.time,
        **_fields(facts, "image.gps_detail"),
    }
    return Finding(
        "image.gps",
        LOCATION,
        Severity.HIGH,
        "Shows where it was taken",
        f"The photo holds its position ({where}), {words}. Anyone who gets the file can find the "
        "place: your practice, a school, a client's home. " + ACTION,
        data,
    )


def _hidden(facts: Facts, add) -> None:
    if facts.trailer_bytes and facts.trailer_kinds != ["padding"]:
        kinds = facts.trailer_kinds
        if "video" in kinds:
            seconds = f"{facts.video_seconds:.0f}-second " if facts.video_seconds else "short "
            title, sev = f"Has a {seconds}video hidden with the photo", Severity.HIGH
            detail = (
                "This is a “motion photo”: a few seconds of video, often with sound, are stored with the "
                "picture. They can show and let you hear more than the photo does. "
            )
            if any(label == "Position of its video" for label, _ in facts.fields.get("image.gps_detail", [])):
                detail += "The video has its own location too. "
        elif "picture remains" in kinds:
            title, sev = "Has part of an earlier picture hidden after this one", Severity.HIGH
            detail = (
                "Some editors save a cropped picture over the original without removing the rest, so "
                "part of the uncropped original can be recovered. "
            )
        elif "pictures" in kinds:
            title, sev = "Has more pictures hidden after the photo", Severity.MEDIUM
            detail = "Extra pictures (previews or versions of the photo) are stored after the picture. "
        else:
            title, sev = "Has hidden data after the picture", Severity.MEDIUM
            detail = "Data is stored after the end of the picture. It may hold anything the app put there. "
        add(
            Finding(
                "image.trailer",
                HIDDEN,
                sev,
                title,
                detail + ACTION,
                {"bytes": facts.trailer_bytes, "kinds": kinds},
            )
        )
    if facts.c2pa:
        add(
            Finding(
                "image.c2pa",
                HIDDEN,
                Severity.HIGH,
                "Has Content Credentials",
                "A signed record of who made or edited the picture. It can hold names, places and an "
                "earlier version of the picture. " + ACTION,
                _fields(facts, "image.c2pa"),
            )
        )
    if facts.thumbnails:
        add(
            Finding(
                "image.thumbnail",
                HIDDEN,
                Severity.MEDIUM,
                "Holds a small preview picture",
                "Editing programs often leave the preview as it was, so it can show what you cropped out or "
                "covered up. " + ACTION,
                {"previews": facts.thumbnails},
            )
        )
    if facts.extra_images:
        add(
            Finding(
                "image.extra_images",
                HIDDEN,
                Severity.MEDIUM,
                "Holds extra pictures inside the file",
                "Besides the main picture, the file stores other pictures (such as versions for bright "
                "screens, depth maps or previews). " + ACTION,
                {"pictures": facts.extra_images},
            )
        )
    comments = facts.values("image.comment")
    if comments:
        add(
            Finding(
                "image.comment",
                HIDDEN,
                Severity.MEDIUM,
                f"Has a hidden comment: {_quote(comments, 1)}",
                "Comments are hidden from view but travel with the file, and may say anything. " + ACTION,
                _fields(facts, "image.comment"),
            )
        )
    if facts.fields.get("image.text"):
        add(
            Finding(
                "image.text",
                HIDDEN,
                Severity.MEDIUM,
                "Has hidden text notes",
                "Programs can store text notes in a picture, such as settings, prompts or names. " + ACTION,
                _fields(facts, "image.text"),
            )
        )
    other = []
    if facts.exif_entries:
        other.append(f"camera details ({facts.exif_entries})")
    if facts.xmp_entries:
        other.append(f"editing details ({facts.xmp_entries})")
    if facts.iptc_entries:
        other.append(f"press details ({facts.iptc_entries})")
    if other:
        add(
            Finding(
                "image.details",
                HIDDEN,
                Severity.LOW,
                "Has other hidden photo details",
                "Settings, edit history and other details written by the camera or editing programs. Most "
                "are harmless on their own, but together they can single out a photo.",
                {"blocks": other},
            )
        )
    if facts.unknown:
        add(
            Finding(
                "image.unknown",
                HIDDEN,
                Severity.LOW,
                "Has hidden data SafeSpace does not recognise",
                "It may hold anything the camera or an app put there. " + ACTION,
                {"blocks": sorted(set(facts.unknown))},
            )
        )
    if facts.icc is not None:
        from checks.images import icc

        add(icc.profile_finding(facts.icc))
    elif facts.icc_description:
        add(
            Finding(
                "image.icc",
                HIDDEN,
                Severity.INFO,
                f"Has a colour profile: “{facts.icc_description}”",
                "It keeps colours right on screen. Safe copies keep its colours and leave out its text.",
                {"name": facts.icc_description},
            )
        )
