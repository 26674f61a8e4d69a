"""A video's facts in plain words: the picture report's findings, said of a video, plus its tracks."""

from __future__ import annotations

from checks.images import findings as picture
from checks.model import Finding, Severity
from checks.video.movie import Movie

ACTION = "Make a safe copy before you share it."
_WORDS = {"photo": "video", "picture": "video", "Photo": "Video"}
# Kinds of tracks that are not picture or sound, in words.
TRACKS = {
    b"meta": "a track of timed details (on phones, often the place, second by second)",
    b"mebx": "a track of timed details (on phones, often the place, second by second)",
    b"gpmd": "a GoPro track of GPS positions and motion readings",
    b"camm": "a track of camera motion readings",
    b"tmcd": "a time code track",
    b"text": "a text track (such as chapters or captions)",
    b"sbtl": "a subtitle track",
    b"subt": "a subtitle track",
    b"hint": "a streaming hint track",
}


def _said_of_video(f: Finding) -> Finding:
    title, detail = f.title, f.detail
    for a, b in _WORDS.items():
        title, detail = title.replace(a, b), detail.replace(a, b)
    return Finding("video." + f.id.split(".", 1)[1], f.category, f.severity, title, detail, f.data)


def build(movie: Movie) -> list[Finding]:
    out = [_said_of_video(f) for f in picture.build(movie.facts)]
    extra = [t for t in movie.tracks if not t.kept]
    for track in extra:
        kind = track.entries[0] if track.entries else track.handler
        words = TRACKS.get(kind) or TRACKS.get(track.handler) or "a track that is not picture or sound"
        location = any("location" in k.lower() for k in track.keys) or kind == b"gpmd"
        out.append(
            Finding(
                "video.track",
                picture.LOCATION if location else picture.HIDDEN,
                Severity.HIGH if location else Severity.MEDIUM,
                "Has a track of where it was recorded, moment by moment" if location else f"Has {words}",
                (
                    "Besides the picture and sound, the video carries a stream of readings. "
                    + (
                        "These ones are positions: anyone with the file can follow where it was recorded. "
                        if location
                        else "It may hold the place, the device or other details. "
                    )
                    + ACTION
                ),
                {
                    "handler": track.handler.decode("latin-1"),
                    "entry": kind.decode("latin-1"),
                    "keys": track.keys,
                },
            )
        )
    return out
