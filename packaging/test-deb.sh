#!/bin/sh
# Installs dist/safespace_*.deb into an empty root with dpkg (never into this machine's own /), checks the
# files a desktop needs (the menu entry with desktop-file-validate, the AppStream data with appstreamcli,
# the icons, /usr/bin/safespace), runs the smoke test with the installed executable, then removes the
# package and checks that only its own files went: what the user saved stays.
set -eu
cd "$(dirname "$0")/.."
deb=$(ls dist/safespace_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { echo "No .deb in dist/: run make package" >&2; exit 1; }
root=$(mktemp -d /tmp/safespace-deb-XXXXXX)
trap 'rm -rf "$root"' EXIT
fail=0
passed=0
ok() { echo "ok    $1"; passed=$((passed + 1)); }
bad() { echo "FAIL  $1"; fail=$((fail + 1)); }

mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/home/user/.local/share/safespace"
touch "$root/var/lib/dpkg/status"
echo "kept" > "$root/home/user/.local/share/safespace/user-data-marker"
# The root has no other packages: its Depends are checked by `apt install` on a real system, not here.
dpkg --root="$root" --log=/dev/null --force-depends --force-script-chrootless -i "$deb" >/dev/null 2>&1 \
    && ok "dpkg installed $deb into $root" || bad "dpkg could not install $deb"

id=org.safespace.SafeSpace
[ -x "$root/opt/safespace/safespace" ] && ok "/opt/safespace/safespace is there" || bad "no /opt/safespace/safespace"
[ "$(readlink "$root/usr/bin/safespace")" = /opt/safespace/safespace ] \
    && ok "/usr/bin/safespace links to /opt/safespace/safespace" || bad "/usr/bin/safespace is not the link"
for f in "usr/share/applications/$id.desktop" "usr/share/metainfo/$id.metainfo.xml" \
         "usr/share/icons/hicolor/scalable/apps/$id.svg" "usr/share/icons/hicolor/48x48/apps/$id.png"; do
    [ -s "$root/$f" ] && ok "/$f is there" || bad "no /$f"
done
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$root/usr/share/applications/$id.desktop" \
        && ok "desktop-file-validate accepts the menu entry" || bad "desktop-file-validate refused the menu entry"
else
    echo "skip  desktop-file-validate is not installed (apt install desktop-file-utils)"
fi
if command -v appstreamcli >/dev/null; then
    # --no-net: the validator would otherwise fetch the URLs it finds
    appstreamcli validate --no-net --explain "$root/usr/share/metainfo/$id.metainfo.xml" \
        && ok "appstreamcli validates the AppStream data" || bad "appstreamcli refused the AppStream data"
else
    echo "skip  appstreamcli is not installed (apt install appstream)"
fi
grep -q "^Exec=safespace$" "$root/usr/share/applications/$id.desktop" && ok "the menu entry starts safespace" \
    || bad "the menu entry's Exec is not safespace"

# The installed app, started through a link as /usr/bin/safespace is (that one points outside this root):
# the bundle must find its folder from the link.
ln -s "$root$(readlink "$root/usr/bin/safespace")" "$root/safespace-link"
build/pkgvenv/bin/python packaging/smoke_test.py "$root/safespace-link" && ok "the installed app passed the smoke test" \
    || bad "the installed app's smoke test"
rm "$root/safespace-link"

dpkg --root="$root" --log=/dev/null --force-script-chrootless --purge safespace >/dev/null 2>&1 \
    && ok "dpkg removed the package" || bad "dpkg could not remove the package"
[ ! -e "$root/opt/safespace" ] && [ ! -L "$root/usr/bin/safespace" ] \
    && [ ! -e "$root/usr/share/applications/$id.desktop" ] && ok "its files are gone" || bad "files were left behind"
[ "$(cat "$root/home/user/.local/share/safespace/user-data-marker")" = kept ] \
    && ok "the user's data is untouched" || bad "the user's data was touched"
left=$(find "$root" -mindepth 1 -not -path "$root/var/lib/dpkg*" -not -path "$root/home*" -type f | head -5)
[ -z "$left" ] && ok "nothing else is left in the root" || bad "left behind: $left"
[ $fail = 0 ] && echo "The .deb installs, runs and removes cleanly." || echo "The .deb failed a check."
echo "package: $passed passed, $fail failed"
[ $fail = 0 ]
