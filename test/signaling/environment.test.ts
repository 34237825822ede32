/**
 * The signaling environment contract (lib/signaling/environment.ts): the Signaling stack writes exactly the variables
 * each function's readers read, no more and no less, and the builders and the readers agree on every value.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { StandardNodejsFunction } from '../../lib/constructs/node-function-standard';
import { CONNECTION_TTL_SECONDS } from '../../lib/signaling/bounds';
import {
  authEnvironment,
  callbackEnvironment,
  preTokenEnvironment,
  rateLimitEnvironment,
  roomEnvironment,
  SIGNALING_ENV,
  tokenSourceEnvironment,
  turnEnvironment,
} from '../../lib/signaling/environment';
import { DEFAULT_RATE_LIMITS } from '../../lib/signaling/rate-limit';
import {
  readAuthSettings,
  readRateLimitSettings,
  readRoomSettings,
  readTurnSettings,
} from '../../lib/signaling/settings';
import { SignalingStack } from '../../lib/stacks/signaling-stack';
import { newTestApp } from '../helpers/test-app';

type Env = NodeJS.ProcessEnv;

/** Set by StandardNodejsFunction on every function (runtime, not settings). */
const RUNTIME_NAMES = new Set(['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME']);

const SAMPLE = {
  auth: {
    issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc',
    audience: 'client',
    jwksUrl: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc/.well-known/jwks.json',
  },
  tableName: 'signaling',
  callbackUrl: 'https://abc.execute-api.us-east-1.amazonaws.com/prod',
  turn: {
    secretArn: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:turn-AbCdEf',
    pseudonymKeyArn: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:turn-username-key-AbCdEf',
    urls: ['turn:relay.test:3478?transport=udp', 'turns:relay.test:443?transport=tcp'],
    ttlSeconds: 1800,
  },
};

/** Every variable, from the builders, with sample values. */
const FULL_ENV: Env = {
  ...authEnvironment(SAMPLE.auth),
  ...tokenSourceEnvironment('protocol-header'),
  ...roomEnvironment({
    tableName: SAMPLE.tableName,
    maxRoomSize: 3,
    connectionTtlSeconds: CONNECTION_TTL_SECONDS.default,
  }),
  ...callbackEnvironment(SAMPLE.callbackUrl),
  ...rateLimitEnvironment({ tableName: SAMPLE.tableName, limits: DEFAULT_RATE_LIMITS }),
  ...turnEnvironment(SAMPLE.turn),
  ...preTokenEnvironment({ tableName: SAMPLE.tableName }),
};

/** The names `read` looks up, found by running it on the full environment behind a recording proxy. */
function namesRead(read: (env: Env) => unknown): Set<string> {
  const names = new Set<string>();
  const env = new Proxy(FULL_ENV, {
    get(target, name) {
      if (typeof name === 'string') names.add(name);
      return Reflect.get(target, name) as unknown;
    },
  });
  read(env);
  return names;
}

/** Each compose module of lambda/signaling and the one reader it calls (checked against its source below). */
const COMPOSERS: Readonly<Record<string, { reader: string; read: (env: Env) => unknown }>> = {
  'compose-auth': { reader: 'readAuthSettings', read: readAuthSettings },
  'compose-rooms': { reader: 'readRoomSettings', read: readRoomSettings },
  'compose-limiter': { reader: 'readRateLimitSettings', read: readRateLimitSettings },
  'compose-turn': { reader: 'readTurnSettings', read: readTurnSettings },
};
const LAMBDA_DIR = path.join(__dirname, '..', '..', 'lambda', 'signaling');
const source = (file: string) => readFileSync(file, 'utf8');

/** What a handler entry reads: its composers' readers, and the pre-token trigger's own table variable. */
function namesReadBy(entry: string): Set<string> {
  const text = source(entry);
  const names = new Set<string>();
  for (const [module, { read }] of Object.entries(COMPOSERS)) {
    if (text.includes(`from './${module}'`)) namesRead(read).forEach((name) => names.add(name));
  }
  if (text.includes('SIGNALING_ENV.preToken.tableName')) names.add(SIGNALING_ENV.preToken.tableName);
  return names;
}

function build() {
  const app = newTestApp({ 'aws:cdk:bundling-stacks': [] });
  const env = { account: '111111111111', region: 'us-east-1' };
  const deps = new Stack(app, 'Deps', { env });
  const key = new kms.Key(deps, 'Key', { enableKeyRotation: true });
  const stack = new SignalingStack(app, 'Signaling', {
    env,
    settings: {
      deploymentName: 'example',
      relayHostnames: ['turn.example.org'],
      throttle: { rateLimit: 50, burstLimit: 100 },
      logRetention: logs.RetentionDays.TWO_YEARS,
    },
    tableKey: key,
    logKey: key,
    turnSecret: new secretsmanager.Secret(deps, 'TurnSecret', { encryptionKey: key }),
    keyAdministrator: new iam.Role(deps, 'Admin', { assumedBy: new iam.AccountRootPrincipal() }),
  });
  return { stack, template: Template.fromStack(stack) };
}

describe('the signaling environment contract', () => {
  const { stack, template } = build();
  // The bundled functions, which know their handler entry.
  const functions = [...Object.values(stack.functions), ...(stack.preTokenFunction ? [stack.preTokenFunction] : [])]
    .map((fn) => fn.function)
    .filter((fn): fn is StandardNodejsFunction => fn instanceof StandardNodejsFunction);
  const written = (fn: StandardNodejsFunction): string[] => {
    const id = stack.getLogicalId(fn.node.defaultChild as CfnFunction);
    const variables = (template.toJSON().Resources[id].Properties.Environment?.Variables ?? {}) as object;
    return Object.keys(variables).filter((name) => !RUNTIME_NAMES.has(name));
  };

  test('each compose module calls the reader the test attributes to it', () => {
    for (const [module, { reader }] of Object.entries(COMPOSERS)) {
      expect(source(path.join(LAMBDA_DIR, `${module}.ts`))).toContain(`${reader}(env)`);
    }
  });

  test('every signaling function is covered, the pre-token trigger included', () => {
    expect(functions.map((fn) => path.basename(fn.entry)).sort()).toEqual(
      ['authorizer', 'connect', 'default', 'disconnect', 'ice-servers', 'join', 'leave', 'pre-token', 'signal'].map(
        (name) => `${name}.ts`,
      ),
    );
  });

  test.each(functions.map((fn) => [path.basename(fn.entry), fn]))(
    '%s gets exactly the variables it reads',
    (_name, fn) => {
      expect(written(fn).sort()).toEqual([...namesReadBy(fn.entry)].sort());
    },
  );

  test('every name in the contract is written by the stack and read by a function', () => {
    const contract = new Set(Object.values(SIGNALING_ENV).flatMap((group) => Object.values(group)));
    const allWritten = new Set(functions.flatMap((fn) => written(fn)));
    const allRead = new Set(functions.flatMap((fn) => [...namesReadBy(fn.entry)]));
    expect([...allWritten].sort()).toEqual([...contract].sort());
    expect([...allRead].sort()).toEqual([...contract].sort());
  });

  test('the readers return what the builders were given', () => {
    expect(readAuthSettings(FULL_ENV)).toEqual({ ...SAMPLE.auth, tokenSource: 'protocol-header' });
    expect(readRoomSettings(FULL_ENV)).toEqual({
      tableName: SAMPLE.tableName,
      callbackUrl: SAMPLE.callbackUrl,
      maxRoomSize: 3,
      connectionTtlSeconds: CONNECTION_TTL_SECONDS.default,
    });
    expect(readRateLimitSettings(FULL_ENV)).toEqual({ tableName: SAMPLE.tableName, limits: DEFAULT_RATE_LIMITS });
    expect(readTurnSettings(FULL_ENV)).toEqual(SAMPLE.turn);
  });

  test('a variable the stack always writes is required: a missing one fails, naming it', () => {
    for (const name of [
      SIGNALING_ENV.rooms.maxRoomSize,
      SIGNALING_ENV.rooms.connectionTtlSeconds,
      SIGNALING_ENV.turn.ttlSeconds,
    ]) {
      const env = { ...FULL_ENV, [name]: undefined };
      const read = name === SIGNALING_ENV.turn.ttlSeconds ? readTurnSettings : readRoomSettings;
      expect(() => read(env)).toThrow(new RegExp(`${name} is required`));
    }
  });
});
