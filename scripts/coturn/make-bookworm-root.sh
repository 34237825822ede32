#!/usr/bin/env bash
# Builds (once) a Debian bookworm minbase root holding coturn 4.6.1: the VULNERABLE reference the relay tests run the
# SSRF matrix against (test/relay/coturn-floor-evidence.test.ts), to show which bypasses the 4.13.1 floor closes.
# Never used to serve anything. Idempotent; fails loudly.
#
#   COTURN_OLD_ROOT  where to build (default /var/cache/hipaa-rtc/coturn-bookworm)
#   DEBIAN_MIRROR    archive URL (default: the first Debian archive URI in the machine's apt sources)
set -euo pipefail

readonly ROOT="${COTURN_OLD_ROOT:-/var/cache/hipaa-rtc/coturn-bookworm}"
readonly EXPECTED='4.6.1'
SCRIPT_NAME='make-bookworm-root'
# shellcheck source=scripts/coturn/coturn-root-lib.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/coturn-root-lib.sh"

[[ "$(id -u)" -eq 0 ]] || die "must run as root (debootstrap and chroot need it)"

existing="$(root_version "${ROOT}")"
if [[ -n "${existing}" ]]; then
  [[ "${existing}" == "${EXPECTED}" ]] || die "${ROOT} has coturn ${existing}, expected the reference ${EXPECTED}"
  echo "make-bookworm-root: coturn ${existing} already in ${ROOT}; nothing to do"
  exit 0
fi

build_root bookworm "${ROOT}"

built="$(root_version "${ROOT}")"
[[ "${built}" == "${EXPECTED}" ]] || die "bookworm delivered coturn '${built}', expected ${EXPECTED}"
echo "make-bookworm-root: coturn ${built} ready in ${ROOT}"
