#!/bin/sh
# Installs the non-Python tools that the tests and benchmarks use, when this machine allows it.
# Never fails the build: without them the tests that need them skip with a clear reason.
need=""
command -v exiftool >/dev/null 2>&1 || need="$need libimage-exiftool-perl"
[ -z "$need" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing:$need"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need) >/dev/null 2>&1 \
        || echo "Could not install$need; tests that need it will be skipped."
else
    echo "Not installing$need (needs root and apt-get); tests that need it will be skipped."
fi
exit 0
