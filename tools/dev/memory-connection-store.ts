/**
 * An in-memory ConnectionStore with the DynamoDB store's semantics (a join commits only on the room version it read,
 * with a free seat, on a roomless connection; leave and disconnect only while the connection names the room; member
 * lists sorted). Used by unit tests and by the benchmark to measure handler cost without a database.
 */
import type {
  ConnectionRecord,
  ConnectionStore,
  JoinRequest,
  JoinResult,
  RoomState,
} from '../../lib/signaling/connection-store';

export class MemoryConnectionStore implements ConnectionStore {
  readonly connections = new Map<string, ConnectionRecord>();
  readonly rooms = new Map<string, { members: Set<string>; version: number }>();

  async putConnection(record: ConnectionRecord) {
    this.connections.set(record.connectionId, record);
  }
  async getConnection(connectionId: string) {
    return this.connections.get(connectionId);
  }
  async getConnections(connectionIds: readonly string[]) {
    const found = new Map<string, ConnectionRecord>();
    for (const id of connectionIds) {
      const record = this.connections.get(id);
      if (record) found.set(id, record);
    }
    return found;
  }
  async readForJoin(connectionId: string, roomId: string) {
    return { connection: this.connections.get(connectionId), room: this.roomState(roomId) };
  }
  async join(request: JoinRequest): Promise<JoinResult> {
    const connection = this.connections.get(request.connectionId);
    if (!connection) return { ok: false, reason: 'no-connection' };
    if (connection.roomId) return { ok: false, reason: 'already-in-room', roomId: connection.roomId };
    const room = this.roomState(request.roomId);
    if (room.version !== request.seen.version) return { ok: false, reason: 'room-changed', room };
    if (room.members.includes(request.connectionId)) {
      return { ok: false, reason: 'already-in-room', roomId: request.roomId };
    }
    if (room.members.length >= request.maxSeats) return { ok: false, reason: 'room-full', room };
    this.rooms.set(request.roomId, {
      members: new Set([...room.members, request.connectionId]),
      version: room.version + 1,
    });
    this.connections.set(request.connectionId, { ...connection, roomId: request.roomId });
    return { ok: true };
  }
  async vacate(connectionId: string, roomId: string, mode: 'leave' | 'disconnect') {
    const connection = this.connections.get(connectionId);
    if (connection?.roomId !== roomId) return false;
    const room = this.rooms.get(roomId);
    if (room) {
      room.members.delete(connectionId);
      room.version += 1;
    }
    if (mode === 'leave') this.connections.set(connectionId, { ...connection, roomId: undefined });
    else this.connections.delete(connectionId);
    return true;
  }
  async deleteRoomlessConnection(connectionId: string) {
    if (this.connections.get(connectionId)?.roomId) return false;
    this.connections.delete(connectionId);
    return true;
  }
  async listMembers(roomId: string) {
    return [...this.roomState(roomId).members];
  }
  /** Seats taken in a room: its members (a seat and a membership are one thing since joins are transactions). */
  seatsTaken(roomId: string): number {
    return this.rooms.get(roomId)?.members.size ?? 0;
  }
  private roomState(roomId: string): RoomState {
    const room = this.rooms.get(roomId);
    return { members: [...(room?.members ?? [])].sort(), version: room?.version ?? 0 };
  }
}
