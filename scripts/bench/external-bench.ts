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

export function signalingMarkdown(root: string): string {
  // Two load models, never mixed up: a burst (all 100 clients send at the same instant, so latency is queueing on one
  // process playing 100 Lambda instances) and a paced open-loop load (100 connected clients, each sending 5 messages
  // per second, calls starting over 20 s), the shape of real call setup. One call alone gives the floor: what a join
  // and a signal cost here with no other call competing. Runs are repeated and pooled (fresh state each time), so a
  // p99 rests on 300 joins rather than 100.
  const paced = ['--clients', '100', '--mode', 'paced', '--rate', '5', '--ramp', '20', '--repeat', '3'];
  // `goalLoad`: the load the goal names (dynalite, 100 concurrent clients); the other rows explain the figures.
  // `caveat`: said beside the verdict, so a row measuring something we do not ship cannot read as a pass.
  const modes: Array<{ label: string; args: string[]; goalLoad: boolean; caveat?: string }> = [
    {
      label: 'handlers only (in-memory store), burst',
      args: ['--memory-store', '--clients', '100', '--repeat', '3'],
      goalLoad: false,
    },
    {
      label: 'dynalite, one call alone (the floor)',
      args: ['--clients', '2', '--mode', 'paced', '--ramp', '0', '--repeat', '5'],
      goalLoad: false,
    },
    {
      label: 'dynalite (a local DynamoDB implementation), burst',
      args: ['--clients', '100', '--repeat', '3'],
      goalLoad: true,
    },
    { label: 'dynalite, paced', args: paced, goalLoad: true },
    {
      label: 'dynalite, paced, rate limits off (their cost)',
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
    '`scripts/bench/signaling-bench.ts`: the production route code, latency per message. Goal (issue #4): p99 <= 20 ms ' +
      'for `join` and `signal` against dynalite with 100 concurrent clients. The table is read from the outputs below.',
    '',
    '| load | join p50 | join p99 | signal p50 | signal p99 | p99 <= 20 ms |',
    '| --- | --- | --- | --- | --- | --- |',
    ...outputs.map(({ label, out, goalLoad, caveat }) => latencyRow(label, out, goalLoad, caveat)),
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
  const verdict = (route: string, p99: number) => `${route} ${p99 <= 20 ? 'met' : 'not met'}`;
  const verdicts = `${verdict('join', join.p99)}, ${verdict('signal', signal.p99)}${caveat ? ` (${caveat})` : ''}`;
  const goal = goalLoad ? verdicts : "not the goal's load";
  return `| ${label} | ${join.p50.toFixed(1)} ms | ${join.p99.toFixed(1)} ms | ${signal.p50.toFixed(1)} ms | ${signal.p99.toFixed(1)} ms | ${goal} |`;
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
