/** `$default`: every frame that matched no route gets an error and changes nothing. */
import { messageRoute, type RouteResponse, type WebSocketEvent } from '../../lib/signaling/routes';
import { routeDeps } from './compose';

// Neither rooms nor TURN: $default can only answer with an error.
const deps = routeDeps();

export const handler = (event: WebSocketEvent): Promise<RouteResponse> => messageRoute(deps, event, []);
