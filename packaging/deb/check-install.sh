#!/usr/bin/env bash
# Install a built .deb on THIS machine, run the installed launcher, then remove and purge
# it and prove nothing is left behind (issue 7 "done means"). Root only; meant for a test
# machine or CI, and refuses to touch an existing installation.
#     sudo packaging/deb/check-install.sh dist/catalogsync-gui_VERSION_ARCH.deb
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 PACKAGE.deb" >&2; exit 2; }
deb=$(readlink -f "$1")
[ -f "$deb" ] || { echo "check-install: error: no such file $1" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "check-install: error: run as root (it installs the package)" >&2; exit 1; }
pkg=$(dpkg-deb -f "$deb" Package)
version=$(dpkg-deb -f "$deb" Version)
if dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -q installed; then
    echo "check-install: error: $pkg is already installed here; remove it first" >&2; exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "check-install: FAILED: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }
# Everything the package may create, found by name (includes the icon theme and systemd).
leftovers() {
    # find exits 1 for the folders this system lacks; only its output matters.
    find /opt /usr/bin /usr/share/applications /usr/share/icons/hicolor /usr/share/doc \
        /usr/lib/systemd /lib/systemd /etc/systemd /etc/catalogsync \
        -iname '*catalogsync*' -print 2>/dev/null | sort || true
}
leftovers > "$tmp/before"

start=$SECONDS
# apt resolves Depends (the Qt system libraries); dpkg -i alone would stop on a missing one.
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" >/dev/null \
    || fail "apt-get install $deb"
ok "installed $pkg $version in $((SECONDS - start)) s ($(du -sh /opt/catalogsync | cut -f1) in /opt/catalogsync)"

[ "$(command -v catalogsync-gui)" = /usr/bin/catalogsync-gui ] || fail "catalogsync-gui is not on PATH"
got=$(catalogsync-gui --version)
[ "$got" = "catalogsync-gui $version" ] || fail "--version printed '$got'"
ok "catalogsync-gui --version: $got"
HOME="$tmp/home" QT_QPA_PLATFORM=offscreen catalogsync-gui --db "$tmp/smoke.db" --smoke-test \
    || fail "--smoke-test of the installed launcher"
[ -f "$tmp/smoke.db" ] || fail "--smoke-test did not create its database"
ok "catalogsync-gui --smoke-test (offscreen, temp database)"
for path in /usr/share/applications/catalogsync-gui.desktop \
        /usr/share/icons/hicolor/256x256/apps/catalogsync-gui.png \
        /usr/share/icons/hicolor/scalable/apps/catalogsync-gui.svg \
        /usr/lib/systemd/system/catalogsync-headless@.service; do
    [ -f "$path" ] || fail "missing $path"
done
ok "desktop entry, icons and service unit in place"
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate /usr/share/applications/catalogsync-gui.desktop || fail "desktop entry"
    ok "desktop-file-validate"
fi
if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify /usr/lib/systemd/system/catalogsync-headless@.service \
        || fail "systemd-analyze verify of the unit"
    ok "systemd-analyze verify"
fi

dpkg -r "$pkg" >/dev/null || fail "dpkg -r"
[ ! -e /usr/bin/catalogsync-gui ] && [ ! -e /opt/catalogsync ] || fail "dpkg -r left the program"
ok "dpkg -r removed the program"
mkdir -p /etc/catalogsync && echo "CATALOGSYNC_DB=$tmp/x.db" > /etc/catalogsync/headless-root.env
dpkg --purge "$pkg" >/dev/null || fail "dpkg --purge"
leftovers > "$tmp/after"
if ! diff -u "$tmp/before" "$tmp/after"; then fail "files left behind (above)"; fi
dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -q installed && fail "$pkg still registered"
ok "dpkg --purge left nothing behind (/opt, /usr, icons, desktop file, systemd, /etc)"
