/**
 * Room rules over a ConnectionStore and a Messenger:
 * - a connection may join only rooms its token lists, one room at a time;
 * - a room holds at most `maxRoomSize` connections (a conditional seat counter, safe under concurrent joins);
 * - a peer can signal only a peer in the same room; the server names the sender, the client cannot;
 * - any peer found gone (410) during delivery is removed, as `$disconnect` would have done.
 *
 * DynamoDB requests (connection-store.ts): join = one BatchGetItem of the connection and the room, sent alongside
 * the rate-limit counts, then one TransactWriteItems for seat, member and claim (2 round trips; a join that raced
 * another join or leave retries the transaction with the room state its cancellation returned); signal = one
 * BatchGetItem of both connections, alongside its count, before delivery; leave and $disconnect = one read of the
 * connection (which room), one TransactWriteItems (member, seat and the connection's room together), and one read of
 * the room (whom to tell).
 */
import type { ConnectionStore, RoomState } from './connection-store';
import type { Messenger } from './delivery';
import type { ErrorCode, ServerMessage } from './messages';

export interface RoomSettings {
  readonly maxRoomSize: number;
  /** Lifetime of connection and membership items (API Gateway closes connections after 2 h). */
  readonly connectionTtlSeconds: number;
}

export interface Caller {
  readonly connectionId: string;
  readonly sub: string;
  readonly rooms: readonly string[];
}

export type RoomOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string; readonly retryAfterSeconds?: number };

const fail = <T>(code: ErrorCode, message: string): RoomOutcome<T> => ({ ok: false, code, message });
const PASS: Promise<RoomOutcome<void>> = Promise.resolve({ ok: true, value: undefined });

export class RoomService {
  constructor(
    private readonly store: ConnectionStore,
    private readonly messenger: Messenger,
    private readonly settings: RoomSettings,
    private readonly nowMs: () => number = Date.now,
  ) {}

  private expiresAt(): number {
    return Math.floor(this.nowMs() / 1000) + this.settings.connectionTtlSeconds;
  }

  async connect(connectionId: string, sub: string): Promise<void> {
    const now = this.nowMs();
    await this.store.putConnection({ connectionId, sub, connectedAt: now, expiresAt: this.expiresAt() });
  }

  /**
   * `gate` is the rate limiter's verdict, awaited before anything changes; it runs alongside the read of the
   * connection and the room, so counting the request adds no round trip.
   */
  async join(
    caller: Caller,
    roomId: string,
    gate: Promise<RoomOutcome<void>> = PASS,
  ): Promise<RoomOutcome<{ peers: string[] }>> {
    // Room authorization comes from the verified token (authorizer context), never from the message.
    if (!caller.rooms.includes(roomId)) {
      // Counted all the same, and over budget the budget's answer comes first, as for any other join.
      const admitted = await gate;
      return admitted.ok ? fail('room-not-authorized', 'Your token does not grant this room.') : admitted;
    }
    const [admitted, seen] = await Promise.all([gate, this.store.readForJoin(caller.connectionId, roomId)]);
    if (!admitted.ok) return admitted;
    if (seen.connection?.roomId) return this.alreadyIn(seen.connection.roomId, roomId);
    if (!seen.connection) return fail('unauthenticated', 'This connection is not registered; reconnect.');
    let room: RoomState = seen.room;
    // Each retry follows someone else's commit on this room; joins can commit at most maxRoomSize times before the
    // room is full, so this bound is only reached when leaves keep interleaving.
    const attempts = this.settings.maxRoomSize + 2;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (room.members.length >= this.settings.maxRoomSize) return this.full();
      const result = await this.store.join({
        connectionId: caller.connectionId,
        roomId,
        maxSeats: this.settings.maxRoomSize,
        expiresAt: this.expiresAt(),
        seen: room,
      });
      if (result.ok) {
        // The transaction committed on exactly `room`: its members are this room's peers, each already signalable.
        const peers = room.members.filter((id) => id !== caller.connectionId);
        const present = await this.broadcast(peers, { type: 'peer-joined', roomId, connectionId: caller.connectionId });
        return { ok: true, value: { peers: present } };
      }
      switch (result.reason) {
        case 'already-in-room':
          return this.alreadyIn(result.roomId, roomId);
        case 'no-connection':
          return fail('unauthenticated', 'This connection is not registered; reconnect.');
        case 'room-full':
          return this.full();
        case 'room-changed':
          room = result.room;
          break;
        case 'conflict':
          room = (await this.store.readForJoin(caller.connectionId, roomId)).room;
          break;
      }
    }
    return fail('room-busy', 'The room changed while you joined; retry.');
  }

  private alreadyIn(current: string | undefined, wanted: string): RoomOutcome<never> {
    return current === wanted
      ? fail('already-in-room', 'You are already in this room.')
      : fail('already-in-room', 'Leave your current room before joining another.');
  }

  private full(): RoomOutcome<never> {
    return fail('room-full', `The room already has ${this.settings.maxRoomSize} participants.`);
  }

  /**
   * `gate` is the rate limiter's verdict: it is awaited before anything is delivered, and it runs alongside the read
   * of the two connections, so counting the request adds no round trip.
   */
  async signal(
    caller: Caller,
    to: string,
    kind: 'offer' | 'answer' | 'candidate',
    payload: unknown,
    gate: Promise<RoomOutcome<void>> = PASS,
  ): Promise<RoomOutcome<void>> {
    // The gate is always awaited, even for a request refused without a read, so its failure is never left unhandled.
    const reads = to === caller.connectionId ? undefined : this.store.getConnections([caller.connectionId, to]);
    const [admitted, records] = await Promise.all([gate, reads]);
    if (!admitted.ok) return admitted;
    if (!records) return fail('peer-not-in-room', 'That peer is not in your room.');
    const self = records.get(caller.connectionId);
    const peer = records.get(to);
    if (!self?.roomId) return fail('not-in-room', 'Join a room before signaling.');
    if (peer?.roomId !== self.roomId) return fail('peer-not-in-room', 'That peer is not in your room.');
    const result = await this.messenger.send(to, { type: 'signal', from: caller.connectionId, kind, payload });
    if (result === 'gone') {
      await this.disconnect(to);
      return fail('peer-gone', 'That peer has disconnected.');
    }
    return { ok: true, value: undefined };
  }

  async leave(connectionId: string): Promise<RoomOutcome<{ roomId: string }>> {
    const roomId = (await this.store.getConnection(connectionId))?.roomId;
    if (!roomId || !(await this.store.vacate(connectionId, roomId, 'leave'))) {
      return fail('not-in-room', 'You are not in a room.');
    }
    await this.announceLeft(roomId, connectionId);
    return { ok: true, value: { roomId } };
  }

  /** `$disconnect`, and the cleanup for connections found gone. Idempotent. */
  async disconnect(connectionId: string): Promise<void> {
    // Bounded: each pass loses only to a concurrent leave, join or disconnect of this same connection.
    for (let attempt = 0; attempt < 3; attempt++) {
      const record = await this.store.getConnection(connectionId);
      if (!record) return;
      if (!record.roomId) {
        if (await this.store.deleteRoomlessConnection(connectionId)) return;
        continue;
      }
      if (await this.store.vacate(connectionId, record.roomId, 'disconnect')) {
        await this.announceLeft(record.roomId, connectionId);
        return;
      }
    }
  }

  private async announceLeft(roomId: string, connectionId: string): Promise<void> {
    // Reached once per membership: vacate ends it only while the connection still names the room, so when a leave
    // and a disconnect race, only one of them tells the room.
    const members = await this.store.listMembers(roomId);
    if (members.length > 0) await this.broadcast(members, { type: 'peer-left', roomId, connectionId });
  }

  /** Sends to every peer; returns the peers still present and evicts the gone ones. */
  private async broadcast(peers: string[], message: ServerMessage): Promise<string[]> {
    const results = await Promise.all(
      peers.map(async (peer) => [peer, await this.messenger.send(peer, message)] as const),
    );
    const gone = results.filter(([, result]) => result === 'gone').map(([peer]) => peer);
    // Sequential on purpose: each eviction broadcasts peer-left, which may find further gone peers.
    for (const peer of gone) await this.disconnect(peer);
    return results.filter(([, result]) => result === 'sent').map(([peer]) => peer);
  }
}
