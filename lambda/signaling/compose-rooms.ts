/** Room state and delivery from the environment: SIGNALING_ENV.rooms (lib/signaling/environment.ts). */
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
