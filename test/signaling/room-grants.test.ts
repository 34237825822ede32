import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { preTokenHandler } from '../../lambda/signaling/pre-token';
import { DynamoRoomGrantStore, MAX_ROOMS_IN_CLAIM, roomsClaim } from '../../lib/signaling/room-grants';
import { openLocalTable, type LocalDynamo } from '../../tools/dev/local-table';

const NOW = 1_800_000_000;
const SUB = '5f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f';

describe('roomsClaim', () => {
  test('unexpired grants only, soonest-ending first, no duplicates', () => {
    expect(
      roomsClaim(
        [
          { roomId: 'room-later-0001', expiresAt: NOW + 7200 },
          { roomId: 'room-expired-01', expiresAt: NOW - 1 },
          { roomId: 'room-soon-00001', expiresAt: NOW + 600 },
          { roomId: 'room-soon-00001', expiresAt: NOW + 900 },
          { roomId: 'room-now-000001', expiresAt: NOW },
        ],
        NOW,
      ),
    ).toEqual(['room-soon-00001', 'room-later-0001']);
  });

  test('drops malformed room ids (they could never be joined) and caps the claim at the authorizer limit', () => {
    const grants = Array.from({ length: 30 }, (_, i) => ({
      roomId: `room-${String(i).padStart(8, '0')}`,
      expiresAt: NOW + 60 + i,
    }));
    expect(roomsClaim([...grants, { roomId: 'jane.doe@example.com', expiresAt: NOW + 10 }], NOW)).toEqual(
      grants.slice(0, MAX_ROOMS_IN_CLAIM).map((g) => g.roomId),
    );
  });
});

describe('pre-token trigger against DynamoDB Local', () => {
  let dynamo: LocalDynamo;
  let store: DynamoRoomGrantStore;
  beforeAll(async () => {
    dynamo = await openLocalTable();
    store = new DynamoRoomGrantStore(dynamo.tableName, dynamo.client);
  });
  afterAll(() => dynamo.stop());

  const event = (sub: string) =>
    ({
      version: '2',
      triggerSource: 'TokenGeneration_Authentication',
      request: { userAttributes: { sub }, groupConfiguration: {}, scopes: [] },
      response: { claimsAndScopeOverrideDetails: null },
    }) as unknown as PreTokenGenerationV2TriggerEvent;

  test('adds the rooms the backend granted to both tokens', async () => {
    await store.putGrant(SUB, { roomId: 'visit-room-0001', expiresAt: NOW + 3600 });
    await store.putGrant(SUB, { roomId: 'visit-room-0002', expiresAt: NOW - 60 });
    await store.putGrant('5b1d7a4e-0c2f-4e8a-9d3b-2f6c8e1a7b90', { roomId: 'visit-room-0003', expiresAt: NOW + 3600 });
    const result = await preTokenHandler({ grants: () => store, nowMs: () => NOW * 1000 })(event(SUB));
    const details = result.response.claimsAndScopeOverrideDetails!;
    expect(details.idTokenGeneration!.claimsToAddOrOverride).toEqual({ rooms: ['visit-room-0001'] });
    expect(details.accessTokenGeneration!.claimsToAddOrOverride).toEqual({ rooms: ['visit-room-0001'] });
  });

  test('a subject without grants gets an empty claim, never a stale one', async () => {
    const result = await preTokenHandler({ grants: () => store, nowMs: () => NOW * 1000 })(
      event('7c9e6679-7425-40de-944b-e07fc1f90ae7'),
    );
    expect(result.response.claimsAndScopeOverrideDetails!.idTokenGeneration!.claimsToAddOrOverride).toEqual({
      rooms: [],
    });
  });

  test('the backend reference refuses PHI-like ids', async () => {
    await expect(store.putGrant('jane.doe@example.com', { roomId: 'visit-room-0009', expiresAt: NOW })).rejects.toThrow(
      /opaque/,
    );
    await expect(store.putGrant(SUB, { roomId: 'Jane Doe', expiresAt: NOW })).rejects.toThrow(/opaque/);
  });

  test("grants follow the authorizer's subject rules: a name-like id passing the old pattern is refused", async () => {
    // 'jane_doe_smith' is 8-128 characters of [A-Za-z0-9_-], which the earlier, looser check accepted.
    await expect(store.putGrant('jane_doe_smith', { roomId: 'visit-room-0010', expiresAt: NOW + 60 })).rejects.toThrow(
      /opaque/,
    );
    expect(await store.grantsFor('jane_doe_smith')).toEqual([]);
  });
});
