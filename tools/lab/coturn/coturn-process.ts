/**
 * Starts the real coturn from the Debian sid root (scripts/coturn/make-sid-root.sh) on loopback, with a config the
 * test supplies, and stops it again. Everything is bounded: readiness, shutdown and the process itself (`timeout`).
 *
 * The server runs as `chroot <root> turnserver -c <conf>`: it shares this process's network stack, so it listens on
 * 127.0.0.1/::1 here. Files it reads or writes live in a per-run directory under <root>/tmp.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { TurnClient } from './turn-client';

export const COTURN_ROOT = process.env.COTURN_ROOT ?? '/var/cache/hipaa-rtc/coturn-sid';

/** The vulnerable 4.6.1 reference (scripts/coturn/make-bookworm-root.sh), for the floor evidence only. */
export const COTURN_OLD_ROOT = process.env.COTURN_OLD_ROOT ?? '/var/cache/hipaa-rtc/coturn-bookworm';

function buildHint(root: string): string {
  const [script, variable] =
    root === COTURN_OLD_ROOT
      ? ['scripts/coturn/make-bookworm-root.sh', 'COTURN_OLD_ROOT']
      : ['scripts/coturn/make-sid-root.sh', 'COTURN_ROOT'];
  return (
    `coturn test root not found at ${root}. Build it (as root, about 45 s, about 270 MB) with:\n` +
    `  ${script}\n` +
    `(set ${variable} to build or use another directory). The relay tests never skip: they need the real server.`
  );
}

/** Throws with the build instructions when the root is missing; returns `turnserver --version` otherwise. */
export function requireCoturnRoot(root = COTURN_ROOT): string {
  if (!existsSync(join(root, 'usr/bin/turnserver'))) throw new Error(buildHint(root));
  const result = spawnSync('chroot', [root, '/usr/bin/turnserver', '--version'], { timeout: 20_000, encoding: 'utf8' });
  const version = /^\d+\.\d+\.\d+/m.exec(result.stdout ?? '')?.[0];
  if (!version) throw new Error(`turnserver in ${root} did not report a version: ${result.stderr}`);
  return version;
}

/** A directory under the root for one run's config, certificate, log, pid and database. */
export interface RunDir {
  /** Path on the host. */
  readonly host: string;
  /** The same path as the chrooted server sees it. */
  readonly inRoot: string;
}

export function makeRunDir(root = COTURN_ROOT): RunDir {
  mkdirSync(join(root, 'tmp'), { recursive: true });
  const host = mkdtempSync(join(root, 'tmp', 'hipaa-rtc-test-'));
  return { host, inRoot: host.slice(root.length) };
}

/** A throw-away self-signed P-256 certificate for coturn's TLS listener (loopback names only). */
export function writeTestCertificate(dir: RunDir): { certFile: string; keyFile: string } {
  const result = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      join(dir.host, 'key.pem'),
      '-out',
      join(dir.host, 'cert.pem'),
    ],
    { timeout: 20_000, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr}`);
  return { certFile: `${dir.inRoot}/cert.pem`, keyFile: `${dir.inRoot}/key.pem` };
}

function udpPortFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, host, () => socket.close(() => resolve(true)));
  });
}

function tcpPortFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export interface PortPlan {
  readonly listeningPort: number;
  readonly tlsListeningPort: number;
  readonly minPort: number;
  readonly maxPort: number;
}

/** Random free ports: listener (UDP+TCP), TLS listener (TCP) and a 32-port relay range, all probed on both families. */
export async function freePorts(): Promise<PortPlan> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = 20_000 + Math.floor(Math.random() * 35_000);
    const plan = { listeningPort: base, tlsListeningPort: base + 1, minPort: base + 2, maxPort: base + 33 };
    const checks: Promise<boolean>[] = [];
    for (const host of ['127.0.0.1', '::1']) {
      checks.push(udpPortFree(plan.listeningPort, host), tcpPortFree(plan.listeningPort, host));
      checks.push(tcpPortFree(plan.tlsListeningPort, host));
      for (let p = plan.minPort; p <= plan.maxPort; p += 1) checks.push(udpPortFree(p, host));
    }
    if ((await Promise.all(checks)).every(Boolean)) return plan;
  }
  throw new Error('no free port block found after 50 tries');
}

export interface StartOptions {
  readonly dir: RunDir;
  /** The complete config text. */
  readonly config: string;
  /** The UDP listening port, probed with STUN Binding until the server answers. */
  readonly listeningPort: number;
  /** Path (inside the root) of the log file the config names; read for the start-up checks. */
  readonly logFileInRoot: string;
  readonly readyTimeoutMs?: number;
  readonly root?: string;
  /** Address the readiness probe sends STUN Binding to. @default '127.0.0.1' */
  readonly probeHost?: string;
}

export class CoturnProcess {
  private exited = false;
  private output = '';

  constructor(
    private readonly child: ChildProcess,
    private readonly logFileHost: string,
  ) {
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString('utf8')));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString('utf8')));
    child.once('exit', () => (this.exited = true));
  }

  /** Writes the config, starts the server and waits (bounded) until it answers STUN on the listening port. */
  static async start(options: StartOptions): Promise<CoturnProcess> {
    const root = options.root ?? COTURN_ROOT;
    requireCoturnRoot(root);
    writeFileSync(join(options.dir.host, 'turnserver.conf'), options.config, { mode: 0o600 });
    // `timeout` is the backstop if this test process dies without stopping the server.
    const child = spawn(
      'timeout',
      ['--kill-after=5', '600', 'chroot', root, '/usr/bin/turnserver', '-c', `${options.dir.inRoot}/turnserver.conf`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const server = new CoturnProcess(child, join(root, options.logFileInRoot));
    const deadline = Date.now() + (options.readyTimeoutMs ?? 15_000);
    const probe = new TurnClient(
      { host: options.probeHost ?? '127.0.0.1', port: options.listeningPort },
      'probe',
      'probe',
    );
    try {
      while (Date.now() < deadline && !server.exited) {
        if ((await probe.binding()).ok) return server;
      }
    } finally {
      await probe.close();
    }
    const log = server.log();
    await server.stop();
    throw new Error(
      `coturn did not answer on port ${options.listeningPort} in time (exited: ${server.exited}):\n${log}`,
    );
  }

  hasExited(): boolean {
    return this.exited;
  }

  /** The server's log file plus anything it wrote to stdout/stderr (e.g. resolver errors). */
  log(): string {
    const file = existsSync(this.logFileHost) ? readFileSync(this.logFileHost, 'utf8') : '';
    return `${file}${this.output}`;
  }

  /** SIGTERM, then SIGKILL if it has not exited within the bound. */
  async stop(timeoutMs = 8_000): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await done;
    clearTimeout(timer);
  }
}

export function removeRunDir(dir: RunDir): void {
  rmSync(dir.host, { recursive: true, force: true });
}

/**
 * Runs coturn on a config only to read its start-up log: in a fresh network namespace with just loopback
 * (`unshare -n`), so a malformed address that coturn tries to resolve as a host name never reaches a real resolver.
 * Waits a bounded time (or until the server gives up), then stops it.
 */
export async function startupLogOf(
  dir: RunDir,
  config: string,
  logFileInRoot: string,
  settleMs = 1_500,
  root = COTURN_ROOT,
): Promise<string> {
  requireCoturnRoot(root);
  rmSync(join(root, logFileInRoot), { force: true });
  writeFileSync(join(dir.host, 'turnserver.conf'), config, { mode: 0o600 });
  const script = 'ip link set lo up && exec chroot "$1" /usr/bin/turnserver -c "$2"';
  const child = spawn(
    'timeout',
    ['--kill-after=5', '60', 'unshare', '-n', 'sh', '-c', script, 'sh', root, `${dir.inRoot}/turnserver.conf`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const server = new CoturnProcess(child, join(root, logFileInRoot));
  // coturn buffers its log file; configuration problems are logged while parsing, in the first milliseconds, and
  // SIGTERM flushes the file. So: give start-up a fixed, bounded time, stop, then read.
  const deadline = Date.now() + settleMs;
  while (Date.now() < deadline && !server.hasExited()) await new Promise((resolve) => setTimeout(resolve, 50));
  await server.stop();
  return server.log();
}
