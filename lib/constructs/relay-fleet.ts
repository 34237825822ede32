import { Duration, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { renderBootScript } from '../relay/boot-script';
import { fleetTurnSettings } from '../relay/fleet-turn-settings';
import { productionTurnOptions } from '../relay/production-turn-options';
import type { RelaySettings } from '../relay/relay-settings';
import { SECRET_SYNC_METRIC } from '../relay/secret-sync';

/** Numeric uid coturn runs as on the host; the host firewall matches it. */
export const COTURN_UID = 3478;

export interface RelayFleetProps {
  /** Instance type, fleet size, scaling target, TURN settings and rotation policy. */
  readonly settings: RelaySettings;
  readonly vpc: ec2.IVpc;
  /** The TURN secret each relay syncs (AWSCURRENT only). */
  readonly turnSecret: secretsmanager.ISecret;
  /** The TURN secret's key; relays decrypt with it only through Secrets Manager. */
  readonly secretKey: kms.IKey;
  /** Encrypts the root volumes; its policy must let the Auto Scaling service-linked role use it (RelayStackProps). */
  readonly volumeKey: kms.IKey;
  readonly coturnRepository: ecr.IRepository;
  /** The coturn image digest (`sha256:<64 hex>`): relays never run a tag. */
  readonly coturnImageDigest: string;
  /** Where coturn's log goes. */
  readonly logGroup: logs.ILogGroup;
}

/**
 * The relays: coturn on Graviton instances in the VPC's public subnets, each advertising its own public address for
 * relayed media. Their security group, an instance role with one customer-managed policy, the boot script as user
 * data, a launch template and an Auto Scaling group that tracks outgoing bytes. The TURN ports are opened to the load
 * balancer's group by RelayLoadBalancer (they carry nothing else). Adds its resources to `scope` under the ids they
 * had before this class existed (no tree level of its own: see RelayStack).
 */
export class RelayFleet {
  public readonly securityGroup: ec2.SecurityGroup;
  public readonly instanceRole: iam.Role;
  public readonly instancePolicy: iam.ManagedPolicy;
  public readonly launchTemplate: ec2.LaunchTemplate;
  public readonly autoScalingGroup: autoscaling.AutoScalingGroup;

  constructor(
    private readonly scope: Construct,
    private readonly props: RelayFleetProps,
  ) {
    const s = props.settings;
    this.securityGroup = new ec2.SecurityGroup(scope, 'RelaySecurityGroup', {
      vpc: props.vpc,
      description: 'TURN relays: TURN ports from the load balancer only, the UDP relay range from anywhere',
      allowAllOutbound: false,
    });
    const anywhere = ec2.Peer.anyIpv4();
    // The relay range is open to anyone: peers send media straight to the relayed address (the instance's public IP),
    // never via the NLB.
    const relayRange = ec2.Port.udpRange(s.relayPortRange.min, s.relayPortRange.max);
    this.securityGroup.addIngressRule(anywhere, relayRange, 'UDP relay range (peers reach relayed addresses directly)');
    // Egress: relayed media to public peers, and HTTPS to AWS APIs (Secrets Manager, ECR, logs, SSM). The VPC and
    // private ranges are blocked on the host (nftables), which security groups cannot express.
    this.securityGroup.addEgressRule(anywhere, ec2.Port.allUdp(), 'relayed media to peers');
    this.securityGroup.addEgressRule(anywhere, ec2.Port.tcp(443), 'AWS APIs over HTTPS');

    this.instanceRole = new iam.Role(scope, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: 'TURN relay: read the TURN secret, pull the coturn image, write relay logs, SSM',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });
    this.instancePolicy = this.createInstancePolicy();

    const userData = ec2.UserData.custom(
      renderBootScript({
        turn: productionTurnOptions(fleetTurnSettings(s)),
        secretArn: props.turnSecret.secretArn,
        coturnImage: props.coturnRepository.repositoryUriForDigest(props.coturnImageDigest),
        logGroupName: props.logGroup.logGroupName,
        deploymentName: s.deploymentName,
        coturnUid: COTURN_UID,
        rotation: s.rotation,
      }),
    );
    this.launchTemplate = new ec2.LaunchTemplate(scope, 'LaunchTemplate', {
      machineImage: ec2.MachineImage.latestAmazonLinux2023({ cpuType: ec2.AmazonLinuxCpuType.ARM_64 }),
      instanceType: new ec2.InstanceType(s.instanceType),
      role: this.instanceRole,
      securityGroup: this.securityGroup,
      userData,
      requireImdsv2: true,
      httpPutResponseHopLimit: 1,
      associatePublicIpAddress: true,
      detailedMonitoring: true,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(16, {
            encrypted: true,
            kmsKey: props.volumeKey,
            volumeType: ec2.EbsDeviceVolumeType.GP3,
            deleteOnTermination: true,
          }),
        },
      ],
    });

    this.autoScalingGroup = new autoscaling.AutoScalingGroup(scope, 'Fleet', {
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      launchTemplate: this.launchTemplate,
      minCapacity: s.minCapacity,
      maxCapacity: s.maxCapacity,
      healthChecks: autoscaling.HealthChecks.withAdditionalChecks({
        additionalTypes: [autoscaling.AdditionalHealthCheckType.ELB],
        gracePeriod: Duration.minutes(5),
      }),
    });
    this.autoScalingGroup.scaleOnOutgoingBytes('NetworkOut', { targetBytesPerSecond: s.targetBytesOutPerSecond });
  }

  /**
   * A relay that cannot sync keeps the secrets it had and so may miss one signaling is about to sign with; TCP health
   * checks cannot see that. Missing data counts as failing: relays that stop reporting are not in step either. Added
   * to the fleet's scope with id `SecretSyncFailing`, where it was before this class existed.
   */
  public alarmOnSecretSyncFailures(action: cloudwatch.IAlarmAction): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this.scope, 'SecretSyncFailing', {
      alarmDescription: 'A relay has failed to sync the TURN secret for 15 minutes (or no relay reports)',
      metric: new cloudwatch.Metric({
        namespace: SECRET_SYNC_METRIC.namespace,
        metricName: SECRET_SYNC_METRIC.name,
        dimensionsMap: { Deployment: this.props.settings.deploymentName },
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(5),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    alarm.addAlarmAction(action);
    return alarm;
  }

  /**
   * Written out rather than through grant*(): the keys and the repository may live in other stacks, and a grant
   * would edit their policies (and create a dependency cycle). Their policies delegate to IAM. One customer-managed
   * policy instead of the role's inline default policy (HIPAA.Security-IAMNoInlinePolicy).
   */
  private createInstancePolicy(): iam.ManagedPolicy {
    const { turnSecret, secretKey, coturnRepository, logGroup } = this.props;
    const policy = new iam.ManagedPolicy(this.scope, 'InstancePolicy', {
      description: 'TURN relay: read only the TURN secret, pull only the coturn image, write only the relay log group',
      roles: [this.instanceRole],
    });
    // Relays only ever call GetSecretValue for the AWSCURRENT document (secret-sync.ts), so nothing else is allowed:
    // no DescribeSecret, no other version. Both condition keys are documented for GetSecretValue and filter on the
    // request, whose parameters must be present for a plain condition to match; the sync script passes neither
    // (AWSCURRENT is the default), so VersionStage is checked only if given and a VersionId must not be given.
    policy.addStatements(
      new iam.PolicyStatement({
        sid: 'ReadCurrentTurnSecretOnly',
        actions: ['secretsmanager:GetSecretValue'],
        // A replica imported without its random suffix (a further relay Region) has no full ARN: match any suffix.
        resources: [turnSecret.secretFullArn ?? `${turnSecret.secretArn}-??????`],
        conditions: {
          StringEqualsIfExists: { 'secretsmanager:VersionStage': 'AWSCURRENT' },
          Null: { 'secretsmanager:VersionId': 'true' },
        },
      }),
    );
    policy.addStatements(
      new iam.PolicyStatement({
        sid: 'DecryptTurnSecretViaSecretsManager',
        actions: ['kms:Decrypt'],
        resources: [secretKey.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this.scope).region}.amazonaws.com` },
        },
      }),
    );
    // PutMetricData has no resource-level permission; the namespace condition limits it to the sync metric's.
    policy.addStatements(
      new iam.PolicyStatement({
        sid: 'PublishSecretSyncMetricOnly',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': SECRET_SYNC_METRIC.namespace } },
      }),
    );
    policy.addStatements(
      new iam.PolicyStatement({
        sid: 'PullCoturnImage',
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        resources: [coturnRepository.repositoryArn],
      }),
    );
    policy.addStatements(
      new iam.PolicyStatement({
        sid: 'EcrLogin', // GetAuthorizationToken has no resource-level permissions
        actions: ['ecr:GetAuthorizationToken'],
        resources: ['*'],
      }),
    );
    policy.addStatements(
      new iam.PolicyStatement({
        sid: 'WriteRelayLogsOnly',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [logGroup.logGroupArn],
      }),
    );
    return policy;
  }
}
