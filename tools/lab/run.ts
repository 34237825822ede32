import { spawnSync } from 'node:child_process';

/** Runs a system command with a bound; throws with its output when it fails. `input` goes to its stdin. */
export function run(command: string, args: readonly string[], timeoutMs = 20_000, input?: string): string {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: timeoutMs, input });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr}`);
  }
  return result.stdout;
}
