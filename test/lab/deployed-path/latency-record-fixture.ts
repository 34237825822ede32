/**
 * TEST FIXTURE, until the real regional Relay templates land: a copy of a Relay template with the Route 53 latency
 * alias record that each regional Relay stack is to carry under the relay name (the lead's design, issue 16), aliasing
 * the template's own network load balancer. Pure: the input is never changed. It refuses a template that already
 * has a record for the relay name: then the real synthesized templates are to be used instead of this fixture.
 */
import { readRelayPath, type CfnTemplate } from '../../../tools/lab/deployed-path/relay-template';

export const FIXTURE_HOSTED_ZONE_ID = 'Z0HRTCLABFIXTURE';

export function withLatencyRecordFixture(
  template: CfnTemplate,
  options: { region: string; relayName: string; evaluateTargetHealth?: boolean | null },
): CfnTemplate {
  const name = `${options.relayName.replace(/\.$/, '')}.`;
  const clone = structuredClone(template) as { Resources: NonNullable<CfnTemplate['Resources']> };
  const existing = Object.entries(clone.Resources).filter(
    ([, r]) => r.Type === 'AWS::Route53::RecordSet' && String(r.Properties?.Name).toLowerCase() === name.toLowerCase(),
  );
  if (existing.length > 0)
    throw new Error(`the template already has a record for ${name} (${existing[0][0]}): use it, not this fixture`);
  const nlb = readRelayPath(template).loadBalancer;
  clone.Resources.RelayLatencyRecordFixture = {
    Type: 'AWS::Route53::RecordSet',
    Properties: {
      HostedZoneId: FIXTURE_HOSTED_ZONE_ID,
      Name: name,
      Type: 'A',
      Region: options.region,
      SetIdentifier: options.region,
      AliasTarget: {
        DNSName: { 'Fn::GetAtt': [nlb, 'DNSName'] },
        HostedZoneId: { 'Fn::GetAtt': [nlb, 'CanonicalHostedZoneID'] },
        // null: the property left out (Route 53's default is false).
        ...(options.evaluateTargetHealth === null
          ? {}
          : { EvaluateTargetHealth: options.evaluateTargetHealth ?? true }),
      },
    },
  };
  return clone;
}
