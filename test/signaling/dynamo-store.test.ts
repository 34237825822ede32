/**
 * The DynamoDB store and rate counter against dynalite: the conditional writes that carry the security properties
 * (seat cap, exactly-once release, atomic counting) under concurrency, and how many requests each room operation
 * makes (the round trips that set signaling latency).
 */
import { GetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoConnectionStore } from '../../lib/signaling/connection-store';
import { DynamoRateCounter } from '../../lib/signaling/rate-counter';
import { RoomService, type Caller } from '../../lib/signaling/rooms';
import { startDynalite, type LocalDynamo } from '../../src/dev/dynalite';
import { RecordingMessenger } from './fakes';

jest.setTimeout(20_000);

let dynamo: LocalDynamo;
let store: DynamoConnectionStore;
let counter: DynamoRateCounter;
/** DynamoDB requests by operation name, counted in the client's middleware stack. */
const requests: string[] = [];
let sequence = 0;
const fresh = (prefix: string) => `${prefix}-${(++sequence).toString().padStart(6, '0')}`;

beforeAll(async () => {
  dynamo = await startDynalite({ tableName: 'store-test' });
  dynamo.client.middlewareStack.add(
    (next, context) => (args) => {
      requests.push(String(context.commandName).replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  store = new DynamoConnectionStore({ tableName: dynamo.tableName, client: dynamo.client });
  counter = new DynamoRateCounter({ tableName: dynamo.tableName, client: dynamo.client });
});

afterAll(async () => {
  await dynamo?.stop();
});

const counted = async <T>(run: () => Promise<T>): Promise<{ result: T; requests: string[] }> => {
  requests.length = 0;
  const result = await run();
  return { result, requests: [...requests] };
};

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

  test('concurrent seat reservations never exceed the cap', async () => {
    const room = fresh('room');
    const results = await Promise.all(Array.from({ length: 12 }, () => store.reserveSeat(room, 3, 9_999_999_999)));
    expect(results.filter(Boolean)).toHaveLength(3);
  });

  test('addMember returns every member, sorted, itself included; adding twice lists once', async () => {
    const room = fresh('room');
    expect(await store.addMember(room, 'b=', 1)).toEqual(['b=']);
    expect(await store.addMember(room, 'a=', 1)).toEqual(['a=', 'b=']);
    expect(await store.addMember(room, 'a=', 1)).toEqual(['a=', 'b=']);
    expect(await store.isMember(room, 'a=')).toBe(true);
    expect(await store.isMember(room, 'c=')).toBe(false);
  });

  test('vacate removes the member and its seat in one write; the seat count never goes below zero', async () => {
    const room = fresh('room');
    await store.reserveSeat(room, 2, 1);
    await store.addMember(room, 'a=', 1);
    await store.reserveSeat(room, 2, 1);
    await store.addMember(room, 'b=', 1);
    const first = await counted(() => store.vacate(room, 'a='));
    expect(first.requests).toEqual(['UpdateItem']);
    expect(first.result).toEqual({ wasMember: true, members: ['b='] });
    expect(await store.vacate(room, 'b=')).toEqual({ wasMember: true, members: [] });
    // A repeated release (possible only after a crash) must not free a seat that does not exist.
    expect(await store.vacate(room, 'b=')).toEqual({ wasMember: false, members: [] });
    const doc = DynamoDBDocumentClient.from(dynamo.client);
    const { Item } = await doc.send(
      new GetCommand({ TableName: dynamo.tableName, Key: { pk: `R#${room}`, sk: 'N' }, ConsistentRead: true }),
    );
    expect(Item?.seats).toBe(0);
    expect(Item?.members).toBeUndefined();
  });
});

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
    expect(other).toEqual({ result: true, requests: ['UpdateItem'] });
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
  test('join 3, signal 1, leave 2, disconnect 2', async () => {
    const rooms = new RoomService(store, new RecordingMessenger(), { maxRoomSize: 2, connectionTtlSeconds: 3600 });
    const room = fresh('room');
    const caller = async (): Promise<Caller> => {
      const connectionId = fresh('conn');
      await rooms.connect(connectionId, `sub-${connectionId}`);
      return { connectionId, sub: `sub-${connectionId}`, rooms: [room] };
    };
    const [a, b] = [await caller(), await caller()];
    await rooms.join(a, room);
    const join = await counted(() => rooms.join(b, room));
    expect(join.result).toEqual({ ok: true, value: { peers: [a.connectionId] } });
    expect(join.requests).toEqual(['UpdateItem', 'UpdateItem', 'UpdateItem']);
    const signal = await counted(() => rooms.signal(a, b.connectionId, 'offer', 'v=0'));
    expect(signal).toEqual({ result: { ok: true, value: undefined }, requests: ['BatchGetItem'] });
    expect((await counted(() => rooms.leave(b.connectionId))).requests).toEqual(['UpdateItem', 'UpdateItem']);
    expect((await counted(() => rooms.disconnect(a.connectionId))).requests).toEqual(['DeleteItem', 'UpdateItem']);
    expect(await store.listMembers(room)).toEqual([]);
  });
});
