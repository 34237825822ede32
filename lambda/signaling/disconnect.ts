/** `$disconnect`: best-effort cleanup (TTL and 410 eviction cover what this misses). */
import { disconnectRoute, type RouteResponse, type WebSocketEvent } from '../../lib/signaling/routes';
import { routeDeps } from './compose';
import { roomsFromEnv } from './compose-rooms';

const deps = routeDeps({ rooms: roomsFromEnv() });

export const handler = (event: WebSocketEvent): Promise<RouteResponse> => disconnectRoute(deps, event);
