#!/usr/bin/env bash
# Provides a CPython that these machines do not ship (3.14 by default; `3.15` works the same way) from Debian
# unstable's packages, in a persistent cache keyed by the exact version, and prints the interpreter's path:
#
#   ${ASYNC_INSPECTOR_PERSISTENT_CACHE:-$HOME/.cache/async-inspector-persistent}/python-<version>/bin/python<family>
#
# The Python test matrix (test/python/conftest.py, test/python-versions.ts) picks up every finished
# `python-*/.complete` there, next to the pyenv versions.
#
# Why binaries, not a source build: the Debian mirror reachable here serves the pool's .deb files but answers 404 for
# source packages (.dsc / .orig.tar.xz), and no other source of CPython is reachable. Unstable's python3.X binaries
# need unstable's glibc (2.42+, bookworm has 2.36), so the packages are unpacked side by side with unstable's libc6 and
# the libraries they need, and `bin/python3.X` is a small wrapper that runs the real binary through that glibc's own
# loader (`ld.so --library-path … --argv0 …`), so `sys.executable` is the wrapper and subprocesses work too.
# `sys.remote_exec` and ptrace tools see a normal CPython (its maps name the real `python3.X-real` binary).
#
# Usage:
#   scripts/ensure-python314.sh [FAMILY]               fetch if missing, print the interpreter path
#   scripts/ensure-python314.sh --background [FAMILY]  do that under `nice -n 19`, log in the cache, return at once
#   scripts/ensure-python314.sh --path [FAMILY]        print the path of a finished install, or exit 1
# Packages come through apt's own client with a private list of `deb … unstable main` (the system's apt config and
# dpkg database are untouched); apt checks every file against the signed index.
set -euo pipefail

mode=fetch
case "${1:-}" in
  --background) mode=background; shift ;;
  --path) mode=path; shift ;;
esac
family="${1:-3.14}"
[[ "$family" =~ ^3\.[0-9]+$ ]] || { echo "ensure-python: FAMILY must look like 3.14, got '$family'" >&2; exit 2; }
cache="${ASYNC_INSPECTOR_PERSISTENT_CACHE:-$HOME/.cache/async-inspector-persistent}"
mirror="${ASYNC_INSPECTOR_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
mkdir -p "$cache"

finished() { # newest finished install of the family, if any
  local d best=""
  for d in "$cache"/python-"$family".*; do
    [ -f "$d/.complete" ] && [ -x "$d/bin/python$family" ] && best="$d/bin/python$family"
  done
  [ -n "$best" ] && echo "$best"
}

case "$mode" in
  path) finished || exit 1; exit 0 ;;
  background)
    log="$cache/python-$family.log"
    nohup nice -n 19 "$0" "$family" >"$log" 2>&1 </dev/null &
    echo "ensure-python: fetching CPython $family in the background (pid $!), log: $log" >&2
    echo "ensure-python: the interpreter will be $cache/python-$family.<patch>/bin/python$family" >&2
    exit 0 ;;
esac

exec 9>"$cache/python-$family.lock"
flock 9 # one install per family at a time, across sessions

apt_dir="$cache/apt-unstable"
apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
          -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o Dir::State::status=/dev/null
          -o APT::Sandbox::User=root -o Debug::NoLocking=1)
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
echo "deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror unstable main" >"$apt_dir/sources.list"
echo "ensure-python: reading Debian unstable's index" >&2
if ! apt-get "${apt_opts[@]}" -qq update >&2; then
  if have="$(finished)"; then echo "ensure-python: index unreachable, using $have" >&2; echo "$have"; exit 0; fi
  echo "ensure-python: cannot read $mirror (unstable); is the Debian mirror reachable?" >&2; exit 1
fi
version="$(apt-cache "${apt_opts[@]}" show "python$family-minimal" 2>/dev/null | awk '/^Version: /{print $2; exit}')"
[ -n "$version" ] || { echo "ensure-python: Debian unstable has no python$family" >&2; exit 1; }
upstream="${version%-*}"; upstream="${upstream#*:}" # 3.14.10-1 -> 3.14.10
prefix="$cache/python-$upstream"
if [ -f "$prefix/.complete" ]; then echo "$prefix/bin/python$family"; exit 0; fi

# The interpreter, its stdlib, and unstable's builds of every library they link (glibc first).
packages=("python$family-minimal" "libpython$family-minimal" "libpython$family-stdlib" libc6 libexpat1 libssl3t64
          libzstd1 zlib1g libffi8 libbz2-1.0 liblzma5 libsqlite3-0 libncursesw6 libtinfo6 libreadline8t64 libuuid1
          libdb5.3t64 libmpdec4)
work="$cache/fetch-python-$upstream"
rm -rf "$work" "$prefix"
mkdir -p "$work/debs" "$prefix"
echo "ensure-python: downloading python$family $version and its libraries from Debian unstable" >&2
(cd "$work/debs" && apt-get "${apt_opts[@]}" -qq download "${packages[@]}" >&2) ||
  { echo "ensure-python: could not download the packages (see above)" >&2; exit 1; }
for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$prefix/root"; done

root="$prefix/root"
loader="$(find "$root" -name 'ld-linux-x86-64.so.2' \( -type f -o -type l \) | head -1)"
[ -n "$loader" ] || { echo "ensure-python: unstable's libc6 has no ld-linux-x86-64.so.2" >&2; exit 1; }
mv "$root/usr/bin/python$family" "$root/usr/bin/python$family-real"
libs="$root/usr/lib/x86_64-linux-gnu:$root/lib/x86_64-linux-gnu"
cat >"$root/usr/bin/python$family" <<EOF
#!/bin/sh
# CPython $version from Debian unstable, run with unstable's glibc (made by scripts/ensure-python314.sh).
exec "${loader}" --library-path "$libs" --argv0 "\$0" "$root/usr/bin/python$family-real" "\$@"
EOF
chmod +x "$root/usr/bin/python$family"
mkdir -p "$prefix/bin"
ln -s "../root/usr/bin/python$family" "$prefix/bin/python$family"
ln -s "python$family" "$prefix/bin/python3"

"$prefix/bin/python$family" -c 'import asyncio, ssl, sqlite3, ctypes, zlib, lzma, bz2, decimal, sys; print(sys.version)' >&2 ||
  { echo "ensure-python: the unpacked interpreter does not run" >&2; exit 1; }
echo "$version" >"$prefix/.complete" # the marker, written last
rm -rf "$work"
echo "ensure-python: CPython $upstream ready" >&2
echo "$prefix/bin/python$family"
