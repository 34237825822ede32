import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUNDLE_CACHE_FILE, readBundleCache, writeBundleCache } from '../../lib/bundling/bundle-cache';
import { bundleHash, ownSources, type BundleHashInput } from '../../lib/bundling/bundle-hash';
import { bundleName, bundleOutputDir } from '../../lib/bundling/esbuild-standard';

const base: BundleHashInput = {
  entry: 'lambda/signaling/join.ts',
  options: '{"esbuild":"0.28.2","minify":true}',
  lockfile: 'a'.repeat(64),
  tsconfig: 'b'.repeat(64),
  sources: { 'lambda/signaling/join.ts': '1'.repeat(64), 'lib/signaling/rooms.ts': '2'.repeat(64) },
};

describe('bundleHash', () => {
  test('is a function of its inputs alone, whatever order the sources come in', () => {
    const reordered = { ...base, sources: Object.fromEntries(Object.entries(base.sources).reverse()) };
    expect(bundleHash(reordered)).toBe(bundleHash(base));
    expect(bundleHash(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  test.each<[string, Partial<BundleHashInput>]>([
    ['a source file changes', { sources: { ...base.sources, 'lib/signaling/rooms.ts': '3'.repeat(64) } }],
    ['a source file is added', { sources: { ...base.sources, 'lib/signaling/log.ts': '4'.repeat(64) } }],
    [
      'a source file moves',
      { sources: { 'lambda/signaling/join.ts': '1'.repeat(64), 'lib/rooms.ts': '2'.repeat(64) } },
    ],
    ['the lockfile changes', { lockfile: 'c'.repeat(64) }],
    ['the tsconfig changes', { tsconfig: 'd'.repeat(64) }],
    ['the esbuild options change', { options: '{"esbuild":"0.28.2","minify":false}' }],
    ['the entry changes', { entry: 'lambda/signaling/leave.ts' }],
  ])('changes when %s', (_what, change) => {
    expect(bundleHash({ ...base, ...change })).not.toBe(bundleHash(base));
  });
});

test('own sources are the inputs outside node_modules (the lockfile pins those), sorted', () => {
  expect(
    ownSources([
      'lib/signaling/rooms.ts',
      'node_modules/@aws-sdk/client-dynamodb/dist-cjs/index.js',
      'lambda/signaling/join.ts',
      'node_modules/zod/v4/index.js',
    ]),
  ).toEqual(['lambda/signaling/join.ts', 'lib/signaling/rooms.ts']);
});

test('every bundle is one path segment below its build directory, named after its entry', () => {
  expect(bundleName('lambda/signaling/join.ts')).toBe('lambda-signaling-join');
  expect(bundleOutputDir('/b', 'lambda/relay/rotate-turn-secret.ts')).toBe(
    path.join('/b', 'lambda-relay-rotate-turn-secret'),
  );
  expect(() => bundleName('../elsewhere/handler.ts')).toThrow(/inside the project/);
  expect(() => bundleName('/abs/handler.ts')).toThrow(/inside the project/);
});

describe('the bundle record in the assembly', () => {
  const inputs = { options: 'o', lockfile: 'l', tsconfig: 't' };
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hipaa-rtc-bundle-cache-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('round-trips for the same build inputs', () => {
    writeBundleCache(dir, { format: 1, ...inputs, bundles: { 'lambda/a.ts': { 'lambda/a.ts': 'h' } } });
    expect(readBundleCache(dir, inputs).bundles).toEqual({ 'lambda/a.ts': { 'lambda/a.ts': 'h' } });
  });

  test.each([['options'], ['lockfile'], ['tsconfig']] as const)('is ignored when the %s changed', (field) => {
    writeBundleCache(dir, { format: 1, ...inputs, bundles: { 'lambda/a.ts': { 'lambda/a.ts': 'h' } } });
    expect(readBundleCache(dir, { ...inputs, [field]: 'changed' }).bundles).toEqual({});
  });

  test('is ignored when missing or unreadable', () => {
    expect(readBundleCache(dir, inputs).bundles).toEqual({});
    fs.writeFileSync(path.join(dir, BUNDLE_CACHE_FILE), '{ not json');
    expect(readBundleCache(dir, inputs).bundles).toEqual({});
  });
});
