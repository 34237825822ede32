#!/usr/bin/env bash
# Shared by make-sid-root.sh and make-bookworm-root.sh: build a Debian minbase root holding coturn with debootstrap,
# and read the coturn version a root holds. Sourced, not run. Callers set SCRIPT_NAME before sourcing.

die() {
  echo "${SCRIPT_NAME}: $*" >&2
  exit 1
}

# Prints the version turnserver in root $1 reports, or nothing if there is none.
root_version() {
  [[ -x "$1/usr/bin/turnserver" ]] || return 0
  # `turnserver --version` prints just the version (e.g. 4.18.0); bound it in case the binary misbehaves.
  timeout 20 chroot "$1" /usr/bin/turnserver --version 2>/dev/null | grep -Eo '^[0-9]+\.[0-9]+\.[0-9]+' | head -n1 || true
}

# The Debian archive URI from apt sources (deb822 .sources or one-line .list), skipping the security archive.
debian_mirror() {
  local uri
  uri="$(
    cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {print $2}'
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '$1 == "deb" {for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; break}}'
  )"
  uri="$(printf '%s\n' "${uri}" | grep -E '/debian/?$' | head -n1 || true)"
  [[ -n "${uri}" ]] || die "no Debian archive URI found in /etc/apt/sources*; set DEBIAN_MIRROR"
  printf '%s\n' "${uri}"
}

# build_root SUITE ROOT: debootstrap SUITE (minbase + coturn) into ROOT, atomically.
build_root() {
  local suite="$1" root="$2" mirror staging
  [[ "$(id -u)" -eq 0 ]] || die "must run as root (debootstrap and chroot need it)"
  if ! command -v debootstrap >/dev/null 2>&1; then
    echo "${SCRIPT_NAME}: installing debootstrap"
    timeout 300 apt-get update -qq
    DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -qq debootstrap >/dev/null
  fi
  mirror="${DEBIAN_MIRROR:-$(debian_mirror)}"
  # A half-built root (interrupted run) would make debootstrap fail; build in a fresh sibling and move it into place.
  staging="${root}.partial"
  rm -rf -- "${staging}"
  mkdir -p -- "$(dirname -- "${root}")"
  echo "${SCRIPT_NAME}: debootstrap ${suite} (minbase + coturn) from ${mirror} into ${root}"
  timeout 900 debootstrap --variant=minbase --include=coturn "${suite}" "${staging}" "${mirror}" >"${staging}.log" 2>&1 ||
    die "debootstrap failed; see ${staging}.log"
  rm -rf -- "${root}"
  mv -- "${staging}" "${root}"
  rm -f -- "${staging}.log"
}
