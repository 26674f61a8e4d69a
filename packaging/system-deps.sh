#!/bin/sh
# Installs the non-Python tools that the tests and benchmarks use, when this machine allows it.
# Without an argument it never fails the build: the tests that need these tools skip with a clear reason.
# With the argument "venv": Python's venv module (Debian and Ubuntu ship it separately).
need=""
if [ "${1:-}" = venv ]; then
    version=$(python3 -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    need=" python3-venv python$version-venv"
else
    command -v exiftool >/dev/null 2>&1 || need="$need libimage-exiftool-perl"
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
