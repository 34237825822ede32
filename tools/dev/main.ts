/**
 * `npm run dev`: the signaling harness on 127.0.0.1 for local development and browser tests. Prints the URL and a
 * sample token for a two-person room. Settings come from flags, never from the network.
 *
 *   tsx tools/dev/main.ts [--port 8787] [--room-size 2] [--turn-url turn:127.0.0.1:3478?transport=udp ...]
 *                       [--turn-secret <secret>] [--turn-ttl 600] [--token-source query|protocol-header]
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { powertoolsLog } from '../../lib/signaling/log';
import {
  DEFAULT_TOKEN_SOURCE,
  SIGNALING_SUBPROTOCOL,
  TOKEN_SOURCES,
  type TokenSource,
} from '../../lib/signaling/protocol';
import { startSignalingHarness } from './harness';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      'room-size': { type: 'string', default: '2' },
      'turn-url': { type: 'string', multiple: true },
      'turn-secret': { type: 'string' },
      'turn-ttl': { type: 'string', default: '600' },
      // As the deployment's signaling.tokenSource: where clients must put the token.
      'token-source': { type: 'string', default: DEFAULT_TOKEN_SOURCE },
    },
  });
  const tokenSource = values['token-source'] as TokenSource;
  if (!TOKEN_SOURCES.includes(tokenSource)) {
    throw new Error(`--token-source is ${values['token-source']}; use one of ${TOKEN_SOURCES.join(', ')}`);
  }
  const harness = await startSignalingHarness({
    port: Number(values.port),
    maxRoomSize: Number(values['room-size']),
    turn: { urls: values['turn-url'], secret: values['turn-secret'], ttlSeconds: Number(values['turn-ttl']) },
    log: powertoolsLog('hipaa-rtc-signaling-dev'),
    tokenSource,
  });
  const roomId = `room-${randomBytes(9).toString('base64url')}`;
  const tokens = await Promise.all(
    [randomUUID(), randomUUID()].map((sub) => harness.issuer.issueToken({ sub, rooms: [roomId], expiresIn: 3600 })),
  );
  process.stdout.write(
    [
      `signaling harness listening on ${harness.url} (127.0.0.1 only)`,
      `JWKS: ${harness.jwksUrl}`,
      `room: ${roomId}`,
      ...tokens.map((token, i) =>
        tokenSource === 'query'
          ? `peer ${i + 1}: ${harness.url}/?token=${token}`
          : `peer ${i + 1}: ${harness.url} with subprotocols ["${SIGNALING_SUBPROTOCOL}", "bearer.${token}"]`,
      ),
      `then send {"action":"join","roomId":"${roomId}"}. Ctrl-C stops.`,
      '',
    ].join('\n'),
  );
  const stop = () => void harness.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`dev harness failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
