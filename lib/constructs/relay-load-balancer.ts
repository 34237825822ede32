import { CfnOutput, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import type { Construct } from 'constructs';
import { listenerIngress, loadBalancerToTargets, RELAY_LISTENERS, type PortRule } from '../relay/load-balancer-paths';

export interface RelayLoadBalancerProps {
  readonly vpc: ec2.IVpc;
  /** Name clients use for turns: (the ACM certificate's domain). */
  readonly domainName: string;
  /** The relays every listener forwards to. */
  readonly fleet: autoscaling.AutoScalingGroup;
  /** The relays' group, which this opens to the load balancer's group on exactly the target and health-check ports. */
  readonly relaySecurityGroup: ec2.SecurityGroup;
}

/**
 * The load balancer every TURN URL names (docs/relay.md, "Load balancer and the UDP path"): an internet-facing NLB
 * with one listener per entry of RELAY_LISTENERS, each forwarding to the whole fleet, the ACM certificate of its TLS
 * listener, and the DNS-name output the relay name points at. Its own security group (not left to the cdk.json flag)
 * admits exactly the listeners from the internet, plus ICMP "fragmentation needed" for path MTU discovery, and lets
 * out only each target group's target and health-check ports, to the relays' group; the relays' group admits the
 * same ports from the load balancer's group and from nowhere else. Adds its resources to `scope` under the ids they
 * had before this class existed (no tree level of its own: see RelayStack).
 */
export class RelayLoadBalancer {
  public readonly securityGroup: ec2.SecurityGroup;
  public readonly loadBalancer: elbv2.NetworkLoadBalancer;
  public readonly certificate: acm.Certificate;
  private readonly domainName: string;
  private readonly dnsNameOutput: CfnOutput;

  constructor(scope: Construct, props: RelayLoadBalancerProps) {
    this.domainName = props.domainName;
    const group = new ec2.SecurityGroup(scope, 'LoadBalancerSecurityGroup', {
      vpc: props.vpc,
      description: 'TURN load balancer: its listeners from the internet; targets and health checks to the relays only',
      allowAllOutbound: false,
    });
    this.securityGroup = group;
    const anywhere = ec2.Peer.anyIpv4();
    const port = (rule: PortRule) => (rule.protocol === 'tcp' ? ec2.Port.tcp(rule.port) : ec2.Port.udp(rule.port));
    for (const rule of listenerIngress(RELAY_LISTENERS)) {
      group.addIngressRule(anywhere, port(rule), `${rule.description} from the internet`);
    }
    // AWS recommends inbound ICMP for path MTU discovery on a load balancer's group. Only type 3 reaches an NLB at all
    // (it drops other ICMP as unexpected traffic); code 4 is the one path MTU discovery needs.
    group.addIngressRule(anywhere, ec2.Port.icmpTypeAndCode(3, 4), 'ICMP fragmentation needed (path MTU discovery)');
    // Egress rules inline in the load balancer's group (a Peer by group id, which CDK inlines): EC2 adds its default
    // allow-all egress to a group created without egress rules, and does not when the group is created with them
    // (AWS::EC2::SecurityGroup reference). Only removing that default through separate SecurityGroupEgress resources
    // is observed behaviour, not documented. The relays' ingress from this group stays in separate resources: inline
    // in both directions would be a circular dependency.
    const relays = ec2.Peer.securityGroupId(props.relaySecurityGroup.securityGroupId);
    for (const rule of loadBalancerToTargets(RELAY_LISTENERS)) {
      group.addEgressRule(relays, port(rule), `${rule.description} to the relays`);
      props.relaySecurityGroup.addIngressRule(group, port(rule), `${rule.description} from the load balancer`);
    }

    this.loadBalancer = new elbv2.NetworkLoadBalancer(scope, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      crossZoneEnabled: true,
      deletionProtection: true,
      securityGroups: [group],
    });
    this.certificate = new acm.Certificate(scope, 'Certificate', {
      domainName: props.domainName,
      validation: acm.CertificateValidation.fromDns(),
    });
    for (const spec of RELAY_LISTENERS) {
      const tls =
        spec.protocol === 'TLS'
          ? {
              certificates: [elbv2.ListenerCertificate.fromCertificateManager(this.certificate)],
              sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
            }
          : {};
      this.loadBalancer
        .addListener(spec.id, { port: spec.port, protocol: elbv2.Protocol[spec.protocol], ...tls })
        .addTargets(spec.id, {
          port: spec.targetPort,
          protocol: elbv2.Protocol[spec.targetProtocol],
          targets: [props.fleet],
          healthCheck: { protocol: elbv2.Protocol[spec.healthCheck.protocol], port: String(spec.healthCheck.port) },
        });
    }
    this.dnsNameOutput = new CfnOutput(scope, 'LoadBalancerDnsName', {
      description: `Point ${props.domainName} (the name in every TURN URL) at this name: a CNAME, or a Route 53 alias`,
      value: this.loadBalancer.loadBalancerDnsName,
    });
  }

  /**
   * A Route 53 latency alias record for the relay name, pointing at this load balancer (docs/relay-regions.md). Each
   * relay Region adds one under the same name; Route 53 answers a resolver with the lowest-latency Region whose record
   * is healthy. With EvaluateTargetHealth the record is unhealthy when any target group of the load balancer that has
   * targets has no healthy one (Route 53 API reference, AliasTarget.EvaluateTargetHealth), so clients move to the next
   * Region when these relays are down. The set identifier is the Region: one record per name and Region.
   */
  public addLatencyRecord(
    scope: Construct,
    zone: { readonly hostedZoneId: string; readonly zoneName: string },
  ): route53.ARecord {
    const region = Stack.of(scope).region;
    if (Token.isUnresolved(region)) {
      throw new Error(
        `RelayLoadBalancer: a latency record needs the stack's Region at synth; give ${Stack.of(scope).stackName} an env with a region`,
      );
    }
    // The relay name is now this stack's record; a hand-made CNAME or alias for it would collide (docs/relay-regions.md).
    this.dnsNameOutput.description =
      `The relay name ${this.domainName} is a Route 53 latency alias record of this stack pointing here ` +
      '(delete any record for it made by hand before the first deploy with relay.hostedZone)';
    return new route53.ARecord(scope, 'LatencyRecord', {
      zone: route53.HostedZone.fromHostedZoneAttributes(scope, 'RelayZone', zone),
      recordName: `${this.domainName}.`,
      target: route53.RecordTarget.fromAlias(
        new route53Targets.LoadBalancerTarget(this.loadBalancer, { evaluateTargetHealth: true }),
      ),
      region,
      setIdentifier: region,
      comment: `hipaa-rtc relay name, latency-routed: the ${region} relays`,
    });
  }
}
