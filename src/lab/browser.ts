/**
 * Debian's Chromium (never a downloaded browser) driven by playwright-core, inside the test's network namespace.
 * Playwright talks to it over a pipe, which `ip netns exec` passes through; the browser itself only sees the
 * namespace. Every host name except localhost resolves to NOTFOUND, and background networking is off.
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
 * Every host resolves to NOTFOUND except localhost and the given IP literals. The relay's IP must be excluded: TURN
 * over TCP/TLS goes through Chromium's proxy-resolving socket, which applies the rules even to an IP literal (TURN
 * over UDP does not), and a NOTFOUND there fails the connection with 701 before any packet is sent.
 */
export function hostResolverRules(allowIps: readonly string[]): string {
  return `--host-resolver-rules=${['MAP * ~NOTFOUND', 'EXCLUDE localhost', 'EXCLUDE 127.0.0.1', ...allowIps.map((ip) => `EXCLUDE ${ip}`)].join(' , ')}`;
}

export async function launchChromiumInNetns(
  netns: string,
  home: string,
  allowIps: readonly string[],
): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium); .ci/run does.`);
  }
  const wrapper = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hipaa-rtc-chromium-')), 'chromium-in-netns');
  fs.writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec "${netns}" ${CHROMIUM} "$@"\n`, { mode: 0o755 });
  return chromium.launch({
    executablePath: wrapper,
    args: [...CHROMIUM_ARGS, hostResolverRules(allowIps)],
    env: { ...process.env, HOME: home },
    timeout: 30_000,
  });
}
