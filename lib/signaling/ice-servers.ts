/**
 * The `ice-servers` answer: TURN REST credentials for the relay fleet, minted by the pure mintTurnCredential with
 * the server-side cap. The credential id is a keyed pseudonym of the authenticated subject (turn-pseudonym.ts),
 * never the subject and never anything from the message.
 */
import { TURN_TTL_SECONDS } from './bounds';
import { SIGNALING_ENV } from './environment';
import { mintTurnCredential } from './turn-credentials';
import { turnPseudonym } from './turn-pseudonym';
import type { IceServer } from './messages';

/** coturn's defaults: 3478 for TURN over UDP and TCP, 5349 for TURN over TLS. */
export function turnUrlsForHosts(hosts: readonly string[], ports: { plain?: number; tls?: number } = {}): string[] {
  const plain = ports.plain ?? 3478;
  const tls = ports.tls ?? 5349;
  return hosts.flatMap((host) => [
    `turn:${host}:${plain}?transport=udp`,
    `turn:${host}:${plain}?transport=tcp`,
    `turns:${host}:${tls}?transport=tcp`,
  ]);
}

const TURN_URL = /^turns?:[A-Za-z0-9.[\]:-]+(\?transport=(udp|tcp))?$/;

/** Rejects anything that is not a turn:/turns: URL, so a typo in configuration fails at cold start. */
export function validateTurnUrls(urls: readonly string[]): string[] {
  const name = SIGNALING_ENV.turn.urls;
  if (urls.length === 0) throw new Error(`${name} is empty; list turn: and turns: URLs of the relays`);
  const bad = urls.filter((url) => !TURN_URL.test(url));
  if (bad.length > 0) throw new Error(`${name} has entries that are not turn:/turns: URLs: ${bad.join(', ')}`);
  return [...urls];
}

export interface IceServersRequest {
  readonly secret: string;
  /** The key of the subject's pseudonym (turn-pseudonym.ts); the username carries the pseudonym, never `sub`. */
  readonly pseudonymKey: string;
  readonly sub: string;
  readonly urls: readonly string[];
  /** What the client asked for; optional, and only ever lowers the lifetime. */
  readonly requestedTtlSeconds?: number;
  readonly maxTtlSeconds: number;
  readonly nowMs: number;
}

export function buildIceServers(request: IceServersRequest): {
  iceServers: IceServer[];
  ttlSeconds: number;
  expiresAt: number;
} {
  const credential = mintTurnCredential({
    secret: request.secret,
    opaqueId: turnPseudonym(request.pseudonymKey, request.sub),
    // Never below the shortest credential, whatever the client asks (TURN_TTL_SECONDS.why).
    ttlSeconds: Math.max(TURN_TTL_SECONDS.min, request.requestedTtlSeconds ?? request.maxTtlSeconds),
    maxTtlSeconds: request.maxTtlSeconds,
    nowMs: request.nowMs,
  });
  return {
    iceServers: [{ urls: [...request.urls], username: credential.username, credential: credential.credential }],
    ttlSeconds: credential.ttlSeconds,
    expiresAt: credential.expiresAt,
  };
}
