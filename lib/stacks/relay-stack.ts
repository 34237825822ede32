import * as path from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CustomerManagedKey } from '../constructs/customer-managed-key';
import { StandardNodejsFunction } from '../constructs/node-function-standard';
import { logGroupNamePrefix } from '../constructs/log-group-naming';
import { renderBootScript } from '../relay/boot-script';
import { fleetTurnSettings } from '../relay/fleet-turn-settings';
import { listenerIngress, loadBalancerToTargets, RELAY_LISTENERS, type PortRule } from '../relay/load-balancer-paths';
import { productionTurnOptions } from '../relay/production-turn-options';
import { rotationIntervalDays, validateRelaySettings, type RelaySettings } from '../relay/relay-settings';
import { ADVANCE_EVENT } from '../relay/rotation-event';
import { ADVANCE_INTERVAL_MINUTES } from '../relay/rotation-schedule';
import { rotationEnvironment } from '../relay/rotation-settings';
import { SECRET_SYNC_METRIC } from '../relay/secret-sync';

export interface RelayStackProps extends StackProps {
  readonly settings: RelaySettings;
  /** Customer-managed key for log groups (the Audit key, whose policy allows the project prefix). */
  readonly logKey: kms.IKey;
  /**
   * Customer-managed key for the TURN secret.
   * @default - the relay key this stack creates (needs `keyAdministrator`)
   */
  readonly secretKey?: kms.IKey;
  /**
   * Customer-managed key for the relays' EBS volumes. Its key policy must let the Auto Scaling service-linked role
   * use it (kms:CreateGrant, Decrypt, GenerateDataKey*, ReEncrypt*, DescribeKey), or instances fail to launch.
   * @default - the relay key this stack creates, whose policy does that
   */
  readonly volumeKey?: kms.IKey;
  /** Administers the relay key the stack creates when `secretKey` or `volumeKey` is not given. */
  readonly keyAdministrator?: iam.IRole;
  /**
   * The account's ECR repository holding the pinned coturn image (docs/relay.md, supply path).
   * @default - a KMS-encrypted repository with immutable tags and scan on push, created by this stack
   */
  readonly coturnRepository?: ecr.IRepository;
  /** The image digest (`sha256:<64 hex>`): relays never run a tag. */
  readonly coturnImageDigest: string;
  /**
   * Where the relay's alarms notify (the audit stack's security alarm topic): relays whose secret sync keeps failing,
   * and rotation function errors.
   * @default - no alarms
   */
  readonly alarmTopic?: sns.ITopic;
}

export type { RelaySettings } from '../relay/relay-settings';
export { DEFAULT_ROTATION_INTERVAL_DAYS } from '../relay/relay-settings';
export { RELAY_PORTS } from '../relay/fleet-turn-settings';
/** The rotation function's handler (lambda/relay/). */
export const ROTATION_HANDLER_ENTRY = path.join(__dirname, '..', '..', 'lambda', 'relay', 'rotate-turn-secret.ts');
/** Numeric uid coturn runs as on the host; the host firewall matches it. */
export const COTURN_UID = 3478;

/**
 * The TURN relay fleet: a VPC with flow logs, coturn on Graviton instances in public subnets of two AZs (each relay
 * advertises its own public address for relayed media), a Network Load Balancer that carries TURN over UDP, TCP
 * (TCP_UDP 3478) and TLS (443) under the one relay name, the shared TURN secret, and encrypted logs. See docs/relay.md
 * ("Load balancer and the UDP path") for the path, the figures it rests on and the logging gap.
 */
export class RelayStack extends Stack {
  public readonly vpc: ec2.Vpc;
  public readonly turnSecret: secretsmanager.Secret;
  public readonly fleet: autoscaling.AutoScalingGroup;
  public readonly loadBalancer: elbv2.NetworkLoadBalancer;
  public readonly relayLogGroup: logs.LogGroup;
  public readonly securityGroup: ec2.SecurityGroup;
  public readonly instanceRole: iam.Role;
  public readonly coturnRepository: ecr.IRepository;
  /** The key of the TURN secret (readers need kms:Decrypt through Secrets Manager). */
  public readonly secretKey: kms.IKey;
  /** Rotates the TURN secret (Secrets Manager's schedule) and advances each rotation (every 5 minutes). */
  public readonly rotationFunction: nodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: RelayStackProps) {
    super(scope, id, props);
    const s = props.settings;
    validateRelaySettings(s, props.coturnImageDigest);
    const prefix = `${logGroupNamePrefix(s.deploymentName)}relay/`;
    const relayKey =
      props.secretKey && props.volumeKey ? undefined : this.createRelayKey(props.keyAdministrator, s.deploymentName);
    const secretKey = props.secretKey ?? relayKey!;
    const volumeKey = props.volumeKey ?? relayKey!;
    this.secretKey = secretKey;
    this.coturnRepository =
      props.coturnRepository ??
      new ecr.Repository(this, 'CoturnRepository', {
        repositoryName: `${s.deploymentName}/coturn`,
        encryption: ecr.RepositoryEncryption.KMS,
        encryptionKey: secretKey,
        imageTagMutability: ecr.TagMutability.IMMUTABLE,
        imageScanOnPush: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
    const logGroup = (lid: string, name: string) =>
      new logs.LogGroup(this, lid, {
        logGroupName: `${prefix}${name}`,
        encryptionKey: props.logKey,
        retention: s.logRetention,
        removalPolicy: RemovalPolicy.RETAIN,
      });

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(s.vpcCidr),
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Relay', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 }],
    });
    const flowLogs = logGroup('FlowLogs', 'vpc-flow');
    // Our own role with a customer-managed policy; `withoutPolicyUpdates` stops CDK adding an inline default policy.
    const flowLogRole = new iam.Role(this, 'FlowLogRole', {
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': this.account },
      }),
      description: 'VPC flow logs: write to the relay flow-log group only',
    });
    new iam.ManagedPolicy(this, 'FlowLogPolicy', {
      roles: [flowLogRole],
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [flowLogs.logGroupArn],
        }),
        new iam.PolicyStatement({ actions: ['logs:DescribeLogGroups'], resources: ['*'] }),
      ],
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs, flowLogRole.withoutPolicyUpdates()),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
    this.relayLogGroup = logGroup('RelayLogs', 'coturn');

    // The document signaling and relays share (lib/signaling/turn-secret.ts); alphanumeric so the boot script can
    // validate it strictly. Rotation writes new versions (lib/relay/secret-rotation.ts).
    this.turnSecret = new secretsmanager.Secret(this, 'TurnSecret', {
      description: 'hipaa-rtc TURN REST shared secret document {"current","previous"?,"pending"?}',
      encryptionKey: secretKey,
      removalPolicy: RemovalPolicy.RETAIN,
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'current',
        excludePunctuation: true,
        includeSpace: false,
        passwordLength: 64,
      },
    });

    this.rotationFunction = this.addSecretRotation(s, secretKey, props.logKey, prefix);

    this.securityGroup = new ec2.SecurityGroup(this, 'RelaySecurityGroup', {
      vpc: this.vpc,
      description: 'TURN relays: TURN ports from the load balancer only, the UDP relay range from anywhere',
      allowAllOutbound: false,
    });
    const anywhere = ec2.Peer.anyIpv4();
    // The TURN ports are opened to the load balancer's group in addLoadBalancer (they carry nothing else). The relay
    // range is not: peers send media straight to the relayed address (the instance's public IP), never via the NLB.
    const relayRange = ec2.Port.udpRange(s.relayPortRange.min, s.relayPortRange.max);
    this.securityGroup.addIngressRule(anywhere, relayRange, 'UDP relay range (peers reach relayed addresses directly)');
    // Egress: relayed media to public peers, and HTTPS to AWS APIs (Secrets Manager, ECR, logs, SSM). The VPC and
    // private ranges are blocked on the host (nftables), which security groups cannot express.
    this.securityGroup.addEgressRule(anywhere, ec2.Port.allUdp(), 'relayed media to peers');
    this.securityGroup.addEgressRule(anywhere, ec2.Port.tcp(443), 'AWS APIs over HTTPS');

    this.instanceRole = new iam.Role(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: 'TURN relay: read the TURN secret, pull the coturn image, write relay logs, SSM',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });
    // Written out rather than through grant*(): the keys and the repository may live in other stacks, and a grant
    // would edit their policies (and create a dependency cycle). Their policies delegate to IAM. One customer-managed
    // policy instead of the role's inline default policy (HIPAA.Security-IAMNoInlinePolicy).
    const instancePolicy = new iam.ManagedPolicy(this, 'InstancePolicy', {
      description: 'TURN relay: read only the TURN secret, pull only the coturn image, write only the relay log group',
      roles: [this.instanceRole],
    });
    // Relays only ever call GetSecretValue for the AWSCURRENT document (secret-sync.ts), so nothing else is allowed:
    // no DescribeSecret, no other version. Both condition keys are documented for GetSecretValue and filter on the
    // request, whose parameters must be present for a plain condition to match; the sync script passes neither
    // (AWSCURRENT is the default), so VersionStage is checked only if given and a VersionId must not be given.
    instancePolicy.addStatements(
      new iam.PolicyStatement({
        sid: 'ReadCurrentTurnSecretOnly',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.turnSecret.secretArn],
        conditions: {
          StringEqualsIfExists: { 'secretsmanager:VersionStage': 'AWSCURRENT' },
          Null: { 'secretsmanager:VersionId': 'true' },
        },
      }),
    );
    instancePolicy.addStatements(
      new iam.PolicyStatement({
        sid: 'DecryptTurnSecretViaSecretsManager',
        actions: ['kms:Decrypt'],
        resources: [secretKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${this.region}.amazonaws.com` } },
      }),
    );
    // PutMetricData has no resource-level permission; the namespace condition limits it to the sync metric's.
    instancePolicy.addStatements(
      new iam.PolicyStatement({
        sid: 'PublishSecretSyncMetricOnly',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': SECRET_SYNC_METRIC.namespace } },
      }),
    );
    instancePolicy.addStatements(
      new iam.PolicyStatement({
        sid: 'PullCoturnImage',
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        resources: [this.coturnRepository.repositoryArn],
      }),
    );
    instancePolicy.addStatements(
      new iam.PolicyStatement({
        sid: 'EcrLogin', // GetAuthorizationToken has no resource-level permissions
        actions: ['ecr:GetAuthorizationToken'],
        resources: ['*'],
      }),
    );
    instancePolicy.addStatements(
      new iam.PolicyStatement({
        sid: 'WriteRelayLogsOnly',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [this.relayLogGroup.logGroupArn],
      }),
    );

    const turn = productionTurnOptions(fleetTurnSettings(s));
    const userData = ec2.UserData.custom(
      renderBootScript({
        turn,
        secretArn: this.turnSecret.secretArn,
        coturnImage: this.coturnRepository.repositoryUriForDigest(props.coturnImageDigest),
        logGroupName: this.relayLogGroup.logGroupName,
        deploymentName: s.deploymentName,
        coturnUid: COTURN_UID,
        rotation: s.rotation,
      }),
    );

    const launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
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
            kmsKey: volumeKey,
            volumeType: ec2.EbsDeviceVolumeType.GP3,
            deleteOnTermination: true,
          }),
        },
      ],
    });

    this.fleet = new autoscaling.AutoScalingGroup(this, 'Fleet', {
      vpc: this.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      launchTemplate,
      minCapacity: s.minCapacity,
      maxCapacity: s.maxCapacity,
      healthChecks: autoscaling.HealthChecks.withAdditionalChecks({
        additionalTypes: [autoscaling.AdditionalHealthCheckType.ELB],
        gracePeriod: Duration.minutes(5),
      }),
    });
    this.fleet.scaleOnOutgoingBytes('NetworkOut', { targetBytesPerSecond: s.targetBytesOutPerSecond });

    this.loadBalancer = this.addLoadBalancer(s.domainName);

    if (props.alarmTopic) this.addAlarms(s.deploymentName, props.alarmTopic);
  }

  /**
   * The load balancer every TURN URL names (docs/relay.md, "Load balancer and the UDP path"): one listener per entry
   * of RELAY_LISTENERS, each forwarding to the whole fleet. Its own security group (not left to the cdk.json flag)
   * admits exactly the listeners from the internet, plus ICMP "fragmentation needed" for path MTU discovery, and lets
   * out only each target group's target and health-check ports, to the relays' group; the relays' group admits the
   * same ports from the load balancer's group and from nowhere else.
   */
  private addLoadBalancer(domainName: string): elbv2.NetworkLoadBalancer {
    const group = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc: this.vpc,
      description: 'TURN load balancer: its listeners from the internet; targets and health checks to the relays only',
      allowAllOutbound: false,
    });
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
    const relays = ec2.Peer.securityGroupId(this.securityGroup.securityGroupId);
    for (const rule of loadBalancerToTargets(RELAY_LISTENERS)) {
      group.addEgressRule(relays, port(rule), `${rule.description} to the relays`);
      this.securityGroup.addIngressRule(group, port(rule), `${rule.description} from the load balancer`);
    }

    const loadBalancer = new elbv2.NetworkLoadBalancer(this, 'LoadBalancer', {
      vpc: this.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      crossZoneEnabled: true,
      deletionProtection: true,
      securityGroups: [group],
    });
    const certificate = new acm.Certificate(this, 'Certificate', {
      domainName,
      validation: acm.CertificateValidation.fromDns(),
    });
    for (const spec of RELAY_LISTENERS) {
      const tls =
        spec.protocol === 'TLS'
          ? {
              certificates: [elbv2.ListenerCertificate.fromCertificateManager(certificate)],
              sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
            }
          : {};
      loadBalancer
        .addListener(spec.id, { port: spec.port, protocol: elbv2.Protocol[spec.protocol], ...tls })
        .addTargets(spec.id, {
          port: spec.targetPort,
          protocol: elbv2.Protocol[spec.targetProtocol],
          targets: [this.fleet],
          healthCheck: { protocol: elbv2.Protocol[spec.healthCheck.protocol], port: String(spec.healthCheck.port) },
        });
    }
    new CfnOutput(this, 'LoadBalancerDnsName', {
      description: `Point ${domainName} (the name in every TURN URL) at this name: a CNAME, or a Route 53 alias`,
      value: loadBalancer.loadBalancerDnsName,
    });
    return loadBalancer;
  }

  /**
   * A relay that cannot sync keeps the secrets it had and so may miss one signaling is about to sign with; TCP health
   * checks cannot see that. Missing data counts as failing: relays that stop reporting are not in step either.
   */
  private addAlarms(deploymentName: string, topic: sns.ITopic): void {
    const action = new cloudwatchActions.SnsAction(topic);
    new cloudwatch.Alarm(this, 'SecretSyncFailing', {
      alarmDescription: 'A relay has failed to sync the TURN secret for 15 minutes (or no relay reports)',
      metric: new cloudwatch.Metric({
        namespace: SECRET_SYNC_METRIC.namespace,
        metricName: SECRET_SYNC_METRIC.name,
        dimensionsMap: { Deployment: deploymentName },
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(5),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    }).addAlarmAction(action);
    new cloudwatch.Alarm(this, 'RotationFunctionErrors', {
      alarmDescription: 'The TURN secret rotation function failed (see its log group for the refusal or error)',
      metric: this.rotationFunction.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(action);
  }

  /**
   * Rotation of the TURN secret (lib/relay/rotation-plan.ts): Secrets Manager's schedule starts a rotation, whose
   * four native steps stage a new secret as `pending`; an EventBridge rule invokes the same function every few
   * minutes with {"action":"advance"} to promote it after the relay pickup time and drop the old one after the
   * longest credential TTL. The function's only permissions are one customer-managed policy on this one secret.
   */
  private addSecretRotation(
    s: RelaySettings,
    secretKey: kms.IKey,
    logKey: kms.IKey,
    prefix: string,
  ): nodejs.NodejsFunction {
    const scope = new Construct(this, 'TurnSecretRotation');
    const logGroup = new logs.LogGroup(scope, 'LogGroup', {
      logGroupName: `${prefix}turn-secret-rotation`,
      encryptionKey: logKey,
      retention: s.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new iam.Role(scope, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'TURN secret rotation function',
    });
    new iam.ManagedPolicy(scope, 'Policy', {
      description: 'TURN secret rotation: read and write versions of the TURN secret only, and its own log group',
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteOwnLogs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logGroup.logGroupArn],
        }),
        new iam.PolicyStatement({
          sid: 'RotateTurnSecretOnly',
          actions: [
            'secretsmanager:DescribeSecret',
            'secretsmanager:GetSecretValue',
            'secretsmanager:PutSecretValue',
            'secretsmanager:UpdateSecretVersionStage',
          ],
          resources: [this.turnSecret.secretArn],
        }),
        new iam.PolicyStatement({
          sid: 'UseTurnSecretKeyViaSecretsManager',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [secretKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${this.region}.amazonaws.com` } },
        }),
      ],
    });
    const fn = new StandardNodejsFunction(scope, 'Function', {
      // An immutable view of the role: nothing may add an inline policy to it; the managed policy above is all.
      role: role.withoutPolicyUpdates(),
      entry: ROTATION_HANDLER_ENTRY,
      description: 'Rotates the TURN shared secret with a two-secret overlap',
      memorySize: 256,
      timeout: Duration.seconds(30),
      logGroup,
      serviceName: 'hipaa-rtc-turn-rotation',
      environment: rotationEnvironment({ secretArn: this.turnSecret.secretArn, policy: s.rotation }),
    });
    // The L1 rather than secret.addRotationSchedule(): the L2 also grants the function the secret key through the
    // key's policy (with an imported key that is an edit to another stack, and a dependency cycle), adds an inline
    // policy with secretsmanager:GetRandomPassword on "*", and lets Secrets Manager invoke the function from any
    // account. The managed policy above and the permission below are all rotation needs.
    // Only for this secret (SourceArn) in this account: Secrets Manager cannot be made to invoke it for another.
    const invokedBySecretsManager = new lambda.CfnPermission(scope, 'InvokedBySecretsManager', {
      action: 'lambda:InvokeFunction',
      functionName: fn.functionArn,
      principal: 'secretsmanager.amazonaws.com',
      sourceAccount: this.account,
      sourceArn: this.turnSecret.secretArn,
    });
    const schedule = new secretsmanager.CfnRotationSchedule(scope, 'Schedule', {
      secretId: this.turnSecret.secretArn,
      rotationLambdaArn: fn.functionArn,
      rotationRules: {
        scheduleExpression: `rate(${rotationIntervalDays(s)} days)`,
      },
      // A deployment never starts a rotation: the generated secret is new, and an update landing inside an overlap
      // would be refused and leave an empty AWSPENDING version behind. Secrets Manager then only runs testSecret on a
      // temporary AWSPENDING version to test the configuration, which the function passes without writing.
      rotateImmediatelyOnUpdate: false,
    });
    // Secrets Manager checks it may invoke the function when the schedule is created.
    schedule.node.addDependency(invokedBySecretsManager);
    new events.Rule(scope, 'AdvanceSchedule', {
      description: 'Advances a TURN secret rotation: promote after relay pickup, drop the old secret after its TTL',
      schedule: events.Schedule.rate(Duration.minutes(ADVANCE_INTERVAL_MINUTES)),
      targets: [
        new eventsTargets.LambdaFunction(fn, {
          event: events.RuleTargetInput.fromObject(ADVANCE_EVENT),
          // Every tick re-reads the secret, so a retry older than the next tick adds nothing.
          maxEventAge: Duration.minutes(ADVANCE_INTERVAL_MINUTES - 1),
          retryAttempts: 2,
        }),
      ],
    });
    return fn;
  }

  /**
   * The relay key: TURN secret, coturn images and relay volumes (no PHI; separate from the data key so the Auto
   * Scaling service-linked role never gets near PHI). The service-linked role must exist before deployment (it does
   * in any account that has used Auto Scaling; otherwise `aws iam create-service-linked-role --aws-service-name
   * autoscaling.amazonaws.com`): KMS refuses a key policy naming a role that does not exist.
   */
  private createRelayKey(administrator: iam.IRole | undefined, deploymentName: string): kms.IKey {
    if (!administrator) {
      throw new Error(
        `RelayStack ${this.node.path}: pass keyAdministrator (the role that administers the relay key this stack ` +
          'creates), or pass both secretKey and volumeKey',
      );
    }
    const cmk = new CustomerManagedKey(this, 'RelayKey', {
      alias: `hipaa-rtc/${deploymentName}/relay`,
      description: 'hipaa-rtc relay key: TURN secret, coturn images, relay EBS volumes',
      administrator,
    });
    cmk.allowEbsVolumesFor(
      'AutoScaling',
      `arn:${this.partition}:iam::${this.account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
    );
    return cmk.key;
  }
}
