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

die() {
  echo "make-bookworm-root: $*" >&2
  exit 1
}

root_version() {
  [[ -x "${ROOT}/usr/bin/turnserver" ]] || return 0
  timeout 20 chroot "${ROOT}" /usr/bin/turnserver --version 2>/dev/null | grep -Eo '^[0-9]+\.[0-9]+\.[0-9]+' | head -n1 || true
}

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
  [[ "${existing}" == "${EXPECTED}" ]] || die "${ROOT} has coturn ${existing}, expected the reference ${EXPECTED}"
  echo "make-bookworm-root: coturn ${existing} already in ${ROOT}; nothing to do"
  exit 0
fi

if ! command -v debootstrap >/dev/null 2>&1; then
  timeout 300 apt-get update -qq
  DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -qq debootstrap >/dev/null
fi

mirror="${DEBIAN_MIRROR:-$(debian_mirror)}"
staging="${ROOT}.partial"
rm -rf -- "${staging}"
mkdir -p -- "$(dirname -- "${ROOT}")"
echo "make-bookworm-root: debootstrap bookworm (minbase + coturn) from ${mirror} into ${ROOT}"
timeout 900 debootstrap --variant=minbase --include=coturn bookworm "${staging}" "${mirror}" >"${staging}.log" 2>&1 ||
  die "debootstrap failed; see ${staging}.log"
rm -rf -- "${ROOT}"
mv -- "${staging}" "${ROOT}"
rm -f -- "${staging}.log"

built="$(root_version)"
[[ "${built}" == "${EXPECTED}" ]] || die "bookworm delivered coturn '${built}', expected ${EXPECTED}"
echo "make-bookworm-root: coturn ${built} ready in ${ROOT}"
