#!/bin/sh
# Installs what SafeSpace needs from outside Python, when this machine allows it: the libraries Qt loads,
# a font, and exiftool (an independent second reader the tests use).
# Without an argument it never fails the build: the tests that need these tools skip with a clear reason.
# With the argument "venv": Python's venv module (Debian and Ubuntu ship it separately).
need=""
if [ "${1:-}" = venv ]; then
    version=$(python3 -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    need=" python3-venv python$version-venv"
else
    command -v exiftool >/dev/null 2>&1 || need="$need libimage-exiftool-perl"
    # What Qt's wheels load at run time (offscreen and on a desktop), and a font to draw text with.
    if command -v dpkg >/dev/null 2>&1; then
        # (libqxcb.so's own needs, from ldd: xcb-cursor, icccm, keysyms and xkbcommon-x11.)
        for pkg in libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libxcb-cursor0 \
                   libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 \
                   fonts-dejavu-core; do
            # Installed means "install ok installed": a removed package can leave its config files behind.
            dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || need="$need $pkg"
        done
    fi
fi
[ -z "$need" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing:$need"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need) >/dev/null 2>&1 \
        || { echo "Could not install$need."; [ "${1:-}" = venv ] && exit 1; }
else
    echo "Not installing$need (needs root and apt-get)."
    [ "${1:-}" = venv ] && exit 1
fi
exit 0
