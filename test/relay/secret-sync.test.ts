/**
 * The relay's secret sync scripts, run for real with the host's bash, jq and sqlite3 (Debian packages jq, sqlite3):
 * they must accept exactly what relayAcceptedSecrets accepts, fail closed without touching the table, and never put
 * a secret in a process's arguments or output.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { relayAcceptedSecrets, type RotationPolicy, type TurnSecretState } from '../../lib/relay/secret-rotation';
import {
  MIN_RELAY_PICKUP_SECONDS,
  SYNC_INTERVAL_SECONDS,
  renderApplyTurnSecretsScript,
  renderSecretSyncUnits,
  renderSyncTurnSecretsScript,
} from '../../lib/relay/secret-sync';
import { applyScriptPath, runApplyScript, storedSecrets } from '../../tools/lab/coturn/secret-db';

const A = 'AaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaA1';
const B = 'BbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbB2';
const C = 'CcccccccccccccccccccccccccccccccccccccccccccccC3';
const REALM = 'turn.example.org';
const POLICY: RotationPolicy = { maxCredentialTtlSeconds: 3600, clockSkewSeconds: 300, relayPickupSeconds: 600 };
const WINDOW = POLICY.maxCredentialTtlSeconds + POLICY.clockSkewSeconds;

let work: string;
beforeAll(() => {
  for (const tool of ['jq', 'sqlite3', 'shellcheck']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
      throw new Error(`${tool} not found: apt-get install -y ${tool}`);
    }
  }
  work = mkdtempSync(join(tmpdir(), 'hipaa-rtc-sync-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

let dbCount = 0;
function freshDb(): string {
  dbCount += 1;
  return join(work, `turndb-${dbCount}`);
}

const now = () => Math.floor(Date.now() / 1000);

describe('the apply script agrees with relayAcceptedSecrets', () => {
  // Times are relative to the real clock (jq's `now`), with margins far above a test's run time.
  const cases: Array<[string, () => object]> = [
    ['only current', () => ({ current: A })],
    ['pending staged', () => ({ current: A, pending: B, pendingSince: now() - 10 })],
    ['just promoted', () => ({ current: B, previous: A, promotedAt: now() - 10 })],
    ['previous near the end of its window', () => ({ current: B, previous: A, promotedAt: now() - WINDOW + 120 })],
    [
      'previous past its window (relays drop it by themselves)',
      () => ({ current: B, previous: A, promotedAt: now() - WINDOW - 120 }),
    ],
    // replicatedAt gates only the rotation function's promotion: relays ignore it like any key they do not use, so
    // the apply script (in every relay's user data) did not change for it, and relays launched before it accept it.
    [
      'pending staged and replicated',
      () => ({ current: A, pending: B, pendingSince: now() - 600, replicatedAt: now() - 10 }),
    ],
    ['unknown extra keys are ignored', () => ({ current: A, note: 'rotated by hand' })],
    // Every reachable shape at times spread over the window's edges.
    ...[-WINDOW - 600, -WINDOW - 30, -WINDOW + 30, -600, -1, 0].flatMap((offset): Array<[string, () => object]> => [
      [`pending staged ${offset} s ago`, () => ({ current: C, pending: A, pendingSince: now() + offset })],
      [`promoted ${offset} s ago`, () => ({ current: C, previous: B, promotedAt: now() + offset })],
    ]),
  ];

  test.each(cases)('%s', (_name, make) => {
    const document = make();
    const expected = relayAcceptedSecrets(document as TurnSecretState, POLICY, now());
    const db = freshDb();
    const result = runApplyScript(db, REALM, WINDOW, document);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(storedSecrets(db, REALM)).toEqual([...expected].sort());
  });

  const refused: Array<[string, unknown]> = [
    ['pending and previous at once', { current: A, pending: B, pendingSince: 1, previous: C, promotedAt: 1 }],
    ['pending without pendingSince', { current: A, pending: B }],
    ['previous without promotedAt', { current: B, previous: A }],
    ['a reused secret', { current: A, pending: A, pendingSince: 1 }],
    ['a short current', { current: 'short' }],
    ['no current', { pending: B, pendingSince: 1 }],
  ];

  test.each([
    ['promotedAt', { current: B, previous: A, promotedAt: 99_999_999_999 }],
    ['pendingSince', { current: A, pending: B, pendingSince: 99_999_999_999 }],
  ])('refuses a %s far in the future (it would keep a secret accepted for ever)', (field, document) => {
    const result = runApplyScript(freshDb(), REALM, WINDOW, document);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`${field} must be unix seconds, not in the future`);
  });

  test('refuses two concatenated documents', () => {
    const result = runApplyScript(
      freshDb(),
      REALM,
      WINDOW,
      `${JSON.stringify({ current: A })}\n${JSON.stringify({ current: B })}`,
    );
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('expected exactly one JSON document, got 2');
  });

  test.each(refused)('refuses %s, like validateState', (_name, document) => {
    expect(() => relayAcceptedSecrets(document as TurnSecretState, POLICY, now())).toThrow();
    const result = runApplyScript(freshDb(), REALM, WINDOW, document);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/TURN secret document/);
  });

  test('is stricter in one way: secrets must be alphanumeric, so none can break out of a SQL literal', () => {
    const document = { current: `${A}'); DELETE FROM turn_secret; --` };
    expect(relayAcceptedSecrets(document, POLICY, now())).toEqual([document.current]);
    const result = runApplyScript(freshDb(), REALM, WINDOW, document);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/current must be an alphanumeric secret/);
  });
});

describe('fails closed', () => {
  const inputs: Array<[string, string]> = [
    ['an empty document (the fetch failed)', ''],
    ['not JSON', 'Access denied'],
    ['a JSON string', '"AaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaA1"'],
    ['a malformed document', JSON.stringify({ current: B, previous: A })],
  ];

  test.each(inputs)('%s leaves the accepted secrets unchanged', (_name, input) => {
    const db = freshDb();
    expect(runApplyScript(db, REALM, WINDOW, { current: A, pending: C, pendingSince: now() }).status).toBe(0);
    const result = runApplyScript(db, REALM, WINDOW, input);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/unchanged\. Fix: .*update-secret-version-stage/);
    expect(storedSecrets(db, REALM)).toEqual([A, C]);
  });

  test.each([
    ['a realm that could inject SQL', "x'; DROP TABLE turn_secret; --", String(WINDOW)],
    ['a window that is not a number', REALM, '1e9'],
  ])('refuses %s', (_name, realm, window) => {
    const result = spawnSync('bash', [applyScriptPath(), freshDb(), realm, window], {
      input: JSON.stringify({ current: A }),
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
  });

  test('rows of other realms are left alone', () => {
    const db = freshDb();
    expect(runApplyScript(db, 'other.example.org', WINDOW, { current: C }).status).toBe(0);
    expect(runApplyScript(db, REALM, WINDOW, { current: A }).status).toBe(0);
    expect(runApplyScript(db, REALM, WINDOW, { current: B }).status).toBe(0);
    expect(storedSecrets(db, REALM)).toEqual([B]);
    expect(storedSecrets(db, 'other.example.org')).toEqual([C]);
  });
});

test('no secret reaches a process argument or the output', () => {
  // A recording sqlite3 first on PATH: it logs its argv, then hands over to the real one.
  const bin = mkdtempSync(join(work, 'bin-'));
  const record = join(bin, 'argv.log');
  const realSqlite = spawnSync('sh', ['-c', 'command -v sqlite3'], { encoding: 'utf8' }).stdout.trim();
  writeFileSync(join(bin, 'sqlite3'), `#!/bin/sh\necho "$0 $*" >>${record}\nexec ${realSqlite} "$@"\n`);
  chmodSync(join(bin, 'sqlite3'), 0o755);
  const db = freshDb();
  const result = runApplyScript(
    db,
    REALM,
    WINDOW,
    { current: A, pending: B, pendingSince: now() },
    {
      ...process.env,
      PATH: `${bin}:${process.env.PATH ?? ''}`,
    },
  );
  expect(result.status).toBe(0);
  expect(storedSecrets(db, REALM)).toEqual([A, B]);
  const argv = readFileSync(record, 'utf8');
  expect(argv).toContain(db);
  for (const text of [argv, result.stdout, result.stderr]) {
    expect(text).not.toContain(A);
    expect(text).not.toContain(B);
  }
  expect(result.stdout).toBe(`turn secrets: 2 accepted for realm ${REALM}\n`);
});

test('an unchanged document writes nothing; a change is one WAL transaction; the database is private', () => {
  const bin = mkdtempSync(join(work, 'bin-'));
  const record = join(bin, 'argv.log');
  const realSqlite = spawnSync('sh', ['-c', 'command -v sqlite3'], { encoding: 'utf8' }).stdout.trim();
  writeFileSync(join(bin, 'sqlite3'), `#!/bin/sh\necho "$*" >>${record}\nexec ${realSqlite} "$@"\n`);
  chmodSync(join(bin, 'sqlite3'), 0o755);
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` };
  const db = freshDb();
  // Even under a permissive umask the database is created for its owner only.
  const loose = spawnSync('bash', ['-c', `umask 022; exec bash ${applyScriptPath()} ${db} ${REALM} ${WINDOW}`], {
    input: JSON.stringify({ current: A }),
    encoding: 'utf8',
    env,
  });
  expect(loose.status).toBe(0);
  expect(statSync(db).mode & 0o777).toBe(0o600);
  writeFileSync(record, '');
  const again = runApplyScript(db, REALM, WINDOW, { current: A }, env);
  expect(again.stdout).toBe(`turn secrets: 1 accepted for realm ${REALM} (unchanged)\n`);
  expect(readFileSync(record, 'utf8')).toBe(`-bail -readonly ${db}\n`);
  expect(runApplyScript(db, REALM, WINDOW, { current: B }, env).status).toBe(0);
  expect(storedSecrets(db, REALM)).toEqual([B]);
  const mode = spawnSync(realSqlite, [db, 'PRAGMA journal_mode;'], { encoding: 'utf8' });
  expect(mode.stdout.trim()).toBe('wal');
});

describe('the sync script (fetch as root, write as coturn)', () => {
  // Stand-in for the AWS CLI (no AWS here): records every call; Secrets Manager behaves as told, CloudWatch accepts.
  const standIn = (calls: string, secretsManager: string) =>
    `#!/bin/sh\necho "$*" >>${calls}\ncase "$1" in\n  secretsmanager) ${secretsManager} ;;\n  cloudwatch) exit 0 ;;\n  *) exit 99 ;;\nesac\n`;

  function setUp(awsBody: string): { sync: string; db: string; calls: string } {
    const dir = mkdtempSync(join(work, 'sync-'));
    const bin = join(dir, 'bin');
    spawnSync('mkdir', ['-p', bin]);
    const calls = join(dir, 'aws-calls.log');
    writeFileSync(join(bin, 'aws'), standIn(calls, awsBody));
    chmodSync(join(bin, 'aws'), 0o755);
    writeFileSync(
      join(dir, 'relay.env'),
      "SECRET_ARN=arn:aws:secretsmanager:us-east-1:111111111111:secret:turn-AbCdEf\nREGION='us-east-1'\nDEPLOYMENT=example\n",
    );
    const sync = join(dir, 'sync');
    const db = join(dir, 'turndb');
    writeFileSync(
      sync,
      renderSyncTurnSecretsScript({
        realm: REALM,
        userDbFile: db,
        overlapWindowSeconds: WINDOW,
        coturnUser: 'root', // the test runs as root; relays use coturn's own user
        paths: { applyScript: applyScriptPath(), envFile: join(dir, 'relay.env') },
      }),
      { mode: 0o700 },
    );
    return { sync, db, calls };
  }

  const run = (sync: string) =>
    spawnSync('bash', [sync], {
      encoding: 'utf8',
      timeout: 20_000,
      env: { ...process.env, PATH: `${join(sync, '..', 'bin')}:${process.env.PATH ?? ''}` },
    });

  test('writes the accepted secrets fetched with the ARN and region from the env file', () => {
    const { sync, db, calls } = setUp(`echo '${JSON.stringify({ current: A })}'`);
    const result = run(sync);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(storedSecrets(db, REALM)).toEqual([A]);
    const [fetch, metric, ...rest] = readFileSync(calls, 'utf8').split('\n');
    expect(fetch).toMatch(
      /^secretsmanager get-secret-value .*--region us-east-1 --secret-id arn:aws:secretsmanager:us-east-1:111111111111:secret:turn-AbCdEf --version-stage AWSCURRENT --query SecretString --output text$/,
    );
    expect(metric).toMatch(
      /^cloudwatch put-metric-data .*--region us-east-1 --namespace hipaa-rtc\/relay --metric-name SecretSyncFailed --dimensions Deployment=example --value 0$/,
    );
    expect(rest).toEqual(['']);
  });

  test('a failed fetch fails the run and keeps the secrets the relay had', () => {
    const { sync, db, calls } = setUp(`echo '${JSON.stringify({ current: A })}'`);
    expect(run(sync).status).toBe(0);
    writeFileSync(join(sync, '..', 'bin', 'aws'), standIn(calls, 'echo "could not connect" >&2; exit 255'));
    writeFileSync(calls, '');
    const result = run(sync);
    expect(result.status).not.toBe(0);
    expect(storedSecrets(db, REALM)).toEqual([A]);
    // The failure is published, so the relay's alarm sees it.
    expect(readFileSync(calls, 'utf8')).toMatch(/\ncloudwatch put-metric-data .* --value 1\n$/);
  });

  test('a malformed document is published as a failure too, and the old secrets stay', () => {
    const { sync, db, calls } = setUp(`echo '${JSON.stringify({ current: A })}'`);
    expect(run(sync).status).toBe(0);
    writeFileSync(
      join(sync, '..', 'bin', 'aws'),
      standIn(calls, `echo '${JSON.stringify({ current: B, previous: A })}'`),
    );
    writeFileSync(calls, '');
    const result = run(sync);
    expect(result.status).not.toBe(0);
    expect(storedSecrets(db, REALM)).toEqual([A]);
    expect(readFileSync(calls, 'utf8')).toMatch(/\ncloudwatch put-metric-data .* --value 1\n$/);
  });
});

test('the scripts are shellcheck-clean', () => {
  const sync = renderSyncTurnSecretsScript({
    realm: REALM,
    userDbFile: '/var/lib/coturn/turndb',
    overlapWindowSeconds: WINDOW,
    coturnUser: 'turnserver',
  });
  for (const script of [renderApplyTurnSecretsScript(), sync]) {
    const result = spawnSync('shellcheck', ['-s', 'bash', '-'], { input: script, encoding: 'utf8', timeout: 30_000 });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  }
});

test('the timer runs the sync every interval, and the pickup minimum covers two runs', () => {
  const { service, timer } = renderSecretSyncUnits();
  expect(service).toContain('Type=oneshot\nExecStart=/usr/local/sbin/hipaa-rtc-sync-turn-secrets\n');
  expect(timer).toContain(`OnUnitActiveSec=${SYNC_INTERVAL_SECONDS}\n`);
  expect(MIN_RELAY_PICKUP_SECONDS).toBeGreaterThanOrEqual(2 * SYNC_INTERVAL_SECONDS);
});

test.each([
  ['realm', { realm: 'Turn.Example' }, /realm/],
  ['userDbFile', { userDbFile: 'relative/db' }, /userDbFile/],
  ['coturnUser', { coturnUser: 'root; rm -rf /' }, /coturnUser/],
  ['overlapWindowSeconds', { overlapWindowSeconds: 0 }, /overlapWindowSeconds/],
])('the sync script refuses a bad %s', (_field, override, message) => {
  const base = { realm: REALM, userDbFile: '/var/lib/coturn/turndb', overlapWindowSeconds: WINDOW, coturnUser: 'x' };
  expect(() => renderSyncTurnSecretsScript({ ...base, ...override })).toThrow(message);
});
