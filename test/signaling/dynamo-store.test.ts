/**
 * The DynamoDB store and rate counter against Amazon DynamoDB Local: the transactions and conditional writes that
 * carry the room invariants (seat cap, one room per connection, exactly-once release), the refusals as DynamoDB
 * reports them (TransactionCanceledException with CancellationReasons), and how many requests and round trips each
 * room operation makes (what sets signaling latency).
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoConnectionStore, type RoomState } from '../../lib/signaling/connection-store';
import { DynamoRateCounter } from '../../lib/signaling/rate-counter';
import { DEFAULT_RATE_LIMITS, RateLimiter } from '../../lib/signaling/rate-limit';
import { RoomService, type Caller } from '../../lib/signaling/rooms';
import { openLocalTable, type LocalDynamo } from '../../tools/dev/local-table';
import { RecordingMessenger } from './fakes';

jest.setTimeout(60_000);

let dynamo: LocalDynamo;
let store: DynamoConnectionStore;
let counter: DynamoRateCounter;
/** DynamoDB requests in the order they were sent, with how many were already in flight (0: a new round trip). */
const requests: { name: string; inFlight: number }[] = [];
let inFlight = 0;
let sequence = 0;
const fresh = (prefix: string) => `${prefix}-${(++sequence).toString().padStart(6, '0')}`;
const EMPTY: RoomState = { members: [], version: 0 };

beforeAll(async () => {
  dynamo = await openLocalTable();
  dynamo.client.middlewareStack.add(
    (next, context) => async (args) => {
      requests.push({ name: String(context.commandName).replace(/Command$/, ''), inFlight });
      inFlight++;
      try {
        return await next(args);
      } finally {
        inFlight--;
      }
    },
    { step: 'initialize', name: 'countRequests' },
  );
  store = new DynamoConnectionStore({ tableName: dynamo.tableName, client: dynamo.client });
  counter = new DynamoRateCounter({ tableName: dynamo.tableName, client: dynamo.client });
});

afterAll(async () => {
  await dynamo?.stop();
});

const counted = async <T>(run: () => Promise<T>) => {
  requests.length = 0;
  const result = await run();
  const made = requests.map((r) => r.name);
  /** Round trips: requests sent while none was in flight start a new one. */
  const roundTrips = requests.filter((r) => r.inFlight === 0).length;
  return { result, requests: made, roundTrips };
};

const connect = async (roomId?: string) => {
  const connectionId = fresh('conn');
  await store.putConnection({ connectionId, sub: `sub-${connectionId}`, roomId, connectedAt: 1, expiresAt: 2 });
  return connectionId;
};

const joinRequest = (connectionId: string, roomId: string, seen: RoomState, maxSeats = 2) => ({
  connectionId,
  roomId,
  maxSeats,
  expiresAt: 9_999_999_999,
  seen,
});

/** The raw cancellation, as DynamoDB sends it, for a join transaction built like the store's. */
async function cancellationOf(run: () => Promise<unknown>): Promise<TransactionCanceledException> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TransactionCanceledException);
  return error as TransactionCanceledException;
}

describe('DynamoConnectionStore', () => {
  test('getConnections reads several connections in one BatchGetItem; missing ones are absent', async () => {
    const [a, b] = [fresh('A'), fresh('B')];
    await store.putConnection({ connectionId: a, sub: 'sub-a', connectedAt: 1, expiresAt: 2 });
    await store.putConnection({ connectionId: b, sub: 'sub-b', roomId: 'room-1', connectedAt: 1, expiresAt: 2 });
    const { result, requests: made } = await counted(() => store.getConnections([a, b, 'gone', a]));
    expect(made).toEqual(['BatchGetItem']);
    expect([...result.keys()].sort()).toEqual([a, b].sort());
    expect(result.get(b)).toEqual({ connectionId: b, sub: 'sub-b', roomId: 'room-1', connectedAt: 1, expiresAt: 2 });
  });

  test('a join is one TransactWriteItems: member, seat and claim together', async () => {
    const room = fresh('room');
    const a = await connect();
    const { result, requests: made } = await counted(() => store.join(joinRequest(a, room, EMPTY)));
    expect(result).toEqual({ ok: true });
    expect(made).toEqual(['TransactWriteItems']);
    expect(await store.readForJoin(a, room)).toMatchObject({
      connection: { roomId: room },
      room: { members: [a], version: 1 },
    });
  });

  test('full room: the room item refuses (ConditionalCheckFailed) and nothing changes', async () => {
    const room = fresh('room');
    const [a, b, c] = [await connect(), await connect(), await connect()];
    expect(await store.join(joinRequest(a, room, EMPTY))).toEqual({ ok: true });
    expect(await store.join(joinRequest(b, room, { members: [a], version: 1 }))).toEqual({ ok: true });
    const full = (await store.readForJoin(c, room)).room;
    expect(await store.join(joinRequest(c, room, full))).toEqual({ ok: false, reason: 'room-full', room: full });
    // Through DynamoDB's own answer: the room's condition failed and returned the room; the connection's did not.
    const cancelled = await cancellationOf(() => rawJoin(c, room, full.version, 2));
    expect(cancelled.CancellationReasons?.map((r) => r.Code)).toEqual(['ConditionalCheckFailed', 'None']);
    expect(cancelled.CancellationReasons?.[0].Item?.members?.SS?.sort()).toEqual([a, b].sort());
    expect((await store.readForJoin(c, room)).connection?.roomId).toBeUndefined();
    expect((await store.readForJoin(c, room)).room).toEqual(full);
  });

  test('already seated: the connection item refuses, in the same room or another, and the room is untouched', async () => {
    const [room, other] = [fresh('room'), fresh('room')];
    const a = await connect();
    expect(await store.join(joinRequest(a, room, EMPTY, 3))).toEqual({ ok: true });
    const seen = (await store.readForJoin(a, room)).room;
    expect(await store.join(joinRequest(a, other, EMPTY, 3))).toEqual({
      ok: false,
      reason: 'already-in-room',
      roomId: room,
    });
    const cancelled = await cancellationOf(() => rawJoin(a, other, 0, 3));
    expect(cancelled.CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'ConditionalCheckFailed']);
    expect(cancelled.CancellationReasons?.[1].Item?.roomId?.S).toBe(room);
    // A re-join of the same room, even with a stale view that does not list it yet, takes no second seat.
    expect(await store.join(joinRequest(a, room, seen, 3))).toEqual({
      ok: false,
      reason: 'already-in-room',
      roomId: room,
    });
    expect(await store.readForJoin(a, other)).toMatchObject({ room: EMPTY });
    expect((await store.readForJoin(a, room)).room).toEqual({ members: [a], version: 1 });
  });

  test('a connection that is gone cannot join (its condition fails with no old item)', async () => {
    const room = fresh('room');
    expect(await store.join(joinRequest(fresh('gone'), room, EMPTY))).toEqual({ ok: false, reason: 'no-connection' });
    expect((await store.readForJoin('x', room)).room).toEqual(EMPTY);
  });

  test('concurrent joins: one commit per room version, the others learn the new room from the cancellation', async () => {
    const room = fresh('room');
    const ids = await Promise.all(Array.from({ length: 6 }, () => connect()));
    const results = await Promise.all(ids.map((id) => store.join(joinRequest(id, room, EMPTY, 4))));
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const winner = ids[results.findIndex((r) => r.ok)];
    for (const result of results.filter((r) => !r.ok)) {
      // Either the version moved (ConditionalCheckFailed with the new room) or DynamoDB saw the transactions
      // overlap (TransactionConflict): both are told to retry, never admitted on a stale view.
      expect(result).toEqual(
        expect.objectContaining({ ok: false, reason: expect.stringMatching(/^(room-changed|conflict)$/) }),
      );
      if (!result.ok && result.reason === 'room-changed')
        expect(result.room).toEqual({ members: [winner], version: 1 });
    }
  });

  test('concurrent joins through the room service never exceed the cap and each peer list is exact', async () => {
    const room = fresh('room');
    const messenger = new RecordingMessenger();
    const rooms = new RoomService(store, messenger, { maxRoomSize: 3, connectionTtlSeconds: 3600 });
    const callers: Caller[] = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const connectionId = await connect();
        return { connectionId, sub: `sub-${connectionId}`, rooms: [room] };
      }),
    );
    const outcomes = await Promise.all(callers.map((c) => rooms.join(c, room)));
    const admitted = outcomes.flatMap((o, i) => (o.ok ? [{ id: callers[i].connectionId, peers: o.value.peers }] : []));
    expect(admitted).toHaveLength(3);
    expect(outcomes.filter((o) => !o.ok).map((o) => !o.ok && o.code)).toEqual(Array(5).fill('room-full'));
    // Joined in some order: the k-th to commit saw exactly the k-1 before it.
    expect(admitted.map((a) => a.peers.length).sort()).toEqual([0, 1, 2]);
    const members = await store.listMembers(room);
    expect(members).toEqual(admitted.map((a) => a.id).sort());
    for (const a of admitted) for (const peer of a.peers) expect(members).toContain(peer);
  });

  test('vacate ends a membership exactly once; leave keeps the connection, disconnect deletes it', async () => {
    const room = fresh('room');
    const [a, b] = [await connect(), await connect()];
    await store.join(joinRequest(a, room, EMPTY));
    await store.join(joinRequest(b, room, { members: [a], version: 1 }));
    const leave = await counted(() => store.vacate(a, room, 'leave'));
    expect(leave).toMatchObject({ result: true, requests: ['TransactWriteItems'] });
    expect(await store.vacate(a, room, 'leave')).toBe(false);
    expect(await store.vacate(a, room, 'disconnect')).toBe(false);
    expect(await store.getConnection(a)).toMatchObject({ connectionId: a, roomId: undefined });
    const results = await Promise.all([store.vacate(b, room, 'disconnect'), store.vacate(b, room, 'leave')]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const doc = DynamoDBDocumentClient.from(dynamo.client);
    const { Item } = await doc.send(
      new GetCommand({ TableName: dynamo.tableName, Key: { pk: `R#${room}`, sk: 'N' }, ConsistentRead: true }),
    );
    // Both seats are back (an empty set is no attribute), and the room kept counting its changes.
    expect(Item?.members).toBeUndefined();
    expect(Item?.version).toBe(4);
  });
});

/** The store's join transaction, sent raw so the test sees DynamoDB's own CancellationReasons. */
function rawJoin(connectionId: string, roomId: string, version: number, maxSeats: number) {
  const doc = DynamoDBDocumentClient.from(dynamo.client);
  return doc.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: dynamo.tableName,
            Key: { pk: `R#${roomId}`, sk: 'N' },
            UpdateExpression: 'ADD members :me, version :one',
            ConditionExpression:
              `${version === 0 ? 'attribute_not_exists(version)' : 'version = :seen'}` +
              ' AND (attribute_not_exists(members) OR (size(members) < :max AND NOT contains(members, :id)))',
            ExpressionAttributeValues: {
              ':me': new Set([connectionId]),
              ':id': connectionId,
              ':one': 1,
              ':max': maxSeats,
              ...(version === 0 ? {} : { ':seen': version }),
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        {
          Update: {
            TableName: dynamo.tableName,
            Key: { pk: `C#${connectionId}`, sk: 'C' },
            UpdateExpression: 'SET roomId = :room',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(roomId)',
            ExpressionAttributeValues: { ':room': roomId },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
      ],
    }),
  );
}

describe('DynamoRateCounter', () => {
  test('counts exactly the limit under concurrent requests, then refuses', async () => {
    const key = {
      subject: { scope: 'connection' as const, id: fresh('C') },
      action: 'ice-servers' as const,
      window: 42,
    };
    const results = await Promise.all(Array.from({ length: 30 }, () => counter.hit(key, 5, 1_900_000_000)));
    expect(results.filter(Boolean)).toHaveLength(5);
    expect(await counter.hit(key, 5, 1_900_000_000)).toBe(false);
  });

  test('a new window or another action is a fresh count; one UpdateItem per request, with a TTL', async () => {
    const connectionId = fresh('C');
    const key = { subject: { scope: 'connection' as const, id: connectionId }, action: 'join' as const, window: 7 };
    expect(await counter.hit(key, 1, 1_900_000_000)).toBe(true);
    expect(await counter.hit(key, 1, 1_900_000_000)).toBe(false);
    expect(await counter.hit({ ...key, window: 8 }, 1, 1_900_000_000)).toBe(true);
    const other = await counted(() => counter.hit({ ...key, action: 'signal' }, 1, 1_900_000_000));
    expect(other).toMatchObject({ result: true, requests: ['UpdateItem'] });
    const doc = DynamoDBDocumentClient.from(dynamo.client);
    const { Item } = await doc.send(
      new GetCommand({ TableName: dynamo.tableName, Key: { pk: `L#C#${connectionId}`, sk: 'join#7' } }),
    );
    // The refused request was counted too; it does not matter, the item only serves its window.
    expect(Item).toMatchObject({ hits: 2, ttl: 1_900_000_000 });
  });

  test('a user and a connection with the same id are separate counts (L#U# and L#C#)', async () => {
    const id = fresh('same');
    const user = { subject: { scope: 'user' as const, id }, action: 'join' as const, window: 7 };
    const connection = { ...user, subject: { scope: 'connection' as const, id } };
    expect(await counter.hit(user, 1, 1_900_000_000)).toBe(true);
    expect(await counter.hit(connection, 1, 1_900_000_000)).toBe(true);
    expect(await counter.hit(user, 1, 1_900_000_000)).toBe(false);
    const doc = DynamoDBDocumentClient.from(dynamo.client);
    const get = (pk: string) => doc.send(new GetCommand({ TableName: dynamo.tableName, Key: { pk, sk: 'join#7' } }));
    expect((await get(`L#U#${id}`)).Item).toMatchObject({ hits: 2 });
    expect((await get(`L#C#${id}`)).Item).toMatchObject({ hits: 1 });
  });
});

describe('requests per room operation (the round trips behind signaling latency)', () => {
  test('join: counts and one read together, then one transaction; signal: one read; leave, disconnect: one transaction', async () => {
    const limiter = new RateLimiter(counter, DEFAULT_RATE_LIMITS);
    const rooms = new RoomService(store, new RecordingMessenger(), { maxRoomSize: 2, connectionTtlSeconds: 3600 });
    const room = fresh('room');
    const caller = async (): Promise<Caller> => {
      const connectionId = fresh('conn');
      await rooms.connect(connectionId, `sub-${connectionId}`);
      return { connectionId, sub: `sub-${connectionId}`, rooms: [room] };
    };
    const gate = async (c: Caller, action: 'join' | 'signal') =>
      (await limiter.admit(c, action)).admitted
        ? { ok: true as const, value: undefined }
        : { ok: false as const, code: 'rate-limited' as const, message: 'limited' };
    const [a, b] = [await caller(), await caller()];
    await rooms.join(a, room);
    const join = await counted(() => rooms.join(b, room, gate(b, 'join')));
    expect(join.result).toEqual({ ok: true, value: { peers: [a.connectionId] } });
    // Round trip 1: the connection's and the user's counts and the read; round trip 2: the transaction.
    expect(join.requests.slice(0, 3).sort()).toEqual(['BatchGetItem', 'UpdateItem', 'UpdateItem']);
    expect(join.requests.slice(3)).toEqual(['TransactWriteItems']);
    expect(join.roundTrips).toBe(2);
    const signal = await counted(() => rooms.signal(a, b.connectionId, 'offer', 'v=0', gate(a, 'signal')));
    expect(signal.result).toEqual({ ok: true, value: undefined });
    expect(signal.requests.sort()).toEqual(['BatchGetItem', 'UpdateItem']);
    expect(signal.roundTrips).toBe(1);
    // Which room (a read), the one transaction, and whom to tell (a read).
    const leave = await counted(() => rooms.leave(b.connectionId));
    expect(leave.requests).toEqual(['GetItem', 'TransactWriteItems', 'GetItem']);
    const disconnect = await counted(() => rooms.disconnect(a.connectionId));
    expect(disconnect.requests).toEqual(['GetItem', 'TransactWriteItems', 'GetItem']);
    expect(await store.listMembers(room)).toEqual([]);
    // Only transactions wrote the room and the connections' rooms: no separate seat, claim or member writes.
    expect([...join.requests, ...leave.requests, ...disconnect.requests]).not.toContain('PutItem');
  });
});
