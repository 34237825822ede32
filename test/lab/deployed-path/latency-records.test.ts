import { readLatencyRecord, readLatencyRecords } from '../../../tools/lab/deployed-path/latency-records';
import { readRelayPath, type CfnTemplate } from '../../../tools/lab/deployed-path/relay-template';
import { FIXTURE_HOSTED_ZONE_ID, withLatencyRecordFixture } from './latency-record-fixture';
import { openTemplate } from './small-template';

const RELAY = 'turn.example.org';

function regional(region: string, evaluateTargetHealth?: boolean | null) {
  return {
    region,
    template: withLatencyRecordFixture(openTemplate(), { region, relayName: RELAY, evaluateTargetHealth }),
  };
}

/** The fixture's record properties, changed by `edit`. */
function edited(region: string, edit: (p: Record<string, unknown>) => void) {
  const r = regional(region);
  edit(r.template.Resources!.RelayLatencyRecordFixture.Properties!);
  return r;
}

describe('readLatencyRecord', () => {
  test("reads the record aliasing the template's own load balancer, with target health evaluated", () => {
    const r = regional('us-west-2');
    expect(readLatencyRecord(r, RELAY)).toEqual({
      region: 'us-west-2',
      setIdentifier: 'us-west-2',
      name: 'turn.example.org.',
      hostedZoneId: FIXTURE_HOSTED_ZONE_ID,
      loadBalancer: readRelayPath(r.template).loadBalancer,
      evaluateTargetHealth: true,
    });
    // The relay name with or without its trailing dot, any case, is the same name.
    expect(readLatencyRecord(r, 'TURN.example.org.').name).toBe('turn.example.org.');
  });

  test("reads CDK's alias form for load balancers: the literal dualstack. joined to the load balancer's DNSName", () => {
    const r = regional('us-west-2');
    const loadBalancer = readRelayPath(r.template).loadBalancer;
    const alias = r.template.Resources!.RelayLatencyRecordFixture.Properties!.AliasTarget as Record<string, unknown>;
    alias.DNSName = { 'Fn::Join': ['', ['dualstack.', { 'Fn::GetAtt': [loadBalancer, 'DNSName'] }]] };
    expect(readLatencyRecord(r, RELAY).loadBalancer).toBe(loadBalancer);
  });

  test('EvaluateTargetHealth false or absent is read as no failover', () => {
    expect(readLatencyRecord(regional('us-east-1', false), RELAY).evaluateTargetHealth).toBe(false);
    expect(readLatencyRecord(regional('us-east-1', null), RELAY).evaluateTargetHealth).toBe(false);
  });

  test.each<[string, (p: Record<string, unknown>) => void, RegExp]>([
    [
      'another name',
      (p) => (p.Name = 'relay.example.org.'),
      /expected one Route 53 record named turn\.example\.org\., found 0/,
    ],
    ['type AAAA', (p) => (p.Type = 'AAAA'), /type "AAAA", not A/],
    ['another region', (p) => (p.Region = 'eu-west-1'), /latency record for "eu-west-1", not us-east-1/],
    ['no Region (not a latency record)', (p) => delete p.Region, /latency record for undefined/],
    ['a weight as well', (p) => (p.Weight = 10), /not a plain latency alias record: it has Weight/],
    ['records instead of an alias', (p) => (p.ResourceRecords = ['192.0.2.1']), /it has ResourceRecords/],
    ['no SetIdentifier', (p) => delete p.SetIdentifier, /no SetIdentifier/],
    ['a zone looked up by name', (p) => (p.HostedZoneId = { Ref: 'Zone' }), /no literal HostedZoneId/],
    ['no alias', (p) => delete p.AliasTarget, /not an alias record/],
    [
      'an alias to another load balancer',
      (p) => ((p.AliasTarget as Record<string, unknown>).DNSName = { 'Fn::GetAtt': ['OtherNlb', 'DNSName'] }),
      /does not alias this template's load balancer/,
    ],
    [
      "an alias zone that is not the load balancer's",
      (p) => ((p.AliasTarget as Record<string, unknown>).HostedZoneId = 'Z35SXDOTRQ7X7K'),
      /does not alias this template's load balancer/,
    ],
    [
      'a prefix other than dualstack.',
      (p) =>
        ((p.AliasTarget as Record<string, unknown>).DNSName = {
          'Fn::Join': ['', ['ipv6.', (p.AliasTarget as Record<string, unknown>).DNSName]],
        }),
      /does not alias this template's load balancer/,
    ],
    [
      'a literal DNS name',
      (p) => ((p.AliasTarget as Record<string, unknown>).DNSName = 'relay-123.elb.us-east-1.amazonaws.com'),
      /does not alias this template's load balancer/,
    ],
    [
      'EvaluateTargetHealth not a boolean',
      (p) => ((p.AliasTarget as Record<string, unknown>).EvaluateTargetHealth = 'true'),
      /EvaluateTargetHealth "true", not a literal boolean/,
    ],
  ])('fails closed on %s', (_what, edit, message) => {
    expect(() => readLatencyRecord(edited('us-east-1', edit), RELAY)).toThrow(message);
  });

  test('fails closed on a template with no record, or two for the relay name', () => {
    expect(() => readLatencyRecord({ region: 'us-east-1', template: openTemplate() }, RELAY)).toThrow(
      /Relay template for us-east-1: expected one Route 53 record named turn\.example\.org\., found 0/,
    );
    const twice = regional('us-east-1');
    const resources = twice.template.Resources as Record<string, unknown>;
    resources.Second = structuredClone(resources.RelayLatencyRecordFixture);
    expect(() => readLatencyRecord(twice, RELAY)).toThrow(/found 2/);
  });
});

describe('readLatencyRecords', () => {
  test('one record per region, in the order given', () => {
    const records = readLatencyRecords([regional('us-east-1'), regional('us-west-2', false)], RELAY);
    expect(records.map((r) => [r.region, r.evaluateTargetHealth])).toEqual([
      ['us-east-1', true],
      ['us-west-2', false],
    ]);
  });

  test('fails closed on no regions, a repeated region or set identifier, or two hosted zones', () => {
    expect(() => readLatencyRecords([], RELAY)).toThrow(/no relay regions/);
    expect(() => readLatencyRecords([regional('us-east-1'), regional('us-east-1')], RELAY)).toThrow(
      /share the region us-east-1/,
    );
    const sameId = edited('us-west-2', (p) => (p.SetIdentifier = 'us-east-1'));
    expect(() => readLatencyRecords([regional('us-east-1'), sameId], RELAY)).toThrow(
      /share the SetIdentifier us-east-1/,
    );
    const otherZone = edited('us-west-2', (p) => (p.HostedZoneId = 'Z0OTHER'));
    expect(() => readLatencyRecords([regional('us-east-1'), otherZone], RELAY)).toThrow(/different hosted zones/);
  });
});

test('the fixture refuses a template that already has the record (then the real templates are to be used)', () => {
  const once: CfnTemplate = regional('us-east-1').template;
  expect(() => withLatencyRecordFixture(once, { region: 'us-west-2', relayName: RELAY })).toThrow(
    /already has a record for turn\.example\.org\./,
  );
});
