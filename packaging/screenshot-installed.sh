#!/bin/sh
# On this machine, for real: installs dist/safespace_*.deb with apt, starts /usr/bin/safespace on a virtual
# X screen (Xvfb, the xcb platform as on a desktop), photographs the screen to OUT (default
# build/installed.png) with Qt's own screen grab, then removes the package with apt and checks that its
# files went and the saved data stayed. Root only; it changes this system, so `make test-package` never
# runs it (CI would leave its machine changed): run it by hand to see the installed app.
set -eu
cd "$(dirname "$0")/.."
out=$(readlink -f "${1:-build/installed.png}")
deb=$(readlink -f "$(ls dist/safespace_*.deb | head -1)")
[ "$(id -u)" = 0 ] || { echo "Needs root (apt install)" >&2; exit 1; }
if dpkg-query -W -f='${Status}' safespace 2>/dev/null | grep -q "ok installed"; then
    echo "SafeSpace is already installed here: not touching it" >&2; exit 1
fi
home=$(mktemp -d /tmp/safespace-shot-XXXXXX)
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >/dev/null
display=:$((70 + $$ % 200))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 2
env -u QT_QPA_PLATFORM -u WAYLAND_DISPLAY DISPLAY="$display" SAFESPACE_HOME="$home" /usr/bin/safespace \
    >"$home/app.log" 2>&1 &
app=$!
sleep 8
DISPLAY="$display" QT_QPA_PLATFORM=xcb build/pkgvenv/bin/python -c '
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication([])
sys.exit(0 if app.primaryScreen().grabWindow(0).save(sys.argv[1]) else 1)' "$out"
running=no; kill -0 $app 2>/dev/null && running=yes
kill $app 2>/dev/null || true
kill $xvfb
DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq safespace >/dev/null 2>&1
echo "Screenshot: $out (app still running after 8 s: $running)"
grep -q Traceback "$home/app.log" && { echo "The app printed a traceback:"; cat "$home/app.log"; exit 1; }
[ ! -e /opt/safespace ] && [ ! -e /usr/bin/safespace ] && echo "Removed: /opt/safespace and /usr/bin/safespace are gone"
[ -s "$home/data/safespace.db" ] && echo "The saved data stayed: $home/data/safespace.db"
[ $running = yes ]
