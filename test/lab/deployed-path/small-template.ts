import type { CfnTemplate } from '../../../tools/lab/deployed-path/relay-template';

const groupId = (id: string) => ({ 'Fn::GetAtt': [id, 'GroupId'] });

export interface SmallTemplateOptions {
  /** Listeners as [protocol, port, target group protocol, target port]. */
  readonly listeners?: ReadonlyArray<[string, number, string, number]>;
  readonly lbIngress?: Array<Record<string, unknown>>;
  /** undefined: no SecurityGroupEgress property at all (EC2's default allow-all). */
  readonly lbEgress?: Array<Record<string, unknown>>;
  readonly relayIngress?: Array<Record<string, unknown>>;
  /** Standalone AWS::EC2::SecurityGroupIngress resources on the relay group. */
  readonly relayIngressResources?: Array<Record<string, unknown>>;
  readonly healthCheck?: { protocol?: string; port?: string };
  readonly attachAsg?: boolean;
}

/** A Relay-shaped template with only the network resources the lab reads, in CDK's shapes. */
export function smallTemplate(o: SmallTemplateOptions = {}): CfnTemplate {
  const listeners = o.listeners ?? [
    ['TCP_UDP', 3478, 'TCP_UDP', 3478],
    ['TLS', 443, 'TLS', 5349],
  ];
  const resources: NonNullable<CfnTemplate['Resources']> = {
    LbSg: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: 'lb',
        SecurityGroupIngress: o.lbIngress ?? [],
        ...(o.lbEgress ? { SecurityGroupEgress: o.lbEgress } : {}),
      },
    },
    RelaySg: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: 'relay',
        SecurityGroupIngress: o.relayIngress ?? [],
        SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: 'udp', FromPort: 0, ToPort: 65535 }],
      },
    },
    Lt: {
      Type: 'AWS::EC2::LaunchTemplate',
      Properties: { LaunchTemplateData: { NetworkInterfaces: [{ DeviceIndex: 0, Groups: [groupId('RelaySg')] }] } },
    },
    Lb: {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: { Type: 'network', SecurityGroups: [groupId('LbSg')] },
    },
  };
  const groups: unknown[] = [];
  listeners.forEach(([protocol, port, tgProtocol, tgPort], i) => {
    resources[`Tg${i}`] = {
      Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      Properties: {
        Protocol: tgProtocol,
        Port: tgPort,
        HealthCheckProtocol: o.healthCheck?.protocol ?? 'TCP',
        HealthCheckPort: o.healthCheck?.port ?? '3478',
      },
    };
    resources[`Listener${i}`] = {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: {
        LoadBalancerArn: { Ref: 'Lb' },
        Protocol: protocol,
        Port: port,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: `Tg${i}` } }],
        ...(protocol === 'TLS' ? { SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' } : {}),
      },
    };
    groups.push({ Ref: `Tg${i}` });
  });
  resources.Asg = {
    Type: 'AWS::AutoScaling::AutoScalingGroup',
    Properties: {
      LaunchTemplate: { LaunchTemplateId: { Ref: 'Lt' } },
      TargetGroupARNs: o.attachAsg === false ? [] : groups,
    },
  };
  (o.relayIngressResources ?? []).forEach((rule, i) => {
    resources[`RelayIngress${i}`] = {
      Type: 'AWS::EC2::SecurityGroupIngress',
      Properties: { GroupId: groupId('RelaySg'), ...rule },
    };
  });
  return { Resources: resources };
}

export const fromLb = (protocol: string, port: number) => ({
  IpProtocol: protocol,
  FromPort: port,
  ToPort: port,
  SourceSecurityGroupId: groupId('LbSg'),
});
export const toRelays = (protocol: string, port: number) => ({
  IpProtocol: protocol,
  FromPort: port,
  ToPort: port,
  DestinationSecurityGroupId: groupId('RelaySg'),
});
export const fromAnywhere = (protocol: string, port: number) => ({
  IpProtocol: protocol,
  FromPort: port,
  ToPort: port,
  CidrIp: '0.0.0.0/0',
});

/** The shape the Relay stack has after issue 11: listeners admitted, egress and relay ingress for targets and checks. */
export function openTemplate(overrides: SmallTemplateOptions = {}): CfnTemplate {
  return smallTemplate({
    lbIngress: [fromAnywhere('tcp', 3478), fromAnywhere('udp', 3478), fromAnywhere('tcp', 443)],
    lbEgress: [toRelays('tcp', 3478), toRelays('udp', 3478), toRelays('tcp', 5349)],
    relayIngressResources: [fromLb('tcp', 3478), fromLb('udp', 3478), fromLb('tcp', 5349)],
    relayIngress: [fromAnywhere('udp', 49152)],
    ...overrides,
  });
}
