/**
 * Copies of a Relay template with one part of its path removed, for the lab's mutation tests: the lab must fail a
 * call when the template it is built from would fail it in AWS. Pure: the input is never changed.
 */
import { readRelayPath, referencedId, type CfnTemplate } from './relay-template';

type Resources = NonNullable<CfnTemplate['Resources']>;

function copy(template: CfnTemplate): CfnTemplate & { Resources: Resources } {
  const clone = structuredClone(template) as CfnTemplate & { Resources?: Resources };
  if (!clone.Resources) throw new Error('template has no Resources');
  return clone as CfnTemplate & { Resources: Resources };
}

/** Every ingress rule of the load balancer's security groups removed, inline and standalone. */
export function withoutLoadBalancerIngress(template: CfnTemplate): CfnTemplate {
  const out = copy(template);
  const groups = new Set(readRelayPath(template).loadBalancerSecurityGroups);
  for (const [id, r] of Object.entries(out.Resources)) {
    if (r.Type === 'AWS::EC2::SecurityGroup' && groups.has(id) && r.Properties)
      delete r.Properties.SecurityGroupIngress;
    const owner = referencedId(r.Properties?.GroupId, 'GroupId') ?? referencedId(r.Properties?.GroupId);
    if (r.Type === 'AWS::EC2::SecurityGroupIngress' && owner && groups.has(owner)) delete out.Resources[id];
  }
  return out;
}

/**
 * UDP removed from the load balancer's listeners: a UDP listener goes, a TCP_UDP listener (and its target group)
 * becomes TCP, as the template was before it had a UDP path.
 */
export function withoutUdpListener(template: CfnTemplate): CfnTemplate {
  const out = copy(template);
  const model = readRelayPath(template);
  let changed = 0;
  for (const listener of model.listeners) {
    const properties = out.Resources[listener.id].Properties!;
    if (listener.protocol === 'UDP') {
      delete out.Resources[listener.id];
      changed += 1;
    } else if (listener.protocol === 'TCP_UDP') {
      properties.Protocol = 'TCP';
      out.Resources[listener.targetGroup].Properties!.Protocol = 'TCP';
      changed += 1;
    }
  }
  if (changed === 0) throw new Error('the template has no UDP listener to remove');
  return out;
}

/** The load balancer's security groups let nothing out: no egress rule but EC2's "disallow all" placeholder. */
export function withoutLoadBalancerEgress(template: CfnTemplate): CfnTemplate {
  const out = copy(template);
  const groups = new Set(readRelayPath(template).loadBalancerSecurityGroups);
  const placeholder = {
    CidrIp: '255.255.255.255/32',
    Description: 'Disallow all traffic',
    FromPort: 252,
    IpProtocol: 'icmp',
    ToPort: 86,
  };
  for (const [id, r] of Object.entries(out.Resources)) {
    if (r.Type === 'AWS::EC2::SecurityGroup' && groups.has(id) && r.Properties)
      r.Properties.SecurityGroupEgress = [placeholder];
    const owner = referencedId(r.Properties?.GroupId, 'GroupId') ?? referencedId(r.Properties?.GroupId);
    if (r.Type === 'AWS::EC2::SecurityGroupEgress' && owner && groups.has(owner)) delete out.Resources[id];
  }
  return out;
}
