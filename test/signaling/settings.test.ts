import { RateLimiter } from '../../lib/signaling/rate-limit';
import {
  readAuthSettings,
  readRateLimitSettings,
  readRoomSettings,
  readTurnSettings,
} from '../../lib/signaling/settings';
import { routeDeps } from '../../lambda/signaling/compose';
import { authorizerDepsFromEnv } from '../../lambda/signaling/compose-auth';
import { limiterFromEnv } from '../../lambda/signaling/compose-limiter';
import { roomsFromEnv } from '../../lambda/signaling/compose-rooms';
import { turnFromEnv } from '../../lambda/signaling/compose-turn';

const TURN = {
  TURN_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:turn-AbCdEf',
  TURN_PSEUDONYM_KEY_ARN: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:turn-username-key-AbCdEf',
  TURN_URLS: 'turn:relay.test:3478?transport=udp, turns:relay.test:5349?transport=tcp',
  TURN_TTL_SECONDS: '3600',
};
const ROOMS = {
  TABLE_NAME: 'signaling',
  CALLBACK_URL: 'https://abc.execute-api.us-east-1.amazonaws.com/prod',
  MAX_ROOM_SIZE: '2',
  CONNECTION_TTL_SECONDS: '10800',
};
const AUTH = {
  ISSUER: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc',
  AUDIENCE: 'client',
  JWKS_URL: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc/.well-known/jwks.json',
  TOKEN_SOURCE: 'query',
};

describe('settings from the environment', () => {
  test('the TURN username key is required: without it no username could be PHI-free', () => {
    const withoutKey: Record<string, string> = { ...TURN };
    delete withoutKey.TURN_PSEUDONYM_KEY_ARN;
    expect(() => readTurnSettings(withoutKey)).toThrow(/TURN_PSEUDONYM_KEY_ARN is required/);
    expect(() => readTurnSettings({ ...TURN, TURN_PSEUDONYM_KEY_ARN: 'my-key' })).toThrow(
      /TURN_PSEUDONYM_KEY_ARN must be a Secrets Manager ARN/,
    );
  });

  test('values as written: room size, connection item TTL, TURN credential TTL, URLs, token source', () => {
    expect(readRoomSettings(ROOMS)).toMatchObject({ maxRoomSize: 2, connectionTtlSeconds: 10_800 });
    expect(readTurnSettings(TURN)).toMatchObject({
      ttlSeconds: 3600,
      urls: ['turn:relay.test:3478?transport=udp', 'turns:relay.test:5349?transport=tcp'],
    });
    expect(readAuthSettings(AUTH)).toEqual({
      issuer: AUTH.ISSUER,
      audience: 'client',
      jwksUrl: AUTH.JWKS_URL,
      tokenSource: 'query',
    });
    expect(readAuthSettings({ ...AUTH, TOKEN_SOURCE: 'protocol-header' }).tokenSource).toBe('protocol-header');
  });

  test('TURN TTL can never exceed the 2-hour connection limit', () => {
    expect(() => readTurnSettings({ ...TURN, TURN_TTL_SECONDS: '86400' })).toThrow(
      /TURN_TTL_SECONDS is 86400; use a whole number from 60 to 7200 \(.*API Gateway closes after 2 hours\)/,
    );
    expect(() => readTurnSettings({ ...TURN, TURN_TTL_SECONDS: '10' })).toThrow(/TURN_TTL_SECONDS is 10; use/);
  });

  test('rooms stay within the deployable sizes, and connection items outlive connections', () => {
    expect(() => readRoomSettings({ ...ROOMS, MAX_ROOM_SIZE: '1' })).toThrow(/MAX_ROOM_SIZE is 1; use .* 2 to 50/);
    expect(() => readRoomSettings({ ...ROOMS, MAX_ROOM_SIZE: '51' })).toThrow(/MAX_ROOM_SIZE is 51/);
    expect(() => readRoomSettings({ ...ROOMS, CONNECTION_TTL_SECONDS: '7200' })).toThrow(
      /CONNECTION_TTL_SECONDS is 7200; use a whole number from 7201/,
    );
  });

  test('bad values name the variable', () => {
    expect(() => readRoomSettings({ ...ROOMS, MAX_ROOM_SIZE: 'two' })).toThrow(/MAX_ROOM_SIZE is two; use/);
    expect(() => readAuthSettings({ ISSUER: 'x', AUDIENCE: 'y' })).toThrow(/JWKS_URL/);
    // No default for where tokens come from: a missing or misspelt source fails the first $connect, loudly.
    expect(() => readAuthSettings({ ...AUTH, TOKEN_SOURCE: undefined })).toThrow(/TOKEN_SOURCE is required/);
    expect(() => readAuthSettings({ ...AUTH, TOKEN_SOURCE: 'header' })).toThrow(
      /TOKEN_SOURCE must be one of query, protocol-header/,
    );
    expect(() => readTurnSettings({ ...TURN, TURN_URLS: 'stun:relay.test' })).toThrow(/TURN_URLS/);
  });
});

describe('rate-limit settings', () => {
  const LIMITS = {
    TABLE_NAME: 'signaling',
    RATE_LIMITS: 'join=10/60,signal=100/10,ice-servers=10/60,user:join=30/60,user:ice-servers=20/60',
  };

  test('are read from TABLE_NAME and RATE_LIMITS, per-user budgets included', () => {
    expect(readRateLimitSettings(LIMITS)).toEqual({
      tableName: 'signaling',
      limits: {
        join: { requests: 10, perSeconds: 60 },
        signal: { requests: 100, perSeconds: 10 },
        iceServers: { requests: 10, perSeconds: 60 },
        perUser: { join: { requests: 30, perSeconds: 60 }, iceServers: { requests: 20, perSeconds: 60 } },
      },
    });
  });

  test('have no default: a missing or malformed RATE_LIMITS fails instead of running unlimited', () => {
    expect(() => readRateLimitSettings({ TABLE_NAME: 'signaling' })).toThrow(/RATE_LIMITS is required/);
    expect(() => readRateLimitSettings({ ...LIMITS, RATE_LIMITS: 'join=10/60' })).toThrow(
      /RATE_LIMITS is invalid: signal is missing; ice-servers is missing/,
    );
    expect(() => readRateLimitSettings({ RATE_LIMITS: LIMITS.RATE_LIMITS })).toThrow(/TABLE_NAME is required/);
    // A variable without the per-user budgets (the format before them) is refused, not read as "no user limit".
    expect(() =>
      readRateLimitSettings({ ...LIMITS, RATE_LIMITS: 'join=10/60,signal=100/10,ice-servers=10/60' }),
    ).toThrow(/RATE_LIMITS is invalid: user:join is missing; user:ice-servers is missing/);
  });

  test('build one limiter per instance, lazily', () => {
    const limiter = limiterFromEnv(LIMITS);
    expect(limiter()).toBeInstanceOf(RateLimiter);
    expect(limiter()).toBe(limiter());
    expect(() => limiterFromEnv({ TABLE_NAME: 'signaling' })()).toThrow(/rate-limit settings/);
    expect(() => routeDeps({}).limiter()).toThrow(/not wired with rate limits/);
  });
});

describe('composition', () => {
  test('builds dependencies lazily: a function only needs the settings it uses', () => {
    const rooms = roomsFromEnv({ ...ROOMS });
    expect(rooms()).toBe(rooms());
    expect(() => turnFromEnv({ ...ROOMS })()).toThrow(/TURN settings/);
    expect(turnFromEnv(TURN)().ttlSeconds).toBe(3600);
    const unwired = routeDeps({ rooms });
    expect(unwired.rooms()).toBe(rooms());
    expect(() => unwired.turn()).toThrow(/not wired with TURN/);
    expect(() => authorizerDepsFromEnv({}).verify()).toThrow(/authorizer settings/);
    expect(typeof authorizerDepsFromEnv(AUTH).verify()).toBe('function');
  });
});
