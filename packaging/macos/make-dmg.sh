#!/bin/sh
# dist/SafeSpace-VERSION.dmg from dist/SafeSpace.app (packaging/safespace.spec on macOS): the app, signed
# ad hoc (no Apple Developer ID: see packaging/README.md for notarisation), and a link to /Applications
# to drag it onto.
set -eu
cd "$(dirname "$0")/../.."
version=$1
app=dist/SafeSpace.app
[ -d "$app" ] || { echo "No $app: build it first" >&2; exit 1; }
# Ad-hoc signature over the whole bundle (PyInstaller signs each file; this seals the .app as one).
codesign --force --deep --sign - "$app"
codesign --verify --deep --strict --verbose=2 "$app"
stage=build/dmg
rm -rf "$stage" "dist/SafeSpace-$version.dmg"
mkdir -p "$stage"
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
hdiutil create -volname "SafeSpace $version" -srcfolder "$stage" -fs HFS+ -format UDZO -ov \
    "dist/SafeSpace-$version.dmg"
echo "Built dist/SafeSpace-$version.dmg"
