/**
 * Logging for the rotation function that cannot leak a secret. The function holds every TURN secret in memory, so
 * it never hands a document, an event or a foreign error object to the logger: it logs an event name plus fields
 * from this allow-list, and anything else is dropped before it reaches Powertools (the same pattern as
 * lib/signaling/log.ts, with the rotation's own fields).
 */
import { Logger } from '@aws-lambda-powertools/logger';

const ALLOWED_FIELDS = {
  step: 32,
  outcome: 32,
  versionId: 80,
  sourceVersionId: 80,
  untilSeconds: 0,
  writes: 0,
  note: 128,
  errorName: 64,
  /** Only ever the message of a SecretRotationError, which this project builds from names, times and IDs. */
  refusal: 1200,
} as const;
export type RotationLogField = keyof typeof ALLOWED_FIELDS;
export type RotationLogFields = Partial<Record<RotationLogField, string | number | boolean>>;

export interface RotationLog {
  info(event: string, fields?: RotationLogFields): void;
  warn(event: string, fields?: RotationLogFields): void;
  error(event: string, fields?: RotationLogFields): void;
}

/** Keeps allow-listed keys with scalar values; strings are cut to their field's length. */
export function sanitizeRotationFields(fields: RotationLogFields = {}): RotationLogFields {
  const safe: RotationLogFields = {};
  for (const [key, maxLength] of Object.entries(ALLOWED_FIELDS) as [RotationLogField, number][]) {
    const value = (fields as Record<string, unknown>)[key];
    if (typeof value === 'number' || typeof value === 'boolean') safe[key] = value;
    else if (typeof value === 'string') safe[key] = value.slice(0, maxLength);
  }
  return safe;
}

export function powertoolsRotationLog(serviceName = 'hipaa-rtc-turn-rotation'): RotationLog {
  const logger = new Logger({ serviceName });
  return {
    info: (event, fields) => logger.info(event, { ...sanitizeRotationFields(fields) }),
    warn: (event, fields) => logger.warn(event, { ...sanitizeRotationFields(fields) }),
    error: (event, fields) => logger.error(event, { ...sanitizeRotationFields(fields) }),
  };
}
