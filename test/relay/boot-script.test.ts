import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bootScriptBlobs,
  renderBootScript,
  renderFirewallUnit,
  USER_DATA_LIMIT_BYTES,
} from '../../lib/relay/boot-script';
import { renderSecretSyncUnits } from '../../lib/relay/secret-sync';
import { DEFAULT_RELAY_TURN_SETTINGS, productionTurnOptions } from '../../lib/relay/production-turn-options';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:relay-turn-AbCdEf';
const IMAGE = `111111111111.dkr.ecr.us-east-1.amazonaws.com/coturn@sha256:${'a'.repeat(64)}`;
const script = renderBootScript({
  turn: productionTurnOptions({ ...DEFAULT_RELAY_TURN_SETTINGS, realm: 'turn.example.org', vpcCidr: '10.40.0.0/16' }),
  secretArn: SECRET_ARN,
  coturnImage: IMAGE,
  logGroupName: '/hipaa-rtc/example/relay/coturn',
  deploymentName: 'example',
  coturnUid: 3478,
  rotation: { maxCredentialTtlSeconds: 3600, clockSkewSeconds: 60, relayPickupSeconds: 900 },
});

function decodedPayloads(): string {
  return bootScriptBlobs(script).join('\n');
}

test('fails loudly and holds no secret value, only the secret ARN', () => {
  expect(script).toMatch(/^#!\/bin\/bash\n.*\nset -euo pipefail\n/);
  expect(script).toContain(SECRET_ARN);
  // The config file has no secret line at all: coturn reads the accepted secrets from its database.
  expect(decodedPayloads()).toContain('use-auth-secret\n');
  expect(`${script}${decodedPayloads()}`).not.toContain('static-auth-secret');
});

test('installs the secret sync, runs it once before coturn starts, then enables its timer', () => {
  const firstSync = script.indexOf('\n/usr/local/sbin/hipaa-rtc-sync-turn-secrets\n');
  expect(firstSync).toBeGreaterThan(0);
  expect(firstSync).toBeLessThan(script.indexOf('docker run'));
  expect(script.indexOf('systemctl enable --now hipaa-rtc-turn-secrets.timer')).toBeGreaterThan(
    script.indexOf('docker run'),
  );
  expect(script).toContain(
    'printf \'SECRET_ARN=%q\\nREGION=%q\\nDEPLOYMENT=%q\\n\' "${SECRET_ARN}" "${REGION}" "${DEPLOYMENT}" >/etc/hipaa-rtc/relay.env',
  );
  const payloads = decodedPayloads();
  expect(payloads).toContain('runuser -u turnserver -- /usr/local/sbin/hipaa-rtc-apply-turn-secrets');
  expect(payloads).toContain('/var/lib/coturn/turndb turn.example.org 3660'); // realm and TTL + skew window
  expect(payloads).toContain('OnUnitActiveSec=60');
});

test('refuses a pickup time shorter than two sync periods, and a config that carries secrets', () => {
  const base = {
    turn: productionTurnOptions({ ...DEFAULT_RELAY_TURN_SETTINGS, realm: 'turn.example.org', vpcCidr: '10.40.0.0/16' }),
    secretArn: SECRET_ARN,
    coturnImage: IMAGE,
    logGroupName: '/x',
    deploymentName: 'example',
    coturnUid: 3478,
    rotation: { maxCredentialTtlSeconds: 3600, clockSkewSeconds: 60, relayPickupSeconds: 900 },
  };
  expect(() => renderBootScript({ ...base, rotation: { ...base.rotation, relayPickupSeconds: 60 } })).toThrow(
    /relayPickupSeconds: must be >= 180/,
  );
  expect(() => renderBootScript({ ...base, turn: { ...base.turn, secrets: { current: 'x'.repeat(40) } } })).toThrow(
    /fromUserDb/,
  );
});

test('uses IMDSv2 (token first) for the addresses', () => {
  expect(script).toContain("-X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60'");
  expect(script).toContain('X-aws-ec2-metadata-token: ${token}');
});

test('loads the host firewall before coturn starts, and runs coturn unprivileged from ECR by digest', () => {
  const firewallStart = script.indexOf('systemctl restart hipaa-rtc-relay-firewall.service');
  expect(firewallStart).toBeGreaterThan(0);
  expect(firewallStart).toBeLessThan(script.indexOf('systemctl enable --now docker'));
  expect(decodedPayloads()).toContain('meta skuid 3478');
  expect(script).toContain('--user "${COTURN_UID}:${COTURN_UID}"');
  expect(script).toContain('--cap-drop ALL');
  expect(script).toContain(IMAGE);
});

test('refuses malformed secrets (the apply script validates the document)', () => {
  expect(decodedPayloads()).toContain('^[A-Za-z0-9]{32,}$');
});

const shellcheck = spawnSync('sh', ['-c', 'command -v shellcheck'], { encoding: 'utf8' }).stdout.trim();
test('is shellcheck-clean (needs shellcheck: apt-get install -y shellcheck)', () => {
  if (!shellcheck) throw new Error('shellcheck not found: apt-get install -y shellcheck');
  const result = spawnSync(shellcheck, ['-s', 'bash', '-'], { input: script, encoding: 'utf8', timeout: 30_000 });
  expect(result.stdout).toBe('');
  expect(result.status).toBe(0);
});

test('rejects a privileged uid', () => {
  expect(() =>
    renderBootScript({
      turn: productionTurnOptions({
        ...DEFAULT_RELAY_TURN_SETTINGS,
        realm: 'turn.example.org',
        vpcCidr: '10.40.0.0/16',
      }),
      secretArn: SECRET_ARN,
      coturnImage: IMAGE,
      logGroupName: '/x',
      deploymentName: 'example',
      coturnUid: 0,
      rotation: { maxCredentialTtlSeconds: 3600, clockSkewSeconds: 60, relayPickupSeconds: 900 },
    }),
  ).toThrow(/coturnUid/);
});

test('CloudFormation tokens stay in the plain script, never inside a base64 blob CloudFormation cannot resolve', () => {
  // A real stack passes tokens (log group name, secret ARN, image URI); they must remain visible to CloudFormation.
  const withTokens = renderBootScript({
    turn: productionTurnOptions({ ...DEFAULT_RELAY_TURN_SETTINGS, realm: 'turn.example.org', vpcCidr: '10.40.0.0/16' }),
    secretArn: '${Token[TOKEN.1]}',
    coturnImage: '${Token[TOKEN.2]}',
    logGroupName: '${Token[TOKEN.3]}',
    deploymentName: 'example',
    coturnUid: 3478,
    rotation: { maxCredentialTtlSeconds: 3600, clockSkewSeconds: 60, relayPickupSeconds: 900 },
  });
  const blobs = bootScriptBlobs(withTokens);
  expect(blobs.length).toBeGreaterThan(0);
  for (const blob of blobs) expect(blob).not.toContain('Token[');
  expect(withTokens).toContain("readonly LOG_GROUP='${Token[TOKEN.3]}'");
  expect(decodedPayloads()).toContain('"log_group_name":"@LOG_GROUP_NAME@"');
});

test('what must survive a reboot is a unit: the firewall (Docker requires it), /run/coturn, the sync timer', () => {
  const unit = renderFirewallUnit();
  expect(unit).toContain('ExecStart=/usr/sbin/nft -f /etc/sysconfig/hipaa-rtc-relay.nft\n');
  expect(unit).toContain('Before=network-pre.target docker.service\n');
  expect(unit).toContain('RequiredBy=docker.service\n');
  expect(decodedPayloads()).toContain(unit);
  expect(script).toContain('systemctl enable hipaa-rtc-relay-firewall.service\n');
  expect(script).toContain("echo 'd /run/coturn 0750 turnserver turnserver -' >/etc/tmpfiles.d/hipaa-rtc-coturn.conf");
  expect(script).not.toMatch(/install -d .*\/run\/coturn/);
  expect(renderSecretSyncUnits().timer).toContain('OnBootSec=0\n');
});

test('the units pass systemd-analyze verify (apart from executables that exist only on a relay)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hipaa-rtc-units-'));
  try {
    const units = renderSecretSyncUnits();
    const files: Array<[string, string]> = [
      ['hipaa-rtc-relay-firewall.service', renderFirewallUnit()],
      ['hipaa-rtc-turn-secrets.service', units.service],
      ['hipaa-rtc-turn-secrets.timer', units.timer],
    ];
    for (const [name, text] of files) writeFileSync(join(dir, name), text);
    const result = spawnSync('systemd-analyze', ['verify', ...files.map(([name]) => join(dir, name))], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (result.error)
      throw new Error(`systemd-analyze not runnable (apt-get install -y systemd): ${result.error.message}`);
    const problems = `${result.stdout}${result.stderr}`
      .split('\n')
      .filter((line) => line.trim() !== '')
      .filter((line) => !/Command \/usr\/local\/sbin\/hipaa-rtc-sync-turn-secrets is not executable/.test(line));
    expect(problems).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('fits EC2 user data (16 KB before base64) with worst-case CloudFormation values', () => {
  // Longest plausible resolved values: a partition-qualified secret ARN, a full ECR image URI by digest, a log group.
  const worst = renderBootScript({
    turn: productionTurnOptions({
      ...DEFAULT_RELAY_TURN_SETTINGS,
      realm: `${'a'.repeat(60)}.${'b'.repeat(60)}.example.org`,
      vpcCidr: '10.40.0.0/16',
    }),
    secretArn: `arn:aws-us-gov:secretsmanager:us-gov-west-1:111111111111:secret:${'x'.repeat(256)}-AbCdEf`,
    coturnImage: `111111111111.dkr.ecr.us-gov-west-1.amazonaws.com/${'r'.repeat(256)}@sha256:${'a'.repeat(64)}`,
    logGroupName: `/${'l'.repeat(510)}`,
    deploymentName: 'example',
    coturnUid: 3478,
    rotation: { maxCredentialTtlSeconds: 3600, clockSkewSeconds: 60, relayPickupSeconds: 900 },
  });
  const bytes = Buffer.byteLength(worst, 'utf8');
  expect(bytes).toBeLessThan(USER_DATA_LIMIT_BYTES * 0.75); // room for the next addition
});
