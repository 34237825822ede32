/** `$connect` REQUEST authorizer: verifies the JWT and returns a policy for exactly this connect request. */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { authorizerRoute } from '../../lib/signaling/routes';
import { authorizerDepsFromEnv } from './compose-auth';

const deps = authorizerDepsFromEnv();

export const handler = (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> =>
  authorizerRoute(deps, event);
