#!/usr/bin/env bash
# Creates (or reuses) the venv for the notebook attach test (ipykernel + jupyter_client) and prints its path.
# Keyed by a hash of test/notebook/requirements.txt and the interpreter's version, like scripts/python-env.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
req="$root/test/notebook/requirements.txt"
python="${ASYNC_INSPECTOR_PYTHON:-python3}"
hash="$( (cat "$req"; "$python" -c 'import sys; print(sys.version)') | sha256sum | cut -c1-12)"
venv="${XDG_CACHE_HOME:-$HOME/.cache}/async-inspector/notebook-venv-$hash"
mkdir -p "$(dirname "$venv")" # a fresh cache (CI's empty XDG_CACHE_HOME) has no folder for the lock yet
exec 9>"$venv.lock"
flock 9
if [ ! -x "$venv/bin/python" ] || [ ! -f "$venv/.complete" ]; then
  rm -rf "$venv"
  "$python" -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" >&2
  touch "$venv/.complete"
fi
echo "$venv"
