#!/usr/bin/env bash
# Wrap the PyInstaller one-dir build into a .deb (dpkg-deb; no debhelper needed).
#     packaging/deb/build-deb.sh BUNDLE_DIR VERSION OUT_DIR
# Layout: /opt/catalogsync (the bundle), /usr/bin/catalogsync-gui (symlink; the
# PyInstaller launcher resolves it to find its _internal folder), the .desktop entry,
# hicolor icons, the headless service unit and the two user docs.
# DEB_COMPRESSION: zstd by default (xz takes minutes on 2 cores for ~160 MB; every dpkg
# that can run this bundle reads zstd, see the glibc note below); xz/gzip/none also work.
set -euo pipefail

usage() { echo "usage: $0 BUNDLE_DIR VERSION OUT_DIR" >&2; exit 2; }
[ $# -eq 3 ] || usage
bundle=$1 version=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ -x "$bundle/catalogsync-gui" ] || { echo "build-deb: error: no launcher in $bundle (run PyInstaller first)" >&2; exit 1; }
[[ $version =~ ^[0-9][0-9A-Za-z.+~-]*$ ]] || { echo "build-deb: error: '$version' is not a Debian version" >&2; exit 1; }
command -v dpkg-deb >/dev/null || { echo "build-deb: error: dpkg-deb not found (Debian/Ubuntu only)" >&2; exit 1; }

arch=$(dpkg --print-architecture)
mkdir -p "$out"
stage=$(mktemp -d "${TMPDIR:-/tmp}/catalogsync-deb.XXXXXX")
chmod 755 "$stage"  # mktemp makes it 0700; it becomes the package root "./"
trap 'rm -rf "$stage"' EXIT

install -d "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
    "$stage/usr/share/doc/catalogsync-gui" "$stage/usr/lib/systemd/system" "$stage/DEBIAN"
cp -a "$bundle" "$stage/opt/catalogsync"
ln -s /opt/catalogsync/catalogsync-gui "$stage/usr/bin/catalogsync-gui"
install -m 644 "$root/resources/catalogsync-gui.desktop" "$stage/usr/share/applications/"
for png in "$root"/resources/icons/catalogsync-gui-*.png; do
    size=${png##*-}; size=${size%.png}
    install -D -m 644 "$png" "$stage/usr/share/icons/hicolor/${size}x${size}/apps/catalogsync-gui.png"
done
install -D -m 644 "$root/resources/catalogsync-gui.svg" \
    "$stage/usr/share/icons/hicolor/scalable/apps/catalogsync-gui.svg"
install -m 644 "$here/../systemd/catalogsync-headless@.service" "$stage/usr/lib/systemd/system/"
install -m 644 "$root/docs/install.md" "$root/docs/headless-service.md" "$here/copyright" \
    "$stage/usr/share/doc/catalogsync-gui/"
install -m 755 "$here/prerm" "$here/postrm" "$stage/DEBIAN/"
# A bundle copied from a build tree may carry group/other write bits; dpkg installs as is.
chmod -R u+rwX,go+rX,go-w "$stage/opt" "$stage/usr"

installed_kib=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
# The bundle's Python and libraries were linked against this machine's glibc, so they
# need at least that version (a Debian 12 build needs glibc 2.36: Debian 12+, Ubuntu 24.04+).
glibc=$(getconf GNU_LIBC_VERSION | awk '{print $2}')
[[ $glibc =~ ^[0-9]+\.[0-9]+ ]] || { echo "build-deb: error: cannot tell the glibc version" >&2; exit 1; }
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$installed_kib/" \
    -e "s/@GLIBC@/$glibc/" "$here/control.in" > "$stage/DEBIAN/control"

deb="$out/catalogsync-gui_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Z"${DEB_COMPRESSION:-zstd}" --build "$stage" "$deb" >/dev/null
echo "$deb"
