/**
 * Relay throughput: the production turnserver.conf against a stock minimal config on the same coturn, same load.
 * Runs as root inside a private network namespace it creates (re-executes itself under `unshare -n`), on a
 * documentation address (198.51.100.1) on that namespace's loopback, so the production deny list applies unchanged
 * and no packet leaves the namespace. Each session pair relays paced UDP both ways below max-bps, so the comparison
 * is the hardening's cost in coturn CPU per relayed packet and in loss, not the bandwidth cap. Media is relayed as
 * ChannelData, as browsers do; --indications uses Send/Data indications instead.
 *
 *   npx tsx scripts/coturn/relay-bench.ts [--pairs 20] [--pps 400] [--bytes 1000] [--seconds 6]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { mintTurnCredential } from '../../lib/signaling/turn-credentials';
import { DEFAULT_RELAY_TURN_SETTINGS, productionTurnOptions } from '../../lib/relay/production-turn-options';
import { renderTurnConfig } from '../../lib/relay/turn-config';
import {
  CoturnProcess,
  makeRunDir,
  removeRunDir,
  requireCoturnRoot,
  writeTestCertificate,
  type RunDir,
} from '../../tools/lab/coturn/coturn-process';
import { minimalTurnConfig } from '../../tools/lab/coturn/minimal-config';
import { applySecretDocument } from '../../tools/lab/coturn/secret-db';
import { TurnClient } from '../../tools/lab/coturn/turn-client';

const ADDRESS = '198.51.100.1';
// Alphanumeric, as relays require (lib/relay/secret-sync.ts).
const BENCH_REALM = 'turn.bench.test';
const SECRET = 'benchOnlySecret0123456789abcdef0123456789';
const CHANNEL = 0x4000;
const PORTS = { listening: 3478, tls: 5349, min: 40000, max: 40999 };

interface Options {
  pairs: number;
  pps: number;
  bytes: number;
  seconds: number;
  /** Send/Data indications instead of ChannelData (browsers use channels for media). */
  indications: boolean;
}

function productionConfig(dir: RunDir, tls: { certFile: string; keyFile: string }): string {
  const production = productionTurnOptions({
    ...DEFAULT_RELAY_TURN_SETTINGS,
    realm: BENCH_REALM,
    vpcCidr: '10.40.0.0/16',
    listeningPort: PORTS.listening,
    tlsListeningPort: PORTS.tls,
    relayPortRange: { min: PORTS.min, max: PORTS.max },
  });
  return renderTurnConfig({
    ...production,
    listeningIps: [ADDRESS],
    relayIps: [ADDRESS],
    externalIp: undefined,
    // Production reads its secrets from the database, so the bench does too (written before start, see run()).
    tls,
    logFile: `${dir.inRoot}/turnserver.log`,
    pidFile: `${dir.inRoot}/turnserver.pid`,
    userDbFile: `${dir.inRoot}/turndb`,
  });
}

/** Attribution variants: the production file without one group of lines. */
function withoutLines(pattern: RegExp): typeof productionConfig {
  return (dir, tls) =>
    productionConfig(dir, tls)
      .split('\n')
      .filter((line) => !pattern.test(line))
      .join('\n');
}

const CONFIGS = {
  minimal: (dir: RunDir, tls: { certFile: string; keyFile: string }) => minimalConfig(dir, tls),
  production: productionConfig,
  'production-without-deny-list': withoutLines(/^denied-peer-ip=/),
  'production-without-bandwidth-caps': withoutLines(/^(max-bps|bps-capacity)=/),
  'production-without-fingerprint': withoutLines(/^fingerprint$/),
} as const;

/** What a stock coturn needs to run REST auth (tools/lab/coturn/minimal-config.ts). */
function minimalConfig(dir: RunDir, tls: { certFile: string; keyFile: string }): string {
  return minimalTurnConfig({
    dir,
    address: ADDRESS,
    listeningPort: PORTS.listening,
    relayPorts: { min: PORTS.min, max: PORTS.max },
    realm: BENCH_REALM,
    secret: SECRET,
    tls: { port: PORTS.tls, ...tls },
  });
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
}

async function run(name: string, configOf: typeof minimalConfig, o: Options): Promise<Record<string, number | string>> {
  const dir = makeRunDir();
  // The production config finds its secret here, written by the relay's own apply script; the minimal one ignores it.
  applySecretDocument(join(dir.host, 'turndb'), BENCH_REALM, 3600, { current: SECRET });
  const server = await CoturnProcess.start({
    dir,
    config: configOf(dir, writeTestCertificate(dir)),
    listeningPort: PORTS.listening,
    logFileInRoot: `${dir.inRoot}/turnserver.log`,
    probeHost: ADDRESS,
  });
  const clients: TurnClient[] = [];
  try {
    const pid = Number(readFileSync(join(dir.host, 'turnserver.pid'), 'utf8').trim());
    let received = 0;
    const pairs: {
      a: TurnClient;
      b: TurnClient;
      ra: { ip: string; port: number };
      rb: { ip: string; port: number };
    }[] = [];
    for (let i = 0; i < o.pairs; i += 1) {
      const make = async (side: string) => {
        const user = mintTurnCredential({
          secret: SECRET,
          opaqueId: `bench-${name}-${side}-${i}`,
          ttlSeconds: 600,
          maxTtlSeconds: 3600,
          nowMs: Date.now(),
        });
        const client = new TurnClient({ host: ADDRESS, port: PORTS.listening }, user.username, user.credential);
        clients.push(client);
        const allocation = await client.allocate();
        if (!allocation.ok) throw new Error(`${name}: allocation failed: ${allocation.code} ${allocation.reason}`);
        client.onData((data) => (received += data.length > 0 ? 1 : 0));
        return { client, relayed: allocation.relayed };
      };
      const [a, b] = [await make('a'), await make('b')];
      for (const [from, to] of [
        [a, b],
        [b, a],
      ] as const) {
        const bound = await from.client.channelBind(CHANNEL, to.relayed);
        if (!bound.ok) throw new Error(`${name}: channel bind failed: ${bound.code}`);
      }
      pairs.push({ a: a.client, b: b.client, ra: a.relayed, rb: b.relayed });
    }
    const payload = Buffer.alloc(o.bytes, 0x5a);
    const tickMs = 10;
    const perTick = Math.max(1, Math.round((o.pps * tickMs) / 1000));
    let sent = 0;
    const cpuBefore = cpuSeconds(pid);
    const started = Date.now();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (Date.now() - started >= o.seconds * 1000) {
          clearInterval(timer);
          resolve();
          return;
        }
        for (const p of pairs) {
          for (let k = 0; k < perTick; k += 1) {
            if (o.indications) {
              p.a.sendIndication(p.rb, payload);
              p.b.sendIndication(p.ra, payload);
            } else {
              p.a.sendChannelData(CHANNEL, payload);
              p.b.sendChannelData(CHANNEL, payload);
            }
            sent += 2;
          }
        }
      }, tickMs);
    });
    await new Promise((resolve) => setTimeout(resolve, 500)); // drain in-flight packets
    const cpu = cpuSeconds(pid) - cpuBefore;
    const elapsed = (Date.now() - started) / 1000;
    return {
      config: name,
      sentPps: Math.round(sent / o.seconds),
      deliveredPps: Math.round(received / o.seconds),
      lossPercent: Number((100 * (1 - received / sent)).toFixed(2)),
      payloadMbitPerSecondEachWay: Number(((received * o.bytes * 8) / o.seconds / 2 / 1e6).toFixed(1)),
      coturnCpuSeconds: Number(cpu.toFixed(2)),
      coturnCpuMsPer1000Packets: Number(((cpu * 1e6) / Math.max(1, received)).toFixed(3)),
      wallSeconds: Number(elapsed.toFixed(1)),
    };
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await server.stop();
    removeRunDir(dir);
  }
}

async function main(): Promise<void> {
  const o = new Command()
    .option('--pairs <n>', 'session pairs', '20')
    .option('--pps <n>', 'packets per second per direction per pair', '400')
    .option('--bytes <n>', 'payload bytes per packet', '1000')
    .option('--seconds <n>', 'measured seconds per config', '6')
    .option('--rounds <n>', 'alternating rounds per config', '3')
    .option('--indications', 'relay with Send/Data indications instead of ChannelData')
    .option('--configs <list>', `comma-separated, from: ${Object.keys(CONFIGS).join(', ')}`, 'minimal,production')
    .parse()
    .opts();
  if (!process.env.HIPAA_RTC_BENCH_NETNS) {
    // Re-run inside a private network namespace: nothing here can reach the host's network.
    const result = spawnSync('unshare', ['-n', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
      env: { ...process.env, HIPAA_RTC_BENCH_NETNS: '1' },
      stdio: 'inherit',
      timeout: 600_000,
    });
    process.exit(result.status ?? 1);
  }
  requireCoturnRoot();
  spawnSync('ip', ['link', 'set', 'lo', 'up']);
  spawnSync('ip', ['addr', 'add', `${ADDRESS}/32`, 'dev', 'lo']);
  const options: Options = {
    pairs: Number(o.pairs),
    pps: Number(o.pps),
    bytes: Number(o.bytes),
    seconds: Number(o.seconds),
    indications: Boolean(o.indications),
  };
  const results = [];
  const names = String(o.configs).split(',') as (keyof typeof CONFIGS)[];
  for (const name of names) if (!(name in CONFIGS)) throw new Error(`unknown config ${name}`);
  for (let round = 0; round < Number(o.rounds); round += 1) {
    for (const name of names) results.push(await run(name, CONFIGS[name], options));
  }
  console.log(JSON.stringify({ options, results }, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
