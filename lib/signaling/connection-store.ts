/**
 * Connection and room-membership state. The interface is small and primitive so room rules live in rooms.ts and
 * can be tested against an in-memory fake; the DynamoDB implementation below is what runs in Lambda and, against
 * dynalite, in the local harness.
 *
 * Single-table layout (every key is opaque: API Gateway connection ids, random room ids, opaque subjects):
 *
 *   pk = "C#<connectionId>"    sk = "C"            sub, roomId?, connectedAt, ttl   (a connection)
 *   pk = "R#<roomId>"          sk = "N"            seats, members (string set), ttl (a room)
 *   pk = "L#C#<connectionId>"  sk = "<action>#<n>" hits, ttl                       (a connection's rate-limit count)
 *   pk = "L#U#<sub>"           sk = "<action>#<n>" hits, ttl                       (a user's rate-limit count)
 *   pk = "G#<sub>"             sk = "R#<roomId>"   ttl                             (room grant, room-grants.ts)
 *
 * Rate-limit counts are written by rate-counter.ts; both kinds share the `L#` prefix the ice-servers policy names.
 *
 * A room item carries two things on purpose: `seats` (reserved before a connection claims the room, so the size cap
 * holds under concurrent joins) and `members` (added after the claim, so a listed member has always claimed). Keeping
 * them on one item makes the member list one read and leaving one write.
 *
 * `ttl` (epoch seconds) lets DynamoDB sweep what a missed `$disconnect` leaves behind (API Gateway ends every
 * connection after 2 hours).
 */
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';

export interface ConnectionRecord {
  readonly connectionId: string;
  readonly sub: string;
  readonly roomId?: string;
  readonly connectedAt: number;
  readonly expiresAt: number;
}

export interface ConnectionStore {
  putConnection(record: ConnectionRecord): Promise<void>;
  getConnection(connectionId: string): Promise<ConnectionRecord | undefined>;
  /** Consistent reads of several connections in one round trip; connections that do not exist are absent. */
  getConnections(connectionIds: readonly string[]): Promise<Map<string, ConnectionRecord>>;
  /** Deletes the connection and returns what it was (to clean up its room). */
  deleteConnection(connectionId: string): Promise<ConnectionRecord | undefined>;
  /** Records the room on the connection if it exists and has none yet; false otherwise. */
  claimRoom(connectionId: string, roomId: string): Promise<boolean>;
  /** Clears the connection's room and returns it. */
  releaseRoom(connectionId: string): Promise<string | undefined>;
  /** Takes a seat if fewer than `maxSeats` are taken; false when the room is full. */
  reserveSeat(roomId: string, maxSeats: number, expiresAt: number): Promise<boolean>;
  /** Gives back a seat that was reserved but never claimed (a refused join). */
  releaseSeat(roomId: string): Promise<void>;
  /** Lists the connection as a member (call after its claim) and returns every member, itself included. */
  addMember(roomId: string, connectionId: string, expiresAt: number): Promise<string[]>;
  /**
   * Removes the member and gives back its seat in one write, and returns the members that remain. Call it exactly
   * once per claim: after the connection's room was cleared by releaseRoom or deleteConnection, which only one
   * caller can win.
   */
  vacate(roomId: string, connectionId: string): Promise<{ wasMember: boolean; members: string[] }>;
  isMember(roomId: string, connectionId: string): Promise<boolean>;
  listMembers(roomId: string): Promise<string[]>;
}

const connectionKey = (connectionId: string) => ({ pk: `C#${connectionId}`, sk: 'C' });
const roomKey = (roomId: string) => ({ pk: `R#${roomId}`, sk: 'N' });

/** Attribute names the table definition (stack and harness) must agree on. */
export const TABLE_SCHEMA = { partitionKey: 'pk', sortKey: 'sk', timeToLiveAttribute: 'ttl' } as const;

export interface DynamoConnectionStoreOptions {
  readonly tableName: string;
  /** @default a client from the Lambda environment */
  readonly client?: DynamoDBClient;
}

export class DynamoConnectionStore implements ConnectionStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: DynamoConnectionStoreOptions) {
    this.tableName = options.tableName;
    this.doc = DynamoDBDocumentClient.from(options.client ?? new DynamoDBClient({}), {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async putConnection(record: ConnectionRecord): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...connectionKey(record.connectionId),
          sub: record.sub,
          roomId: record.roomId,
          connectedAt: record.connectedAt,
          ttl: record.expiresAt,
        },
      }),
    );
  }

  async getConnection(connectionId: string): Promise<ConnectionRecord | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: connectionKey(connectionId), ConsistentRead: true }),
    );
    return Item ? toConnection(connectionId, Item) : undefined;
  }

  async getConnections(connectionIds: readonly string[]): Promise<Map<string, ConnectionRecord>> {
    const found = new Map<string, ConnectionRecord>();
    let keys: Record<string, unknown>[] = [...new Set(connectionIds)].map(connectionKey);
    // BatchGetItem may leave keys unprocessed under throttling; retry those briefly, then fail rather than guess.
    for (let attempt = 0; keys.length > 0; attempt++) {
      if (attempt === BATCH_GET_ATTEMPTS) {
        throw new Error(`BatchGetItem left ${keys.length} keys unprocessed after ${BATCH_GET_ATTEMPTS} attempts`);
      }
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt));
      const { Responses, UnprocessedKeys } = await this.doc.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
      );
      for (const item of Responses?.[this.tableName] ?? []) {
        const connectionId = String(item.pk).slice(2);
        found.set(connectionId, toConnection(connectionId, item));
      }
      keys = (UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
    }
    return found;
  }

  async deleteConnection(connectionId: string): Promise<ConnectionRecord | undefined> {
    const { Attributes } = await this.doc.send(
      new DeleteCommand({ TableName: this.tableName, Key: connectionKey(connectionId), ReturnValues: 'ALL_OLD' }),
    );
    return Attributes ? toConnection(connectionId, Attributes) : undefined;
  }

  async claimRoom(connectionId: string, roomId: string): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: connectionKey(connectionId),
        UpdateExpression: 'SET roomId = :room',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(roomId)',
        ExpressionAttributeValues: { ':room': roomId },
      }),
    );
  }

  async releaseRoom(connectionId: string): Promise<string | undefined> {
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: connectionKey(connectionId),
          UpdateExpression: 'REMOVE roomId',
          ConditionExpression: 'attribute_exists(roomId)',
          ReturnValues: 'ALL_OLD',
        }),
      );
      return typeof Attributes?.roomId === 'string' ? Attributes.roomId : undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async reserveSeat(roomId: string, maxSeats: number, expiresAt: number): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: roomKey(roomId),
        UpdateExpression: 'ADD seats :one SET #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(seats) OR seats < :max',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':one': 1, ':max': maxSeats, ':ttl': expiresAt },
      }),
    );
  }

  async releaseSeat(roomId: string): Promise<void> {
    // The condition keeps the counter from going negative if a release is ever repeated.
    await this.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: roomKey(roomId),
        UpdateExpression: 'ADD seats :minus',
        ConditionExpression: 'seats > :zero',
        ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
      }),
    );
  }

  async addMember(roomId: string, connectionId: string, expiresAt: number): Promise<string[]> {
    const { Attributes } = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: roomKey(roomId),
        UpdateExpression: 'ADD members :me SET #ttl = :ttl',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':me': new Set([connectionId]), ':ttl': expiresAt },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return membersOf(Attributes);
  }

  async vacate(roomId: string, connectionId: string): Promise<{ wasMember: boolean; members: string[] }> {
    let old: Record<string, unknown> | undefined;
    try {
      // The condition keeps the seat counter from going below zero, which would let the room exceed its cap.
      ({ Attributes: old } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: roomKey(roomId),
          UpdateExpression: 'DELETE members :me ADD seats :minus',
          ConditionExpression: 'seats > :zero',
          ExpressionAttributeValues: { ':me': new Set([connectionId]), ':minus': -1, ':zero': 0 },
          ReturnValues: 'ALL_OLD',
        }),
      ));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // No seat to give back (only after a crash mid-release): still remove the member.
      ({ Attributes: old } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: roomKey(roomId),
          UpdateExpression: 'DELETE members :me',
          ExpressionAttributeValues: { ':me': new Set([connectionId]) },
          ReturnValues: 'ALL_OLD',
        }),
      ));
    }
    const before = membersOf(old);
    return { wasMember: before.includes(connectionId), members: before.filter((id) => id !== connectionId) };
  }

  async isMember(roomId: string, connectionId: string): Promise<boolean> {
    return (await this.listMembers(roomId)).includes(connectionId);
  }

  async listMembers(roomId: string): Promise<string[]> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: roomKey(roomId), ConsistentRead: true }),
    );
    return membersOf(Item);
  }

  private async conditional(command: UpdateCommand): Promise<boolean> {
    try {
      await this.doc.send(command);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

const BATCH_GET_ATTEMPTS = 5;

/** A room's member set, sorted so answers are deterministic (DynamoDB sets have no order). */
function membersOf(item: Record<string, unknown> | undefined): string[] {
  const members = item?.members;
  return members instanceof Set ? [...(members as Set<string>)].sort() : [];
}

function toConnection(connectionId: string, item: Record<string, unknown>): ConnectionRecord {
  return {
    connectionId,
    sub: String(item.sub),
    roomId: typeof item.roomId === 'string' ? item.roomId : undefined,
    connectedAt: Number(item.connectedAt),
    expiresAt: Number(item.ttl),
  };
}
