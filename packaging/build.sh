#!/usr/bin/env bash
# `make package`: the PyInstaller one-dir build, the installer this
# OS can make (Linux .deb, macOS .dmg, Windows Inno Setup .exe), then a smoke test of the
# built program (--version, --smoke-test offscreen on a temp database). Prints sizes and
# times. Fails when the bundle misses one of our modules or carries what must not ship.
#
# Environment: PYTHON (default .venv/bin/python, with the `package` extra installed),
# DIST_DIR (default dist), WORK_DIR (default build/pyinstaller), DEB_COMPRESSION (zstd).
# Written for bash 3.2 too (macOS /bin/bash).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-.venv/bin/python}
dist=${DIST_DIR:-dist}
work=${WORK_DIR:-build/pyinstaller}
version=$("$PY" -c 'import catalogsync_gui; print(catalogsync_gui.__version__)')
tmp=$(mktemp -d "${TMPDIR:-/tmp}/catalogsync-package.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
summary=""

fail() { echo "package: error: $*" >&2; exit 1; }
note() { summary="$summary$(printf '  %-34s %s' "$1" "$2")"$'\n'; }
limited() { if command -v timeout >/dev/null; then timeout 180 "$@"; else "$@"; fi; }
size_of() { du -sh "$1" | cut -f1; }

case "$(uname -s)" in
    Darwin) bundle="$dist/CatalogSync.app"; program="$bundle/Contents/MacOS/catalogsync-gui" ;;
    MINGW*|MSYS*|CYGWIN*) bundle="$dist/catalogsync-gui"; program="$bundle/catalogsync-gui.exe" ;;
    *) bundle="$dist/catalogsync-gui"; program="$bundle/catalogsync-gui" ;;
esac

echo "== PyInstaller one-dir build of catalogsync-gui $version"
start=$SECONDS
"$PY" -m PyInstaller --noconfirm --log-level WARN --distpath "$dist" --workpath "$work" \
    packaging/catalogsync-gui.spec
note "one-dir build time" "$((SECONDS - start)) s"

echo "== checking the bundle"
# PyInstaller only warns when one of our modules cannot be analysed (a syntax error, a
# missing file); such a bundle starts and then fails on the first lazy import.
warnings="$work/catalogsync-gui/warn-catalogsync-gui.txt"
if grep -E "^(missing|invalid) module named '?catalogsync_gui" "$warnings"; then
    fail "PyInstaller could not bundle the modules above (see $warnings)"
fi
unwanted=$(find "$bundle" \( -iname 'musicdl*' -o -name '*Qt6Qml*' -o -name '*Qt6Quick*' \
    -o -name '*Qt6WebEngine*' -o -name '*Qt63D*' -o -name 'QtQml*' -o -name 'QtQuick*' \) \
    -print | head -5)
[ -z "$unwanted" ] || fail "the bundle carries what must not ship: $unwanted"
find "$bundle" -name 'catalogsync_gui_zh_CN.qm' | grep -q . \
    || fail "the bundle misses the window's Simplified Chinese translation (.qm)"
note "one-dir bundle" "$(size_of "$bundle")  $bundle"

echo "== smoke test of $program"
got=$(limited "$program" --version)
[ "$got" = "catalogsync-gui $version" ] || fail "--version printed '$got'"
mkdir -p "$tmp/home"
start=$SECONDS
HOME="$tmp/home" XDG_DATA_HOME="$tmp/home/data" XDG_CONFIG_HOME="$tmp/home/config" \
    QT_QPA_PLATFORM=offscreen limited "$program" --db "$tmp/smoke.db" --smoke-test \
    || fail "--smoke-test of the built program failed"
[ -f "$tmp/smoke.db" ] || fail "--smoke-test did not open the database $tmp/smoke.db"
note "smoke test (--version, --smoke-test)" "ok, $((SECONDS - start)) s"

start=$SECONDS
case "$(uname -s)" in
    Linux)
        if command -v dpkg-deb >/dev/null; then
            echo "== .deb"
            deb=$(packaging/deb/build-deb.sh "$bundle" "$version" "$dist")
            note "deb (build time, size)" "$((SECONDS - start)) s, $(size_of "$deb")  $deb"
        else
            echo "no dpkg-deb here: skipping the .deb (the one-dir build is in $bundle)"
        fi ;;
    Darwin)
        echo "== .dmg"
        mkdir "$tmp/dmg"
        cp -R "$bundle" "$tmp/dmg/"
        ln -s /Applications "$tmp/dmg/Applications"
        dmg="$dist/CatalogSync-$version.dmg"
        hdiutil create -volname "CatalogSync $version" -srcfolder "$tmp/dmg" -ov \
            -format UDZO "$dmg" >/dev/null
        note "dmg (build time, size)" "$((SECONDS - start)) s, $(size_of "$dmg")  $dmg" ;;
    MINGW*|MSYS*|CYGWIN*)
        iscc=$(command -v iscc || command -v ISCC.exe || true)
        [ -n "$iscc" ] || [ ! -x "/c/Program Files (x86)/Inno Setup 6/ISCC.exe" ] \
            || iscc="/c/Program Files (x86)/Inno Setup 6/ISCC.exe"
        if [ -n "$iscc" ]; then
            echo "== Inno Setup installer"
            "$iscc" /Qp "/DAppVersion=$version" "/DBundleDir=$(cygpath -w "$PWD/$bundle")" \
                "/O$(cygpath -w "$PWD/$dist")" "$(cygpath -w "$PWD/packaging/windows/catalogsync.iss")"
            setup="$dist/CatalogSync-$version-setup.exe"
            note "installer (build time, size)" "$((SECONDS - start)) s, $(size_of "$setup")  $setup"
        else
            echo "Inno Setup 6 (ISCC.exe) not found: skipping the installer (docs/install.md)"
        fi ;;
esac

echo "== package summary (catalogsync-gui $version)"
printf '%s' "$summary"
