/**
 * The coturn release production runs, and the floor below which no relay (or test) may run.
 *
 * Floor 4.13.1: IPv4-in-IPv6 encodings (IPv4-mapped, IPv4-compatible, NAT64, 6to4) are canonicalized before the peer
 * checks (coturn PR #1945) and link-local/ULA peers are denied by default (#1947). Debian bookworm's 4.6.1 lets
 * ::ffff:169.254.169.254 and ::127.0.0.1 through (CVE-2026-27624); test/relay shows it against the real server.
 * Pinned 4.18.0: the newest release (Debian sid carries it, so tests run exactly this version). Option names are
 * checked against it: it rejects `no-dtls`, `no-tlsv1`, `no-tlsv1_1` as "Bad configuration format" and reports
 * `no-cli` as deprecated, so the renderer emits none of them.
 */
export const COTURN_VERSION_FLOOR = '4.13.1';
export const PINNED_COTURN_VERSION = '4.18.0';

/** Compares dotted numeric versions ("4.9.0" < "4.13.1"); throws on anything else. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string): number[] => {
    if (!/^\d+(\.\d+){1,3}$/.test(v)) throw new Error(`"${v}" is not a dotted numeric version`);
    return v.split('.').map(Number);
  };
  const [x, y] = [parse(a), parse(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i += 1) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

export function meetsCoturnFloor(version: string): boolean {
  return compareVersions(version, COTURN_VERSION_FLOOR) >= 0;
}
