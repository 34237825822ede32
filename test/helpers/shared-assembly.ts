/**
 * One `cdk synth` per config per test run, shared by every test file that reads the whole app as `cdk synth` writes
 * it (templates, bundled functions, evidence, validation report). The first caller runs the real CLI; the others
 * (in the same or another jest worker) wait for it and read the same directory. The assembly is keyed by everything
 * synth reads: the sources (bin, lib, lambda, config), cdk.json, the lockfile, tsconfig.json, the config name and the
 * day (exception expiry and list freshness are judged against it), so a changed source never reads a stale one.
 *
 * Use: `const assembly = sharedAssembly();` then `assembly.dir`, `assembly.template('HipaaRtcRelay')`,
 * `assembly.status`, `assembly.output`. Treat the directory as read-only; copy it to change it.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildOnce } from './build-once';

const ROOT = path.resolve(__dirname, '..', '..');
const CACHE = path.join(ROOT, '.cdk.staging', 'test-assemblies');
const INPUT_DIRS = ['bin', 'lib', 'lambda', 'config'];
const INPUT_FILES = ['cdk.json', 'package-lock.json', 'tsconfig.json'];
/** Longest a worker waits for another's synth before failing (a synth takes seconds; CI under load, a minute). */
const WAIT_MS = 300_000;

export interface SharedAssembly {
  /** The cloud assembly directory (read-only). */
  readonly dir: string;
  /** Exit status of `cdk synth`. */
  readonly status: number | null;
  /** Its stdout and stderr. */
  readonly output: string;
  /** A stack's template, parsed. */
  template(stackId: string): any;
}

/** Hash of every file synth reads, the config name and the UTC day. */
function inputKey(config: string): string {
  const hash = createHash('sha256').update(`${config}\0${new Date().toISOString().slice(0, 10)}\0`);
  const files = [
    ...INPUT_FILES,
    ...INPUT_DIRS.flatMap((dir) =>
      (fs.readdirSync(path.join(ROOT, dir), { recursive: true }) as string[]).map((file) => path.join(dir, file)),
    ),
  ]
    .filter((file) => fs.statSync(path.join(ROOT, file)).isFile())
    .sort();
  for (const file of files)
    hash
      .update(`${file}\0`)
      .update(fs.readFileSync(path.join(ROOT, file)))
      .update('\0');
  return hash.digest('hex').slice(0, 24);
}

/** Removes assemblies of this config built from other inputs more than an hour ago (this checkout's only). */
function pruneOld(config: string, keep: string): void {
  const hourAgo = Date.now() - 3_600_000;
  for (const name of fs.readdirSync(CACHE)) {
    const file = path.join(CACHE, name);
    if (name.startsWith(`${config}-`) && name !== keep && fs.statSync(file).mtimeMs < hourAgo) {
      fs.rmSync(file, { recursive: true, force: true });
    }
  }
}

function synthInto(config: string, dir: string): void {
  pruneOld(config, path.basename(dir));
  const building = `${dir}.building`;
  fs.rmSync(building, { recursive: true, force: true });
  fs.mkdirSync(building, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_HOME: path.join(building, '.cdk-home') };
  // No AWS credentials may leak into the run: synth must not need them.
  for (const name of Object.keys(env)) if (name.startsWith('AWS_')) delete env[name];
  const outdir = path.join(building, 'cdk.out');
  const result = spawnSync(
    path.join(ROOT, 'node_modules', '.bin', 'cdk'),
    ['synth', '-q', '-c', `config=${config}`, '-o', outdir],
    { cwd: ROOT, env, encoding: 'utf8', timeout: WAIT_MS },
  );
  fs.writeFileSync(
    path.join(building, 'result.json'),
    JSON.stringify({ status: result.status, output: `${result.stdout}\n${result.stderr}` }),
  );
  fs.renameSync(building, dir);
}

const memo = new Map<string, SharedAssembly>();

export function sharedAssembly(config = 'example'): SharedAssembly {
  const key = `${config}-${inputKey(config)}`;
  const known = memo.get(key);
  if (known) return known;
  const dir = path.join(CACHE, key);
  buildOnce(dir, () => synthInto(config, dir), WAIT_MS);
  const { status, output } = JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8')) as {
    status: number | null;
    output: string;
  };
  const outdir = path.join(dir, 'cdk.out');
  const assembly: SharedAssembly = {
    dir: outdir,
    status,
    output,
    template: (stackId) => JSON.parse(fs.readFileSync(path.join(outdir, `${stackId}.template.json`), 'utf8')),
  };
  memo.set(key, assembly);
  return assembly;
}
