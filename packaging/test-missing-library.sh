#!/bin/sh
# The frozen app on a computer that lacks a library its window needs: it must name the Debian package to
# install and exit, not abort in Qt. The library is hidden for real: in a private mount namespace (root
# only, nothing outside this command sees it), /dev/null is mounted over both the bundle's copy and the
# system's, so loading it fails as on a computer without it.
#     sh packaging/test-missing-library.sh dist/SafeSpace/safespace
set -u
exe=$(readlink -f "$1")
internal="$(dirname "$exe")/_internal"
if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null; then
    echo "skip  hiding a library needs root and unshare"
    exit 0
fi
fail=0
for pair in libxcb-cursor.so.0:libxcb-cursor0 libEGL.so.1:libegl1; do
    lib=${pair%%:*}
    pkg=${pair#*:}
    copies=$(ls "$internal/$lib" /lib/*/"$lib" /usr/lib/*/"$lib" 2>/dev/null | xargs -r readlink -f | sort -u)
    # A display that does not exist: were the check to miss, Qt would abort on it rather than hang.
    err=$(env -u QT_QPA_PLATFORM -u WAYLAND_DISPLAY DISPLAY=:437 SAFESPACE_HOME=/tmp/safespace-missing-lib \
        unshare --mount --propagation private sh -c '
            for f in $1; do mount --bind /dev/null "$f" || exit 99; done
            exec "$2" </dev/null' sh "$copies" "$exe" 2>&1 >/dev/null)
    code=$?
    rm -rf /tmp/safespace-missing-lib
    if [ $code = 1 ] && echo "$err" | grep -q "sudo apt install.*$pkg" && ! echo "$err" | grep -q "Traceback\|Aborted"; then
        echo "ok    without $lib the app says: sudo apt install $pkg"
    else
        echo "FAIL  without $lib: exit $code, said: $err"
        fail=1
    fi
done
exit $fail
