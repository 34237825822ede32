import { parseTurnUrl, turnUrlsOf } from '../../../tools/lab/deployed-path/turn-urls';

describe('parseTurnUrl', () => {
  test.each([
    [
      'turn:turn.example.org:3478?transport=udp',
      { host: 'turn.example.org', port: 3478, transport: 'udp', ipProtocol: 'udp' },
    ],
    ['turn:turn.example.org:3478?transport=tcp', { port: 3478, transport: 'tcp', ipProtocol: 'tcp' }],
    ['turns:turn.example.org:443?transport=tcp', { port: 443, transport: 'tls', ipProtocol: 'tcp' }],
    // RFC 7065 defaults: turn: is UDP on 3478, turns: is TLS on 5349.
    ['turn:relay.test', { port: 3478, transport: 'udp' }],
    ['turns:relay.test', { port: 5349, transport: 'tls' }],
  ])('%s', (url, expected) => {
    expect(parseTurnUrl(url)).toMatchObject({ url, ...expected });
  });

  test('refuses what is not a TURN URL, and DTLS', () => {
    expect(() => parseTurnUrl('stun:turn.example.org')).toThrow(/is not turn:/);
    expect(() => parseTurnUrl('turns:turn.example.org:443?transport=udp')).toThrow(/DTLS/);
  });
});

describe('turnUrlsOf', () => {
  const fn = (urls: unknown) => ({
    Type: 'AWS::Lambda::Function',
    Properties: { Environment: { Variables: { TURN_URLS: urls } } },
  });

  test('the one TURN_URLS value of the template, split verbatim', () => {
    const template = {
      Resources: { A: fn('turn:a:3478?transport=udp,turns:a:443?transport=tcp'), B: { Type: 'AWS::SNS::Topic' } },
    };
    expect(turnUrlsOf(template)).toEqual(['turn:a:3478?transport=udp', 'turns:a:443?transport=tcp']);
  });

  test('fails closed on none, on two different values, and on a value that is not a literal', () => {
    expect(() => turnUrlsOf({ Resources: {} })).toThrow(/found 0/);
    expect(() => turnUrlsOf({ Resources: { A: fn('turn:a'), B: fn('turn:b') } })).toThrow(/found 2/);
    expect(() => turnUrlsOf({ Resources: { A: fn({ Ref: 'X' }) } })).toThrow(/not a literal/);
  });
});
