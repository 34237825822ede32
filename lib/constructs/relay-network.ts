import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { relayLogGroup, type RelayLogOptions } from './relay-log-group';

export interface RelayNetworkProps {
  /** The VPC's CIDR (denied as a TURN peer by the relays). */
  readonly cidr: string;
  readonly logs: RelayLogOptions;
}

/**
 * The relay VPC: two AZs, public subnets only (each relay advertises its own public address for relayed media), no
 * NAT, and flow logs of ALL traffic to a KMS-encrypted log group, written by a role of our own with one
 * customer-managed policy. Adds its resources to `scope` under the ids they had before this class existed (no tree
 * level of its own: see RelayStack), so logical ids, and the Name tags CDK derives from construct paths, are kept.
 */
export class RelayNetwork {
  public readonly vpc: ec2.Vpc;
  public readonly flowLogGroup: logs.LogGroup;
  public readonly flowLogRole: iam.Role;

  constructor(scope: Construct, props: RelayNetworkProps) {
    this.vpc = new ec2.Vpc(scope, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr),
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Relay', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 }],
    });
    this.flowLogGroup = relayLogGroup(scope, 'FlowLogs', 'vpc-flow', props.logs);
    // Our own role with a customer-managed policy; `withoutPolicyUpdates` stops CDK adding an inline default policy.
    this.flowLogRole = new iam.Role(scope, 'FlowLogRole', {
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': Stack.of(scope).account },
      }),
      description: 'VPC flow logs: write to the relay flow-log group only',
    });
    new iam.ManagedPolicy(scope, 'FlowLogPolicy', {
      roles: [this.flowLogRole],
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [this.flowLogGroup.logGroupArn],
        }),
        new iam.PolicyStatement({ actions: ['logs:DescribeLogGroups'], resources: ['*'] }),
      ],
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup, this.flowLogRole.withoutPolicyUpdates()),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
  }
}
