/**
 * `npm run demo`: the diagnostic page on http://127.0.0.1, with two browser peers in one page calling each other
 * through a real relay. The relay is coturn (sid root, production-rendered config) inside a private network
 * namespace joined to this host by a veth pair with documentation addresses, so the production deny list applies
 * unchanged and nothing leaves the machine. Needs root (network namespaces, chroot) and the coturn root
 * (scripts/coturn/make-sid-root.sh). Stop with Ctrl-C; everything it created is removed.
 */
import { randomBytes } from 'node:crypto';
import { startSignalingHarness } from '../dev/harness';
import { startLabRelay } from '../lab/lab-relay';
import { createHostLinkedNetns } from '../lab/netns';
import { createTestCa } from '../lab/test-ca';
import { startDemoServer } from './server';

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new Error('npm run demo needs root: it creates a network namespace and runs coturn in a chroot');
  }
  const netns = createHostLinkedNetns();
  const ca = createTestCa(netns.relayIp);
  const cleanups: Array<() => Promise<void> | void> = [() => ca.remove(), () => netns.destroy()];
  const cleanup = async () => {
    for (const step of cleanups.splice(0).reverse()) await Promise.resolve(step()).catch(() => undefined);
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(0)));
  process.once('SIGTERM', () => void cleanup().then(() => process.exit(0)));
  try {
    const secret = randomBytes(36).toString('base64url');
    const relay = await startLabRelay({
      relayIp: netns.relayIp,
      secret,
      certFile: ca.certFile,
      keyFile: ca.keyFile,
      netns: netns.name,
    });
    cleanups.push(() => relay.stop());
    // turns: is left out: a browser on this machine does not trust the throw-away CA (the e2e tests cover TLS).
    const harness = await startSignalingHarness({
      maxRoomSize: 2,
      turn: {
        urls: [`turn:${netns.relayIp}:3478?transport=udp`, `turn:${netns.relayIp}:3478?transport=tcp`],
        secret,
        ttlSeconds: 600,
      },
    });
    cleanups.push(() => harness.stop());
    const demo = await startDemoServer(harness, Number(process.env.DEMO_PORT ?? 0));
    cleanups.push(() => demo.stop());
    console.error(
      `hipaa-rtc demo: open ${demo.url}/ (relay: coturn ${relay.version} at ${netns.relayIp}; Ctrl-C stops)`,
    );
    // Machine-readable line for scripts and the smoke test.
    process.stdout.write(
      `${JSON.stringify({ url: demo.url, relayIp: netns.relayIp, coturnVersion: relay.version })}\n`,
    );
  } catch (error) {
    await cleanup();
    throw error;
  }
}

main().catch((error: Error) => {
  console.error(`hipaa-rtc demo: ${error.message}`);
  process.exit(1);
});
