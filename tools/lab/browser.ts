/**
 * Debian's Chromium (never a downloaded browser) driven by playwright-core, inside the test's network namespace.
 * Playwright talks to it over a pipe, which `ip netns exec` passes through; the browser itself only sees the
 * namespace. Every host name except localhost and the mapped names resolves to NOTFOUND, and background networking is
 * off.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox', // the test runs as root in a container; the namespace is the isolation
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--no-pings',
  '--no-first-run',
  '--disable-features=MediaRouter,OptimizationHints,Translate,DialMediaRouteProvider,CertificateTransparencyComponentUpdater',
];

/**
 * Every host resolves to NOTFOUND except localhost and the mapped names, so the browser reaches only what the lab
 * means it to: `map` sends a name (the relay name in the TURN URLs) to an address, as DNS would for the deployed load
 * balancer. Host resolver rules apply to the TURN URLs' host names for UDP, TCP and TLS alike; over TCP and TLS
 * Chromium's proxy-resolving socket applies them even to an IP literal, hence also `allowIps`.
 */
export function hostResolverRules(options: {
  map?: Readonly<Record<string, string>>;
  allowIps?: readonly string[];
}): string {
  const rules = [
    // WebRTC's STUN/TURN lookups ask for the fully qualified name ("turn.example.org."), which a rule for the bare
    // name does not match: map both.
    ...Object.entries(options.map ?? {}).flatMap(([name, ip]) => [`MAP ${name} ${ip}`, `MAP ${name}. ${ip}`]),
    'MAP * ~NOTFOUND',
    'EXCLUDE localhost',
    'EXCLUDE 127.0.0.1',
    ...(options.allowIps ?? []).map((ip) => `EXCLUDE ${ip}`),
  ];
  return `--host-resolver-rules=${rules.join(' , ')}`;
}

export async function launchChromiumInNetns(
  netns: string,
  home: string,
  resolve: { map?: Readonly<Record<string, string>>; allowIps?: readonly string[] },
): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium); .ci/run does.`);
  }
  const wrapper = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hipaa-rtc-chromium-')), 'chromium-in-netns');
  fs.writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec "${netns}" ${CHROMIUM} "$@"\n`, { mode: 0o755 });
  return chromium.launch({
    executablePath: wrapper,
    args: [...CHROMIUM_ARGS, hostResolverRules(resolve)],
    env: { ...process.env, HOME: home },
    timeout: 30_000,
  });
}
