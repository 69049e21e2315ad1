#!/usr/bin/env bash
# Prints the path of a Python >= 3.12 interpreter: $PYTHON, then python3.13/python3.12/python3
# on PATH, then pyenv's installed versions. Exits 1 with a clear message when none exists,
# because PySide6 on Python 3.11 aborts after a few hundred signal emits.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
for cand in "${PYTHON:-}" python3.14 python3.13 python3.12 python3; do
  [ -n "$cand" ] || continue
  path=$(command -v "$cand" 2>/dev/null) || continue
  if ok "$path"; then
    # pyenv shims resolve to the global version; ask the interpreter for its real path.
    "$path" -c 'import sys; print(sys.executable)'; exit 0
  fi
done
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for ver in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9]|[2-9][0-9])(\.[0-9]+)?$' | sort -t. -k1,1n -k2,2n -k3,3n -r); do
    path="$root/versions/$ver/bin/python3"
    if [ -x "$path" ] && ok "$path"; then echo "$path"; exit 0; fi
  done
fi
echo "error: CatalogSync needs Python 3.12 or newer (PySide6 on 3.11 crashes after a few hundred signal emits)." >&2
echo "       Install one (e.g. 'pyenv install 3.12' or your OS package python3.12) or set PYTHON=/path/to/python3.12." >&2
exit 1
