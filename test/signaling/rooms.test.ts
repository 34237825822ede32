import { RoomService, type Caller } from '../../lib/signaling/rooms';
import { MemoryConnectionStore, RecordingMessenger } from './fakes';

const ROOM = 'room-0123456789';
const OTHER = 'room-9876543210';

function setup(maxRoomSize = 2) {
  const store = new MemoryConnectionStore();
  const messenger = new RecordingMessenger();
  const rooms = new RoomService(store, messenger, { maxRoomSize, connectionTtlSeconds: 7200 }, () => 1_800_000_000_000);
  const caller = async (connectionId: string, granted: string[] = [ROOM]): Promise<Caller> => {
    await rooms.connect(connectionId, `sub-${connectionId}-0000000000`);
    return { connectionId, sub: `sub-${connectionId}-0000000000`, rooms: granted };
  };
  return { store, messenger, rooms, caller };
}

describe('RoomService', () => {
  test('connect stores the connection with a TTL past the 2-hour gateway limit', async () => {
    const { store, caller } = setup();
    await caller('A');
    expect(store.connections.get('A')).toMatchObject({ sub: 'sub-A-0000000000', expiresAt: 1_800_000_000 + 7200 });
  });

  test('join lists present peers and announces the newcomer to them', async () => {
    const { rooms, messenger, caller } = setup();
    const a = await caller('A');
    const b = await caller('B');
    expect(await rooms.join(a, ROOM)).toEqual({ ok: true, value: { peers: [] } });
    expect(await rooms.join(b, ROOM)).toEqual({ ok: true, value: { peers: ['A'] } });
    expect(messenger.to('A')).toEqual([{ type: 'peer-joined', roomId: ROOM, connectionId: 'B' }]);
  });

  test('a room the token does not grant is refused before any state changes', async () => {
    const { rooms, store, caller } = setup();
    const a = await caller('A', [OTHER]);
    expect(await rooms.join(a, ROOM)).toMatchObject({ ok: false, code: 'room-not-authorized' });
    expect(store.connections.get('A')?.roomId).toBeUndefined();
    expect(store.seatsTaken(ROOM)).toBe(0);
  });

  test('one room at a time', async () => {
    const { rooms, caller } = setup();
    const a = await caller('A', [ROOM, OTHER]);
    await rooms.join(a, ROOM);
    expect(await rooms.join(a, OTHER)).toMatchObject({ ok: false, code: 'already-in-room' });
  });

  test('a full room refuses and leaves the refused connection roomless', async () => {
    const { rooms, store, caller } = setup(2);
    await rooms.join(await caller('A'), ROOM);
    await rooms.join(await caller('B'), ROOM);
    const c = await caller('C');
    expect(await rooms.join(c, ROOM)).toMatchObject({ ok: false, code: 'room-full' });
    expect(store.connections.get('C')?.roomId).toBeUndefined();
    expect(store.seatsTaken(ROOM)).toBe(2);
  });

  test('signal reaches a peer in the same room, named by the server', async () => {
    const { rooms, messenger, caller } = setup();
    const a = await caller('A');
    const b = await caller('B');
    await rooms.join(a, ROOM);
    await rooms.join(b, ROOM);
    expect(await rooms.signal(a, 'B', 'offer', { sdp: 'v=0' })).toEqual({ ok: true, value: undefined });
    expect(messenger.to('B')).toContainEqual({ type: 'signal', from: 'A', kind: 'offer', payload: { sdp: 'v=0' } });
  });

  test('signal to a peer in another room, to oneself, or while roomless is refused and delivers nothing', async () => {
    const { rooms, messenger, caller } = setup();
    const a = await caller('A', [ROOM]);
    const m = await caller('M', [OTHER]);
    expect(await rooms.signal(a, 'M', 'offer', 'x')).toMatchObject({ ok: false, code: 'not-in-room' });
    await rooms.join(a, ROOM);
    await rooms.join(m, OTHER);
    expect(await rooms.signal(m, 'A', 'offer', 'x')).toMatchObject({ ok: false, code: 'peer-not-in-room' });
    expect(await rooms.signal(a, 'A', 'offer', 'x')).toMatchObject({ ok: false, code: 'peer-not-in-room' });
    expect(messenger.sent.filter((entry) => entry.message.type === 'signal')).toEqual([]);
  });

  test('a gone peer is evicted on signal, freeing its seat and telling the room', async () => {
    const { rooms, messenger, store, caller } = setup();
    const a = await caller('A');
    const b = await caller('B');
    await rooms.join(a, ROOM);
    await rooms.join(b, ROOM);
    messenger.gone.add('B');
    expect(await rooms.signal(a, 'B', 'offer', 'x')).toMatchObject({ ok: false, code: 'peer-gone' });
    expect(store.connections.has('B')).toBe(false);
    expect(await store.listMembers(ROOM)).toEqual(['A']);
    expect(store.seatsTaken(ROOM)).toBe(1);
    expect(messenger.to('A')).toContainEqual({ type: 'peer-left', roomId: ROOM, connectionId: 'B' });
  });

  test('gone peers found while announcing a join are evicted and not listed', async () => {
    const { rooms, messenger, store, caller } = setup(3);
    await rooms.join(await caller('A'), ROOM);
    messenger.gone.add('A');
    expect(await rooms.join(await caller('B'), ROOM)).toEqual({ ok: true, value: { peers: [] } });
    expect(store.connections.has('A')).toBe(false);
    expect(store.seatsTaken(ROOM)).toBe(1);
  });

  test('leave and disconnect release the seat exactly once, even when both happen', async () => {
    const { rooms, store, messenger, caller } = setup();
    const a = await caller('A');
    const b = await caller('B');
    await rooms.join(a, ROOM);
    await rooms.join(b, ROOM);
    expect(await rooms.leave('B')).toEqual({ ok: true, value: { roomId: ROOM } });
    await rooms.disconnect('B');
    await rooms.disconnect('B');
    expect(store.seatsTaken(ROOM)).toBe(1);
    expect(messenger.to('A').filter((m) => m.type === 'peer-left')).toHaveLength(1);
    expect(await rooms.leave('A')).toMatchObject({ ok: true });
    expect(await rooms.leave('A')).toMatchObject({ ok: false, code: 'not-in-room' });
  });

  test('a connection refused for already-in-room is never listed in the other room and gets its seat back', async () => {
    const { rooms, store, caller } = setup();
    const a = await caller('A', [ROOM, OTHER]);
    await rooms.join(a, OTHER);
    expect(await rooms.join(a, ROOM)).toMatchObject({ ok: false, code: 'already-in-room' });
    expect(await store.listMembers(ROOM)).toEqual([]);
    expect(store.seatsTaken(ROOM)).toBe(0);
  });

  test("a signal refused by the rate gate delivers nothing and answers with the gate's refusal", async () => {
    const { rooms, messenger, caller } = setup();
    const a = await caller('A');
    const b = await caller('B');
    await rooms.join(a, ROOM);
    await rooms.join(b, ROOM);
    const refusal = { ok: false as const, code: 'rate-limited' as const, message: 'slow down', retryAfterSeconds: 3 };
    expect(await rooms.signal(a, 'B', 'offer', 'x', Promise.resolve(refusal))).toEqual(refusal);
    expect(messenger.to('B').filter((m) => m.type === 'signal')).toEqual([]);
  });

  test('a failing rate gate fails the signal, also when the target is the caller', async () => {
    const { rooms, messenger, caller } = setup();
    const a = await caller('A');
    const b = await caller('B');
    await rooms.join(a, ROOM);
    await rooms.join(b, ROOM);
    await expect(rooms.signal(a, 'B', 'offer', 'x', Promise.reject(new Error('table down')))).rejects.toThrow(
      'table down',
    );
    await expect(rooms.signal(a, 'A', 'offer', 'x', Promise.reject(new Error('table down')))).rejects.toThrow(
      'table down',
    );
    expect(messenger.to('B').filter((m) => m.type === 'signal')).toEqual([]);
  });

  test('re-joining the room one is in answers already-in-room, in a full room and in one with a free seat', async () => {
    for (const size of [2, 3]) {
      const { rooms, store, messenger, caller } = setup(size);
      const a = await caller('A');
      const b = await caller('B');
      await rooms.join(a, ROOM);
      await rooms.join(b, ROOM);
      const before = messenger.sent.length;
      expect(await rooms.join(b, ROOM)).toEqual({
        ok: false,
        code: 'already-in-room',
        message: 'You are already in this room.',
      });
      // No second seat, not even briefly, and nobody is told anything.
      expect(store.seatsTaken(ROOM)).toBe(2);
      expect(await store.listMembers(ROOM)).toEqual(['A', 'B']);
      expect(messenger.sent.length).toBe(before);
    }
  });

  test('a join of an ungranted room is still counted: over budget, the budget answers first', async () => {
    const { rooms, caller } = setup();
    const a = await caller('A', [OTHER]);
    const refusal = { ok: false as const, code: 'rate-limited' as const, message: 'slow down', retryAfterSeconds: 3 };
    expect(await rooms.join(a, ROOM, Promise.resolve(refusal))).toEqual(refusal);
    expect(await rooms.join(a, ROOM)).toMatchObject({ ok: false, code: 'room-not-authorized' });
  });

  test('a join over its rate gate reads but changes nothing', async () => {
    const { rooms, store, messenger, caller } = setup();
    await rooms.join(await caller('A'), ROOM);
    const refusal = { ok: false as const, code: 'rate-limited' as const, message: 'slow down', retryAfterSeconds: 3 };
    expect(await rooms.join(await caller('B'), ROOM, Promise.resolve(refusal))).toEqual(refusal);
    expect(store.seatsTaken(ROOM)).toBe(1);
    expect(messenger.sent).toEqual([]);
  });

  test('concurrent joins: exactly maxRoomSize get in, the others are told the room is full', async () => {
    const { rooms, store, caller } = setup(3);
    const callers = await Promise.all(['A', 'B', 'C', 'D', 'E', 'F'].map((id) => caller(id)));
    const outcomes = await Promise.all(callers.map((c) => rooms.join(c, ROOM)));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(3);
    expect(outcomes.filter((o) => !o.ok).map((o) => !o.ok && o.code)).toEqual(['room-full', 'room-full', 'room-full']);
    expect(store.seatsTaken(ROOM)).toBe(3);
  });
});
