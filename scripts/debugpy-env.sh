#!/usr/bin/env bash
# Creates (or reuses) a venv with debugpy from PyPI for one interpreter and prints its path.
# Usage: scripts/debugpy-env.sh /path/to/python   (keyed by the interpreter's version and the pinned debugpy)
set -euo pipefail
python="${1:-python3}"
pin="debugpy==1.8.21"
version="$("$python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
venv="${XDG_CACHE_HOME:-$HOME/.cache}/async-inspector/debugpy-$version-${pin#debugpy==}"
if [ ! -x "$venv/bin/python" ] || [ ! -f "$venv/.complete" ]; then
  mkdir -p "$(dirname "$venv")"
  exec 9>"$venv.lock"
  flock 9
  if [ ! -f "$venv/.complete" ]; then
    rm -rf "$venv"
    "$python" -m venv "$venv" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$pin" >&2
    touch "$venv/.complete"
  fi
fi
echo "$venv"
