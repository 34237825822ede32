/**
 * Runs INSIDE the lab's network namespace (started by src/lab/call-stack.ts through `ip netns exec`):
 * coturn from the sid root with the production-rendered turnserver.conf (only addresses, secret and host paths
 * substituted), the local signaling harness (real handlers, dynalite, local token issuer) pointed at that relay, and
 * the diagnostic pages. Talks to the test over the IPC channel; exits when the test says so or the channel closes.
 */
import { mintTurnCredential } from '../../lib/signaling/turn-credentials';
import { startDemoServer } from '../demo/server';
import { startSignalingHarness } from '../dev/harness';
import type { StackReply, StackRequest } from './call-stack-protocol';
import { startLabRelay } from './lab-relay';

const relayIp = required('HRTC_RELAY_IP');
const TURN_SECRET = `e2e-only-${Date.now()}-secret-0123456789abcdef`;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set`);
  return value;
}

function reply(message: StackReply): void {
  process.send?.(message);
}

async function main() {
  const relay = await startLabRelay({
    relayIp,
    secret: TURN_SECRET,
    certFile: required('HRTC_TLS_CERT'),
    keyFile: required('HRTC_TLS_KEY'),
  });
  const version = relay.version;
  const turn = {
    urls: [
      `turn:${relayIp}:3478?transport=udp`,
      `turn:${relayIp}:3478?transport=tcp`,
      `turns:${relayIp}:5349?transport=tcp`,
    ],
    secret: TURN_SECRET,
    ttlSeconds: 600,
  };
  const harness = await startSignalingHarness({ maxRoomSize: 2, turn });
  // The other token transport a deployment can choose, so browsers are tested with both.
  const headerHarness = await startSignalingHarness({ maxRoomSize: 2, turn, tokenSource: 'protocol-header' });
  const demo = await startDemoServer(harness);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.allSettled([demo.stop(), harness.stop(), headerHarness.stop(), relay.stop()]);
    process.exit(0);
  };
  process.on('disconnect', () => void stop());
  process.on('message', (raw) => {
    const request = raw as StackRequest;
    void (async () => {
      try {
        if (request.type === 'token') {
          const issuer = request.tokenSource === 'protocol-header' ? headerHarness.issuer : harness.issuer;
          const token = await issuer.issueToken({
            sub: request.sub,
            rooms: request.rooms,
            expiresIn: request.expiresIn,
          });
          reply({ type: 'token', id: request.id, token });
        } else if (request.type === 'expired-ice-servers') {
          // Credentials minted exactly as signaling mints them, but an hour in the past: the relay must say 401.
          const expired = mintTurnCredential({
            secret: TURN_SECRET,
            opaqueId: 'expired-e2e-peer',
            ttlSeconds: 600,
            maxTtlSeconds: 600,
            nowMs: Date.now() - 3_600_000,
          });
          reply({
            type: 'expired-ice-servers',
            id: request.id,
            iceServers: [{ urls: harness.turnUrls, username: expired.username, credential: expired.credential }],
          });
        } else if (request.type === 'relay-log') {
          reply({ type: 'relay-log', id: request.id, log: relay.log() });
        } else if (request.type === 'stop') {
          await stop();
        }
      } catch (error) {
        reply({ type: 'error', id: request.id, message: (error as Error).message });
      }
    })();
  });
  reply({
    type: 'ready',
    pageUrl: demo.url,
    signalingUrl: harness.url,
    headerSignalingUrl: headerHarness.url,
    coturnVersion: version,
    relayIp,
  });
}

main().catch((error: Error) => {
  reply({ type: 'failed', message: error.stack ?? error.message });
  process.exit(1);
});
