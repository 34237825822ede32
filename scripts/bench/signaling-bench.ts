/**
 * In-process latency of the `join` and `signal` routes against dynalite with 100 concurrent clients: the
 * production route code and DynamoDB store, a messenger that only counts (delivery is API Gateway's cost, not
 * ours). With --harness, the round trip seen by real `ws` clients through the local harness instead (frames,
 * authorizer context, delivery to the peer socket). Loopback only.
 *
 *   npx tsx scripts/bench/signaling-bench.ts [--clients 100] [--signals 20] [--in-process-table | --memory-store | --harness]
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { DynamoConnectionStore } from '../../lib/signaling/connection-store';
import type { Messenger } from '../../lib/signaling/delivery';
import { silentLog } from '../../lib/signaling/log';
import { RoomService } from '../../lib/signaling/rooms';
import { connectRoute, messageRoute, type RouteDeps, type WebSocketEvent } from '../../lib/signaling/routes';
import { StaticTurnSecretProvider } from '../../lib/signaling/turn-secret';
import { startDynalite } from '../../src/dev/dynalite';
import { startSignalingHarness } from '../../src/dev/harness';
import { MemoryConnectionStore } from '../../src/dev/memory-connection-store';
import { WebSocket } from 'ws';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(name: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(2);
  return `${name.padEnd(7)} n=${sorted.length} p50=${f(percentile(sorted, 50))} ms p90=${f(percentile(sorted, 90))} ms p99=${f(percentile(sorted, 99))} ms max=${f(sorted[sorted.length - 1])} ms`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: '100' },
      signals: { type: 'string', default: '20' },
      // dynalite in this process: its CPU then competes with the handlers (pessimistic; AWS's table is remote).
      'in-process-table': { type: 'boolean', default: false },
      // No database at all: the handlers' own cost (parsing, validation, room rules, serialization).
      'memory-store': { type: 'boolean', default: false },
      harness: { type: 'boolean', default: false },
    },
  });
  const clients = Number(values.clients);
  const signals = Number(values.signals);
  if (values.harness) return benchHarness(clients, signals);
  const inProcess = values['in-process-table'] === true;
  const memory = values['memory-store'] === true;
  const dynamo = memory
    ? undefined
    : await startDynalite({ tableName: 'signaling-bench', separateProcess: !inProcess });
  let delivered = 0;
  const messenger: Messenger = { send: async () => ((delivered += 1), 'sent') };
  const store = dynamo
    ? new DynamoConnectionStore({ tableName: dynamo.tableName, client: dynamo.client })
    : new MemoryConnectionStore();
  const rooms = new RoomService(store, messenger, { maxRoomSize: 2, connectionTtlSeconds: 10_800 });
  const turn = {
    secrets: new StaticTurnSecretProvider('x'.repeat(40)),
    urls: ['turn:127.0.0.1:3478'],
    ttlSeconds: 600,
  };
  const deps: RouteDeps = { rooms: () => rooms, turn: () => turn, log: silentLog, nowMs: Date.now };

  const ids = Array.from({ length: clients }, (_, i) => `conn-${i.toString().padStart(4, '0')}=`);
  const roomOf = (i: number) =>
    `bench-room-${Math.floor(i / 2)
      .toString()
      .padStart(4, '0')}`;
  const event = (i: number, routeKey: string, body?: string): WebSocketEvent => ({
    requestContext: {
      connectionId: ids[i],
      requestId: `${routeKey}-${i}`,
      routeKey,
      authorizer: { sub: `0f8fad5b-d9cb-469f-a165-${i.toString().padStart(12, '0')}`, rooms: roomOf(i) },
    },
    body,
  });
  const timed = async (samples: number[], run: () => Promise<{ body?: string }>, expectType: string) => {
    const started = performance.now();
    const response = await run();
    samples.push(performance.now() - started);
    const type = JSON.parse(response.body ?? '{}').type;
    if (type !== expectType) throw new Error(`expected ${expectType}, got ${response.body}`);
  };

  await Promise.all(ids.map((_, i) => connectRoute(deps, event(i, '$connect'))));
  const join: number[] = [];
  const signal: number[] = [];
  const wall = performance.now();
  await Promise.all(
    ids.map((_, i) =>
      timed(
        join,
        () => messageRoute(deps, event(i, 'join', JSON.stringify({ action: 'join', roomId: roomOf(i) })), ['join']),
        'joined',
      ),
    ),
  );
  const sdp = `v=0\r\n${'a=candidate:1 1 udp 2122260223 192.0.2.10 54400 typ host\r\n'.repeat(40)}`;
  await Promise.all(
    ids.map(async (_, i) => {
      const peer = i % 2 === 0 ? i + 1 : i - 1;
      for (let n = 0; n < signals; n++) {
        const body = JSON.stringify({
          action: 'signal',
          to: ids[peer],
          kind: n === 0 ? 'offer' : 'candidate',
          payload: sdp,
        });
        await timed(signal, () => messageRoute(deps, event(i, 'signal', body), ['signal']), 'signal-sent');
      }
    }),
  );
  const wallMs = performance.now() - wall;
  const table = `dynalite ${inProcess ? 'in this process' : 'in a child process'} on 127.0.0.1`;
  const where = memory ? 'in-memory store (no database)' : table;
  console.log(`node ${process.version}, ${clients} concurrent clients, ${signals} signals each, ${where}`);
  console.log(summary('join', join));
  console.log(summary('signal', signal));
  console.log(`wall ${wallMs.toFixed(0)} ms, ${delivered} deliveries`);
  await dynamo?.stop();
}

/** Client-observed round trips through the harness: request sent until its answer arrives on the same socket. */
async function benchHarness(clients: number, signals: number): Promise<void> {
  const harness = await startSignalingHarness({ maxRoomSize: 2 });
  const sockets: WebSocket[] = [];
  try {
    const roomOf = (i: number) =>
      `bench-room-${Math.floor(i / 2)
        .toString()
        .padStart(4, '0')}`;
    const opened = await Promise.all(
      Array.from({ length: clients }, async (_, i) => {
        const token = await harness.issuer.issueToken({ sub: randomSub(i), rooms: [roomOf(i)] });
        const ws = new WebSocket(`${harness.url}/?token=${token}`);
        sockets.push(ws);
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('connect timed out')), 10_000);
          ws.once('open', () => (clearTimeout(timer), resolve()));
          ws.once('error', reject);
        });
        return { ws, pending: new Map<string, (message: { type: string; connectionId?: string }) => void>() };
      }),
    );
    for (const client of opened) {
      client.ws.on('message', (data) => {
        const message = JSON.parse(data.toString()) as { requestId?: string; type: string };
        if (message.requestId) client.pending.get(message.requestId)?.(message);
      });
    }
    let sequence = 0;
    const request = (i: number, frame: object, samples: number[]) =>
      new Promise<{ type: string; connectionId?: string }>((resolve, reject) => {
        const requestId = `b${++sequence}`;
        const started = performance.now();
        const timer = setTimeout(() => reject(new Error(`no answer to ${requestId}`)), 30_000);
        opened[i].pending.set(requestId, (message) => {
          clearTimeout(timer);
          samples.push(performance.now() - started);
          opened[i].pending.delete(requestId);
          resolve(message);
        });
        opened[i].ws.send(JSON.stringify({ ...frame, requestId }));
      });
    const join: number[] = [];
    const signal: number[] = [];
    const joined = await Promise.all(opened.map((_, i) => request(i, { action: 'join', roomId: roomOf(i) }, join)));
    const ids = joined.map((answer) => answer.connectionId ?? '');
    const sdp = `v=0\r\n${'a=candidate:1 1 udp 2122260223 192.0.2.10 54400 typ host\r\n'.repeat(40)}`;
    await Promise.all(
      opened.map(async (_, i) => {
        const peer = ids[i % 2 === 0 ? i + 1 : i - 1];
        for (let n = 0; n < signals; n++) {
          const answer = await request(i, { action: 'signal', to: peer, kind: 'candidate', payload: sdp }, signal);
          if (answer.type !== 'signal-sent') throw new Error(`signal failed: ${JSON.stringify(answer)}`);
        }
      }),
    );
    console.log(
      `node ${process.version}, ${clients} real ws clients through the harness (dynalite in process), ${signals} signals each`,
    );
    console.log(summary('join', join));
    console.log(summary('signal', signal));
  } finally {
    for (const ws of sockets) ws.terminate();
    await harness.stop();
  }
}

function randomSub(i: number): string {
  return `0f8fad5b-d9cb-469f-a165-${i.toString().padStart(12, '0')}`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
