#!/bin/sh
# Wraps the frozen bundle (dist/SafeSpace/, from `make package`) as dist/safespace_VERSION_ARCH.deb:
#   /opt/safespace/            the bundle (it carries its own Python, Qt and libraries)
#   /usr/bin/safespace         a link to it, so `safespace` works in a terminal
#   /usr/share/applications/   the menu entry; /usr/share/icons/hicolor/ its icon; /usr/share/metainfo/ the
#                              AppStream description software centres show
# No maintainer scripts: the desktop's menu and icon caches are refreshed by dpkg triggers, and removing
# the package removes only these files, never what the user saved (in ~/.config and ~/.local/share).
# Its Depends are the system packages whose libraries the bundle loads but does not carry (ldd's answer).
set -eu
cd "$(dirname "$0")/.."
bundle=dist/SafeSpace
version=$(build/pkgvenv/bin/python -c 'from importlib.metadata import version; print(version("safespace"))')
arch=$(dpkg --print-architecture)
deb="dist/safespace_${version}_${arch}.deb"
stage=build/deb
icons=build/icons
[ -x "$bundle/safespace" ] || { echo "No bundle in $bundle: run make package" >&2; exit 1; }

rm -rf "$stage" "$deb"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
         "$stage/usr/share/metainfo" "$stage/usr/share/doc/safespace"
cp -a "$bundle" "$stage/opt/safespace"
ln -s /opt/safespace/safespace "$stage/usr/bin/safespace"
id=org.safespace.SafeSpace
install -m 644 packaging/linux/$id.desktop "$stage/usr/share/applications/$id.desktop"
sed -e "s/@VERSION@/$version/" -e "s/@DATE@/$(date -u +%Y-%m-%d)/" packaging/linux/$id.metainfo.xml \
    > "$stage/usr/share/metainfo/$id.metainfo.xml"
chmod 644 "$stage/usr/share/metainfo/$id.metainfo.xml"
for size in 16 22 24 32 48 64 128 256 512; do
    mkdir -p "$stage/usr/share/icons/hicolor/${size}x${size}/apps"
    install -m 644 "$icons/safespace-$size.png" "$stage/usr/share/icons/hicolor/${size}x${size}/apps/$id.png"
done
mkdir -p "$stage/usr/share/icons/hicolor/scalable/apps"
install -m 644 resources/icons/safespace.svg "$stage/usr/share/icons/hicolor/scalable/apps/$id.svg"
cat > "$stage/usr/share/doc/safespace/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: SafeSpace
License: GPL-3.0-or-later
Comment: /opt/safespace/_internal holds Python, Qt (PySide6, LGPL-3.0) and the other libraries SafeSpace
 runs on, each under its own licence (their licence files are beside them there where they ship one).
 On Debian systems the GPL version 3 is in /usr/share/common-licenses/GPL-3.
COPYRIGHT

# Libraries the bundle's own files load from the system: the bundle's folders come first, as when it runs.
libdirs="$stage/opt/safespace/_internal:$stage/opt/safespace/_internal/PySide6/Qt/lib"
find "$stage/opt/safespace" -type f \( -name '*.so*' -o -name safespace \) -print \
    | while read -r f; do LD_LIBRARY_PATH="$libdirs" ldd "$f" 2>/dev/null || true; done \
    > build/deb-ldd.txt
awk '$2 == "=>" && $3 ~ /^\// { print $3 }' build/deb-ldd.txt | sort -u | grep -v "^$PWD/$stage/" > build/deb-libs.txt
unknown=$(awk '/not found/ { print $1 }' build/deb-ldd.txt | sort -u | paste -sd' ' -)
if [ -n "$unknown" ]; then  # its package could not be named: install it here (packaging/system-deps.sh)
    echo "The bundle loads $unknown, which this machine does not have: run sh packaging/system-deps.sh" >&2
    exit 1
fi
depends=$(while read -r lib; do
        real=$(readlink -f "$lib")
        for path in "$lib" "$real" "/usr$lib" "/usr$real"; do
            dpkg -S "$path" 2>/dev/null && break
        done
    done < build/deb-libs.txt | cut -d: -f1 | sort -u | paste -sd, - | sed 's/,/, /g')
[ -n "$depends" ] || { echo "Could not work out the bundle's system libraries" >&2; exit 1; }
# The C library: at least the newest symbol version any of the bundle's files asks for.
glibc=$(find "$stage/opt/safespace" -type f \( -name '*.so*' -o -name safespace \) -exec objdump -T {} + 2>/dev/null \
    | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
depends=$(echo "$depends" | sed "s/libc6/libc6 (>= $glibc)/")

cat > "$stage/DEBIAN/control" <<CONTROL
Package: safespace
Version: $version
Architecture: $arch
Maintainer: The SafeSpace developers <safespace@users.noreply.github.com>
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: $depends
Section: utils
Priority: optional
Description: keep counselling and therapy clients untraceable
 SafeSpace helps counsellors, psychotherapists and psychologists keep their
 clients untraceable: it shows what a photo gives away and makes verified clean
 copies to share, checks a room and this computer for what could listen, watch
 or identify someone, and guides through the privacy settings of phones,
 computers and accounts. It sends nothing to the internet.
CONTROL

# gzip: every dpkg reads it, and it takes seconds (xz took minutes on two cores for no real gain).
dpkg-deb --root-owner-group -Zgzip -z6 --build "$stage" "$deb" >/dev/null
echo "Built $deb ($(du -h "$deb" | cut -f1)); it depends on: $depends"
