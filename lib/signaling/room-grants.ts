/**
 * Room grants: which rooms a subject may join, written by the application backend (the scheduling system that knows
 * a visit exists) into the signaling table, and turned into the token's `rooms` claim by the Cognito
 * pre-token-generation trigger. Keys and attributes are opaque ids and times only: no PHI.
 *
 *   pk = "G#<sub>"   sk = "R#<roomId>"   ttl (unix seconds: when the grant ends, e.g. the visit's end)
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { checkSubject } from './identity';
import { ROOM_ID } from './messages';

/** The authorizer refuses tokens listing more rooms than this (lib/signaling/auth.ts). */
export const MAX_ROOMS_IN_CLAIM = 20;
/** The authorizer's own subject rules, so no grant is ever keyed by a subject the authorizer would refuse. */
const opaqueSubject = (sub: string) => checkSubject(sub).ok;

export interface RoomGrant {
  readonly roomId: string;
  /** Unix seconds after which the grant no longer applies. */
  readonly expiresAt: number;
}

export const grantKey = (sub: string, roomId: string) => ({ pk: `G#${sub}`, sk: `R#${roomId}` });

/**
 * The `rooms` claim for a subject at `nowSeconds`: unexpired grants only, well-formed room ids only, the grants
 * ending soonest first (the visits about to happen), at most {@link MAX_ROOMS_IN_CLAIM}.
 */
export function roomsClaim(grants: readonly RoomGrant[], nowSeconds: number): string[] {
  const rooms = grants
    .filter((g) => g.expiresAt > nowSeconds && ROOM_ID.safeParse(g.roomId).success)
    .sort((a, b) => a.expiresAt - b.expiresAt || a.roomId.localeCompare(b.roomId))
    .map((g) => g.roomId);
  return [...new Set(rooms)].slice(0, MAX_ROOMS_IN_CLAIM);
}

export interface RoomGrantStore {
  grantsFor(sub: string): Promise<RoomGrant[]>;
  putGrant(sub: string, grant: RoomGrant): Promise<void>;
}

export class DynamoRoomGrantStore implements RoomGrantStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    private readonly tableName: string,
    client: DynamoDBClient = new DynamoDBClient({}),
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  async grantsFor(sub: string): Promise<RoomGrant[]> {
    if (!opaqueSubject(sub)) return [];
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :room)',
        ExpressionAttributeValues: { ':pk': `G#${sub}`, ':room': 'R#' },
        ProjectionExpression: 'sk, #ttl',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        // More than the claim can hold, so expired grants not yet swept by TTL cannot crowd out live ones.
        Limit: 100,
      }),
    );
    return (result.Items ?? []).map((item) => ({
      roomId: String(item.sk).slice(2),
      expiresAt: Number(item.ttl),
    }));
  }

  /** What the application backend does when a visit is scheduled (reference implementation, used in tests). */
  async putGrant(sub: string, grant: RoomGrant): Promise<void> {
    if (!opaqueSubject(sub) || !ROOM_ID.safeParse(grant.roomId).success) {
      throw new Error('room grants take opaque subject and room ids only');
    }
    await this.doc.send(
      new PutCommand({ TableName: this.tableName, Item: { ...grantKey(sub, grant.roomId), ttl: grant.expiresAt } }),
    );
  }
}
