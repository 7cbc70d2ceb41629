#!/usr/bin/env bash
# The pause a Python program sees while `async-inspector attach` loads the agent: the longest gap between two
# 1 ms ticks of its event loop during the attach, with TASKS pending tasks (default 10000), minus the gap
# before the attach. Usage: bench/attach/pause.sh [PYTHON | NODE]   (run `node scripts/build.mjs` first)
# A Node target gets --inspect-port=0 (SIGUSR1 opens the inspector on a free port).
set -euo pipefail
cd "$(dirname "$0")/../.."
py="${1:-python3}"
out="$(mktemp)"
case "$(basename "$py")" in
  node*) "$py" --inspect-port=0 bench/attach/pause_target.js >"$out" 2>/dev/null & version() { "$py" --version; } ;;
  *) "$py" bench/attach/pause_target.py >"$out" & version() { "$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])'; } ;;
esac
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$out"' EXIT
until grep -q READY "$out"; do sleep 0.1; done
sleep 1; kill -USR2 $pid; sleep 0.5; kill -USR2 $pid; sleep 0.3   # the baseline gap without an attach
node dist/cli.js attach "$pid" --duration 1 >/dev/null 2>&1
kill -USR2 $pid; sleep 0.3
echo "$(version): $(grep MAXGAP "$out" | tail -2 | head -1 | cut -d' ' -f2) ms gap before, $(grep MAXGAP "$out" | tail -1 | cut -d' ' -f2) ms during the attach (TASKS=${TASKS:-10000})"
