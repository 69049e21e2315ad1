#!/usr/bin/env bash
# Regenerates the screenshots of README.md and docs/window.md with `--screenshot` on real
# demo data. Each screenshot gets a fresh database: the demo source syncs its playlists, a
# hand-added playlist stays unsynced (its one song points at a closed port, so it fails),
# download jobs are queued, and the window grabs itself while a download runs (it waits for
# live progress signals and some, not all, songs done).
# Usage: docs/screenshots/regenerate.sh [NAME...]   (from the repository root; offscreen)
#   NAME: tasks playlists items songs sources zh (default: all)
# The zh_CN screenshot needs a font with Chinese characters (Debian: fonts-wqy-microhei).
set -euo pipefail
cd "$(dirname "$0")/../.."
APP=(.venv/bin/python -m catalogsync_gui)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export QT_QPA_PLATFORM=offscreen CATALOGSYNC_CONFIG_DIR="$WORK/config"
make -s translations

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

want() { [ -z "$ONLY" ] || [[ " $ONLY " == *" $1 "* ]]; }
ONLY="$*"

shoot() {  # shoot FILE [OPTIONS...]: the window with the demo running
  "${APP[@]}" "${DB[@]}" --demo "${@:2}" --screenshot "docs/screenshots/$1" 2>/dev/null
}

if want tasks; then
  prepare tasks
  "${APP[@]}" "${DB[@]}" enqueue download_only --playlist "${IDS[2]}" --playlist "${IDS[0]}" >/dev/null
  "${APP[@]}" "${DB[@]}" enqueue sync_download --playlist "${IDS[1]}" >/dev/null
  "${APP[@]}" "${DB[@]}" enqueue collect_only >/dev/null
  shoot task-center.png --tab tasks
fi

if want playlists; then
  prepare playlists
  "${APP[@]}" "${DB[@]}" enqueue download_only --playlist "${IDS[2]}" --playlist "${IDS[0]}" >/dev/null
  shoot playlists.png --tab playlists
fi

if want items; then
  prepare items  # a finished job: the demo's songs and Kitchen Radio's, which cannot be fetched
  "${APP[@]}" "${DB[@]}" enqueue sync_download --playlist "$KITCHEN" --playlist "${IDS[0]}" \
    >/dev/null
  "${APP[@]}" "${DB[@]}" --demo --headless --once 2>/dev/null || true  # 1: a song failed
  "${APP[@]}" "${DB[@]}" --tab items --screenshot docs/screenshots/items.png 2>/dev/null
fi

if want songs; then  # a playlist's songs while they download
  prepare songs
  "${APP[@]}" "${DB[@]}" enqueue download_only --playlist "${IDS[0]}" --playlist "${IDS[1]}" \
    --playlist "${IDS[2]}" >/dev/null
  shoot playlist-songs.png --tab songs
fi

if want sources; then
  prepare sources
  mkdir -p "$WORK/Music"
  "${APP[@]}" "${DB[@]}" sources add --kind files --name "Music folder" --location "$WORK/Music" \
    --location "$WORK/sources/Kitchen Radio.m3u" >/dev/null
  shoot settings-sources.png --tab sources
fi

if want zh; then
  prepare zh
  "${APP[@]}" "${DB[@]}" enqueue download_only --playlist "${IDS[2]}" --playlist "${IDS[0]}" >/dev/null
  "${APP[@]}" "${DB[@]}" enqueue sync_download --playlist "$KITCHEN" >/dev/null
  shoot zh-cn.png --tab tasks --lang zh_CN
fi
