#!/usr/bin/env bash
# Creates (or reuses) the Python test venv and prints its path.
# The venv is keyed by a hash of test/python/requirements.txt so a changed list makes a fresh one.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
req="$root/test/python/requirements.txt"
python="${ASYNC_INSPECTOR_PYTHON:-python3}"
hash="$( (cat "$req"; "$python" -c 'import sys; print(sys.version)') | sha256sum | cut -c1-12)"
venv="${XDG_CACHE_HOME:-$HOME/.cache}/async-inspector/venv-$hash"
if [ ! -x "$venv/bin/python" ] || [ ! -f "$venv/.complete" ]; then
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  "$python" -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" >&2
  touch "$venv/.complete"
fi
echo "$venv"
