/**
 * Runs the signaling and relay benchmarks (their own scripts) as subprocesses and turns their output into
 * Markdown. The figures are whatever the scripts measured on this run; nothing is typed in.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

function runScript(root: string, script: string, args: string[]): string {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, script), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (result.status !== 0) throw new Error(`${script} ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  return result.stdout;
}

/** Goals at the paced 100-client load, rate limits on (issue 15): p99 per route, in ms. */
export const SIGNALING_GOALS = { join: 25, signal: 15 } as const;

/** The command that produces the signaling section, printed beside it so the figures can be reproduced. */
export const SIGNALING_COMMAND = 'npm run bench:signaling';

/**
 * What a real DynamoDB table adds to these figures, from the request pattern the tests pin down
 * (test/signaling/dynamo-store.test.ts: round trips per route) and AWS's published latency.
 */
export const REAL_DYNAMODB_PARAGRAPH = [
  '**What a real DynamoDB adds.** DynamoDB Local runs on this machine, so each request above costs local CPU and a',
  'loopback hop, not a network round trip. In AWS, each sequential round trip to the table adds the service latency,',
  'which AWS publishes as single-digit milliseconds (https://aws.amazon.com/dynamodb/, "single-digit millisecond',
  'performance at any scale"), plus the hop from Lambda to the regional endpoint. `join` makes 2 sequential round trips',
  '(the connection and user counts and one consistent BatchGetItem of the connection and the room, sent together; then',
  'one TransactWriteItems), so a real table adds about 2 x (1 to 9) = 2 to 18 ms to a join, and a transactional write',
  'costs more than a plain one (DynamoDB performs two underlying reads or writes per transactional item:',
  'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html), so expect the upper half of',
  'that range. A join that loses a race with a join or leave of the same room retries its transaction once per commit',
  'it lost to (the cancellation carries the room as it now is), adding one round trip each. `signal` makes 1 round',
  'trip before delivery (its count and one BatchGetItem of both connections, sent together), so it adds 1 to 9 ms, and',
  "PostToConnection to the peer adds API Gateway's own latency on top. `leave` and `$disconnect` make 3 (which room,",
  'the one transaction, whom to tell). Requests per message multiply the DynamoDB bill, not the latency: the figure in',
  'the table counts requests, and the round trips are the latency.',
].join(' ');

export function signalingMarkdown(root: string): string {
  // Two load models, never mixed up: a burst (all 100 clients send at the same instant, so latency is queueing on one
  // process playing 100 Lambda instances) and a paced open-loop load (100 connected clients, each sending 5 messages
  // per second, calls starting over 20 s), the shape of real call setup. One call alone gives the floor: what a join
  // and a signal cost here with no other call competing. Runs are repeated and pooled (fresh state each time), so a
  // p99 rests on 300 joins rather than 100.
  const paced = ['--clients', '100', '--mode', 'paced', '--rate', '5', '--ramp', '20', '--repeat', '3'];
  // `goalLoad`: the load the goals name (paced, 100 clients, rate limits on); the other rows explain the figures.
  // `caveat`: said beside the verdict, so a row measuring something we do not ship cannot read as a pass.
  const modes: Array<{ label: string; args: string[]; goalLoad: boolean; caveat?: string }> = [
    {
      label: 'handlers only (in-memory store), burst',
      args: ['--memory-store', '--clients', '100', '--repeat', '3'],
      goalLoad: false,
    },
    {
      label: 'DynamoDB Local, one call alone (the floor)',
      args: ['--clients', '2', '--mode', 'paced', '--ramp', '0', '--repeat', '5'],
      goalLoad: false,
    },
    { label: 'DynamoDB Local, burst', args: ['--clients', '100', '--repeat', '3'], goalLoad: false },
    { label: 'DynamoDB Local, paced (the goal load)', args: paced, goalLoad: true },
    {
      label: 'DynamoDB Local, paced, rate limits off (their cost)',
      args: [...paced, '--no-rate-limit'],
      goalLoad: true,
      caveat: 'not the shipped configuration',
    },
  ];
  const outputs = modes.map((mode) => ({
    ...mode,
    out: runScript(root, 'scripts/bench/signaling-bench.ts', mode.args).trim(),
  }));
  return [
    '## Signaling handlers',
    '',
    '`scripts/bench/signaling-bench.ts` (`' +
      SIGNALING_COMMAND +
      '`): the production route code against Amazon DynamoDB Local, latency per message. Goals (issue 15), at the ' +
      `paced 100-client load with rate limits on: \`join\` p99 <= ${SIGNALING_GOALS.join} ms, \`signal\` p99 <= ` +
      `${SIGNALING_GOALS.signal} ms. The table is read from the outputs below.`,
    '',
    '| load | join p50 | join p99 | signal p50 | signal p99 | DynamoDB requests per join / signal | handler CPU per message | goals |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...outputs.map(({ label, out, goalLoad, caveat }) => latencyRow(label, out, goalLoad, caveat)),
    '',
    REAL_DYNAMODB_PARAGRAPH,
    '',
    ...outputs.flatMap(({ label, args, out }) => [`**${label}** (\`${args.join(' ')}\`):`, '', '```', out, '```', '']),
  ].join('\n');
}

/** One summary row from a signaling-bench output; throws if the output lacks a route's line (a broken bench). */
export function latencyRow(label: string, out: string, goalLoad: boolean, caveat?: string): string {
  const figures = (route: 'join' | 'signal') => {
    const match = new RegExp(`^${route}\\s+n=\\d+ p50=([\\d.]+) ms p90=[\\d.]+ ms p99=([\\d.]+) ms`, 'm').exec(out);
    if (!match) throw new Error(`signaling-bench output for "${label}" has no ${route} line:\n${out}`);
    return { p50: Number(match[1]), p99: Number(match[2]) };
  };
  const join = figures('join');
  const signal = figures('signal');
  const requests = /^DynamoDB requests per message: join ([\d.]+), signal ([\d.]+)$/m.exec(out);
  const cpu = /^handler CPU per message: ([\d.]+) ms$/m.exec(out);
  const verdict = (route: 'join' | 'signal', p99: number) =>
    `${route} ${p99 <= SIGNALING_GOALS[route] ? 'met' : 'not met'} (<= ${SIGNALING_GOALS[route]} ms)`;
  const verdicts = `${verdict('join', join.p99)}, ${verdict('signal', signal.p99)}${caveat ? ` (${caveat})` : ''}`;
  const goal = goalLoad ? verdicts : "not the goals' load";
  return [
    label,
    `${join.p50.toFixed(1)} ms`,
    `${join.p99.toFixed(1)} ms`,
    `${signal.p50.toFixed(1)} ms`,
    `${signal.p99.toFixed(1)} ms`,
    requests ? `${requests[1]} / ${requests[2]}` : 'none (no database)',
    cpu ? `${cpu[1]} ms` : '?',
    goal,
  ]
    .join(' | ')
    .replace(/^/, '| ')
    .concat(' |');
}

interface RelayResult {
  config: string;
  deliveredPps: number;
  lossPercent: number;
  payloadMbitPerSecondEachWay: number;
  coturnCpuMsPer1000Packets: number;
}

export function relayMarkdown(root: string): string {
  const out = runScript(root, 'scripts/coturn/relay-bench.ts', ['--seconds', '4', '--rounds', '2']);
  const parsed = JSON.parse(out.slice(out.indexOf('{'))) as {
    options: Record<string, unknown>;
    results: RelayResult[];
  };
  const byConfig = new Map<string, RelayResult[]>();
  for (const r of parsed.results) byConfig.set(r.config, [...(byConfig.get(r.config) ?? []), r]);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return [
    '## Relay throughput: production config vs minimal config',
    '',
    `\`scripts/coturn/relay-bench.ts\` (coturn from the sid root in a private namespace; ChannelData; options ${JSON.stringify(parsed.options)}). The Node load generator is the ceiling near 16k packets/s, so compare the configs, not the absolute rate.`,
    '',
    '| config | delivered packets/s | loss | payload Mbit/s each way | coturn CPU ms per 1000 packets |',
    '| --- | --- | --- | --- | --- |',
    ...[...byConfig.entries()].map(
      ([config, rs]) =>
        `| ${config} | ${mean(rs.map((r) => r.deliveredPps)).toFixed(0)} | ${mean(rs.map((r) => r.lossPercent)).toFixed(2)} % | ${mean(rs.map((r) => r.payloadMbitPerSecondEachWay)).toFixed(1)} | ${mean(rs.map((r) => r.coturnCpuMsPer1000Packets)).toFixed(2)} |`,
    ),
    '',
  ].join('\n');
}
