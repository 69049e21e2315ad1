#!/usr/bin/env bash
# Regenerates the README screenshots with `--screenshot` on real demo data, never mock-ups.
# Each screenshot gets a fresh database: the demo source syncs its playlists, a hand-added
# playlist stays unsynced, download jobs are queued, and the window grabs itself while a
# download runs (it waits for live progress signals and some, not all, songs done).
# Usage: docs/screenshots/regenerate.sh   (from the repository root; runs offscreen)
set -euo pipefail
cd "$(dirname "$0")/../.."
APP=(.venv/bin/python -m catalogsync_gui)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export QT_QPA_PLATFORM=offscreen CATALOGSYNC_CONFIG_DIR="$WORK/config"

prepare() {  # prepare NAME: a synced demo database; sets DB, IDS and KITCHEN
  local dir="$WORK/$1"
  mkdir -p "$dir/library" "$dir/home"
  export HOME="$dir/home"
  DB=(--db "$dir/demo.db" --library "$dir/library")
  printf '#EXTM3U\n#EXTINF:200,Various - Kitchen Radio\nhttp://127.0.0.1:9/kitchen.mp3\n' \
    > "$dir/Kitchen Radio.m3u"
  "${APP[@]}" "${DB[@]}" enqueue sync_only >/dev/null
  "${APP[@]}" "${DB[@]}" --demo --headless --once 2>/dev/null
  IDS=($("${APP[@]}" "${DB[@]}" playlists list --json | .venv/bin/python -c \
    'import json,sys; print(*[p["id"] for p in json.load(sys.stdin)])'))
  KITCHEN=$("${APP[@]}" "${DB[@]}" playlists add "$dir/Kitchen Radio.m3u")
}

prepare tasks
"${APP[@]}" "${DB[@]}" enqueue download_only --playlist "${IDS[2]}" --playlist "${IDS[0]}" >/dev/null
"${APP[@]}" "${DB[@]}" enqueue sync_download --playlist "${IDS[1]}" >/dev/null
"${APP[@]}" "${DB[@]}" enqueue collect_only >/dev/null
"${APP[@]}" "${DB[@]}" --demo --tab tasks --screenshot docs/screenshots/task-center.png 2>/dev/null

prepare playlists
"${APP[@]}" "${DB[@]}" enqueue download_only --playlist "${IDS[2]}" --playlist "${IDS[0]}" >/dev/null
"${APP[@]}" "${DB[@]}" --demo --tab playlists --screenshot docs/screenshots/playlists.png 2>/dev/null
