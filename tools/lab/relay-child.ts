/**
 * Runs INSIDE the lab's relay namespace (started by tools/lab/lab.ts): coturn from the sid root with the
 * production-rendered turnserver.conf (only addresses, secret and host paths substituted). Its readiness probe stays
 * on the relay's own address, which never meets the security group (loopback), like a check on the instance itself.
 */
import { replyFailed, replyReady, serveLabChild } from './lab-child';
import { startLabRelay } from './lab-relay';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set`);
  return value;
}

async function main() {
  const relay = await startLabRelay({
    relayIp: required('HRTC_RELAY_IP'),
    secret: required('HRTC_TURN_SECRET'),
    certFile: required('HRTC_TLS_CERT'),
    keyFile: required('HRTC_TLS_KEY'),
  });
  serveLabChild(
    async (request) => {
      if (request.type === 'relay-log') return { type: 'relay-log', log: relay.log() };
      // Stops coturn (as when a region's relays fail) and answers with its log, flushed by the stop.
      if (request.type === 'stop-relay') {
        await relay.stop();
        return { type: 'stop-relay', log: relay.log() };
      }
      return undefined;
    },
    () => relay.stop(),
  );
  replyReady({ coturnVersion: relay.version });
}

main().catch((error: Error) => replyFailed(error));
