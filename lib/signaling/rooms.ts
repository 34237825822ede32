/**
 * Room rules over a ConnectionStore and a Messenger:
 * - a connection may join only rooms its token lists, one room at a time;
 * - a room holds at most `maxRoomSize` connections (a conditional seat counter, safe under concurrent joins);
 * - a peer can signal only a peer in the same room; the server names the sender, the client cannot;
 * - any peer found gone (410) during delivery is removed, as `$disconnect` would have done.
 *
 * DynamoDB round trips (each a single request): join = reserve seat, claim room, add member (3, sequential, in
 * that order for the invariants below); signal = one BatchGetItem of both connections; leave and $disconnect =
 * clear the connection's room, then one write that removes the member and its seat.
 */
import type { ConnectionStore } from './connection-store';
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

  async join(caller: Caller, roomId: string): Promise<RoomOutcome<{ peers: string[] }>> {
    // Room authorization comes from the verified token (authorizer context), never from the message.
    if (!caller.rooms.includes(roomId)) return fail('room-not-authorized', 'Your token does not grant this room.');
    const expiresAt = this.expiresAt();
    // Seat first, then the connection's room: a connection whose record names a room always holds a seat there,
    // which lets signal() authorize from the two connection records alone.
    if (!(await this.store.reserveSeat(roomId, this.settings.maxRoomSize, expiresAt))) {
      return fail('room-full', `The room already has ${this.settings.maxRoomSize} participants.`);
    }
    if (!(await this.store.claimRoom(caller.connectionId, roomId))) {
      await this.store.releaseSeat(roomId);
      return fail('already-in-room', 'Leave your current room before joining another.');
    }
    // Listed only after the claim, so every peer named in an answer or announced to the room can already be signaled.
    const members = await this.store.addMember(roomId, caller.connectionId, expiresAt);
    const peers = members.filter((id) => id !== caller.connectionId);
    const present = await this.broadcast(peers, { type: 'peer-joined', roomId, connectionId: caller.connectionId });
    return { ok: true, value: { peers: present } };
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
    const roomId = await this.store.releaseRoom(connectionId);
    if (!roomId) return fail('not-in-room', 'You are not in a room.');
    await this.vacate(roomId, connectionId);
    return { ok: true, value: { roomId } };
  }

  /** `$disconnect`, and the cleanup for connections found gone. Idempotent. */
  async disconnect(connectionId: string): Promise<void> {
    const record = await this.store.deleteConnection(connectionId);
    if (record?.roomId) await this.vacate(record.roomId, connectionId);
  }

  private async vacate(roomId: string, connectionId: string): Promise<void> {
    // Reached once per claim: releaseRoom and deleteConnection clear the connection's room atomically, so when a
    // leave and a disconnect race, only one of them gets the room back and gives the seat back.
    const { wasMember, members } = await this.store.vacate(roomId, connectionId);
    // A connection that never got listed (a join cut short) was never announced, so there is nobody to tell.
    if (wasMember) await this.broadcast(members, { type: 'peer-left', roomId, connectionId });
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
