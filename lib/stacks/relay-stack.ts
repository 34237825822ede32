import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as route53 from 'aws-cdk-lib/aws-route53';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { AccountSettings } from '../constructs/account-settings';
import { createCoturnRepository } from '../constructs/coturn-repository';
import { logGroupNamePrefix } from '../constructs/log-group-naming';
import { RelayFleet } from '../constructs/relay-fleet';
import { relayKeys } from '../constructs/relay-key';
import { RelayLoadBalancer } from '../constructs/relay-load-balancer';
import { relayLogGroup, type RelayLogOptions } from '../constructs/relay-log-group';
import { RelayNetwork } from '../constructs/relay-network';
import { createTurnSecret, turnSecretReplica } from '../constructs/turn-secret';
import { TurnSecretRotation } from '../constructs/turn-secret-rotation';
import { rotationIntervalDays, validateRelaySettings, type RelaySettings } from '../relay/relay-settings';

export type { RelaySettings } from '../relay/relay-settings';
export { DEFAULT_ROTATION_INTERVAL_DAYS } from '../relay/relay-settings';
export { RELAY_PORTS } from '../relay/fleet-turn-settings';
export { ROTATION_HANDLER_ENTRY } from '../constructs/turn-secret-rotation';
export { COTURN_UID } from '../constructs/relay-fleet';

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
  /**
   * Where the TURN secret comes from (docs/relay-regions.md).
   * - `primary`: this stack creates the secret (under its fixed name) and rotates it; each of `replicaRegions` (further
   *   relay Regions) gets a replica encrypted with that Region's relay key.
   * - `replica`: a further relay Region. The relays read the home secret's replica here, by its fixed name; nothing
   *   here rotates it.
   * @default { kind: 'primary', replicaRegions: [] }
   */
  readonly turnSecretSource?: TurnSecretSource;
  /**
   * The public hosted zone holding the relay name: this Region's load balancer gets a latency alias record there.
   * @default - no record (the relay name is pointed at the load balancer outside this app)
   */
  readonly relayZone?: { readonly hostedZoneId: string; readonly zoneName: string };
  /**
   * Turn on EBS encryption by default in this stack's Region (a per-Region account setting), for a further relay
   * Region, where no Audit stack does it. It is here rather than beside that Region's Guard Hook because CDK runs
   * every AwsCustomResource of a stack through one provider function with the role of the first one created: beside
   * the hook's rule writer it would run with the writer's role and fail at deploy.
   * `logRetention` is that of the custom resource's log group (the audit log retention, as in the home Region).
   * @default - not set here
   */
  readonly ebsEncryptionByDefault?: { readonly logRetention: logs.RetentionDays };
}

export type TurnSecretSource =
  { readonly kind: 'primary'; readonly replicaRegions: readonly string[] } | { readonly kind: 'replica' };

/**
 * The TURN relay fleet: a VPC with flow logs, coturn on Graviton instances in public subnets of two AZs (each relay
 * advertises its own public address for relayed media), a Network Load Balancer that carries TURN over UDP, TCP
 * (TCP_UDP 3478) and TLS (443) under the one relay name, the shared TURN secret and its rotation, and encrypted logs.
 * See docs/relay.md ("Load balancer and the UDP path") for the path, the figures it rests on and the logging gap.
 *
 * Wiring only: each concern is in lib/constructs/ (relay-network, turn-secret, turn-secret-rotation, relay-fleet,
 * relay-load-balancer, relay-key, coturn-repository, relay-log-group) and the settings check in
 * lib/relay/relay-settings.ts. Those parts add their resources to the scope they are given rather than each being a
 * Construct of its own: a new level in the construct tree would change the logical id of every resource below it, so
 * a deploy would replace the VPC, the load balancer, the fleet, the secret and the key, moving the relay name's target
 * and dropping live calls. Overriding Stack.allocateLogicalId could hide the extra level from logical ids, but not from
 * what CDK derives from construct paths: the Name tags of the VPC, subnets, launch template and certificate, and the
 * ids of the relays' ingress rules (named after the load balancer's group path). Each part therefore creates its
 * resources under the ids they have always had; `TurnSecretRotation` was already a scope of its own and stays one.
 * The two alarms are made by their parts but added here, last, as before (`alarmOn...` methods).
 */
export class RelayStack extends Stack {
  public readonly vpc: ec2.Vpc;
  /** The TURN secret: the primary here, or in a further relay Region the home secret's replica. */
  public readonly turnSecret: secretsmanager.ISecret;
  public readonly fleet: autoscaling.AutoScalingGroup;
  public readonly loadBalancer: elbv2.NetworkLoadBalancer;
  public readonly relayLogGroup: logs.LogGroup;
  public readonly securityGroup: ec2.SecurityGroup;
  public readonly instanceRole: iam.Role;
  public readonly coturnRepository: ecr.IRepository;
  /** The key of the TURN secret (readers need kms:Decrypt through Secrets Manager). */
  public readonly secretKey: kms.IKey;
  /**
   * Rotates the TURN secret (Secrets Manager's schedule) and advances each rotation (every 5 minutes); only where the
   * primary secret lives.
   */
  public readonly rotationFunction?: nodejs.NodejsFunction;
  /** The VPC and its flow logs. */
  public readonly network: RelayNetwork;
  /** The rotation function, its schedule and advance rule (primary secret only). */
  public readonly secretRotation?: TurnSecretRotation;
  /** The relay name's latency record for this Region (with `relayZone`). */
  public readonly latencyRecord?: route53.ARecord;
  /** The relays: security group, instance role, launch template, Auto Scaling group. */
  public readonly relayFleet: RelayFleet;
  /** The NLB, its security group and certificate. */
  public readonly relayLoadBalancer: RelayLoadBalancer;

  constructor(scope: Construct, id: string, props: RelayStackProps) {
    super(scope, id, props);
    const s = props.settings;
    validateRelaySettings(s, props.coturnImageDigest);
    const logs: RelayLogOptions = { deploymentName: s.deploymentName, key: props.logKey, retention: s.logRetention };
    // Creation order is the order resources appear in the template; it is kept so the template stays byte-identical.
    const { secretKey, volumeKey } = relayKeys(this, {
      deploymentName: s.deploymentName,
      secretKey: props.secretKey,
      volumeKey: props.volumeKey,
      keyAdministrator: props.keyAdministrator,
    });
    this.secretKey = secretKey;
    this.coturnRepository = props.coturnRepository ?? createCoturnRepository(this, s.deploymentName, secretKey);

    this.network = new RelayNetwork(this, { cidr: s.vpcCidr, logs });
    this.vpc = this.network.vpc;
    this.relayLogGroup = relayLogGroup(this, 'RelayLogs', 'coturn', logs);

    const source: TurnSecretSource = props.turnSecretSource ?? { kind: 'primary', replicaRegions: [] };
    if (source.kind === 'primary') {
      const replicas = { deploymentName: s.deploymentName, regions: source.replicaRegions };
      this.turnSecret = createTurnSecret(this, secretKey, replicas);
      this.secretRotation = new TurnSecretRotation(this, {
        secret: this.turnSecret,
        secretKey,
        policy: s.rotation,
        intervalDays: rotationIntervalDays(s),
        logs,
        replicas,
      });
      this.rotationFunction = this.secretRotation.function;
    } else {
      // The replica is encrypted with this Region's relay key (the home stack names it by alias), so `secretKey` is
      // the key relays decrypt with here.
      this.turnSecret = turnSecretReplica(this, s.deploymentName);
    }

    this.relayFleet = new RelayFleet(this, {
      settings: s,
      vpc: this.vpc,
      turnSecret: this.turnSecret,
      secretKey,
      volumeKey,
      coturnRepository: this.coturnRepository,
      coturnImageDigest: props.coturnImageDigest,
      logGroup: this.relayLogGroup,
    });
    this.securityGroup = this.relayFleet.securityGroup;
    this.instanceRole = this.relayFleet.instanceRole;
    this.fleet = this.relayFleet.autoScalingGroup;

    this.relayLoadBalancer = new RelayLoadBalancer(this, {
      vpc: this.vpc,
      domainName: s.domainName,
      fleet: this.fleet,
      relaySecurityGroup: this.securityGroup,
    });
    this.loadBalancer = this.relayLoadBalancer.loadBalancer;
    if (props.relayZone) this.latencyRecord = this.relayLoadBalancer.addLatencyRecord(this, props.relayZone);
    if (props.ebsEncryptionByDefault) {
      new AccountSettings(this, 'AccountSettings', {
        settings: ['ebs-encryption-by-default'],
        logEncryptionKey: props.logKey,
        logGroupName: `${logGroupNamePrefix(s.deploymentName)}account-settings`,
        logRetention: props.ebsEncryptionByDefault.logRetention,
      });
    }

    if (props.alarmTopic) {
      const action = new cloudwatchActions.SnsAction(props.alarmTopic);
      this.relayFleet.alarmOnSecretSyncFailures(action);
      this.secretRotation?.alarmOnErrors(action);
    }
  }
}
