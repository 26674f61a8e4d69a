"""Which guide a device's name points to ("Practice iPhone" is an iPhone), and which guide and version
describe the computer SafeSpace runs on. A guess only fills in the form: the person can change it."""

from __future__ import annotations

import platform
import re
import sys
from pathlib import Path

from checks.guides.loader import guides

# Most specific first: "Apple Account" before "iPhone", "Google Pixel" before "Google".
WORDS: list[tuple[str, str]] = [
    (r"apple\s*(id|account)|icloud", "apple-account"),
    (r"google\s*account|gmail", "google-account"),
    (r"microsoft\s*account|outlook|hotmail|live\.com", "microsoft-account"),
    (r"accounts\s*cent(er|re)|\bmeta\b", "meta-accounts-center"),
    (r"whats\s*app", "whatsapp"),
    (r"instagram|\binsta\b", "instagram"),
    (r"facebook|\bfb\b", "facebook"),
    (r"linked\s*in", "linkedin"),
    (r"twitter|\bx\b", "x"),
    (r"youtube", "youtube"),
    (r"tik\s*tok", "tiktok"),
    (r"snap\s*chat", "snapchat"),
    (r"threads", "threads"),
    (r"strava|garmin|fitbit|running|fitness", "strava"),
    (r"i\s*phone|i\s*pad|\bios\b", "ios"),
    (r"mac\s*book|\bi?mac\b|mac\s*mini|mac\s*studio", "macos"),
    (r"android|pixel|samsung|galaxy|one\s*plus|motorola|xiaomi|\boppo\b|nokia", "android"),
    (r"windows|surface|\bpc\b|thinkpad", "windows"),
    (r"linux|ubuntu|debian|fedora|gnome", "linux"),
]
COMPUTER = re.compile(r"laptop|computer|desktop|notebook", re.IGNORECASE)


def this_system() -> str | None:
    """The guide for the computer SafeSpace runs on."""
    return {"win32": "windows", "darwin": "macos", "linux": "linux"}.get(sys.platform)


def guess(name: str, system: str | None = None) -> str | None:
    """The guide a device's name points to, or None. A plain "laptop" is taken to be this computer."""
    for pattern, guide_id in WORDS:
        if re.search(pattern, name, re.IGNORECASE) and guide_id in guides():
            return guide_id
    if COMPUTER.search(name):
        return system if system in guides() else None
    return None


def _os_release(path: Path = Path("/etc/os-release")) -> dict[str, str]:
    try:
        text = path.read_text("utf-8", errors="replace")
    except OSError:
        return {}
    pairs = (line.split("=", 1) for line in text.splitlines() if "=" in line)
    return {k.strip(): v.strip().strip('"') for k, v in pairs}


def this_version(guide_id: str, os_release: Path = Path("/etc/os-release")) -> str | None:
    """The guide's name for this computer's system version, when it is one the guide lists."""
    g = guides().get(guide_id)
    if g is None:
        return None
    if guide_id == "linux":
        info = _os_release(os_release)
        wanted = f"{info.get('NAME', '').split()[0] if info.get('NAME') else ''} {info.get('VERSION_ID', '')}"
    elif guide_id == "windows":
        build = platform.version().rsplit(".", 1)[-1] if sys.platform == "win32" else ""
        wanted = {"26200": "Windows 11 25H2", "26100": "Windows 11 24H2"}.get(build, "")
    elif guide_id == "macos":
        wanted = f"macOS {platform.mac_ver()[0].split('.')[0]}" if sys.platform == "darwin" else ""
    else:
        return None
    wanted = wanted.strip()
    fits = [v for v in g.versions if wanted and (v == wanted or v.startswith(wanted + " "))]
    return fits[0] if fits else None
