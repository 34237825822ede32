/**
 * Proves the start-up log check can fail: the same production config with one option coturn 4.18 rejects or
 * deprecates, a misspelled option, or one deny range written as CIDR, must produce lines startupLogProblems()
 * reports. Without this, a check that never matches anything would pass forever. Each variant runs in its own
 * private network namespace (helpers/coturn-process.ts), all at once to bound the wall time.
 */
import {
  freePorts,
  makeRunDir,
  removeRunDir,
  requireCoturnRoot,
  startupLogOf,
  writeTestCertificate,
  type RunDir,
} from '../../tools/lab/coturn/coturn-process';
import { loopbackConfig } from './helpers/loopback-config';
import { startupLogProblems } from '../../tools/lab/coturn/startup-log';

jest.setTimeout(30_000);

const VARIANTS: readonly (readonly [name: string, extraLine: string, expected: RegExp])[] = [
  ['no-dtls (rejected by 4.18)', 'no-dtls', /Bad configuration format: no-dtls/],
  ['no-cli (deprecated)', 'no-cli', /no-cli option is deprecated/],
  ['no-tlsv1 (rejected by 4.18)', 'no-tlsv1', /Bad configuration format: no-tlsv1/],
  ['a CIDR deny range', 'denied-peer-ip=10.0.0.0/8', /Wrong address format: 10\.0\.0\.0\/8/],
  ['a misspelled option', 'denied-peer-ips=10.0.0.0-10.255.255.255', /Bad configuration format: denied-peer-ips/],
];

const dirs: RunDir[] = [];
const logs = new Map<string, string>();

beforeAll(async () => {
  requireCoturnRoot();
  const ports = await freePorts();
  const runs = [['control', ''] as const, ...VARIANTS.map(([name, line]) => [name, `${line}\n`] as const)].map(
    async ([name, extra]) => {
      const dir = makeRunDir();
      dirs.push(dir);
      const base = loopbackConfig(dir, ports, writeTestCertificate(dir));
      logs.set(name, await startupLogOf(dir, `${base.text}${extra}`, base.logFileInRoot));
    },
  );
  await Promise.all(runs);
}, 30_000);

afterAll(() => dirs.forEach(removeRunDir));

test('the unmodified production config is clean (control)', () => {
  expect(logs.get('control')).toMatch(/Coturn Version/);
  expect(startupLogProblems(logs.get('control') ?? '')).toEqual([]);
});

test.each(VARIANTS)('%s is reported', (name, _line, expected) => {
  const problems = startupLogProblems(logs.get(name) ?? '');
  expect(problems.length).toBeGreaterThan(0);
  expect(problems.join('\n')).toMatch(expected);
});
