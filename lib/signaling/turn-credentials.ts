/**
 * TURN REST credentials (draft-uberti-behave-turn-rest-00, coturn's `use-auth-secret`): the relay and the signaling
 * API share a secret; signaling mints time-limited credentials that the relay can verify without any lookup.
 *
 *   username = "<expiry in unix seconds>:<opaque id>"
 *   password = base64(HMAC-SHA1(secret, username))
 *
 * Pure: the clock and the id are inputs, so the function is tested with fixed vectors.
 */
import { createHmac } from 'node:crypto';

/** Opaque ids only: no ':' (the username separator) and nothing that could carry a name or an address. */
const OPAQUE_ID = /^[A-Za-z0-9_-]{8,64}$/;

export interface TurnCredentialRequest {
  /** The shared secret the relays verify with (the current one during rotation). */
  readonly secret: string;
  /** An opaque, PHI-free identifier for the holder (for relay session logs). */
  readonly opaqueId: string;
  /** Requested lifetime. The result never lives longer than `maxTtlSeconds`. */
  readonly ttlSeconds: number;
  /** The server-side cap; client input can lower the lifetime but never raise it above this. */
  readonly maxTtlSeconds: number;
  /** Current time in milliseconds since the epoch. */
  readonly nowMs: number;
}

export interface TurnCredential {
  readonly username: string;
  readonly credential: string;
  /** Expiry in unix seconds (also the username prefix). */
  readonly expiresAt: number;
  /** The lifetime actually granted, after the cap. */
  readonly ttlSeconds: number;
}

export class TurnCredentialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TurnCredentialError';
  }
}

export function turnPassword(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

export function mintTurnCredential(request: TurnCredentialRequest): TurnCredential {
  if (request.secret.length < 32) {
    throw new TurnCredentialError('TURN shared secret is shorter than 32 characters; rotate it to a longer one.');
  }
  if (!OPAQUE_ID.test(request.opaqueId)) {
    throw new TurnCredentialError(
      'TURN credential id must be opaque: 8-64 characters of [A-Za-z0-9_-] (no e-mail, name or address).',
    );
  }
  if (!Number.isInteger(request.maxTtlSeconds) || request.maxTtlSeconds < 60) {
    throw new TurnCredentialError('maxTtlSeconds must be an integer of at least 60 seconds.');
  }
  if (!Number.isFinite(request.ttlSeconds) || request.ttlSeconds <= 0) {
    throw new TurnCredentialError('ttlSeconds must be a positive number.');
  }
  if (!Number.isFinite(request.nowMs) || request.nowMs <= 0) {
    throw new TurnCredentialError('nowMs must be a positive timestamp in milliseconds.');
  }
  const ttlSeconds = Math.min(Math.floor(request.ttlSeconds), request.maxTtlSeconds);
  const expiresAt = Math.floor(request.nowMs / 1000) + ttlSeconds;
  const username = `${expiresAt}:${request.opaqueId}`;
  return { username, credential: turnPassword(request.secret, username), expiresAt, ttlSeconds };
}
