import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import expected from './corpus-expected.json';

/**
 * A corpus of templates written for this repository (test/cli/corpus): plain YAML and JSON, RDS engines, Security Hub
 * CSPM and V2, the other rows decided by type, custom resources, Fn::ForEach, SAM, nested stacks, other macros, bad
 * input and CDK output, each with its expected verdict in corpus-expected.json (status, and the types refused). One
 * run of the real CLI over the directory must reproduce every verdict, and skip exactly the files that are not
 * templates.
 */
const ROOT = path.resolve(__dirname, '../..');
const CORPUS = path.join(__dirname, 'corpus');

interface Report {
  readonly results: ReadonlyArray<{
    readonly file: string;
    readonly status: string;
    readonly resources: ReadonlyArray<{ readonly verdict: { readonly type: string; readonly eligible: boolean } }>;
  }>;
  readonly skipped: ReadonlyArray<{ readonly file: string }>;
  readonly exitCode: number;
}

let report: Report;
let exitCode: number | null;
beforeAll(() => {
  const result = spawnSync(
    process.execPath,
    [path.join(ROOT, 'bin/hipaa-rtc-cli.js'), 'check', CORPUS, '--format', 'json'],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, timeout: 60_000 },
  );
  exitCode = result.status;
  report = JSON.parse(result.stdout) as Report;
});

test('the corpus is large and varied enough to mean something', () => {
  const templates = Object.entries(expected.templates);
  expect(templates.length).toBeGreaterThanOrEqual(50);
  for (const status of ['ok', 'not-eligible', 'bad-input']) {
    expect(templates.filter(([, e]) => e.status === status).length).toBeGreaterThanOrEqual(5);
  }
  expect(templates.filter(([file]) => file.endsWith('.json')).length).toBeGreaterThanOrEqual(10);
});

test('one run judges every template, and exits with the worst status (bad input)', () => {
  expect(exitCode).toBe(2);
  expect(report.exitCode).toBe(2);
  expect(report.results.map((r) => path.relative(CORPUS, r.file)).sort()).toEqual(
    Object.keys(expected.templates).sort(),
  );
  expect(report.skipped.map((s) => path.relative(CORPUS, s.file)).sort()).toEqual([...expected.skipped].sort());
});

test.each(Object.entries(expected.templates))('%s', (file, want) => {
  const result = report.results.find((r) => path.relative(CORPUS, r.file) === file);
  expect(result?.status).toBe(want.status);
  const refused = [...new Set(result?.resources.filter((r) => !r.verdict.eligible).map((r) => r.verdict.type))];
  expect(refused.sort()).toEqual(want.notEligible);
});
