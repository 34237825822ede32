/**
 * Runs INSIDE the lab's load-balancer namespace (started by tools/lab/lab.ts), the stand-in's user-space half:
 * - health checks: a TCP connection to each target group's health-check port on each target, from the stand-in,
 *   so the load balancer's egress rules and the relay's ingress rules apply to them as to an NLB's (only TCP health
 *   checks are modelled; the Relay template uses no other);
 * - TLS listeners: terminate TLS with a certificate for the relay name and re-encrypt to the target port. Like an
 *   NLB with a TLS target group, it does not validate the target's certificate.
 * UDP and TCP listeners are not here: the kernel forwards them (DNAT in the stand-in's nftables ruleset).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { StandInPlan } from './stand-in-plan';
import { replyFailed, replyReady, serveLabChild } from '../lab-child';

export interface LoadBalancerPlan extends StandInPlan {
  readonly certFile: string;
  readonly keyFile: string;
  /** How long a target group may take to pass its first health check. */
  readonly healthWindowMs: number;
}

export interface TargetHealth {
  readonly targetGroup: string;
  readonly healthy: boolean;
  readonly detail: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function explain(code: string | undefined): string {
  // TCP retransmits a SYN that netfilter drops on the way out, so even the stand-in's own egress shows as a timeout;
  // the lab's drop counters say which hop it was.
  if (code === 'ETIMEDOUT') return 'no answer in time';
  if (code === 'ECONNREFUSED') return 'refused: nothing listens on the relay';
  return code ?? 'unknown error';
}

function connectOnce(host: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (error?: string) => {
      socket.destroy();
      resolve(error);
    };
    socket.setTimeout(timeoutMs, () => done('ETIMEDOUT'));
    socket.once('connect', () => done(undefined));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code));
  });
}

async function healthCheck(group: LoadBalancerPlan['targetGroups'][number], windowMs: number): Promise<TargetHealth> {
  const deadline = Date.now() + windowMs;
  let last: string | undefined = 'not tried';
  for (let attempt = 0; attempt < 50 && Date.now() < deadline; attempt += 1) {
    const results = await Promise.all(group.targets.map((ip) => connectOnce(ip, group.healthCheckPort, 1_000)));
    last = results.find((r) => r !== undefined);
    if (last === undefined) {
      return { targetGroup: group.id, healthy: true, detail: `tcp/${group.healthCheckPort} answered` };
    }
    await sleep(250);
  }
  return {
    targetGroup: group.id,
    healthy: false,
    detail: `health check tcp/${group.healthCheckPort} failed (${explain(last)})`,
  };
}

const sockets = new Set<net.Socket>();

function startTlsListener(plan: LoadBalancerPlan, listener: LoadBalancerPlan['tls'][number]): Promise<tls.Server> {
  const server = tls.createServer(
    { cert: fs.readFileSync(plan.certFile), key: fs.readFileSync(plan.keyFile), minVersion: listener.minVersion },
    (client) => {
      const upstream = tls.connect({ host: listener.targetIp, port: listener.targetPort, rejectUnauthorized: false });
      sockets.add(client).add(upstream);
      const close = () => {
        sockets.delete(client);
        sockets.delete(upstream);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
      client.pipe(upstream).pipe(client);
    },
  );
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listener.port, listener.frontIp, () => resolve(server));
  });
}

async function main() {
  const plan = JSON.parse(process.env.HRTC_LB_PLAN ?? 'null') as LoadBalancerPlan | null;
  if (!plan) throw new Error('HRTC_LB_PLAN must be set');
  const health = await Promise.all(plan.targetGroups.map((group) => healthCheck(group, plan.healthWindowMs)));
  const healthy = new Set(health.filter((h) => h.healthy).map((h) => h.targetGroup));
  const servers = await Promise.all(
    plan.tls.filter((l) => healthy.has(l.targetGroup)).map((listener) => startTlsListener(plan, listener)),
  );
  serveLabChild(
    async () => undefined,
    async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    },
  );
  replyReady({ health });
}

main().catch((error: Error) => replyFailed(error));
