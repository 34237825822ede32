/**
 * Reads the Route 53 latency alias record each regional Relay template carries under the relay name, which is how a
 * client is sent to the nearest healthy relay region (docs/lab.md, "Relay regions"). Pure; fails closed on anything
 * it cannot interpret, so the lab never routes by a record that Route 53 would read differently.
 *
 * The record the lab understands:
 *   Type: AWS::Route53::RecordSet
 *   Properties: { HostedZoneId: <literal>, Name: '<relay name>.', Type: 'A', Region: <region>, SetIdentifier: <id>,
 *                 AliasTarget: { DNSName: {Fn::GetAtt: [<this template's NLB>, DNSName]},
 *                                HostedZoneId: {Fn::GetAtt: [<same NLB>, CanonicalHostedZoneID]},
 *                                EvaluateTargetHealth: true } }
 * EvaluateTargetHealth absent or false is read as "no failover": Route 53 keeps answering with the record whatever
 * the load balancer's health.
 */
import { readRelayPath, referencedId, type CfnTemplate } from './relay-template';

export interface LatencyRecord {
  /** The relay region whose template holds the record (Route 53's `Region`). */
  readonly region: string;
  readonly setIdentifier: string;
  /** Fully qualified, lower case, with the trailing dot. */
  readonly name: string;
  readonly hostedZoneId: string;
  /** Logical ID of the template's network load balancer the alias points at. */
  readonly loadBalancer: string;
  /** Whether the record inherits the load balancer's health (false: answered even when it has no healthy target). */
  readonly evaluateTargetHealth: boolean;
}

export interface RelayRegionTemplate {
  readonly region: string;
  readonly template: CfnTemplate;
}

const fqdn = (name: string) => (name.endsWith('.') ? name : `${name}.`).toLowerCase();

/** Properties a latency alias record must not have: they belong to other routing policies or to non-alias records. */
const FOREIGN_PROPERTIES = [
  'ResourceRecords',
  'TTL',
  'Weight',
  'Failover',
  'GeoLocation',
  'GeoProximityLocation',
  'CidrRoutingConfig',
  'MultiValueAnswer',
  'HealthCheckId',
  'HostedZoneName',
];

/** The one latency alias record for `relayName` in a region's Relay template. */
export function readLatencyRecord(regional: RelayRegionTemplate, relayName: string): LatencyRecord {
  const { region, template } = regional;
  const fail = (message: string): never => {
    throw new Error(`Relay template for ${region}: ${message}`);
  };
  const wanted = fqdn(relayName);
  const records = Object.entries(template.Resources ?? {}).filter(([, r]) => r.Type === 'AWS::Route53::RecordSet');
  const named = records.filter(([, r]) => typeof r.Properties?.Name === 'string' && fqdn(r.Properties.Name) === wanted);
  if (named.length !== 1) {
    fail(
      `expected one Route 53 record named ${wanted}, found ${named.length}` +
        (records.length > named.length
          ? ` (other records: ${records.map(([id, r]) => `${id} ${JSON.stringify(r.Properties?.Name)}`).join(', ')})`
          : ''),
    );
  }
  const [id, resource] = named[0];
  const p = resource.Properties ?? {};
  if (p.Type !== 'A') fail(`record ${id} has type ${JSON.stringify(p.Type)}, not A`);
  if (p.Region !== region) fail(`record ${id} is a latency record for ${JSON.stringify(p.Region)}, not ${region}`);
  const foreign = FOREIGN_PROPERTIES.filter((key) => p[key] !== undefined);
  if (foreign.length > 0) fail(`record ${id} is not a plain latency alias record: it has ${foreign.join(', ')}`);
  if (typeof p.SetIdentifier !== 'string' || p.SetIdentifier === '') fail(`record ${id} has no SetIdentifier`);
  if (typeof p.HostedZoneId !== 'string' || p.HostedZoneId === '')
    fail(`record ${id} has no literal HostedZoneId (${JSON.stringify(p.HostedZoneId)})`);
  const alias = p.AliasTarget as Record<string, unknown> | undefined;
  if (!alias || typeof alias !== 'object') fail(`record ${id} is not an alias record`);
  const loadBalancer = readRelayPath(template).loadBalancer;
  const dnsTarget = aliasDnsTarget(alias!.DNSName);
  const zoneTarget = referencedId(alias!.HostedZoneId, 'CanonicalHostedZoneID');
  if (dnsTarget !== loadBalancer || zoneTarget !== loadBalancer) {
    fail(
      `record ${id} does not alias this template's load balancer ${loadBalancer} ` +
        `(DNSName ${JSON.stringify(alias!.DNSName)}, HostedZoneId ${JSON.stringify(alias!.HostedZoneId)})`,
    );
  }
  const evaluate = alias!.EvaluateTargetHealth;
  if (evaluate !== undefined && typeof evaluate !== 'boolean')
    fail(`record ${id} has EvaluateTargetHealth ${JSON.stringify(evaluate)}, not a literal boolean`);
  return {
    region,
    setIdentifier: p.SetIdentifier as string,
    name: wanted,
    hostedZoneId: p.HostedZoneId as string,
    loadBalancer,
    evaluateTargetHealth: evaluate === true,
  };
}

/**
 * The latency record group under the relay name, one record per relay region. Route 53 answers from one group: the
 * records must share the hosted zone, and regions and set identifiers must be unique.
 */
export function readLatencyRecords(regions: readonly RelayRegionTemplate[], relayName: string): LatencyRecord[] {
  if (regions.length === 0) throw new Error('no relay regions: nothing answers for the relay name');
  const records = regions.map((r) => readLatencyRecord(r, relayName));
  const duplicate = (key: (r: LatencyRecord) => string, what: string) => {
    const seen = new Set<string>();
    for (const record of records) {
      if (seen.has(key(record))) throw new Error(`two relay regions share the ${what} ${key(record)}`);
      seen.add(key(record));
    }
  };
  duplicate((r) => r.region, 'region');
  duplicate((r) => r.setIdentifier, 'SetIdentifier');
  const zones = [...new Set(records.map((r) => r.hostedZoneId))];
  if (zones.length !== 1)
    throw new Error(`the relay regions' records are in different hosted zones (${zones.join(', ')})`);
  return records;
}

/**
 * The load balancer an alias record's DNSName names: a GetAtt of its DNSName, or CDK's form for Elastic Load Balancing
 * targets, the literal `dualstack.` joined to it (Route 53 accepts the prefix for load balancer aliases). Anything
 * else is not read.
 */
function aliasDnsTarget(value: unknown): string | undefined {
  const direct = referencedId(value, 'DNSName');
  if (direct) return direct;
  const join = (value as Record<string, unknown> | undefined)?.['Fn::Join'];
  if (!Array.isArray(join) || join[0] !== '' || !Array.isArray(join[1]) || join[1].length !== 2) return undefined;
  const [prefix, target] = join[1] as unknown[];
  return prefix === 'dualstack.' ? referencedId(target, 'DNSName') : undefined;
}
