/**
 * Logging that cannot leak. Signaling events carry SDP, ICE candidates (IP addresses) and bearer tokens, so
 * handlers never hand an event, a body or an error object to the logger: they log an event name plus fields from
 * this allow-list, and anything else is dropped before it reaches Powertools.
 */
import { Logger } from '@aws-lambda-powertools/logger';

const ALLOWED_FIELDS = [
  'route',
  'connectionId',
  'roomId',
  'outcome',
  'code',
  'reason',
  'peers',
  'roomCount',
  'durationMs',
  'ttlSeconds',
  'errorName',
] as const;
export type LogField = (typeof ALLOWED_FIELDS)[number];
export type LogFields = Partial<Record<LogField, string | number | boolean>>;

export interface SafeLog {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

/** Keeps allow-listed keys with scalar values; strings are truncated so a surprise value cannot carry a payload. */
export function sanitizeFields(fields: LogFields = {}): LogFields {
  const safe: LogFields = {};
  for (const key of ALLOWED_FIELDS) {
    const value = (fields as Record<string, unknown>)[key];
    if (typeof value === 'number' || typeof value === 'boolean') safe[key] = value;
    else if (typeof value === 'string') safe[key] = value.slice(0, 128);
  }
  return safe;
}

export function powertoolsLog(serviceName = 'hipaa-rtc-signaling'): SafeLog {
  const logger = new Logger({ serviceName });
  return {
    info: (event, fields) => logger.info(event, { ...sanitizeFields(fields) }),
    warn: (event, fields) => logger.warn(event, { ...sanitizeFields(fields) }),
    error: (event, fields) => logger.error(event, { ...sanitizeFields(fields) }),
  };
}

export const silentLog: SafeLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The only thing logged about an unexpected error: its class name (messages can quote input). */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
