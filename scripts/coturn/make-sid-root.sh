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
SCRIPT_NAME='make-sid-root'
# shellcheck source=scripts/coturn/coturn-root-lib.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/coturn-root-lib.sh"

# True when $1 >= FLOOR (dotted numeric compare).
at_least_floor() {
  [[ "$(printf '%s\n%s\n' "${FLOOR}" "$1" | sort -V | head -n1)" == "${FLOOR}" ]]
}

[[ "$(id -u)" -eq 0 ]] || die "must run as root (debootstrap and chroot need it)"

existing="$(root_version "${COTURN_ROOT}")"
if [[ -n "${existing}" ]]; then
  at_least_floor "${existing}" || die "coturn ${existing} in ${COTURN_ROOT} is below the floor ${FLOOR}; remove the root and rebuild"
  echo "make-sid-root: coturn ${existing} already in ${COTURN_ROOT}; nothing to do"
  exit 0
fi

build_root sid "${COTURN_ROOT}"

built="$(root_version "${COTURN_ROOT}")"
[[ -n "${built}" ]] || die "no runnable turnserver in ${COTURN_ROOT} after debootstrap"
at_least_floor "${built}" || die "sid delivered coturn ${built}, below the floor ${FLOOR}; refusing to use it"
echo "make-sid-root: coturn ${built} ready in ${COTURN_ROOT}"
