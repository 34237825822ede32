import type { z } from 'zod';
import { example } from './example';
import { exampleTwoRegions } from './example-two-regions';
import { hipaaRtcConfigSchema, type HipaaRtcConfig, type HipaaRtcConfigInput } from './schema';

/** Configs selectable with `-c config=<name>`. Add yours here. */
export const CONFIGS: Readonly<Record<string, HipaaRtcConfigInput>> = {
  example,
  'example-two-regions': exampleTwoRegions,
};

export const DEFAULT_CONFIG_NAME = 'example';

/** Raised when a config is unknown or invalid; the message lists every problem with its field path. */
export class ConfigError extends Error {
  constructor(
    message: string,
    public readonly problems: readonly string[],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length > 0 ? `${path}.` : '';
    return issue.keys
      .map((key) => `${where}${key}: is not a known setting; remove it or fix its spelling (see config/schema.ts)`)
      .join('\n');
  }
  return `${path}: ${issue.message}`;
}

/** Validates an already-loaded config object, listing every problem at once. */
export function validateConfig(name: string, input: unknown): HipaaRtcConfig {
  const result = hipaaRtcConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap((issue) => describeIssue(issue).split('\n'));
  throw new ConfigError(
    `Config "${name}" is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
      problems.map((p) => `  - ${p}`).join('\n'),
    problems,
  );
}

/** Looks up a config by name and validates it. */
export function loadConfig(name: string = DEFAULT_CONFIG_NAME): HipaaRtcConfig {
  const input = CONFIGS[name];
  if (input === undefined) {
    const known = Object.keys(CONFIGS).join(', ');
    throw new ConfigError(`Unknown config "${name}"; pass -c config=<name> with one of: ${known} (files in config/)`, [
      `config: "${name}" does not exist`,
    ]);
  }
  return validateConfig(name, input);
}

export type { HipaaRtcConfig, HipaaRtcConfigInput } from './schema';
