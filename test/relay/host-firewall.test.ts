import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deniedPeerRanges } from '../../lib/relay/denied-peer-ranges';
import { renderHostFirewall, NFT_TABLE } from '../../lib/relay/host-firewall';

const ruleset = renderHostFirewall({ coturnUser: 'nobody', deniedPeerRanges: deniedPeerRanges('10.40.0.0/16') });
const rules = ruleset.split('\n').filter((l) => l.includes('meta skuid'));

test('every rule is scoped to the coturn user, so root (SSM, boot script) keeps IMDS', () => {
  expect(rules).toHaveLength(4);
  for (const rule of rules) expect(rule).toMatch(/^\s+meta skuid "nobody" .* drop/);
});

test('metadata, DNS and time addresses (v4 and v6) are dropped in every connection state', () => {
  const [v4, v6] = rules;
  expect(v4).toContain('ip daddr { 169.254.169.254, 169.254.169.253, 169.254.169.123 }');
  expect(v6).toContain('ip6 daddr { fd00:ec2::254, fd00:ec2::253, fd00:ec2::123 }');
  expect(v4).not.toContain('ct state');
  expect(v6).not.toContain('ct state');
});

test('new flows to the VPC and every private/special range are dropped (merged, no overlaps)', () => {
  const [, , v4, v6] = rules;
  expect(v4).toContain('ct state new ip daddr {');
  for (const range of ['10.0.0.0-10.255.255.255', '172.16.0.0-172.31.255.255', '192.168.0.0-192.168.255.255']) {
    expect(v4).toContain(range);
  }
  expect(v4).toContain('169.254.0.0-169.254.255.255');
  expect(v4).toContain('224.0.0.0-255.255.255.255'); // multicast, 240/4 and broadcast merged
  expect(v6).toContain('fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
  expect(v6).toContain('::ffff:0:0-::ffff:ffff:ffff');
});

test('the VPC is covered even when it is public address space', () => {
  const text = renderHostFirewall({ coturnUser: 'nobody', deniedPeerRanges: deniedPeerRanges('44.1.0.0/16') });
  expect(text).toContain('44.1.0.0-44.1.255.255');
});

test('the ruleset replaces its own table only (idempotent reload, other tables untouched)', () => {
  expect(ruleset).toContain(`delete table inet ${NFT_TABLE}`);
  expect(ruleset).not.toMatch(/flush ruleset/);
});

test.each([['root'], [0], ['bad user'], [-5]])('refuses coturnUser %j', (user) => {
  expect(() => renderHostFirewall({ coturnUser: user, deniedPeerRanges: deniedPeerRanges('10.40.0.0/16') })).toThrow(
    /coturnUser/,
  );
});

// Syntax check with the real nft, in a throw-away network namespace (`unshare -n`): `-c` only parses and checks.
// It fails (never skips) without nftables, like the coturn tests without their root.
const nft = spawnSync('sh', ['-c', 'command -v nft'], { encoding: 'utf8' }).stdout.trim();

function requireNft(): void {
  if (!nft) throw new Error('nft not found: install nftables (apt-get install -y nftables) to check the ruleset');
}

function nftCheck(text: string): { status: number | null; stderr: string } {
  requireNft();
  const dir = mkdtempSync(join(tmpdir(), 'hipaa-rtc-nft-'));
  try {
    writeFileSync(join(dir, 'relay.nft'), text);
    return spawnSync('unshare', ['-n', nft, '-c', '-f', join(dir, 'relay.nft')], { encoding: 'utf8', timeout: 20_000 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('nft -c accepts the ruleset (needs nftables: apt-get install nftables)', () => {
  expect(nftCheck(ruleset)).toMatchObject({ status: 0, stderr: '' });
});

test('nft -c rejects a broken ruleset, so the check above can fail', () => {
  expect(nftCheck(ruleset.replace('ip daddr {', 'ip daddr { fd00::1,')).status).not.toBe(0);
  expect(nftCheck(ruleset.replace(/"nobody"/g, '"no-such-user-x"')).status).not.toBe(0);
});
