/**
 * The Lambda entry modules themselves (what NodejsFunction bundles): they import cleanly, read settings lazily, and
 * answer without any AWS call for the paths that need none.
 */
import './silence-powertools';
import { handler as authorizer } from '../../lambda/signaling/authorizer';
import { handler as defaultRoute } from '../../lambda/signaling/default';
import { handler as iceServers } from '../../lambda/signaling/ice-servers';

const event = (routeKey: string, body: string) => ({
  requestContext: {
    connectionId: 'abc=',
    requestId: 'gw-1',
    routeKey,
    authorizer: { sub: 'x', rooms: '', exp: Math.floor(Date.now() / 1000) + 600 },
  },
  body,
});

test('$default answers with an error and touches nothing', async () => {
  const response = await defaultRoute(event('$default', '{"action":"dance","requestId":"r1"}'));
  expect(JSON.parse(response.body ?? '')).toMatchObject({ type: 'error', code: 'unknown-action', requestId: 'r1' });
});

test('the authorizer fails closed: without settings or a token it throws Unauthorized (401)', async () => {
  await expect(
    authorizer({ methodArn: 'arn:aws:execute-api:us-east-1:111111111111:a/live/$connect' } as never),
  ).rejects.toThrow(/^Unauthorized$/);
});

test('a handler without its settings answers with an error frame, not a crash', async () => {
  delete process.env.TURN_SECRET_ARN;
  const response = await iceServers(event('ice-servers', '{"action":"ice-servers"}'));
  expect(JSON.parse(response.body ?? '')).toMatchObject({ type: 'error', code: 'internal' });
});
