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
  const modes: Array<[string, string[]]> = [
    ['handlers only (in-memory store), burst', ['--memory-store', '--clients', '100', '--repeat', '3']],
    ['dynalite, one call alone (the floor)', ['--clients', '2', '--mode', 'paced', '--ramp', '0', '--repeat', '5']],
    ['dynalite (a local DynamoDB implementation), burst', ['--clients', '100', '--repeat', '3']],
    ['dynalite, paced', paced],
    ['dynalite, paced, per-connection rate limits off (their cost)', [...paced, '--no-rate-limit']],
  ];
  const lines = [
    '## Signaling handlers',
    '',
    '`scripts/bench/signaling-bench.ts`: the production route code, latency per message.',
    '',
  ];
  for (const [label, args] of modes) {
    const out = runScript(root, 'scripts/bench/signaling-bench.ts', args).trim();
    lines.push(`**${label}** (\`${args.join(' ')}\`):`, '', '```', out, '```', '');
  }
  return lines.join('\n');
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
