/**
 * Cognito pre-token-generation trigger (V2): adds the `rooms` claim, from the room grants the application backend
 * wrote, to the ID and access tokens. Without it a default-issuer token can connect but join no room.
 */
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { DynamoRoomGrantStore, roomsClaim, type RoomGrantStore } from '../../lib/signaling/room-grants';
import { SIGNALING_ENV } from '../../lib/signaling/environment';
import { powertoolsLog } from '../../lib/signaling/log';
import { once } from './compose';

export interface PreTokenDeps {
  readonly grants: () => RoomGrantStore;
  readonly nowMs: () => number;
}

export function preTokenHandler(deps: PreTokenDeps) {
  return async (event: PreTokenGenerationV2TriggerEvent): Promise<PreTokenGenerationV2TriggerEvent> => {
    const sub = event.request.userAttributes.sub ?? '';
    const rooms = roomsClaim(await deps.grants().grantsFor(sub), Math.floor(deps.nowMs() / 1000));
    // Always set, also when empty: a stale claim from an earlier token must never survive a refresh. The V2 event
    // accepts arrays as claim values; @types/aws-lambda still types them as strings, hence the cast.
    const claims = { rooms } as unknown as Record<string, string>;
    event.response = {
      claimsAndScopeOverrideDetails: {
        idTokenGeneration: { claimsToAddOrOverride: claims },
        accessTokenGeneration: { claimsToAddOrOverride: claims },
      },
    };
    return event;
  };
}

const log = powertoolsLog('hipaa-rtc-room-grants');
const TABLE_NAME = SIGNALING_ENV.preToken.tableName;
const tableName = process.env[TABLE_NAME];
const handle = preTokenHandler({
  grants: once(() => new DynamoRoomGrantStore(tableName as string)),
  nowMs: Date.now,
});

export const handler = async (event: PreTokenGenerationV2TriggerEvent): Promise<PreTokenGenerationV2TriggerEvent> => {
  if (!tableName) throw new Error(`${TABLE_NAME} is required`);
  const result = await handle(event);
  const claims = result.response.claimsAndScopeOverrideDetails?.idTokenGeneration?.claimsToAddOrOverride as
    { rooms?: string[] } | undefined;
  log.info('rooms claim issued', { route: 'pre-token', roomCount: claims?.rooms?.length ?? 0 });
  return result;
};
