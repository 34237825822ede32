/** Room state and delivery from the environment: TABLE_NAME, CALLBACK_URL, MAX_ROOM_SIZE, CONNECTION_TTL_SECONDS. */
import { DynamoConnectionStore } from '../../lib/signaling/connection-store';
import { ApiGatewayMessenger } from '../../lib/signaling/delivery';
import { RoomService } from '../../lib/signaling/rooms';
import { readRoomSettings } from '../../lib/signaling/settings';
import { once } from './compose';
import { tableClient } from './compose-table';

export function roomsFromEnv(env: NodeJS.ProcessEnv = process.env): () => RoomService {
  return once(() => {
    const settings = readRoomSettings(env);
    return new RoomService(
      new DynamoConnectionStore({ tableName: settings.tableName, client: tableClient() }),
      new ApiGatewayMessenger(settings.callbackUrl),
      settings,
    );
  });
}
