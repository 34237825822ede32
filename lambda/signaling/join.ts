/** `join`: enters a room the token grants, within the size cap. */
import { messageRoute, type RouteResponse, type WebSocketEvent } from '../../lib/signaling/routes';
import { routeDeps } from './compose';
import { limiterFromEnv } from './compose-limiter';
import { roomsFromEnv } from './compose-rooms';

const deps = routeDeps({ rooms: roomsFromEnv(), limiter: limiterFromEnv() });

export const handler = (event: WebSocketEvent): Promise<RouteResponse> => messageRoute(deps, event, ['join']);
