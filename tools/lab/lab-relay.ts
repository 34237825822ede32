/**
 * coturn from the sid root with the production-rendered turnserver.conf, only the addresses, secret and host paths
 * substituted, for the end-to-end tests, the demo and the call benchmark. Waits (bounded) until it answers STUN and
 * holds its start-up log to the same standard as the relay tests.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_RELAY_TURN_SETTINGS, productionTurnOptions } from '../../lib/relay/production-turn-options';
import { renderTurnConfig } from '../../lib/relay/turn-config';
import { COTURN_ROOT, CoturnProcess, makeRunDir, removeRunDir, requireCoturnRoot } from './coturn/coturn-process';
import { startupLogProblems } from './coturn/startup-log';
import { TurnClient } from './coturn/turn-client';

export const LAB_REALM = 'turn.hipaa-rtc.test';
/** A documentation range standing in for the VPC (denied as a peer like the production VPC CIDR). */
export const LAB_VPC_CIDR = '192.0.2.0/24';

export interface LabRelayOptions {
  readonly relayIp: string;
  readonly secret: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** Run coturn inside this network namespace (the caller may be outside it but must reach relayIp). */
  readonly netns?: string;
}

export interface LabRelay {
  readonly version: string;
  readonly config: string;
  log(): string;
  stop(): Promise<void>;
}

export async function startLabRelay(options: LabRelayOptions): Promise<LabRelay> {
  const version = requireCoturnRoot(COTURN_ROOT);
  const dir = makeRunDir(COTURN_ROOT);
  copyFileSync(options.certFile, join(dir.host, 'cert.pem'));
  copyFileSync(options.keyFile, join(dir.host, 'key.pem'));
  const production = productionTurnOptions({ ...DEFAULT_RELAY_TURN_SETTINGS, realm: LAB_REALM, vpcCidr: LAB_VPC_CIDR });
  const config = renderTurnConfig({
    ...production,
    // Substituted: the instance's addresses (the boot script reads them from IMDSv2), the secret (Secrets
    // Manager), and host paths inside the chroot. Everything else is the production rendering.
    listeningIps: [options.relayIp],
    relayIps: [options.relayIp],
    externalIp: undefined,
    secrets: { current: options.secret },
    tls: { certFile: `${dir.inRoot}/cert.pem`, keyFile: `${dir.inRoot}/key.pem` },
    logFile: `${dir.inRoot}/turnserver.log`,
    pidFile: `${dir.inRoot}/turnserver.pid`,
    userDbFile: `${dir.inRoot}/turndb`,
  });
  writeFileSync(join(dir.host, 'turnserver.conf'), config, { mode: 0o600 });
  const command = [
    'timeout',
    '--kill-after=5',
    '3600',
    'chroot',
    COTURN_ROOT,
    '/usr/bin/turnserver',
    '-c',
    `${dir.inRoot}/turnserver.conf`,
  ];
  const argv = options.netns ? ['ip', 'netns', 'exec', options.netns, ...command] : command;
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  const relay = new CoturnProcess(child, join(COTURN_ROOT, dir.inRoot, 'turnserver.log'));
  // coturn buffers its log file and flushes it when stopped: the log as of the stop stays readable afterwards.
  let finalLog: string | undefined;
  const stop = async () => {
    if (finalLog !== undefined) return;
    await relay.stop();
    finalLog = relay.log();
    removeRunDir(dir);
  };
  try {
    const probe = new TurnClient(
      { host: options.relayIp, port: DEFAULT_RELAY_TURN_SETTINGS.listeningPort },
      'probe',
      'probe',
    );
    const deadline = Date.now() + 15_000;
    let ready = false;
    try {
      while (!ready && Date.now() < deadline && !relay.hasExited()) ready = (await probe.binding()).ok;
    } finally {
      await probe.close();
    }
    if (!ready) throw new Error(`coturn did not answer on ${options.relayIp}:3478:\n${relay.log()}`);
    // Let the TLS and TCP listeners finish logging, then hold the log to the same standard as the relay tests.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const problems = startupLogProblems(relay.log());
    if (problems.length > 0) throw new Error(`coturn start-up log has problems:\n${problems.join('\n')}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { version, config, log: () => finalLog ?? relay.log(), stop };
}
