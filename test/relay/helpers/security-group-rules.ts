/**
 * Security-group rules of a synthesized template, read the way EC2 ends up holding them: inline rules of every
 * AWS::EC2::SecurityGroup and the separate AWS::EC2::SecurityGroupIngress/Egress resources, one list.
 */
export interface Rule {
  /** Logical id of the group the rule belongs to. */
  readonly group: string;
  readonly direction: 'in' | 'out';
  /** `tcp/3478`, `udp/49152-65535`, `icmp/3:4`. */
  readonly what: string;
  /** `0.0.0.0/0`, or `sg:<logical id>` for a group reference. */
  readonly peer: string;
  readonly description?: string;
}

export type Resources = Record<string, { Type: string; Properties: any }>;

/** The logical id behind `{"Fn::GetAtt": [id, "GroupId"]}`; anything else is not a group of this template. */
export function groupOf(value: any): string {
  if (value?.['Fn::GetAtt']?.[1] === 'GroupId') return value['Fn::GetAtt'][0];
  throw new Error(`not a group reference in this template: ${JSON.stringify(value)}`);
}

function describeRule(group: string, direction: 'in' | 'out', r: any): Rule {
  const range = r.FromPort === r.ToPort ? `${r.FromPort}` : `${r.FromPort}-${r.ToPort}`;
  const what = r.IpProtocol === 'icmp' ? `icmp/${r.FromPort}:${r.ToPort}` : `${r.IpProtocol}/${range}`;
  const ref = direction === 'in' ? r.SourceSecurityGroupId : r.DestinationSecurityGroupId;
  const peer = r.CidrIp ?? r.CidrIpv6 ?? (ref !== undefined ? `sg:${groupOf(ref)}` : JSON.stringify(r));
  return { group, direction, what, peer, description: r.Description };
}

export function allRules(resources: Resources): Rule[] {
  const found: Rule[] = [];
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type === 'AWS::EC2::SecurityGroup') {
      for (const rule of r.Properties.SecurityGroupIngress ?? []) found.push(describeRule(id, 'in', rule));
      for (const rule of r.Properties.SecurityGroupEgress ?? []) found.push(describeRule(id, 'out', rule));
    } else if (r.Type === 'AWS::EC2::SecurityGroupIngress') {
      found.push(describeRule(groupOf(r.Properties.GroupId), 'in', r.Properties));
    } else if (r.Type === 'AWS::EC2::SecurityGroupEgress') {
      found.push(describeRule(groupOf(r.Properties.GroupId), 'out', r.Properties));
    }
  }
  return found;
}

/** `<what> <peer>` for each rule of one group in one direction, sorted. */
export function ruleStrings(resources: Resources, group: string, direction: 'in' | 'out'): string[] {
  return allRules(resources)
    .filter((r) => r.group === group && r.direction === direction)
    .map((r) => `${r.what} ${r.peer}`)
    .sort();
}

/** Does one of the rules cover this protocol and port from/to this peer? (Port ranges count.) */
export function admits(rules: readonly string[], protocol: string, port: number, peer: string): boolean {
  return rules.some((rule) => {
    const match = /^(tcp|udp|-1)\/(\d+)(?:-(\d+))? (.+)$/.exec(rule);
    if (!match || match[4] !== peer) return false;
    if (match[1] !== protocol && match[1] !== '-1') return false;
    const from = Number(match[2]);
    const to = match[3] === undefined ? from : Number(match[3]);
    return port >= from && port <= to;
  });
}
