/** `ice-servers`: short-lived TURN credentials for the relay fleet. */
import { messageRoute, type RouteResponse, type WebSocketEvent } from '../../lib/signaling/routes';
import { routeDeps } from './compose';
import { limiterFromEnv } from './compose-limiter';
import { turnFromEnv } from './compose-turn';

const deps = routeDeps({ turn: turnFromEnv(), limiter: limiterFromEnv() });

export const handler = (event: WebSocketEvent): Promise<RouteResponse> => messageRoute(deps, event, ['ice-servers']);
