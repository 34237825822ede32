/**
 * The host firewall in action: the rendered ruleset is loaded into a throw-away network namespace whose loopback
 * carries stand-ins for the instance metadata address, a VPC address and a public (documentation) address. UDP
 * probes from the restricted uid must not arrive at the first two; root's must (SSM and the boot script keep IMDS);
 * the public address stays reachable for both. Nothing leaves the namespace.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deniedPeerRanges } from '../../lib/relay/denied-peer-ranges';
import { renderHostFirewall } from '../../lib/relay/host-firewall';

const NOBODY = 65534;
const TARGETS = ['169.254.169.254', '10.40.0.2', '203.0.113.10', 'fd00:ec2::254'];

function probe(rulesetUid: number): string[] {
  const nft = spawnSync('sh', ['-c', 'command -v nft'], { encoding: 'utf8' }).stdout.trim();
  if (!nft) throw new Error('nft not found: install nftables (apt-get install -y nftables)');
  const dir = mkdtempSync(join(tmpdir(), 'hipaa-rtc-fw-'));
  try {
    const ruleset = join(dir, 'relay.nft');
    writeFileSync(
      ruleset,
      renderHostFirewall({ coturnUser: rulesetUid, deniedPeerRanges: deniedPeerRanges('10.40.0.0/16') }),
    );
    const script = join(__dirname, 'fixtures', 'firewall-probe.js');
    const result = spawnSync('unshare', ['-n', process.execPath, script, ruleset, String(NOBODY), ...TARGETS], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    if (result.status !== 0) throw new Error(`probe failed: ${result.stderr}`);
    return JSON.parse(result.stdout) as string[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('coturn uid cannot reach metadata or the VPC; root can; public stays reachable', () => {
  expect(probe(NOBODY)).toEqual(
    ['root@169.254.169.254', 'root@10.40.0.2', 'root@203.0.113.10', 'root@fd00:ec2::254', 'coturn@203.0.113.10'].sort(),
  );
});

test('control: with the rules scoped to another uid, every probe arrives (the probe can see a delivery)', () => {
  expect(probe(12345)).toHaveLength(2 * TARGETS.length);
});
