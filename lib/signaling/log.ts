/**
 * Logging that cannot leak. Signaling events carry SDP, ICE candidates (IP addresses) and bearer tokens, so
 * handlers never hand an event, a body or an error object to the logger: they log an event name plus fields from
 * this allow-list, and anything else is dropped before it reaches Powertools (lib/logging/allow-list-log.ts).
 */
import { allowListLogging, type AllowListLog, type LogFieldsOf } from '../logging/allow-list-log';
import { SettingsError } from './settings-error';

/** Field -> longest string kept. */
const ALLOWED_FIELDS = {
  route: 128,
  connectionId: 128,
  roomId: 128,
  outcome: 128,
  code: 128,
  reason: 512,
  peers: 128,
  roomCount: 128,
  durationMs: 128,
  ttlSeconds: 128,
  errorName: 128,
} as const;
export type LogField = keyof typeof ALLOWED_FIELDS;
export type LogFields = LogFieldsOf<LogField>;
export type SafeLog = AllowListLog<LogField>;

const logging = allowListLogging(ALLOWED_FIELDS, 'hipaa-rtc-signaling');
/** Keeps allow-listed keys with scalar values; strings are truncated so a surprise value cannot carry a payload. */
export const sanitizeFields = logging.sanitize;
export const powertoolsLog = logging.powertools;

export const silentLog: SafeLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The only thing logged about an unexpected error: its class name (messages can quote input). */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/**
 * Log fields for a caught error: its class name, and for a broken environment (SettingsError, whose message only names
 * variables) the message too, so an operator sees which variable to fix. Any other message stays out.
 */
export function errorFields(error: unknown): { errorName: string; reason?: string } {
  // By class, not by name: any error can call itself 'SettingsError', and its message could quote input.
  return error instanceof SettingsError
    ? { errorName: error.name, reason: error.message }
    : { errorName: errorName(error) };
}
