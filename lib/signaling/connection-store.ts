/**
 * Connection and room-membership state. The interface is small and primitive so room rules live in rooms.ts and
 * can be tested against an in-memory fake; the DynamoDB implementation below is what runs in Lambda and, against
 * Amazon DynamoDB Local, in the local harness, the tests and the benchmarks.
 *
 * Single-table layout (every key is opaque: API Gateway connection ids, random room ids, opaque subjects):
 *
 *   pk = "C#<connectionId>"    sk = "C"            sub, roomId?, connectedAt, ttl   (a connection)
 *   pk = "R#<roomId>"          sk = "N"            members (string set), version, ttl (a room)
 *   pk = "L#C#<connectionId>"  sk = "<action>#<n>" hits, ttl                       (a connection's rate-limit count)
 *   pk = "L#U#<sub>"           sk = "<action>#<n>" hits, ttl                       (a user's rate-limit count)
 *   pk = "G#<sub>"             sk = "R#<roomId>"   ttl                             (room grant, room-grants.ts)
 *
 * Rate-limit counts are written by rate-counter.ts; both kinds share the `L#` prefix the ice-servers policy names.
 *
 * Invariant: a connection's `roomId` names a room exactly when the room's `members` lists the connection. Joining
 * and leaving change both items in one TransactWriteItems, so no crash or race can leave one without the other (a
 * seat held by nobody, or a member who cannot be signaled). The room's `version` counts those changes: a join is
 * conditioned on the version it read, so the peer list it answers with is exactly the room it joined.
 *
 * `ttl` (epoch seconds) lets DynamoDB sweep what a missed `$disconnect` leaves behind (API Gateway ends every
 * connection after 2 hours).
 *
 * Transactions: a refused condition cancels the whole transaction with TransactionCanceledException, whose
 * CancellationReasons (one per item, in request order) say which item failed and, with
 * ReturnValuesOnConditionCheckFailure ALL_OLD, what that item held, so a refusal is explained without another read.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 */
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  TransactionCanceledException,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';

export interface ConnectionRecord {
  readonly connectionId: string;
  readonly sub: string;
  readonly roomId?: string;
  readonly connectedAt: number;
  readonly expiresAt: number;
}

/** A room as one read saw it: its members (sorted) and how many joins and leaves it has had. */
export interface RoomState {
  readonly members: readonly string[];
  /** 0 for a room that has never been joined. */
  readonly version: number;
}

export interface JoinRequest {
  readonly connectionId: string;
  readonly roomId: string;
  readonly maxSeats: number;
  readonly expiresAt: number;
  /** The room as the caller read it; the join only commits if the room is still exactly this. */
  readonly seen: RoomState;
}

export type JoinResult =
  | { readonly ok: true }
  /** The connection already has a room (`roomId`, this one or another), or no longer exists (`roomId` undefined). */
  | { readonly ok: false; readonly reason: 'already-in-room'; readonly roomId?: string }
  | { readonly ok: false; readonly reason: 'no-connection' }
  | { readonly ok: false; readonly reason: 'room-full'; readonly room: RoomState }
  /** Someone joined or left since `seen`: `room` is the room now (from the cancellation), to retry with. */
  | { readonly ok: false; readonly reason: 'room-changed'; readonly room: RoomState }
  /** Another transaction held an item (TransactionConflict): read again and retry. */
  | { readonly ok: false; readonly reason: 'conflict' };

export interface ConnectionStore {
  putConnection(record: ConnectionRecord): Promise<void>;
  getConnection(connectionId: string): Promise<ConnectionRecord | undefined>;
  /** Consistent reads of several connections in one round trip; connections that do not exist are absent. */
  getConnections(connectionIds: readonly string[]): Promise<Map<string, ConnectionRecord>>;
  /** One consistent read of the connection and the room (one BatchGetItem). */
  readForJoin(connectionId: string, roomId: string): Promise<{ connection?: ConnectionRecord; room: RoomState }>;
  /** Seat, member and claim in one transaction: the room gains the member and the connection its room, or neither. */
  join(request: JoinRequest): Promise<JoinResult>;
  /**
   * Takes the connection out of `roomId` in one transaction: the room drops the member, and the connection either
   * loses its room (`leave`) or is deleted (`disconnect`). Only if the connection is still in that room: false
   * otherwise (a concurrent leave or disconnect got there first), so each membership ends exactly once.
   */
  vacate(connectionId: string, roomId: string, mode: 'leave' | 'disconnect'): Promise<boolean>;
  /** Deletes a connection that has no room; false when it now has one (then vacate it instead). */
  deleteRoomlessConnection(connectionId: string): Promise<boolean>;
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
    const items = await this.batchGet([...new Set(connectionIds)].map(connectionKey));
    for (const item of items) {
      const connectionId = String(item.pk).slice(2);
      found.set(connectionId, toConnection(connectionId, item));
    }
    return found;
  }

  async readForJoin(connectionId: string, roomId: string): Promise<{ connection?: ConnectionRecord; room: RoomState }> {
    const items = await this.batchGet([connectionKey(connectionId), roomKey(roomId)]);
    const connection = items.find((item) => item.pk === connectionKey(connectionId).pk);
    const room = items.find((item) => item.pk === roomKey(roomId).pk);
    return { connection: connection ? toConnection(connectionId, connection) : undefined, room: roomStateOf(room) };
  }

  async join(request: JoinRequest): Promise<JoinResult> {
    const { connectionId, roomId, maxSeats, expiresAt, seen } = request;
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: roomKey(roomId),
                UpdateExpression: 'ADD members :me, version :one SET #ttl = :ttl',
                // The room is still what the caller read (so its peer list is exact), has a free seat, and does not
                // list the caller. The last two follow from the first; they are checked anyway, by DynamoDB.
                ConditionExpression:
                  `${seen.version === 0 ? 'attribute_not_exists(version)' : 'version = :seen'}` +
                  ' AND (attribute_not_exists(members) OR (size(members) < :max AND NOT contains(members, :id)))',
                ExpressionAttributeNames: { '#ttl': 'ttl' },
                ExpressionAttributeValues: {
                  ':me': new Set([connectionId]),
                  ':id': connectionId,
                  ':one': 1,
                  ':max': maxSeats,
                  ':ttl': expiresAt,
                  ...(seen.version === 0 ? {} : { ':seen': seen.version }),
                },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: connectionKey(connectionId),
                UpdateExpression: 'SET roomId = :room',
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(roomId)',
                ExpressionAttributeValues: { ':room': roomId },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
          ],
        }),
      );
      return { ok: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      return explainRefusedJoin(error, request);
    }
  }

  async vacate(connectionId: string, roomId: string, mode: 'leave' | 'disconnect'): Promise<boolean> {
    const onConnection = {
      TableName: this.tableName,
      Key: connectionKey(connectionId),
      ConditionExpression: 'roomId = :room',
      ExpressionAttributeValues: { ':room': roomId },
    };
    const connectionWrite =
      mode === 'leave' ? { Update: { ...onConnection, UpdateExpression: 'REMOVE roomId' } } : { Delete: onConnection };
    for (let attempt = 1; ; attempt++) {
      try {
        await this.doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.tableName,
                  Key: roomKey(roomId),
                  // Bumping the version makes any join that read the room before this leave read it again.
                  UpdateExpression: 'DELETE members :me ADD version :one',
                  // Never recreate a room that TTL already swept (it would live on without a ttl).
                  ConditionExpression: 'attribute_exists(pk)',
                  ExpressionAttributeValues: { ':me': new Set([connectionId]), ':one': 1 },
                },
              },
              connectionWrite,
            ],
          }),
        );
        return true;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [room, connection] = failedCodes(error);
        if (connection === 'ConditionalCheckFailed') return false;
        if (room === 'ConditionalCheckFailed' && connection === 'None') {
          // The room item is gone (swept by TTL): only the connection is left to update.
          return this.conditional(
            mode === 'leave' ? new UpdateCommand(connectionWrite.Update!) : new DeleteCommand(connectionWrite.Delete!),
          );
        }
        const conflict = room === 'TransactionConflict' || connection === 'TransactionConflict';
        if (!conflict || attempt === VACATE_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 5 * attempt));
      }
    }
  }

  async deleteRoomlessConnection(connectionId: string): Promise<boolean> {
    return this.conditional(
      new DeleteCommand({
        TableName: this.tableName,
        Key: connectionKey(connectionId),
        ConditionExpression: 'attribute_not_exists(roomId)',
      }),
    );
  }

  async listMembers(roomId: string): Promise<string[]> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: roomKey(roomId), ConsistentRead: true }),
    );
    return [...roomStateOf(Item).members];
  }

  private async conditional(command: UpdateCommand | DeleteCommand): Promise<boolean> {
    try {
      await this.doc.send(command as UpdateCommand);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** One consistent BatchGetItem; keys left unprocessed under throttling are retried briefly, then it fails. */
  private async batchGet(keys: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    for (let attempt = 0; keys.length > 0; attempt++) {
      if (attempt === BATCH_GET_ATTEMPTS) {
        throw new Error(`BatchGetItem left ${keys.length} keys unprocessed after ${BATCH_GET_ATTEMPTS} attempts`);
      }
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt));
      const { Responses, UnprocessedKeys } = await this.doc.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
      );
      found.push(...(Responses?.[this.tableName] ?? []));
      keys = (UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
    }
    return found;
  }
}

const BATCH_GET_ATTEMPTS = 5;
const VACATE_ATTEMPTS = 3;

/** Codes that mean "a condition said no" or "another transaction held the item", not a failure of the table. */
const isRefusalCode = (code: string | undefined) =>
  code === undefined || code === 'None' || code === 'ConditionalCheckFailed' || code === 'TransactionConflict';

function failedCodes(error: TransactionCanceledException): (string | undefined)[] {
  return (error.CancellationReasons ?? []).map((reason) => reason.Code);
}

/**
 * Why a join transaction was cancelled, from its CancellationReasons (room first, then connection, as sent). The
 * connection's answer wins: a connection that already has a room, or is gone, is refused whatever the room holds.
 */
export function explainRefusedJoin(error: TransactionCanceledException, request: JoinRequest): JoinResult {
  const [room, connection] = error.CancellationReasons ?? [];
  if (!room || !connection || ![room.Code, connection.Code].every(isRefusalCode)) throw error;
  if (connection.Code === 'ConditionalCheckFailed') {
    const old = connection.Item;
    if (!old) return { ok: false, reason: 'no-connection' };
    return { ok: false, reason: 'already-in-room', roomId: old.roomId?.S };
  }
  if (room.Code === 'ConditionalCheckFailed') {
    const now = roomStateOfRaw(room.Item);
    if (now.version !== request.seen.version) return { ok: false, reason: 'room-changed', room: now };
    if (now.members.includes(request.connectionId))
      return { ok: false, reason: 'already-in-room', roomId: request.roomId };
    return { ok: false, reason: 'room-full', room: now };
  }
  return { ok: false, reason: 'conflict' };
}

/** A room item as the document client returns it. */
function roomStateOf(item: Record<string, unknown> | undefined): RoomState {
  const members = item?.members;
  return {
    // Sorted so answers are deterministic (DynamoDB sets have no order).
    members: members instanceof Set ? [...(members as Set<string>)].sort() : [],
    version: typeof item?.version === 'number' ? item.version : 0,
  };
}

/** A room item as a CancellationReason carries it (raw attribute values: the document client does not convert). */
function roomStateOfRaw(item: Record<string, AttributeValue> | undefined): RoomState {
  return {
    members: [...(item?.members?.SS ?? [])].sort(),
    version: item?.version?.N ? Number(item.version.N) : 0,
  };
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
