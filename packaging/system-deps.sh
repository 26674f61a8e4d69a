#!/bin/sh
# Installs what SafeSpace needs from outside Python, when this machine allows it: the libraries Qt loads,
# a font, exiftool (an independent second reader the tests use), and for the network lab tests iproute2 and
# avahi-daemon (a real mDNS peer, only ever started by the tests inside namespaces they make).
# Without an argument it never fails the build: the tests that need these tools skip with a clear reason.
# With the argument "venv": Python's venv module (Debian and Ubuntu ship it separately).
need=""
if [ "${1:-}" = venv ]; then
    version=$(python3 -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    need=" python3-venv python$version-venv"
else
    command -v exiftool >/dev/null 2>&1 || need="$need libimage-exiftool-perl"
    command -v ip >/dev/null 2>&1 || need="$need iproute2"
    command -v pdftotext >/dev/null 2>&1 || need="$need poppler-utils"  # reads exported PDFs back in tests
    command -v ffmpeg >/dev/null 2>&1 || need="$need ffmpeg"  # makes test videos and checks their frames
    command -v avahi-daemon >/dev/null 2>&1 || need="$need avahi-daemon"
    # What Qt's wheels load at run time (offscreen and on a desktop), and a font to draw text with.
    if command -v dpkg >/dev/null 2>&1; then
        # (libqxcb.so's own needs, from ldd: xcb-cursor, icccm, keysyms and xkbcommon-x11.)
        # `make package` also needs the Wayland plugin's libraries (to name them in the .deb's Depends),
        # and `make test-package` checks the menu entry and AppStream data (desktop-file-utils, appstream),
        # starts the installed app on a virtual screen (xvfb) and photographs it (x11-apps' xwd); objdump
        # (binutils) reads which C library version the bundle needs.
        for pkg in libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libxcb-cursor0 \
                   libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 \
                   fonts-dejavu-core \
                   libwayland-client0 libwayland-cursor0 libwayland-egl1 \
                   desktop-file-utils appstream xvfb x11-apps binutils; do
            # Installed means "install ok installed": a removed package can leave its config files behind.
            dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || need="$need $pkg"
        done
    fi
fi
[ -z "$need" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing:$need"
    # Packages must not start services (avahi-daemon would announce this machine on its real network):
    # a policy-rc.d that refuses every start, unless the machine already has one.
    guard=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && guard=1
    fi
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need) >/dev/null 2>&1
    ok=$?
    [ -n "$guard" ] && rm -f /usr/sbin/policy-rc.d
    if [ $ok -ne 0 ]; then echo "Could not install$need."; [ "${1:-}" = venv ] && exit 1; fi
    # If it was installed just now and systemd started it anyway (systemd ignores policy-rc.d), stop it.
    case "$need" in *avahi-daemon*)
        if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet avahi-daemon 2>/dev/null; then
            systemctl disable --now avahi-daemon.service avahi-daemon.socket >/dev/null 2>&1
        fi;;
    esac
else
    echo "Not installing$need (needs root and apt-get)."
    [ "${1:-}" = venv ] && exit 1
fi
exit 0
