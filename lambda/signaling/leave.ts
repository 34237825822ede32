/** `leave`: leaves the current room. */
import { messageRoute, type RouteResponse, type WebSocketEvent } from '../../lib/signaling/routes';
import { routeDeps } from './compose';
import { roomsFromEnv } from './compose-rooms';

const deps = routeDeps({ rooms: roomsFromEnv() });

export const handler = (event: WebSocketEvent): Promise<RouteResponse> => messageRoute(deps, event, ['leave']);
