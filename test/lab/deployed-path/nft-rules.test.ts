import {
  listenerForUrl,
  loadBalancerRuleset,
  protocolMatch,
  relayRuleset,
  ruleMatch,
  targetFlows,
} from '../../../tools/lab/deployed-path/nft-rules';
import { readRelayPath, type CfnTemplate } from '../../../tools/lab/deployed-path/relay-template';
import { withoutLoadBalancerIngress, withoutUdpListener } from '../../../tools/lab/deployed-path/template-mutations';
import { LAB_ADDRESSES } from '../../../tools/lab/deployed-path/topology';
import { parseTurnUrl } from '../../../tools/lab/deployed-path/turn-urls';
import beforeIssue11 from '../../e2e/fixtures/relay-template-before-issue-11.json';
import { fromAnywhere, openTemplate, smallTemplate } from './small-template';

// The lab's own addresses, so these tests check the plan the e2e lab actually runs.
const a = LAB_ADDRESSES;
const urls = [
  'turn:turn.example.org:3478?transport=udp',
  'turn:turn.example.org:3478?transport=tcp',
  'turns:turn.example.org:443?transport=tcp',
].map(parseTurnUrl);

/** The rules of one chain of a rendered ruleset. */
function chain(text: string, name: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === `chain ${name} {`);
  if (start < 0) throw new Error(`no chain ${name}`);
  const end = lines.findIndex((l, i) => i > start && l.trim() === '}');
  // The line after `chain x {` is its hook and policy; every chain here drops or accepts by default as it says.
  return lines.slice(start + 2, end).map((l) => l.trim());
}
const accepts = (rules: string[]) => rules.filter((r) => / accept( |$)/.test(r));
const all = (template: CfnTemplate) => new Set(readRelayPath(template).targetGroups.map((tg) => tg.id));

describe('protocolMatch and ruleMatch', () => {
  test.each([
    [{ protocol: 'tcp', from: 3478, to: 3478 }, 'meta l4proto tcp th dport 3478'],
    [{ protocol: 'udp', from: 49152, to: 65535 }, 'meta l4proto udp th dport 49152-65535'],
    [{ protocol: 'udp', from: 0, to: 65535 }, 'meta l4proto udp'],
    [{ protocol: 'icmp', from: 3, to: 4 }, 'meta l4proto icmp icmp type 3 icmp code 4'],
    [{ protocol: 'all' }, ''],
    [{ protocol: 47 }, 'meta l4proto 47'],
  ] as const)('%j', (rule, expected) => {
    expect(protocolMatch({ ...rule, peer: { kind: 'cidr4', cidr: '0.0.0.0/0' } })).toBe(expected);
  });

  test('a CIDR matches the source on ingress and the destination on egress; a group only through the stand-in map', () => {
    const rule = { protocol: 'tcp' as const, from: 443, to: 443 };
    expect(ruleMatch({ ...rule, peer: { kind: 'cidr4', cidr: '10.0.0.0/8' } }, 'ingress', () => undefined)).toBe(
      'ip saddr 10.0.0.0/8 meta l4proto tcp th dport 443',
    );
    expect(ruleMatch({ ...rule, peer: { kind: 'cidr4', cidr: '10.0.0.0/8' } }, 'egress', () => undefined)).toBe(
      'ip daddr 10.0.0.0/8 meta l4proto tcp th dport 443',
    );
    expect(
      ruleMatch({ ...rule, peer: { kind: 'group', group: 'G' } }, 'ingress', (g) =>
        g === 'G' ? 'iifname "x"' : undefined,
      ),
    ).toBe('iifname "x" meta l4proto tcp th dport 443');
    expect(ruleMatch({ ...rule, peer: { kind: 'group', group: 'H' } }, 'ingress', () => undefined)).toBeUndefined();
    expect(ruleMatch({ ...rule, peer: { kind: 'unmodelled', what: 'pl-1' } }, 'ingress', () => 'x')).toBeUndefined();
  });
});

describe('relayRuleset', () => {
  test('one accept per template rule; a rule from the load balancer group admits what arrives from the stand-in', () => {
    const rules = relayRuleset(readRelayPath(openTemplate()), a);
    const input = chain(rules.text, 'input');
    expect(accepts(input)).toEqual([
      'iifname "lo" accept',
      'ct state established,related accept',
      expect.stringMatching(/^ip saddr 0\.0\.0\.0\/0 meta l4proto udp th dport 49152 accept/),
      expect.stringMatching(/^iifname "eni0" meta l4proto tcp th dport 3478 accept/),
      expect.stringMatching(/^iifname "eni0" meta l4proto udp th dport 3478 accept/),
      expect.stringMatching(/^iifname "eni0" meta l4proto tcp th dport 5349 accept/),
    ]);
    expect(rules.notes).toEqual([]);
  });

  test('a rule that is not in the template does not exist: without the relay ingress, nothing but replies gets in', () => {
    const rules = relayRuleset(readRelayPath(openTemplate({ relayIngress: [], relayIngressResources: [] })), a);
    expect(accepts(chain(rules.text, 'input'))).toEqual(['iifname "lo" accept', 'ct state established,related accept']);
    expect(rules.hops.map((h) => h.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^relay security group admits no udp\/3478 from the load balancer \(target group Tg0\)$/),
        expect.stringMatching(
          /^relay security group admits no tcp\/3478 from the load balancer \(target group Tg0; health check/,
        ),
        expect.stringMatching(/^relay security group admits no tcp\/5349 from the load balancer \(target group Tg1\)$/),
      ]),
    );
  });

  test('a group reference the lab cannot stand in for admits nothing and is noted', () => {
    const template = openTemplate({
      relayIngressResources: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, SourcePrefixListId: 'pl-1' }],
    });
    const rules = relayRuleset(readRelayPath(template), a);
    expect(rules.text).not.toMatch(/dport 22 accept/);
    expect(rules.notes).toEqual([
      expect.stringMatching(/^RelaySg ingress tcp\/22 peer "pl-1": no stand-in in the lab/),
    ]);
  });

  test('egress from the template only', () => {
    const output = chain(relayRuleset(readRelayPath(openTemplate()), a).text, 'output');
    expect(accepts(output)).toEqual([
      'oifname "lo" accept',
      'ct state established,related accept',
      expect.stringMatching(/^ip daddr 0\.0\.0\.0\/0 meta l4proto udp accept/),
    ]);
  });
});

describe('loadBalancerRuleset', () => {
  test('the open template: ingress per listener, DNAT for TCP_UDP (client address kept), TLS terminated locally', () => {
    const text = loadBalancerRuleset(readRelayPath(openTemplate()), urls, a, all(openTemplate())).text;
    expect(accepts(chain(text, 'sg_ingress'))).toHaveLength(1 + 3);
    expect(chain(text, 'listeners')).toEqual([
      expect.stringMatching(
        /^iifname "lbfront" ip daddr 198\.51\.100\.1 meta l4proto tcp th dport 3478 dnat ip to 203\.0\.113\.10:3478/,
      ),
      expect.stringMatching(
        /^iifname "lbfront" ip daddr 198\.51\.100\.1 meta l4proto udp th dport 3478 dnat ip to 203\.0\.113\.10:3478/,
      ),
    ]);
    // No masquerade or SNAT anywhere: the relay sees the client's address.
    expect(text).not.toMatch(/snat|masquerade/);
    expect(accepts(chain(text, 'input'))).toEqual([
      'iifname "lo" accept',
      'ct state established,related accept',
      expect.stringMatching(/^iifname "lbfront" ip daddr 198\.51\.100\.1 meta l4proto tcp th dport 443 accept/),
    ]);
    expect(accepts(chain(text, 'output'))).toEqual([
      'oifname "lo" accept',
      'ct state established,related accept',
      expect.stringMatching(/^oifname "lbback" ip daddr 203\.0\.113\.10 meta l4proto tcp th dport 3478 accept/),
      expect.stringMatching(/^oifname "lbback" ip daddr 203\.0\.113\.10 meta l4proto udp th dport 3478 accept/),
      expect.stringMatching(/^oifname "lbback" ip daddr 203\.0\.113\.10 meta l4proto tcp th dport 5349 accept/),
    ]);
    // Forwarded flows meet the same egress rules; nothing else crosses.
    expect(accepts(chain(text, 'forward'))).toHaveLength(1 + 3);
    expect(chain(text, 'forward').every((r) => r.startsWith('ct ') || / drop$/.test(r))).toBe(true);
  });

  test('without ingress: nothing reaches a listener, and each URL has a drop that names its hop', () => {
    const template = withoutLoadBalancerIngress(openTemplate());
    const rules = loadBalancerRuleset(readRelayPath(template), urls, a, all(template));
    expect(accepts(chain(rules.text, 'sg_ingress'))).toEqual(['ct state established,related accept']);
    expect(rules.hops.map((h) => h.message)).toEqual(
      expect.arrayContaining([
        'load balancer security group admits no udp/3478 from the client (turn:turn.example.org:3478?transport=udp)',
        'load balancer security group admits no tcp/3478 from the client (turn:turn.example.org:3478?transport=tcp)',
        'load balancer security group admits no tcp/443 from the client (turns:turn.example.org:443?transport=tcp)',
      ]),
    );
  });

  test('without a UDP listener: no UDP DNAT, and the UDP URL meets "no listener"', () => {
    const template = withoutUdpListener(openTemplate());
    const rules = loadBalancerRuleset(readRelayPath(template), urls, a, all(template));
    expect(chain(rules.text, 'listeners').join('\n')).not.toMatch(/udp/);
    expect(rules.hops.map((h) => h.message)).toContain(
      'load balancer has no listener for udp/3478 (turn:turn.example.org:3478?transport=udp)',
    );
    expect(listenerForUrl(readRelayPath(template), urls[0])).toBeUndefined();
  });

  test('a plain URL on a TLS listener port is named as such', () => {
    const plain = parseTurnUrl('turn:turn.example.org:443?transport=tcp');
    const rules = loadBalancerRuleset(readRelayPath(openTemplate()), [plain], a, all(openTemplate()));
    expect(rules.hops.map((h) => h.message)).toContain(
      'load balancer listener Listener1 on 443 is TLS, which does not speak tcp (turn:turn.example.org:443?transport=tcp)',
    );
  });

  test('an unhealthy target group gets no traffic: no DNAT, no TLS accept, and a drop that says why', () => {
    const rules = loadBalancerRuleset(readRelayPath(openTemplate()), urls, a, new Set());
    expect(chain(rules.text, 'listeners')).toEqual([]);
    expect(accepts(chain(rules.text, 'input'))).toEqual(['iifname "lo" accept', 'ct state established,related accept']);
    expect(rules.hops.map((h) => h.message)).toContain(
      'load balancer listener Listener0 (TCP_UDP 3478) has no healthy target: target group Tg0 failed its health check TCP/3478',
    );
  });

  test('before issue 11: only the egress placeholder, which matches nothing the relays get', () => {
    const model = readRelayPath(beforeIssue11);
    const text = loadBalancerRuleset(model, urls, a, all(beforeIssue11)).text;
    expect(accepts(chain(text, 'sg_ingress'))).toEqual(['ct state established,related accept']);
    expect(accepts(chain(text, 'output'))).toEqual([
      'oifname "lo" accept',
      'ct state established,related accept',
      expect.stringMatching(
        /^oifname "lbback" ip daddr 255\.255\.255\.255\/32 meta l4proto icmp icmp type 252 icmp code 86 accept/,
      ),
    ]);
  });

  test('an open default egress (no egress property) lets everything out to targets', () => {
    const template = smallTemplate({ lbIngress: [fromAnywhere('tcp', 3478)] });
    const output = chain(loadBalancerRuleset(readRelayPath(template), urls, a, all(template)).text, 'output');
    expect(output).toContainEqual(expect.stringMatching(/^oifname "lbback" ip daddr 0\.0\.0\.0\/0 accept/));
  });
});

test('targetFlows: each target port per IP protocol and each health-check port, once', () => {
  expect(targetFlows(readRelayPath(openTemplate())).map((f) => `${f.protocol}/${f.port}`)).toEqual([
    'tcp/3478',
    'udp/3478',
    'tcp/5349',
  ]);
});
