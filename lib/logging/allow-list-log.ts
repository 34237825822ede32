/**
 * Logging that cannot leak: callers log an event name plus fields from an allow-list, and anything else (a document,
 * an event, an error object, an unknown key, a non-scalar value) is dropped before it reaches Powertools. Strings are
 * cut to their field's length, so a surprise value cannot carry a payload. Signaling (SDP, candidates, tokens) and the
 * TURN secret rotation (every secret in memory) each declare their own fields on top of this one mechanism.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export type LogFieldsOf<F extends string> = Partial<Record<F, string | number | boolean>>;

export interface AllowListLog<F extends string> {
  info(event: string, fields?: LogFieldsOf<F>): void;
  warn(event: string, fields?: LogFieldsOf<F>): void;
  error(event: string, fields?: LogFieldsOf<F>): void;
}

/** Keeps allow-listed keys with scalar values; strings are cut to the length the allow-list gives their field. */
export function sanitizeAllowListed<F extends string>(
  allowed: Readonly<Record<F, number>>,
  fields: LogFieldsOf<F> = {},
): LogFieldsOf<F> {
  const safe: LogFieldsOf<F> = {};
  for (const [key, maxLength] of Object.entries(allowed) as [F, number][]) {
    const value = (fields as Record<string, unknown>)[key];
    if (typeof value === 'number' || typeof value === 'boolean') safe[key] = value;
    else if (typeof value === 'string') safe[key] = value.slice(0, maxLength);
  }
  return safe;
}

/** A Powertools logger that only ever receives sanitized fields. */
export function powertoolsAllowListLog<F extends string>(
  allowed: Readonly<Record<F, number>>,
  serviceName: string,
): AllowListLog<F> {
  const logger = new Logger({ serviceName });
  const clean = (fields?: LogFieldsOf<F>) => ({ ...sanitizeAllowListed(allowed, fields) });
  return {
    info: (event, fields) => logger.info(event, clean(fields)),
    warn: (event, fields) => logger.warn(event, clean(fields)),
    error: (event, fields) => logger.error(event, clean(fields)),
  };
}

/**
 * The two things a domain needs from its allow-list (signaling, rotation): a sanitizer for tests and callers, and
 * its Powertools logger under a default service name. Each domain declares only its fields.
 */
export function allowListLogging<F extends string>(allowed: Readonly<Record<F, number>>, defaultServiceName: string) {
  return {
    sanitize: (fields: LogFieldsOf<F> = {}): LogFieldsOf<F> => sanitizeAllowListed(allowed, fields),
    powertools: (serviceName = defaultServiceName): AllowListLog<F> => powertoolsAllowListLog(allowed, serviceName),
  };
}
