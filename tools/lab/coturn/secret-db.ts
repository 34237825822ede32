/**
 * Puts TURN secrets into a test coturn's database the way a relay does: through the real apply script
 * (lib/relay/secret-sync.ts) with the host's jq and sqlite3, fed a secret document on stdin.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderApplyTurnSecretsScript } from '../../../lib/relay/secret-sync';

let applyScript: string | undefined;

/** The rendered apply script, written once per process to a private temp directory. */
export function applyScriptPath(): string {
  if (!applyScript) {
    const dir = mkdtempSync(join(tmpdir(), 'hipaa-rtc-apply-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    applyScript = join(dir, 'hipaa-rtc-apply-turn-secrets');
    writeFileSync(applyScript, renderApplyTurnSecretsScript(), { mode: 0o700 });
  }
  return applyScript;
}

export interface ApplyResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the apply script; `document` is written to its stdin as is (strings) or as JSON. */
export function runApplyScript(
  dbFileHost: string,
  realm: string,
  overlapWindowSeconds: number,
  document: unknown,
  env: NodeJS.ProcessEnv = process.env,
): ApplyResult {
  const input = typeof document === 'string' ? document : JSON.stringify(document);
  const result = spawnSync('bash', [applyScriptPath(), dbFileHost, realm, String(overlapWindowSeconds)], {
    input,
    encoding: 'utf8',
    timeout: 20_000,
    env,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Like runApplyScript, but throws with the script's message when it refuses. */
export function applySecretDocument(
  dbFileHost: string,
  realm: string,
  overlapWindowSeconds: number,
  document: unknown,
): void {
  const result = runApplyScript(dbFileHost, realm, overlapWindowSeconds, document);
  if (result.status !== 0) throw new Error(`apply script failed (${result.status}): ${result.stderr}`);
}

/** The secrets the database holds for a realm, sorted (what coturn will accept). */
export function storedSecrets(dbFileHost: string, realm: string): string[] {
  const result = spawnSync('sqlite3', ['-bail', dbFileHost], {
    input: `SELECT value FROM turn_secret WHERE realm = '${realm.replace(/'/g, "''")}' ORDER BY value;\n`,
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (result.status !== 0) throw new Error(`sqlite3 failed: ${result.stderr}`);
  return result.stdout.split('\n').filter((line) => line !== '');
}
