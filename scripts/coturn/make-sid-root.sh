#!/usr/bin/env bash
# Builds (once) a Debian sid minbase root holding coturn, for the relay integration tests (test/relay/coturn.test.ts).
#
# Why sid: bookworm ships coturn 4.6.1, which is vulnerable to the IPv4-in-IPv6 / NAT64 / link-local peer bypasses the
# production floor (>= 4.13.1) exists for. sid's coturn needs a newer libc than the host, so it runs from its own root
# via `chroot <root> turnserver`, sharing the host's (or the test's network namespace's) network stack.
#
# Idempotent: if $COTURN_ROOT already has a turnserver at or above the floor, nothing is done.
# Fails loudly (non-zero exit, message on stderr) when anything goes wrong or the version is below the floor.
#
#   COTURN_ROOT    where to build (default /var/cache/hipaa-rtc/coturn-sid)
#   DEBIAN_MIRROR  archive URL (default: the first Debian archive URI in the machine's apt sources)
set -euo pipefail

readonly COTURN_ROOT="${COTURN_ROOT:-/var/cache/hipaa-rtc/coturn-sid}"
# Keep in step with PINNED_COTURN_VERSION's floor in lib/relay/turn-config.ts (COTURN_VERSION_FLOOR).
readonly FLOOR='4.13.1'

die() {
  echo "make-sid-root: $*" >&2
  exit 1
}

# Prints the version turnserver in the root reports, or nothing if there is none.
root_version() {
  [[ -x "${COTURN_ROOT}/usr/bin/turnserver" ]] || return 0
  # `turnserver --version` prints just the version (e.g. 4.18.0); bound it in case the binary misbehaves.
  timeout 20 chroot "${COTURN_ROOT}" /usr/bin/turnserver --version 2>/dev/null | grep -Eo '^[0-9]+\.[0-9]+\.[0-9]+' | head -n1 || true
}

# True when $1 >= FLOOR (dotted numeric compare).
at_least_floor() {
  [[ "$(printf '%s\n%s\n' "${FLOOR}" "$1" | sort -V | head -n1)" == "${FLOOR}" ]]
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

[[ "$(id -u)" -eq 0 ]] || die "must run as root (debootstrap and chroot need it)"

existing="$(root_version)"
if [[ -n "${existing}" ]]; then
  at_least_floor "${existing}" || die "coturn ${existing} in ${COTURN_ROOT} is below the floor ${FLOOR}; remove the root and rebuild"
  echo "make-sid-root: coturn ${existing} already in ${COTURN_ROOT}; nothing to do"
  exit 0
fi

if ! command -v debootstrap >/dev/null 2>&1; then
  echo "make-sid-root: installing debootstrap"
  timeout 300 apt-get update -qq
  DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -qq debootstrap >/dev/null
fi

mirror="${DEBIAN_MIRROR:-$(debian_mirror)}"
# A half-built root (interrupted run) would make debootstrap fail; build in a fresh sibling and move it into place.
staging="${COTURN_ROOT}.partial"
rm -rf -- "${staging}"
mkdir -p -- "$(dirname -- "${COTURN_ROOT}")"
echo "make-sid-root: debootstrap sid (minbase + coturn) from ${mirror} into ${COTURN_ROOT}"
timeout 900 debootstrap --variant=minbase --include=coturn sid "${staging}" "${mirror}" >"${staging}.log" 2>&1 ||
  die "debootstrap failed; see ${staging}.log"
rm -rf -- "${COTURN_ROOT}"
mv -- "${staging}" "${COTURN_ROOT}"
rm -f -- "${staging}.log"

built="$(root_version)"
[[ -n "${built}" ]] || die "no runnable turnserver in ${COTURN_ROOT} after debootstrap"
at_least_floor "${built}" || die "sid delivered coturn ${built}, below the floor ${FLOOR}; refusing to use it"
echo "make-sid-root: coturn ${built} ready in ${COTURN_ROOT}"
