/**
 * An in-memory ConnectionStore with the DynamoDB store's semantics (conditional claim, seat counter that never goes
 * below zero, member set returned sorted). Used by unit tests and by the benchmark to measure handler cost without a
 * database.
 */
import type { ConnectionRecord, ConnectionStore } from '../../lib/signaling/connection-store';

export class MemoryConnectionStore implements ConnectionStore {
  readonly connections = new Map<string, ConnectionRecord>();
  readonly members = new Map<string, Set<string>>();
  readonly seats = new Map<string, number>();

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
  async addMember(roomId: string, connectionId: string) {
    if (!this.members.has(roomId)) this.members.set(roomId, new Set());
    this.members.get(roomId)!.add(connectionId);
    return this.listMembers(roomId);
  }
  async vacate(roomId: string, connectionId: string) {
    const wasMember = this.members.get(roomId)?.delete(connectionId) ?? false;
    await this.releaseSeat(roomId);
    return { wasMember, members: await this.listMembers(roomId) };
  }
  async isMember(roomId: string, connectionId: string) {
    return this.members.get(roomId)?.has(connectionId) ?? false;
  }
  async listMembers(roomId: string) {
    return [...(this.members.get(roomId) ?? [])].sort();
  }
}
