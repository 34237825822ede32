import { ALLOWED_ACCESS_LOG_VARIABLES, disallowedAccessLogVariables } from '../../lib/compliance/access-log-variables';
import { SIGNALING_ACCESS_LOG_FIELDS } from '../../lib/constructs/signaling-websocket-api';

describe('disallowedAccessLogVariables', () => {
  test("the signaling stage's format logs only allow-listed variables", () => {
    expect(disallowedAccessLogVariables(JSON.stringify(SIGNALING_ACCESS_LOG_FIELDS))).toEqual([]);
  });

  test('names every variable outside the allow-list once, in order, with its full path', () => {
    const format =
      '{"ip":"$context.identity.sourceIp","sub":"$context.authorizer.claims.sub","again":"$context.identity.sourceIp",' +
      '"ok":"$context.requestId","body":"$input.body","q":"$request.querystring.token"}';
    expect(disallowedAccessLogVariables(format)).toEqual([
      '$context.identity.sourceIp',
      '$context.authorizer.claims.sub',
      '$input.body',
      '$request.querystring.token',
    ]);
  });

  test('an allowed prefix does not admit its children (authorizer.status is allowed, authorizer.status.x is not)', () => {
    expect(disallowedAccessLogVariables('$context.authorizer.status.x')).toEqual(['$context.authorizer.status.x']);
    expect(disallowedAccessLogVariables('$context.authorizer')).toEqual(['$context.authorizer']);
  });

  test('text around variables (CLF style, trailing punctuation) is not part of them', () => {
    expect(
      disallowedAccessLogVariables('$context.requestId [$context.requestTime] "$context.routeKey" $context.status.'),
    ).toEqual([]);
  });

  test('the allow-list holds no identity, claim, header, path or body variable', () => {
    for (const variable of ALLOWED_ACCESS_LOG_VARIABLES) {
      expect(variable).toMatch(/^\$context\./);
      expect(variable).not.toMatch(/identity|claims|principalId|header|querystring|path|body|userAgent|sourceIp/i);
    }
  });
});
