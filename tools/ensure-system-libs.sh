#!/usr/bin/env bash
# Qt's xcb/offscreen platform plugins need a few shared libraries that minimal Linux
# images lack, and the playlist-export tests want mpv. Install the missing ones with apt-get when we may (root, Debian/Ubuntu);
# otherwise name them so the user knows what to install.
set -u
[ "$(uname -s)" = Linux ] || exit 0
declare -A pkg_for=(
  [libGL.so.1]=libgl1 [libEGL.so.1]=libegl1 [libxkbcommon.so.0]=libxkbcommon0
  [libfontconfig.so.1]=libfontconfig1 [libdbus-1.so.3]=libdbus-1-3 [libglib-2.0.so.0]=libglib2.0-0
  [libxkbcommon-x11.so.0]=libxkbcommon-x11-0 [libxcb-cursor.so.0]=libxcb-cursor0
  [libxcb-icccm.so.4]=libxcb-icccm4 [libxcb-keysyms.so.1]=libxcb-keysyms1
  [libxcb-image.so.0]=libxcb-image0 [libxcb-render-util.so.0]=libxcb-render-util0
  [libxcb-randr.so.0]=libxcb-randr0 [libxcb-shape.so.0]=libxcb-shape0
  [libxcb-xkb.so.1]=libxcb-xkb1
)
missing=()
for lib in "${!pkg_for[@]}"; do
  ldconfig -p 2>/dev/null | grep -q "$lib" || missing+=("${pkg_for[$lib]}")
done
# A real player for the tests that read our exported .m3u8 files back (tests/support/players.py).
command -v mpv >/dev/null 2>&1 || missing+=(mpv)
# libfuse 3 and fusermount3 for the FUSE fault layer of the share tests (tests/support/faultfs.py).
ldconfig -p 2>/dev/null | grep -q libfuse3.so.3 || missing+=(libfuse3-3)
command -v fusermount3 >/dev/null 2>&1 || missing+=(fuse3)
# A PostgreSQL server for the second-engine tests (tests/support/postgres.py): Debian's
# postgresql, started below when it is installed but not running.
command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
start_postgres() {
  command -v pg_lsclusters >/dev/null 2>&1 || return 0
  [ "$(id -u)" = 0 ] || return 0
  pg_lsclusters --no-header 2>/dev/null | while read -r version cluster _port status _rest; do
    [ "$status" = online ] || pg_ctlcluster "$version" "$cluster" start >/dev/null 2>&1 || true
  done
}
# Only for a server installed by this script (a fresh CI or developer machine): the tests
# connect as postgres over 127.0.0.1 without a password, which Debian's default refuses.
trust_loopback() {
  for hba in /etc/postgresql/*/*/pg_hba.conf; do
    [ -f "$hba" ] || continue
    grep -q '^host[[:space:]]\+all[[:space:]]\+postgres[[:space:]]\+127.0.0.1/32[[:space:]]\+trust' "$hba" \
      || sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
  done
  pg_lsclusters --no-header 2>/dev/null | while read -r version cluster _rest; do
    pg_ctlcluster "$version" "$cluster" reload >/dev/null 2>&1 || true
  done
}
if [ ${#missing[@]} -eq 0 ]; then start_postgres; exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages: ${missing[*]}"
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || echo "warning: could not install ${missing[*]}; the window may not start" >&2
  start_postgres
  case " ${missing[*]} " in *" postgresql "*) trust_loopback ;; esac
else
  echo "warning: Qt needs these system packages: ${missing[*]} (install them with your package manager)" >&2
fi
exit 0
