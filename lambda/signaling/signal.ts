/** `signal`: relays an offer, answer or candidate to a peer in the same room. */
import { messageRoute, type RouteResponse, type WebSocketEvent } from '../../lib/signaling/routes';
import { routeDeps } from './compose';
import { limiterFromEnv } from './compose-limiter';
import { roomsFromEnv } from './compose-rooms';

const deps = routeDeps({ rooms: roomsFromEnv(), limiter: limiterFromEnv() });

export const handler = (event: WebSocketEvent): Promise<RouteResponse> => messageRoute(deps, event, ['signal']);
