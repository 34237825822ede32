import { spawnSync } from 'node:child_process';
import { renderBootScript } from '../../lib/relay/boot-script';
import { DEFAULT_RELAY_TURN_SETTINGS, productionTurnOptions } from '../../lib/relay/production-turn-options';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:relay-turn-AbCdEf';
const IMAGE = `111111111111.dkr.ecr.us-east-1.amazonaws.com/coturn@sha256:${'a'.repeat(64)}`;
const script = renderBootScript({
  turn: productionTurnOptions({ ...DEFAULT_RELAY_TURN_SETTINGS, realm: 'turn.example.org', vpcCidr: '10.40.0.0/16' }),
  secretArn: SECRET_ARN,
  coturnImage: IMAGE,
  logGroupName: '/hipaa-rtc/example/relay/coturn',
  coturnUid: 3478,
  rotation: { maxCredentialTtlSeconds: 3600, clockSkewSeconds: 60, relayPickupSeconds: 900 },
});

function decodedPayloads(): string {
  return [...script.matchAll(/echo '([A-Za-z0-9+/=]+)' \| base64 -d/g)]
    .map((m) => Buffer.from(m[1], 'base64').toString('utf8'))
    .join('\n');
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
    'printf \'SECRET_ARN=%q\\nREGION=%q\\n\' "${SECRET_ARN}" "${REGION}" >/etc/hipaa-rtc/relay.env',
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
  expect(script.indexOf('nft -f')).toBeGreaterThan(0);
  expect(script.indexOf('nft -f')).toBeLessThan(script.indexOf('docker run'));
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
    coturnUid: 3478,
    rotation: { maxCredentialTtlSeconds: 3600, clockSkewSeconds: 60, relayPickupSeconds: 900 },
  });
  const blobs = [...withTokens.matchAll(/echo '([A-Za-z0-9+/=]+)' \| base64 -d/g)].map((m) =>
    Buffer.from(m[1], 'base64').toString('utf8'),
  );
  expect(blobs.length).toBeGreaterThan(0);
  for (const blob of blobs) expect(blob).not.toContain('Token[');
  expect(withTokens).toContain("readonly LOG_GROUP='${Token[TOKEN.3]}'");
  expect(decodedPayloads()).toContain('"log_group_name":"@LOG_GROUP_NAME@"');
});
