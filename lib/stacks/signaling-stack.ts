import { Aws, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CustomerManagedKey } from '../constructs/customer-managed-key';
import { EncryptedTable } from '../constructs/encrypted-table';
import { logGroupNamePrefix } from '../constructs/log-group-naming';
import { SignalingFunction } from '../constructs/signaling-function';
import {
  allowTurnSecretRead,
  allowUsernameKeyRead,
  tableAccess,
  turnUsernameKeyName,
} from '../constructs/signaling-grants';
import { createUserPool } from '../constructs/signaling-user-pool';
import { SignalingWebSocketApi } from '../constructs/signaling-websocket-api';
import { CONNECTION_TTL_SECONDS, ROOM_SIZE, TURN_TTL_SECONDS } from '../signaling/bounds';
import { TABLE_SCHEMA } from '../signaling/connection-store';
import {
  addEnvironment,
  authEnvironment,
  callbackEnvironment,
  preTokenEnvironment,
  rateLimitEnvironment,
  roomEnvironment,
  turnEnvironment,
} from '../signaling/environment';
import { turnUrlsForHosts } from '../signaling/ice-servers';
import { RATE_COUNTER_KEY_PREFIX } from '../signaling/rate-counter';
import { DEFAULT_RATE_LIMITS } from '../signaling/rate-limit';
import { validateSettings, type SignalingSettings } from '../signaling/signaling-settings';

export type { ExternalIssuer, SignalingSettings } from '../signaling/signaling-settings';
export { validateSettings } from '../signaling/signaling-settings';

export interface SignalingStackProps extends StackProps {
  readonly settings: SignalingSettings;
  /** Customer-managed key for the connection table (e.g. the Data stack's key). */
  readonly tableKey: kms.IKey;
  /** Customer-managed key for log groups (e.g. the Audit stack's key, whose policy allows the project prefix). */
  readonly logKey: kms.IKey;
  /** The relays' shared TURN secret, JSON `{"current","previous"}` (created by the Relay stack). */
  readonly turnSecret: secretsmanager.ISecret;
  /** Administers the Signaling stack's own key (from the Audit stack); it gets no use of the key. */
  readonly keyAdministrator: iam.IRole;
}

/**
 * Signaling: the WebSocket API, its handlers, the connection/room table and, by default, the Cognito user pool
 * that issues tokens. Replaceable: connections last at most 2 hours and the table only holds live sessions.
 */
export class SignalingStack extends Stack {
  public readonly api: SignalingWebSocketApi;
  public readonly table: dynamodb.ITableV2;
  public readonly userPool?: cognito.UserPool;
  public readonly userPoolClient?: cognito.UserPoolClient;
  public readonly functions: Readonly<Record<string, SignalingFunction>>;
  /** The Cognito pre-token-generation trigger that adds the `rooms` claim (only with the default user pool). */
  public readonly preTokenFunction?: SignalingFunction;
  /** This stack's key: it encrypts the TURN username key and nothing else. */
  public readonly signalingKey: kms.IKey;
  /** The HMAC key of the subjects' pseudonyms in TURN usernames (lib/signaling/turn-pseudonym.ts). */
  public readonly turnUsernameKey: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: SignalingStackProps) {
    super(scope, id, props);
    const settings = validateSettings(props.settings);
    const turnTtlSeconds = settings.turnTtlSeconds ?? TURN_TTL_SECONDS.default;
    const prefix = `${logGroupNamePrefix(settings.deploymentName)}signaling/`;

    this.table = new EncryptedTable(this, 'ConnectionsTable', {
      encryptionKey: props.tableKey,
      partitionKey: { name: TABLE_SCHEMA.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_SCHEMA.sortKey, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: TABLE_SCHEMA.timeToLiveAttribute,
    }).table;

    // TURN usernames carry a keyed pseudonym of the subject, never the subject (relays log usernames). The key is a
    // generated secret that only signaling holds, under a key of this stack, so no other stack's key users (the data
    // key's, the audit key's) can read it. It does not rotate: a new key would give every subject a new pseudonym and
    // cut relay logs off from the subjects they belong to; it is retained for the same reason.
    const signalingKey = new CustomerManagedKey(this, 'SignalingKey', {
      alias: `hipaa-rtc/${settings.deploymentName}/signaling`,
      description: 'hipaa-rtc signaling: the TURN username pseudonym key',
      administrator: props.keyAdministrator,
    });
    this.signalingKey = signalingKey.key;
    this.turnUsernameKey = new secretsmanager.Secret(this, 'TurnUsernameKey', {
      // Named, so policies can name it without referencing it (a reference from the key policy, or from the
      // ice-servers policy the key policy's principal depends on, would be a dependency cycle through the key).
      secretName: turnUsernameKeyName(settings.deploymentName),
      description: 'HMAC key of the subject pseudonyms in TURN usernames (hipaa-rtc signaling); never rotate',
      encryptionKey: signalingKey.key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    let issuer = settings.issuer;
    if (!issuer) {
      const pool = createUserPool(this);
      this.userPool = pool.userPool;
      this.userPoolClient = pool.client;
      issuer = pool.issuer;
    }

    const fn = (id: string, handler: string, description: string, environment: Record<string, string> = {}) =>
      new SignalingFunction(this, id, {
        handler,
        description,
        environment,
        logGroupName: `${prefix}${handler}`,
        logKey: props.logKey,
        logRetention: settings.logRetention,
        reservedConcurrentExecutions: settings.reservedConcurrency,
      });
    // The variables and their names are one contract with the functions' reader (lib/signaling/environment.ts).
    const roomEnv = roomEnvironment({
      tableName: this.table.tableName,
      maxRoomSize: settings.maxRoomSize ?? ROOM_SIZE.default,
      connectionTtlSeconds: CONNECTION_TTL_SECONDS.default,
    });
    // Only the routes that count requests get their budgets (per connection and per user, in one variable).
    const limitEnv = rateLimitEnvironment({
      tableName: this.table.tableName,
      limits: settings.rateLimits ?? DEFAULT_RATE_LIMITS,
    });
    const functions = {
      // TOKEN_SOURCE is set by SignalingWebSocketApi from the stage's identity source.
      authorizer: fn('Authorizer', 'authorizer', 'Verifies the $connect JWT', authEnvironment(issuer)),
      connect: fn('Connect', 'connect', 'Registers an authorized connection', roomEnv),
      disconnect: fn('Disconnect', 'disconnect', 'Cleans up a closed connection', roomEnv),
      default: fn('Default', 'default', 'Answers unknown actions with an error'),
      join: fn('Join', 'join', 'Joins a room the token grants', { ...roomEnv, ...limitEnv }),
      signal: fn('Signal', 'signal', 'Relays SDP and ICE candidates within a room', { ...roomEnv, ...limitEnv }),
      leave: fn('Leave', 'leave', 'Leaves the current room', roomEnv),
      iceServers: fn('IceServers', 'ice-servers', 'Mints short-lived TURN credentials', {
        ...turnEnvironment({
          secretArn: props.turnSecret.secretArn,
          pseudonymKeyArn: this.turnUsernameKey.secretArn,
          urls: turnUrlsForHosts(settings.relayHostnames, settings.turnPorts),
          ttlSeconds: turnTtlSeconds,
        }),
        ...limitEnv,
      }),
    };
    this.functions = functions;

    this.api = new SignalingWebSocketApi(this, 'Api', {
      handlers: {
        authorizer: functions.authorizer.function,
        connect: functions.connect.function,
        disconnect: functions.disconnect.function,
        default: functions.default.function,
        join: functions.join.function,
        signal: functions.signal.function,
        leave: functions.leave.function,
        iceServers: functions.iceServers.function,
      },
      logKey: props.logKey,
      logRetention: settings.logRetention,
      accessLogGroupName: `${prefix}access`,
      throttle: settings.throttle,
      tokenSource: settings.tokenSource,
    });

    // Least privilege: only room routes read and write connection and room items and post to connections; only
    // ice-servers reads the secret (and it may only write rate counters, below).
    const tableStatements = tableAccess(this.table, props.tableKey, this.region);
    const manageConnections = new iam.PolicyStatement({
      sid: 'PostToConnections',
      actions: ['execute-api:ManageConnections'],
      // Connection ids are only known at run time; the wildcard is limited to this API's stage callbacks. Written
      // with pseudo-parameters (as the API Gateway account role is), not formatArn: formatArn renders a literal
      // account and region when the config sets them, which would change the finding ID the register excepts.
      resources: [
        `arn:${Aws.PARTITION}:execute-api:${Aws.REGION}:${Aws.ACCOUNT_ID}:${this.api.api.apiId}/${this.api.stage.stageName}/POST/@connections/*`,
      ],
    });
    for (const room of [functions.connect, functions.disconnect, functions.join, functions.signal, functions.leave]) {
      room.policy.addStatements(...tableStatements, manageConnections);
      addEnvironment(room.function, callbackEnvironment(this.api.stage.callbackUrl));
    }
    allowTurnSecretRead(functions.iceServers.policy, props.turnSecret, this.region);
    allowUsernameKeyRead(
      functions.iceServers,
      turnUsernameKeyName(settings.deploymentName),
      signalingKey.key,
      this.region,
    );
    // ice-servers counts its requests in the table but may write nothing else: counter items only (leading key L#,
    // which covers both the connection's L#C# and the user's L#U# counts).
    functions.iceServers.policy.addStatements(
      new iam.PolicyStatement({
        sid: 'CountRequestsOnly',
        actions: ['dynamodb:UpdateItem'],
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${RATE_COUNTER_KEY_PREFIX}*`] } },
      }),
      tableStatements[1],
    );

    if (this.userPool) {
      // The default issuer learns a subject's rooms from the grants the application backend writes
      // (lib/signaling/room-grants.ts); the trigger may read grant items and nothing else in the table.
      this.preTokenFunction = fn(
        'PreToken',
        'pre-token',
        'Adds the rooms claim from room grants to Cognito tokens',
        preTokenEnvironment({ tableName: this.table.tableName }),
      );
      this.preTokenFunction.policy.addStatements(
        new iam.PolicyStatement({
          sid: 'ReadRoomGrantsOnly',
          actions: ['dynamodb:Query'],
          resources: [this.table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['G#*'] } },
        }),
        tableStatements[1],
      );
      this.userPool.addTrigger(
        cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
        this.preTokenFunction.function,
        cognito.LambdaVersion.V2_0,
      );
    }
  }
}
