/**
 * Connection and room-membership state. The interface is small and primitive so room rules live in rooms.ts and
 * can be tested against an in-memory fake; the DynamoDB implementation below is what runs in Lambda and, against
 * dynalite, in the local harness.
 *
 * Single-table layout (every key is opaque: API Gateway connection ids, random room ids, opaque subjects):
 *
 *   pk = "C#<connectionId>"  sk = "C"            sub, roomId?, connectedAt, ttl
 *   pk = "R#<roomId>"        sk = "M#<connId>"   sub, ttl                       (membership)
 *   pk = "R#<roomId>"        sk = "N"            seats, ttl                     (seat counter, enforces the size cap)
 *
 * `ttl` (epoch seconds) lets DynamoDB sweep what a missed `$disconnect` leaves behind (API Gateway ends every
 * connection after 2 hours).
 */
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
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
  /** Deletes the connection and returns what it was (to clean up its room). */
  deleteConnection(connectionId: string): Promise<ConnectionRecord | undefined>;
  /** Records the room on the connection if it exists and has none yet; false otherwise. */
  claimRoom(connectionId: string, roomId: string): Promise<boolean>;
  /** Clears the connection's room and returns it. */
  releaseRoom(connectionId: string): Promise<string | undefined>;
  /** Takes a seat if fewer than `maxSeats` are taken; false when the room is full. */
  reserveSeat(roomId: string, maxSeats: number, expiresAt: number): Promise<boolean>;
  releaseSeat(roomId: string): Promise<void>;
  putMember(roomId: string, connectionId: string, sub: string, expiresAt: number): Promise<void>;
  /** True when the member existed (so a seat is released exactly once). */
  deleteMember(roomId: string, connectionId: string): Promise<boolean>;
  isMember(roomId: string, connectionId: string): Promise<boolean>;
  listMembers(roomId: string): Promise<string[]>;
}

const connectionKey = (connectionId: string) => ({ pk: `C#${connectionId}`, sk: 'C' });
const memberKey = (roomId: string, connectionId: string) => ({ pk: `R#${roomId}`, sk: `M#${connectionId}` });
const seatKey = (roomId: string) => ({ pk: `R#${roomId}`, sk: 'N' });

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
        Key: seatKey(roomId),
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
        Key: seatKey(roomId),
        UpdateExpression: 'ADD seats :minus',
        ConditionExpression: 'seats > :zero',
        ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
      }),
    );
  }

  async putMember(roomId: string, connectionId: string, sub: string, expiresAt: number): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.tableName, Item: { ...memberKey(roomId, connectionId), sub, ttl: expiresAt } }),
    );
  }

  async deleteMember(roomId: string, connectionId: string): Promise<boolean> {
    const { Attributes } = await this.doc.send(
      new DeleteCommand({ TableName: this.tableName, Key: memberKey(roomId, connectionId), ReturnValues: 'ALL_OLD' }),
    );
    return Attributes !== undefined;
  }

  async isMember(roomId: string, connectionId: string): Promise<boolean> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: memberKey(roomId, connectionId), ConsistentRead: true }),
    );
    return Item !== undefined;
  }

  async listMembers(roomId: string): Promise<string[]> {
    const members: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :member)',
          ExpressionAttributeValues: { ':pk': `R#${roomId}`, ':member': 'M#' },
          ProjectionExpression: 'sk',
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) members.push(String(item.sk).slice(2));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return members;
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

function toConnection(connectionId: string, item: Record<string, unknown>): ConnectionRecord {
  return {
    connectionId,
    sub: String(item.sub),
    roomId: typeof item.roomId === 'string' ? item.roomId : undefined,
    connectedAt: Number(item.connectedAt),
    expiresAt: Number(item.ttl),
  };
}
