/**
 * An in-memory ConnectionStore with the DynamoDB store's semantics (conditional claim, seat counter, idempotent
 * member delete). Used by unit tests and by the benchmark to measure handler cost without a database.
 */
import type { ConnectionRecord, ConnectionStore } from '../../lib/signaling/connection-store';

export class MemoryConnectionStore implements ConnectionStore {
  readonly connections = new Map<string, ConnectionRecord>();
  readonly members = new Map<string, Map<string, string>>();
  readonly seats = new Map<string, number>();

  async putConnection(record: ConnectionRecord) {
    this.connections.set(record.connectionId, record);
  }
  async getConnection(connectionId: string) {
    return this.connections.get(connectionId);
  }
  async deleteConnection(connectionId: string) {
    const record = this.connections.get(connectionId);
    this.connections.delete(connectionId);
    return record;
  }
  async claimRoom(connectionId: string, roomId: string) {
    const record = this.connections.get(connectionId);
    if (!record || record.roomId) return false;
    this.connections.set(connectionId, { ...record, roomId });
    return true;
  }
  async releaseRoom(connectionId: string) {
    const record = this.connections.get(connectionId);
    if (!record?.roomId) return undefined;
    this.connections.set(connectionId, { ...record, roomId: undefined });
    return record.roomId;
  }
  async reserveSeat(roomId: string, maxSeats: number) {
    const taken = this.seats.get(roomId) ?? 0;
    if (taken >= maxSeats) return false;
    this.seats.set(roomId, taken + 1);
    return true;
  }
  async releaseSeat(roomId: string) {
    this.seats.set(roomId, Math.max(0, (this.seats.get(roomId) ?? 0) - 1));
  }
  async putMember(roomId: string, connectionId: string, sub: string) {
    if (!this.members.has(roomId)) this.members.set(roomId, new Map());
    this.members.get(roomId)!.set(connectionId, sub);
  }
  async deleteMember(roomId: string, connectionId: string) {
    return this.members.get(roomId)?.delete(connectionId) ?? false;
  }
  async isMember(roomId: string, connectionId: string) {
    return this.members.get(roomId)?.has(connectionId) ?? false;
  }
  async listMembers(roomId: string) {
    return [...(this.members.get(roomId)?.keys() ?? [])];
  }
}
