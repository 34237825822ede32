/**
 * Logging for the rotation function that cannot leak a secret. The function holds every TURN secret in memory, so
 * it never hands a document, an event or a foreign error object to the logger: it logs an event name plus fields
 * from this allow-list, and anything else is dropped before it reaches Powertools (lib/logging/allow-list-log.ts,
 * with the rotation's own fields).
 */
import { allowListLogging, type AllowListLog, type LogFieldsOf } from '../logging/allow-list-log';

/** Field -> longest string kept (numbers and booleans are kept as they are). */
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
export type RotationLogFields = LogFieldsOf<RotationLogField>;
export type RotationLog = AllowListLog<RotationLogField>;

const logging = allowListLogging(ALLOWED_FIELDS, 'hipaa-rtc-turn-rotation');
/** Keeps allow-listed keys with scalar values; strings are cut to their field's length. */
export const sanitizeRotationFields = logging.sanitize;
export const powertoolsRotationLog = logging.powertools;
