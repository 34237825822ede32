/**
 * Composition for the signaling Lambdas. Each handler imports only the builders it needs (compose-rooms,
 * compose-turn, compose-auth), so esbuild leaves out the SDK clients and libraries a function never uses.
 * Settings are read from the environment on first use, once per cold start.
 */
import { powertoolsLog } from '../../lib/signaling/log';
import type { RateLimiter } from '../../lib/signaling/rate-limit';
import type { RoomService } from '../../lib/signaling/rooms';
import type { RouteDeps, TurnDeps } from '../../lib/signaling/routes';

export function once<T>(build: () => T): () => T {
  let value: { built: T } | undefined;
  return () => (value ??= { built: build() }).built;
}

function notWired(what: string): () => never {
  return () => {
    throw new Error(`this function is not wired with ${what}`);
  };
}

export function routeDeps(
  parts: { rooms?: () => RoomService; turn?: () => TurnDeps; limiter?: () => RateLimiter } = {},
): RouteDeps {
  return {
    rooms: parts.rooms ?? notWired('rooms'),
    turn: parts.turn ?? notWired('TURN'),
    limiter: parts.limiter ?? notWired('rate limits'),
    log: powertoolsLog(),
    nowMs: Date.now,
  };
}
