/**
 * scripts/coturn/make-sid-root.sh on roots that already exist: idempotent on the sid root, and loud (non-zero exit,
 * a message naming the floor) on a root whose coturn is below it, here the bookworm 4.6.1 reference root. Neither
 * case downloads anything: the script only builds when no turnserver is present.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COTURN_VERSION_FLOOR } from '../../lib/relay/coturn-version';
import { COTURN_OLD_ROOT, COTURN_ROOT, requireCoturnRoot } from '../../tools/lab/coturn/coturn-process';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'coturn', 'make-sid-root.sh');

function run(root: string): { status: number | null; out: string } {
  const result = spawnSync(SCRIPT, [], {
    env: { ...process.env, COTURN_ROOT: root },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

test('re-running on a built root does nothing and succeeds', () => {
  requireCoturnRoot(COTURN_ROOT);
  const result = run(COTURN_ROOT);
  expect(result.status).toBe(0);
  expect(result.out).toMatch(/coturn 4\.\d+\.\d+ already in .*; nothing to do/);
});

test('a root with coturn below the floor fails loudly', () => {
  requireCoturnRoot(COTURN_OLD_ROOT);
  const result = run(COTURN_OLD_ROOT);
  expect(result.status).not.toBe(0);
  expect(result.out).toMatch(/coturn 4\.6\.1 .* is below the floor 4\.13\.1/);
});

test("the script's floor is the one lib/relay declares", () => {
  const floor = /readonly FLOOR='([^']+)'/.exec(readFileSync(SCRIPT, 'utf8'))?.[1];
  expect(floor).toBe(COTURN_VERSION_FLOOR);
});
