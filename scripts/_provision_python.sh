#!/usr/bin/env bash
# Provision a CPython >= 3.14.2 interpreter into a private prefix on Debian/Ubuntu,
# using Debian testing's (or unstable's) binary packages, without touching the
# system's apt state. Prints the interpreter path on the last line of stdout.
#
# Usage: scripts/_provision_python.sh PREFIX
set -euo pipefail

prefix=${1:?prefix required}
min_version=3.14.2
arch=$(dpkg --print-architecture 2>/dev/null || echo unknown)
case "$arch" in
  amd64) triplet=x86_64-linux-gnu; loader=ld-linux-x86-64.so.2 ;;
  arm64) triplet=aarch64-linux-gnu; loader=ld-linux-aarch64.so.1 ;;
  *) echo "provision: unsupported architecture '$arch'; install Python >= $min_version yourself" >&2; exit 1 ;;
esac

log() { echo "provision: $*" >&2; }

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-deb >/dev/null 2>&1; then
  log "no apt-get/dpkg-deb: install Python >= $min_version (with venv) and put python3.14 on PATH"
  exit 1
fi

if ! command -v patchelf >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    log "installing patchelf from Debian"
    (apt-get update -qq >/dev/null 2>&1 || true)
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq patchelf >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq >/dev/null 2>&1 || true
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq patchelf >/dev/null
  else
    log "patchelf is missing; install it (apt-get install patchelf) and re-run"
    exit 1
  fi
fi

keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -f "$keyring" ] || { log "missing $keyring (package debian-archive-keyring)"; exit 1; }
mirror=${DEPOTFINITY_DEBIAN_MIRROR:-http://deb.debian.org/debian}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

try_suite() {
  local suite=$1 root="$work/$1"
  mkdir -p "$root"/{state/lists/partial,cache/archives/partial,sources.list.d,preferences.d,apt.conf.d}
  : >"$root/status"
  echo "deb [signed-by=$keyring] $mirror $suite main" >"$root/sources.list"
  cat >"$root/apt.conf" <<CONF
Dir::State "$root/state";
Dir::State::status "$root/status";
Dir::Cache "$root/cache";
Dir::Etc::SourceList "$root/sources.list";
Dir::Etc::SourceParts "$root/sources.list.d";
Dir::Etc::Preferences "$root/preferences";
Dir::Etc::PreferencesParts "$root/preferences.d";
Dir::Etc::Parts "$root/apt.conf.d";
APT::Architecture "$arch";
APT::Architectures { "$arch"; };
APT::Sandbox::User "root";
Debug::NoLocking "true";
Acquire::Languages "none";
# The mirror may serve a frozen snapshot whose Release file has passed its
# Valid-Until date; signatures are still verified against the keyring.
Acquire::Check-Valid-Until "false";
CONF
  export APT_CONFIG="$root/apt.conf"
  log "reading the package index of Debian '$suite'"
  apt-get -qq update >/dev/null || return 1
  local candidate
  candidate=$(apt-cache policy python3.14 2>/dev/null | awk '/Candidate:/ {print $2}')
  [ -n "$candidate" ] && [ "$candidate" != "(none)" ] || return 1
  local upstream=${candidate%%-*}
  upstream=${upstream#*:}
  if ! version_ge "$upstream" "$min_version"; then
    log "'$suite' has python3.14 $candidate (< $min_version)"
    return 1
  fi
  log "downloading python3.14 $candidate and its dependencies from '$suite'"
  apt-get -qq install --download-only -y python3.14 python3.14-venv libpython3.14-dev >/dev/null || return 1
  ARCHIVES="$root/cache/archives"
  unset APT_CONFIG
}

ARCHIVES=""
for suite in forky sid; do
  if try_suite "$suite"; then break; fi
  unset APT_CONFIG
  ARCHIVES=""
done
[ -n "$ARCHIVES" ] || { log "could not get python3.14 >= $min_version from Debian testing or unstable"; exit 1; }

staging="$prefix.staging.$$"
rm -rf "$staging"
mkdir -p "$staging"
for deb in "$ARCHIVES"/*.deb; do
  dpkg-deb -x "$deb" "$staging"
done

libdir="$staging/usr/lib/$triplet"
bin="$staging/usr/bin/python3.14"
[ -x "$bin" ] || { log "python3.14 binary missing after unpacking"; exit 1; }
[ -e "$libdir/$loader" ] || { log "loader $loader missing after unpacking"; exit 1; }

# Final paths (after the move) are baked into the ELF headers.
final_libdir="$prefix/usr/lib/$triplet"
patchelf --set-interpreter "$final_libdir/$loader" "$bin"
patchelf --force-rpath --set-rpath "$final_libdir" "$bin"

# Debian's ensurepip looks for wheels in /usr/share/python-wheels; point it at the prefix.
for f in "$staging"/usr/lib/python3.14/_sysconfigdata_*.py; do
  [ -f "$f" ] && sed -i "s#/usr/share/python-wheels#$prefix/usr/share/python-wheels#g" "$f"
done

# Debian's pyconfig.h is a stub that includes the multiarch header from the
# system include path; put the real one in place so C extensions build.
multiarch_config="$staging/usr/include/$triplet/python3.14/pyconfig.h"
if [ -f "$multiarch_config" ]; then
  cp "$multiarch_config" "$staging/usr/include/python3.14/pyconfig.h"
fi

rm -rf "$prefix"
mkdir -p "$(dirname "$prefix")"
mv "$staging" "$prefix"

py="$prefix/usr/bin/python3.14"
"$py" - <<'PY'
import bz2, ctypes, ensurepip, lzma, sqlite3, ssl, sys, zoneinfo  # noqa: F401
ssl.create_default_context()
assert sys.version_info >= (3, 14, 2), sys.version
PY
log "provisioned $("$py" --version) at $prefix"
echo "$py"
