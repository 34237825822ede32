/**
 * Runs INSIDE the lab's client namespace (started by tools/lab/call-stack.ts), next to Chromium: the local signaling
 * harness (real handlers, DynamoDB Local, local token issuer) handing out the Signaling template's TURN URLs verbatim, and
 * the diagnostic pages, all on 127.0.0.1. The relay runs in its own namespace behind the load-balancer stand-in.
 */
import { mintTurnCredential } from '../../lib/signaling/turn-credentials';
import { startDemoServer } from '../demo/server';
import { startDynamoDbLocal } from '../dev/dynamodb-local';
import { startSignalingHarness } from '../dev/harness';
import { SHARED_DYNAMODB_LOCAL_VARIABLE } from '../dev/local-table';
import type { StackRequest } from './call-stack-protocol';
import { replyFailed, replyReady, serveLabChild } from './lab-child';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set`);
  return value;
}

async function main() {
  const secret = required('HRTC_TURN_SECRET');
  const turn = { urls: required('HRTC_TURN_URLS').split(','), secret, ttlSeconds: 600 };
  // This process lives in the lab's client namespace, where the test run's shared DynamoDB Local (on the root
  // namespace's loopback) cannot be reached: one of its own, on this namespace's 127.0.0.1, serves both harnesses.
  delete process.env[SHARED_DYNAMODB_LOCAL_VARIABLE];
  const dynamoDbLocal = await startDynamoDbLocal();
  const harness = await startSignalingHarness({ maxRoomSize: 2, turn, dynamoDbLocal });
  // The other token transport a deployment can choose, so browsers are tested with both.
  const headerHarness = await startSignalingHarness({
    maxRoomSize: 2,
    turn,
    tokenSource: 'protocol-header',
    dynamoDbLocal,
  });
  const demo = await startDemoServer(harness);
  serveLabChild(
    async (raw) => {
      const request = raw as unknown as StackRequest;
      if (request.type === 'token') {
        const issuer = request.tokenSource === 'protocol-header' ? headerHarness.issuer : harness.issuer;
        const token = await issuer.issueToken({ sub: request.sub, rooms: request.rooms, expiresIn: request.expiresIn });
        return { type: 'token', token };
      }
      if (request.type === 'expired-ice-servers') {
        // Credentials minted exactly as signaling mints them, but an hour in the past: the relay must say 401.
        const expired = mintTurnCredential({
          secret,
          opaqueId: 'expired-e2e-peer',
          ttlSeconds: 600,
          maxTtlSeconds: 600,
          nowMs: Date.now() - 3_600_000,
        });
        return {
          type: 'expired-ice-servers',
          iceServers: [{ urls: harness.turnUrls, username: expired.username, credential: expired.credential }],
        };
      }
      return undefined;
    },
    async () => {
      await Promise.allSettled([demo.stop(), harness.stop(), headerHarness.stop()]);
      await dynamoDbLocal.stop();
    },
  );
  replyReady({ pageUrl: demo.url, signalingUrl: harness.url, headerSignalingUrl: headerHarness.url });
}

main().catch((error: Error) => replyFailed(error));
