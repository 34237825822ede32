import { spawnSync } from 'node:child_process';

/** Runs a system command with a bound; throws with its output when it fails. */
export function run(command: string, args: readonly string[], timeoutMs = 20_000): string {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: timeoutMs });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr}`);
  }
  return result.stdout;
}
