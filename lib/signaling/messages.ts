/**
 * The signaling wire protocol: what a browser may send, what the server answers, and a frame parser that never
 * throws. Every client frame is JSON with an `action` (API Gateway routes on `$request.body.action`).
 *
 * Payloads (SDP, ICE candidates) carry IP addresses, which are HIPAA identifiers: they are relayed, never logged,
 * never stored, and never echoed back in error messages.
 */
// zod/mini: the tree-shakable API; the classic `z` namespace adds ~440 KB to every Lambda bundle.
import * as z from 'zod/mini';

/**
 * Largest client frame we accept, in UTF-8 bytes. API Gateway allows 128 KB per message (32 KB per frame); an SDP
 * offer with many codecs and simulcast is 5-15 KB, so 32 KiB leaves headroom without inviting abuse.
 */
export const MAX_FRAME_BYTES = 32 * 1024;

/** Opaque room ids: random, URL-safe, and too constrained to carry a name, an e-mail or a phone number. */
export const ROOM_ID = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, 'roomId must be 8-64 characters of [A-Za-z0-9_-]'));

/** API Gateway connection ids are short base64-like strings (e.g. "L0SM9cOFvHcCIhw="). */
export const CONNECTION_ID = z.string().check(z.regex(/^[A-Za-z0-9_=+/-]{1,128}$/, 'must be a connection id'));

const REQUEST_ID = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'requestId must be 1-64 characters of [A-Za-z0-9_.:-]'));

export const JoinMessage = z.strictObject({
  action: z.literal('join'),
  roomId: ROOM_ID,
  requestId: z.optional(REQUEST_ID),
});

/**
 * Structure limits of a signal payload, checked at parse time so an expensive payload is refused up front with a
 * clear error instead of failing later: a payload 5,000 levels deep fits in 10 KB but overflows the stack when it is
 * serialised for delivery. Real payloads are far inside them: an SDP string, `{type, sdp}`, or an ICE candidate
 * `{candidate, sdpMid, sdpMLineIndex, usernameFragment}` (depth 1, 2-4 keys, strings up to ~15 KB).
 */
export const PAYLOAD_LIMITS = {
  /** Nesting of objects and arrays; the payload object itself is depth 1. */
  maxDepth: 8,
  /** Object keys plus array items, over the whole payload. */
  maxEntries: 256,
  /** Characters in any one string (and 128 in a key). The frame limit still applies to the whole. */
  maxStringLength: 24 * 1024,
  maxKeyLength: 128,
} as const;

/**
 * The first limit a payload breaks, or undefined. Iterative (an explicit stack), so a deep payload cannot overflow
 * the checker either; stops at the first problem, so its cost is bounded by the limits, not by the payload.
 */
export function payloadStructureProblem(payload: unknown): string | undefined {
  const stack: { value: unknown; depth: number }[] = [{ value: payload, depth: 0 }];
  let entries = 0;
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.length > PAYLOAD_LIMITS.maxStringLength) {
        return `has a string longer than ${PAYLOAD_LIMITS.maxStringLength} characters`;
      }
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth + 1 > PAYLOAD_LIMITS.maxDepth) return `nests deeper than ${PAYLOAD_LIMITS.maxDepth} levels`;
    const children = Array.isArray(value) ? value : Object.values(value);
    if (!Array.isArray(value) && Object.keys(value).some((key) => key.length > PAYLOAD_LIMITS.maxKeyLength)) {
      return `has a key longer than ${PAYLOAD_LIMITS.maxKeyLength} characters`;
    }
    entries += children.length;
    if (entries > PAYLOAD_LIMITS.maxEntries) return `has more than ${PAYLOAD_LIMITS.maxEntries} keys and items`;
    for (const child of children) stack.push({ value: child, depth: depth + 1 });
  }
  return undefined;
}

export const SignalMessage = z.strictObject({
  action: z.literal('signal'),
  to: CONNECTION_ID,
  kind: z.enum(['offer', 'answer', 'candidate'], 'kind must be offer, answer or candidate'),
  // An SDP string, or an RTCIceCandidateInit-like object; the server relays it without looking inside.
  payload: z
    .union(
      [z.string().check(z.minLength(1, 'payload must not be empty')), z.record(z.string(), z.unknown())],
      'payload must be a string or an object',
    )
    .check(
      z.superRefine((payload, context) => {
        const problem = payloadStructureProblem(payload);
        if (problem) context.addIssue({ code: 'custom', message: problem, input: payload });
      }),
    ),
  requestId: z.optional(REQUEST_ID),
});

export const LeaveMessage = z.strictObject({ action: z.literal('leave'), requestId: z.optional(REQUEST_ID) });

export const IceServersMessage = z.strictObject({
  action: z.literal('ice-servers'),
  /** A client may ask for a shorter lifetime; the server cap always wins. */
  ttlSeconds: z.optional(z.int('ttlSeconds must be an integer').check(z.positive('ttlSeconds must be positive'))),
  requestId: z.optional(REQUEST_ID),
});

export const ClientMessage = z.discriminatedUnion('action', [
  JoinMessage,
  SignalMessage,
  LeaveMessage,
  IceServersMessage,
]);
export type ClientMessage = z.infer<typeof ClientMessage>;
export type ClientAction = ClientMessage['action'];
export const CLIENT_ACTIONS: readonly ClientAction[] = ['join', 'signal', 'leave', 'ice-servers'];

export type ErrorCode =
  | 'bad-json'
  | 'unknown-action'
  | 'invalid-message'
  | 'payload-too-large'
  | 'room-not-authorized'
  | 'room-full'
  | 'room-busy'
  | 'already-in-room'
  | 'not-in-room'
  | 'peer-not-in-room'
  | 'peer-gone'
  | 'turn-unavailable'
  | 'rate-limited'
  | 'unauthenticated'
  | 'token-expired'
  | 'internal';

export interface ErrorMessage {
  readonly type: 'error';
  readonly code: ErrorCode;
  readonly message: string;
  readonly requestId: string;
  /** Only on `rate-limited`: whole seconds until the connection's window for that action resets. */
  readonly retryAfterSeconds?: number;
}

export interface IceServer {
  readonly urls: readonly string[];
  readonly username: string;
  readonly credential: string;
}

export type ServerMessage =
  | ErrorMessage
  | {
      readonly type: 'joined';
      readonly roomId: string;
      readonly connectionId: string;
      readonly peers: readonly string[];
      readonly requestId: string;
    }
  | { readonly type: 'peer-joined'; readonly roomId: string; readonly connectionId: string }
  | { readonly type: 'peer-left'; readonly roomId: string; readonly connectionId: string }
  | { readonly type: 'left'; readonly roomId: string; readonly requestId: string }
  | {
      readonly type: 'signal';
      readonly from: string;
      readonly kind: 'offer' | 'answer' | 'candidate';
      readonly payload: unknown;
    }
  | { readonly type: 'signal-sent'; readonly to: string; readonly requestId: string }
  | {
      readonly type: 'ice-servers';
      readonly iceServers: readonly IceServer[];
      readonly ttlSeconds: number;
      readonly expiresAt: number;
      readonly requestId: string;
    };

export function errorMessage(
  code: ErrorCode,
  message: string,
  requestId: string,
  retryAfterSeconds?: number,
): ErrorMessage {
  return retryAfterSeconds === undefined
    ? { type: 'error', code, message, requestId }
    : { type: 'error', code, message, requestId, retryAfterSeconds };
}

export type ParseResult<T> =
  { readonly ok: true; readonly message: T } | { readonly ok: false; readonly error: ErrorMessage };

/**
 * Parses one client frame. `fallbackRequestId` (API Gateway's request id) is used when the frame carries no usable
 * `requestId`, so every error can still be correlated. Never throws; error messages name fields, never values.
 */
export function parseClientFrame(
  raw: string | null | undefined,
  fallbackRequestId: string,
): ParseResult<ClientMessage> {
  const fail = (code: ErrorCode, message: string, requestId = fallbackRequestId): ParseResult<ClientMessage> => ({
    ok: false,
    error: errorMessage(code, message, requestId),
  });
  if (raw === null || raw === undefined || raw === '') return fail('bad-json', 'Empty frame; send a JSON object.');
  // Measured in bytes, not characters: a frame of multi-byte characters must not slip past the limit.
  if (Buffer.byteLength(raw, 'utf8') > MAX_FRAME_BYTES) {
    return fail('payload-too-large', `Frame exceeds ${MAX_FRAME_BYTES} bytes.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return fail('bad-json', 'Frame is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('bad-json', 'Frame must be a JSON object.');
  }
  const record = value as Record<string, unknown>;
  const requestId = REQUEST_ID.safeParse(record.requestId).success ? (record.requestId as string) : fallbackRequestId;
  if (typeof record.action !== 'string' || !(CLIENT_ACTIONS as readonly string[]).includes(record.action)) {
    return fail(
      'unknown-action',
      `Unknown or missing action; expected one of: ${CLIENT_ACTIONS.join(', ')}.`,
      requestId,
    );
  }
  const parsed = ClientMessage.safeParse(value);
  if (!parsed.success) {
    // Paths and zod's generic messages only: never the offending value, which may be SDP.
    const problems = parsed.error.issues
      .slice(0, 5)
      .map(
        (issue) =>
          `${issue.path.join('.') || '(frame)'}: ${issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message}`,
      );
    return fail('invalid-message', `Invalid ${record.action} message: ${problems.join('; ')}`, requestId);
  }
  return { ok: true, message: parsed.data };
}

/** The request id to answer with for a message that parsed. */
export function requestIdOf(message: ClientMessage, fallbackRequestId: string): string {
  return message.requestId ?? fallbackRequestId;
}
