/**
 * A stock coturn config for TURN REST auth on one address: no deny list, quotas, caps, nonce or rate limits. The
 * baseline the relay benchmark compares the production config with, and the frame the capacity probe adds single
 * limits to. Not for relays: production configs come from lib/relay/turn-config.ts.
 */
import type { RunDir } from './coturn-process';

export interface MinimalConfigOptions {
  readonly dir: RunDir;
  readonly address: string;
  readonly listeningPort: number;
  readonly relayPorts: { readonly min: number; readonly max: number };
  readonly realm: string;
  readonly secret: string;
  /** A TLS listener, when the caller needs one. */
  readonly tls?: { readonly port: number; readonly certFile: string; readonly keyFile: string };
  /** Lines added after authentication, e.g. the single quota a probe measures. */
  readonly extraLines?: readonly string[];
}

export function minimalTurnConfig(o: MinimalConfigOptions): string {
  return [
    `listening-ip=${o.address}`,
    `relay-ip=${o.address}`,
    `listening-port=${o.listeningPort}`,
    ...(o.tls ? [`tls-listening-port=${o.tls.port}`] : []),
    `min-port=${o.relayPorts.min}`,
    `max-port=${o.relayPorts.max}`,
    'use-auth-secret',
    `static-auth-secret=${o.secret}`,
    `realm=${o.realm}`,
    ...(o.extraLines ?? []),
    ...(o.tls ? [`cert=${o.tls.certFile}`, `pkey=${o.tls.keyFile}`] : []),
    `log-file=${o.dir.inRoot}/turnserver.log`,
    'simple-log',
    'no-stdout-log',
    `pidfile=${o.dir.inRoot}/turnserver.pid`,
    `userdb=${o.dir.inRoot}/turndb`,
    '',
  ].join('\n');
}
