/**
 * Template assertions for the Signaling stack: security properties present, and the risky ones absent. Bundling
 * is skipped here (asset content does not change the template shape); bundle sizes are measured separately.
 */
import { Stack, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { SIGNALING_ACCESS_LOG_FIELDS } from '../../lib/constructs/signaling-websocket-api';
import { SignalingStack, validateSettings, type SignalingSettings } from '../../lib/stacks/signaling-stack';
import { RATE_COUNTER_KEY_PREFIX, rateCounterItemKey } from '../../lib/signaling/rate-counter';
import { DEFAULT_RATE_LIMITS } from '../../lib/signaling/rate-limit';
import { compliancePacks } from '../../lib/compliance/nag-packs';
import { newTestApp } from '../helpers/test-app';
import * as websocketRules from '../../lib/compliance/packs/rules';
import { TestType, validateStack } from '../compliance/packs/rule-harness';

const SETTINGS: SignalingSettings = {
  deploymentName: 'example',
  relayHostnames: ['relay-1.example.org'],
  throttle: { rateLimit: 50, burstLimit: 100 },
  logRetention: logs.RetentionDays.TWO_YEARS,
  maxRoomSize: 2,
  turnTtlSeconds: 1800,
};

function build(settings: Partial<SignalingSettings> = {}) {
  const app = newTestApp({ 'aws:cdk:bundling-stacks': [] });
  const env = { account: '111111111111', region: 'us-east-1' };
  const deps = new Stack(app, 'Deps', { env });
  const tableKey = new kms.Key(deps, 'TableKey', { enableKeyRotation: true });
  const logKey = new kms.Key(deps, 'LogKey', { enableKeyRotation: true });
  const turnSecret = new secretsmanager.Secret(deps, 'TurnSecret', { encryptionKey: tableKey });
  const keyAdministrator = new iam.Role(deps, 'KeyAdministrator', { assumedBy: new iam.AccountRootPrincipal() });
  const stack = new SignalingStack(app, 'Signaling', {
    env,
    settings: { ...SETTINGS, ...settings },
    tableKey,
    logKey,
    turnSecret,
    keyAdministrator,
  });
  return { app, stack, template: Template.fromStack(stack) };
}

let built: ReturnType<typeof build>;
let template: Template;
beforeAll(() => {
  built = build();
  template = built.template;
});

const resourcesOf = (type: string) => Object.values(template.findResources(type)) as any[];
const functionsWithEnv = (name: string) =>
  resourcesOf('AWS::Lambda::Function').filter((f) => f.Properties.Environment?.Variables?.[name]);

describe('WebSocket API', () => {
  test('routes on the action field, with every route the protocol needs', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
    });
    const keys = resourcesOf('AWS::ApiGatewayV2::Route')
      .map((r) => r.Properties.RouteKey)
      .sort();
    expect(keys).toEqual(['$connect', '$default', '$disconnect', 'ice-servers', 'join', 'leave', 'signal']);
  });

  test('$connect has a Lambda REQUEST authorizer with the token as identity source; no other route claims one', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: '$connect',
      AuthorizationType: 'CUSTOM',
      AuthorizerId: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      IdentitySource: ['route.request.querystring.token'],
    });
    for (const route of resourcesOf('AWS::ApiGatewayV2::Route').filter((r) => r.Properties.RouteKey !== '$connect')) {
      expect(route.Properties.AuthorizationType ?? 'NONE').toBe('NONE');
    }
  });

  test('the protocol-header token source uses Sec-WebSocket-Protocol', () => {
    build({ tokenSource: 'protocol-header' }).template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      IdentitySource: ['route.request.header.Sec-WebSocket-Protocol'],
    });
  });

  test("the authorizer function reads the token from the stage's identity source and nowhere else", () => {
    expect(functionsWithEnv('JWKS_URL').map((f) => f.Properties.Environment.Variables.TOKEN_SOURCE)).toEqual(['query']);
    const header = build({ tokenSource: 'protocol-header' }).template;
    const authorizerEnv = Object.values(header.findResources('AWS::Lambda::Function'))
      .map((f: any) => f.Properties.Environment?.Variables)
      .filter((variables) => variables?.JWKS_URL);
    expect(authorizerEnv.map((variables) => variables.TOKEN_SOURCE)).toEqual(['protocol-header']);
  });

  test('message routes are two-way (the handler answer goes back to the sender)', () => {
    expect(
      resourcesOf('AWS::ApiGatewayV2::Route').filter(
        (r) => r.Properties.RouteResponseSelectionExpression === '$default',
      ),
    ).toHaveLength(5);
  });
});

describe('stage', () => {
  test('execution logging at ERROR with data trace off, and default throttling', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: Match.objectLike({
        LoggingLevel: 'ERROR',
        DataTraceEnabled: false,
        ThrottlingRateLimit: 50,
        ThrottlingBurstLimit: 100,
      }),
    });
  });

  test('access logs go to the encrypted access log group with only allow-listed fields', () => {
    const [stage] = resourcesOf('AWS::ApiGatewayV2::Stage');
    const settings = stage.Properties.AccessLogSettings;
    expect(settings.DestinationArn).toBeDefined();
    const format = JSON.parse(settings.Format);
    expect(format).toEqual(SIGNALING_ACCESS_LOG_FIELDS);
    expect(settings.Format.length).toBeLessThan(3 * 1024);
    for (const forbidden of [
      '$context.authorizer.claims',
      '$context.identity',
      'querystring',
      '$input',
      'body',
      'header',
      '$context.authorizer.principalId',
      '$context.authorizer.sub',
    ]) {
      expect(settings.Format).not.toContain(forbidden);
    }
  });

  test('the execution log group is pre-created, encrypted, with retention', () => {
    const execution = resourcesOf('AWS::Logs::LogGroup').filter((g) =>
      JSON.stringify(g.Properties.LogGroupName).includes('API-Gateway-Execution-Logs_'),
    );
    expect(execution).toHaveLength(1);
    expect(execution[0].Properties.KmsKeyId).toBeDefined();
  });
});

describe('functions and logs', () => {
  test('nine functions (eight routes and the pre-token trigger): Node.js 24 on ARM64, own log groups', () => {
    const functions = resourcesOf('AWS::Lambda::Function');
    expect(functions).toHaveLength(9);
    for (const fn of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.LoggingConfig.LogGroup).toBeDefined();
      expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    }
  });

  test('every log group is KMS-encrypted with retention, and retained', () => {
    const groups = template.findResources('AWS::Logs::LogGroup');
    expect(Object.keys(groups)).toHaveLength(11);
    for (const group of Object.values(groups) as any[]) {
      expect(group.Properties.KmsKeyId).toBeDefined();
      expect(group.Properties.RetentionInDays).toBe(731);
      expect(group.DeletionPolicy).toBe('Retain');
    }
  });

  test('function log groups sit under the project prefix the audit key allows', () => {
    const names = resourcesOf('AWS::Logs::LogGroup')
      .map((g) => g.Properties.LogGroupName)
      .filter((n) => typeof n === 'string');
    expect(names.sort()).toEqual(
      [
        'access',
        'authorizer',
        'connect',
        'default',
        'disconnect',
        'ice-servers',
        'join',
        'leave',
        'pre-token',
        'signal',
      ].map((n) => `/hipaa-rtc/example/signaling/${n}`),
    );
  });

  test('only ice-servers knows the TURN secret and TTL cap; only the authorizer knows the issuer', () => {
    expect(functionsWithEnv('TURN_SECRET_ARN')).toHaveLength(1);
    expect(functionsWithEnv('TURN_SECRET_ARN')[0].Properties.Environment.Variables).toMatchObject({
      TURN_TTL_SECONDS: '1800',
      TURN_URLS:
        'turn:relay-1.example.org:3478?transport=udp,turn:relay-1.example.org:3478?transport=tcp,turns:relay-1.example.org:5349?transport=tcp',
    });
    expect(functionsWithEnv('JWKS_URL')).toHaveLength(1);
    // Five room routes, ice-servers (rate counters only) and the pre-token trigger.
    expect(functionsWithEnv('TABLE_NAME')).toHaveLength(7);
    expect(functionsWithEnv('CALLBACK_URL')).toHaveLength(5);
  });

  test('only one policy can read the TURN secret, and ManageConnections is scoped to this stage', () => {
    const readers = resourcesOf('AWS::IAM::ManagedPolicy').filter((p) =>
      JSON.stringify(p.Properties.PolicyDocument).includes('secretsmanager:GetSecretValue'),
    );
    expect(readers).toHaveLength(1);
    for (const policy of resourcesOf('AWS::IAM::ManagedPolicy')) {
      for (const statement of policy.Properties.PolicyDocument.Statement) {
        if (JSON.stringify(statement.Action).includes('execute-api:ManageConnections'))
          expect(statement.Resource).not.toBe('*');
      }
    }
  });

  test('join, signal and ice-servers get the per-connection and per-user budgets (defaults unless configured)', () => {
    const limited = functionsWithEnv('RATE_LIMITS');
    expect(limited.map((f) => f.Properties.Description).sort()).toEqual([
      'Joins a room the token grants',
      'Mints short-lived TURN credentials',
      'Relays SDP and ICE candidates within a room',
    ]);
    for (const fn of limited) {
      expect(fn.Properties.Environment.Variables.RATE_LIMITS).toBe(
        'join=10/60,signal=100/10,ice-servers=10/60,user:join=30/60,user:ice-servers=30/60',
      );
    }
    const custom = build({
      rateLimits: {
        join: { requests: 5, perSeconds: 60 },
        signal: { requests: 300, perSeconds: 10 },
        iceServers: { requests: 3, perSeconds: 300 },
        perUser: { join: { requests: 12, perSeconds: 60 }, iceServers: { requests: 9, perSeconds: 300 } },
      },
    }).template;
    const variables = Object.values(custom.findResources('AWS::Lambda::Function')).map(
      (f: any) => f.Properties.Environment?.Variables?.RATE_LIMITS,
    );
    expect(variables.filter(Boolean)).toEqual(
      Array(3).fill('join=5/60,signal=300/10,ice-servers=3/300,user:join=12/60,user:ice-servers=9/300'),
    );
  });

  test('ice-servers may write rate counters (leading key L#, connection and user counts alike) and nothing else in the table', () => {
    const { stack } = built;
    const logicalId = stack.getLogicalId(stack.functions.iceServers.policy.node.defaultChild as CfnElement);
    const statements = template.toJSON().Resources[logicalId].Properties.PolicyDocument.Statement;
    const dynamo = statements.filter((st: any) => JSON.stringify(st.Action).includes('dynamodb:'));
    expect(dynamo).toHaveLength(1);
    expect(dynamo[0]).toMatchObject({
      Sid: 'CountRequestsOnly',
      Action: 'dynamodb:UpdateItem',
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['L#*'] } },
    });
    expect(JSON.stringify(statements)).not.toMatch(/ManageConnections|GetItem|PutItem|DeleteItem|Query|Scan/);
    // Every action it has: besides its own log lines, counting is its only write.
    expect([...new Set(statements.flatMap((st: any) => [st.Action].flat()))].sort()).toEqual([
      'dynamodb:UpdateItem',
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:Encrypt',
      'kms:GenerateDataKey',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'secretsmanager:GetSecretValue',
    ]);
    // The prefix is the counters' and covers both scopes' keys, and no other item kind starts with it.
    expect(RATE_COUNTER_KEY_PREFIX).toBe('L#');
    const keyOf = (scope: 'connection' | 'user') =>
      rateCounterItemKey({ subject: { scope, id: 'x' }, action: 'ice-servers', window: 1 }).pk;
    for (const pk of [keyOf('connection'), keyOf('user')]) expect(pk.startsWith(RATE_COUNTER_KEY_PREFIX)).toBe(true);
  });

  test('room routes get exactly the item calls the store makes: no Query, no Scan', () => {
    const items = resourcesOf('AWS::IAM::ManagedPolicy')
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((st: any) => st.Sid === 'ConnectionItems');
    expect(items).toHaveLength(5);
    for (const statement of items) {
      expect([...statement.Action].sort()).toEqual([
        'dynamodb:BatchGetItem',
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ]);
    }
  });

  test('no inline policies and no AWS managed policies on the function roles', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    for (const role of resourcesOf('AWS::IAM::Role')) {
      expect(JSON.stringify(role.Properties.ManagedPolicyArns ?? [])).not.toContain('iam::aws:policy');
      expect(role.Properties.Policies).toBeUndefined();
    }
  });

  test('table and key access only through DynamoDB, with no KMS wildcards', () => {
    const statements = resourcesOf('AWS::IAM::ManagedPolicy').flatMap((p) => p.Properties.PolicyDocument.Statement);
    const kmsStatements = statements.filter((st: any) => JSON.stringify(st.Action).includes('kms:'));
    for (const statement of kmsStatements) {
      expect(JSON.stringify(statement.Action)).not.toContain('*');
      expect(statement.Condition.StringEquals['kms:ViaService']).toMatch(/^(dynamodb|secretsmanager)\./);
    }
  });
});

describe('state and identity', () => {
  test('the table uses the customer-managed key, TTL, PITR and deletion protection', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      Replicas: [
        Match.objectLike({
          SSESpecification: { KMSMasterKeyId: Match.anyValue() },
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        }),
      ],
    });
    // The key is the table key this stack was given (a reference into the stack that owns it), not any key.
    const [table] = resourcesOf('AWS::DynamoDB::GlobalTable');
    const keyReference = JSON.stringify(table.Properties.Replicas[0].SSESpecification.KMSMasterKeyId);
    expect(keyReference).toMatch(/TableKey[0-9A-F]{8}Arn/);
    expect(keyReference).not.toMatch(/LogKey/);
  });

  test('the default issuer is a Cognito pool with required MFA and no e-mail or phone identities', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      UsernameAttributes: Match.absent(),
      AliasAttributes: Match.absent(),
      DeletionProtection: 'ACTIVE',
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', { GenerateSecret: false, IdTokenValidity: 60 });
  });

  test('the pool runs the V2 pre-token trigger, which may only query room-grant items', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: Match.anyValue() } },
    });
    const policy = resourcesOf('AWS::IAM::ManagedPolicy').find((p) =>
      JSON.stringify(p.Properties.PolicyDocument).includes('ReadRoomGrantsOnly'),
    );
    const statements = policy!.Properties.PolicyDocument.Statement;
    const grants = statements.find((st: any) => st.Sid === 'ReadRoomGrantsOnly');
    expect(grants.Action).toBe('dynamodb:Query');
    expect(grants.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['G#*'] } });
    expect(JSON.stringify(statements)).not.toMatch(/PutItem|DeleteItem|UpdateItem|ManageConnections|secretsmanager/);
  });

  test('an external issuer replaces the pool', () => {
    const external = build({
      issuer: { issuer: 'https://idp.example', audience: 'aud', jwksUrl: 'https://idp.example/jwks' },
    }).template;
    external.resourceCountIs('AWS::Cognito::UserPool', 0);
  });
});

describe('validateSettings', () => {
  test.each<[string, Partial<SignalingSettings>, RegExp]>([
    [
      'a TURN TTL above the connection limit',
      { turnTtlSeconds: 86_400 },
      /turnTtlSeconds is 86400; use a whole number from 60 to 7200 \(.*2 hours\)/,
    ],
    ['a one-person room', { maxRoomSize: 1 }, /maxRoomSize is 1; use a whole number from 2 to 50/],
    [
      'a stage throttle above the account quota',
      { throttle: { rateLimit: 20_000, burstLimit: 100 } },
      /throttle\.rateLimit is 20000; use a whole number from 1 to 10000/,
    ],
    ['no relays', { relayHostnames: [] }, /relayHostnames/],
    ['a relay URL instead of a hostname', { relayHostnames: ['turn:relay.example.org'] }, /not a DNS name/],
    ['zero throttling', { throttle: { rateLimit: 0, burstLimit: 0 } }, /throttle\.burstLimit is 0/],
    ['an http JWKS', { issuer: { issuer: 'x', audience: 'y', jwksUrl: 'http://idp.example/jwks' } }, /https/],
    [
      'a signal budget too small for call setup',
      { rateLimits: { ...DEFAULT_RATE_LIMITS, signal: { requests: 2, perSeconds: 10 } } },
      /rateLimits\.signal\.requests is 2/,
    ],
    [
      'a rate window over an hour',
      { rateLimits: { ...DEFAULT_RATE_LIMITS, iceServers: { requests: 10, perSeconds: 86_400 } } },
      /rateLimits\.iceServers\.perSeconds/,
    ],
    [
      'a per-user budget with a lower rate than the per-connection one',
      {
        rateLimits: {
          ...DEFAULT_RATE_LIMITS,
          perUser: { ...DEFAULT_RATE_LIMITS.perUser, iceServers: { requests: 5, perSeconds: 60 } },
        },
      },
      /rateLimits\.perUser\.iceServers is 5 per 60 s, below the per-connection rateLimits\.iceServers \(10 per 60 s/,
    ],
    [
      'a per-user window over an hour',
      {
        rateLimits: {
          ...DEFAULT_RATE_LIMITS,
          perUser: { ...DEFAULT_RATE_LIMITS.perUser, join: { requests: 30, perSeconds: 86_400 } },
        },
      },
      /rateLimits\.perUser\.join\.perSeconds/,
    ],
  ])('refuses %s', (_name, settings, message) => {
    expect(() => validateSettings({ ...SETTINGS, ...settings })).toThrow(message);
  });
});

describe('compliance packs', () => {
  test.each(Object.entries(websocketRules))('passes the WebSocket rule %s', (_name, rule) => {
    validateStack(built.stack, rule, TestType.COMPLIANCE);
  });

  test('findings of every registered pack on the Signaling stack (listed for the exception register)', () => {
    built.app.synth();
    const findings = compliancePacks(built.app)
      .flatMap((pack) => pack.validateScope(built.app).violations)
      .flatMap((violation) => violation.violatingResources.map((r) => `${violation.ruleName} @ ${r.constructPath}`))
      .filter((finding) => finding.includes('@ Signaling/'))
      .sort();
    // The project's own pack must pass outright; cdk-nag's generic findings are reported for review.
    expect(findings.filter((f) => f.startsWith('HipaaRtc'))).toEqual([]);
    expect(findings).toMatchSnapshot();
  });
});

describe('TURN username key (PHI-free relay usernames)', () => {
  const logicalIdOf = (type: string) => Object.keys(template.findResources(type));
  const secretId = () => logicalIdOf('AWS::SecretsManager::Secret')[0];
  const keyId = () => logicalIdOf('AWS::KMS::Key')[0];

  test('a generated secret, encrypted with a rotating key of this stack, retained', () => {
    expect(logicalIdOf('AWS::SecretsManager::Secret')).toHaveLength(1);
    expect(logicalIdOf('AWS::KMS::Key')).toHaveLength(1);
    template.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: {
        KmsKeyId: { 'Fn::GetAtt': [keyId(), 'Arn'] },
        GenerateSecretString: Match.objectLike({ PasswordLength: 64, ExcludePunctuation: true }),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/hipaa-rtc/example/signaling' });
    // Nothing rotates the pseudonym key: a new key would cut relay logs off from their subjects.
    expect(logicalIdOf('AWS::SecretsManager::RotationSchedule')).toHaveLength(0);
  });

  test('only ice-servers may read it: GetSecretValue on that secret, Decrypt only through Secrets Manager for it', () => {
    const iceServers = functionsWithEnv('TURN_PSEUDONYM_KEY_ARN');
    expect(iceServers).toHaveLength(1);
    expect(iceServers[0].Properties.Environment.Variables.TURN_PSEUDONYM_KEY_ARN).toEqual({ Ref: secretId() });
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'hipaa-rtc/example/signaling/turn-username-key',
    });
    const arnPattern = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':secretsmanager:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':secret:hipaa-rtc/example/signaling/turn-username-key-??????',
        ],
      ],
    };
    const policies = Object.entries(template.findResources('AWS::IAM::ManagedPolicy'));
    const mentioning = (text: string) =>
      policies.filter(([, p]) => JSON.stringify(p.Properties.PolicyDocument).includes(text)).map(([id]) => id);
    const readers = mentioning('turn-username-key');
    expect(readers).toHaveLength(1);
    // No other policy in the stack can use the signaling key for anything.
    expect(mentioning(keyId())).toEqual(readers);
    const statements = (template.toJSON().Resources[readers[0]].Properties.PolicyDocument.Statement as any[]).filter(
      (st) => JSON.stringify(st).includes('turn-username-key'),
    );
    expect(statements).toEqual([
      { Sid: 'ReadTurnUsernameKey', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: arnPattern },
      {
        Sid: 'DecryptTurnUsernameKey',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: { 'Fn::GetAtt': [keyId(), 'Arn'] },
        Condition: {
          StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' },
          StringLike: { 'kms:EncryptionContext:SecretARN': arnPattern },
        },
      },
    ]);
    // The policy is the ice-servers role's.
    const role = template.toJSON().Resources[iceServers[0].Properties.Role['Fn::GetAtt'][0]];
    expect(role.Properties.ManagedPolicyArns).toEqual([{ Ref: readers[0] }]);
  });

  test('the key policy lets IAM grant use (so the role can decrypt) and names no other principal', () => {
    const statements = template.toJSON().Resources[keyId()].Properties.KeyPolicy.Statement as any[];
    const use = statements.filter((st) =>
      [st.Action].flat().some((a: string) => /^kms:(Decrypt|Encrypt|GenerateDataKey|ReEncrypt|CreateGrant|\*)/.test(a)),
    );
    // KMS honours the ice-servers policy only because the key policy delegates to IAM: the account-root statement,
    // unconditional. Any other use statement is the account's own, through Secrets Manager (written by CDK for the
    // secret), never another principal; the administrator statement grants no use.
    expect(use[0]).toEqual({
      Action: 'kms:*',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111111111111:root' },
      Resource: '*',
    });
    for (const st of use.slice(1)) {
      expect(st.Principal).toEqual({ AWS: 'arn:aws:iam::111111111111:root' });
      expect(st.Condition.StringEquals['kms:ViaService']).toBe('secretsmanager.us-east-1.amazonaws.com');
    }
    const admin = statements.find((st) => st.Sid === 'KeyAdministration');
    expect(JSON.stringify(admin.Action)).not.toMatch(/Decrypt|Encrypt|GenerateDataKey|CreateGrant|PutKeyPolicy/);
  });
});
