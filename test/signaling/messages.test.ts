import { MAX_FRAME_BYTES, PAYLOAD_LIMITS, parseClientFrame } from '../../lib/signaling/messages';

const GW = 'gw-request-1';

function error(raw: string | undefined) {
  const result = parseClientFrame(raw, GW);
  if (result.ok) throw new Error('expected an error');
  return result.error;
}

describe('parseClientFrame', () => {
  test.each([
    ['join', { action: 'join', roomId: 'room-0123456789' }],
    [
      'signal offer',
      { action: 'signal', to: 'L0SM9cOFvHcCIhw=', kind: 'offer', payload: { type: 'offer', sdp: 'v=0' } },
    ],
    [
      'signal candidate string',
      { action: 'signal', to: 'abc', kind: 'candidate', payload: 'candidate:1 1 udp 1 192.0.2.1 1 typ host' },
    ],
    ['leave', { action: 'leave' }],
    ['ice-servers', { action: 'ice-servers', ttlSeconds: 300 }],
  ])('accepts %s', (_name, frame) => {
    const result = parseClientFrame(JSON.stringify(frame), GW);
    expect(result).toEqual({ ok: true, message: frame });
  });

  test.each([
    ['empty', '', 'bad-json'],
    ['undefined', undefined, 'bad-json'],
    ['not JSON', '{oops', 'bad-json'],
    ['an array', '[1,2]', 'bad-json'],
    ['a string', '"join"', 'bad-json'],
    ['no action', '{"roomId":"room-0123456789"}', 'unknown-action'],
    ['unknown action', '{"action":"dance"}', 'unknown-action'],
    ['non-string action', '{"action":7}', 'unknown-action'],
    ['join without room', '{"action":"join"}', 'invalid-message'],
    ['room id with an e-mail', '{"action":"join","roomId":"jane@example.com"}', 'invalid-message'],
    ['signal with a bad kind', '{"action":"signal","to":"abc","kind":"bye","payload":"x"}', 'invalid-message'],
    ['signal without payload', '{"action":"signal","to":"abc","kind":"offer"}', 'invalid-message'],
    ['unknown field', '{"action":"leave","from":"someone-else"}', 'invalid-message'],
    ['ttl as a string', '{"action":"ice-servers","ttlSeconds":"9999"}', 'invalid-message'],
  ])('answers %s with %s', (_name, raw, code) => {
    expect(error(raw as string | undefined)).toMatchObject({ type: 'error', code, requestId: GW });
  });

  test('echoes a well-formed client requestId, and ignores a malformed one', () => {
    expect(error('{"action":"dance","requestId":"abc-1"}').requestId).toBe('abc-1');
    expect(error('{"action":"dance","requestId":"<script>"}').requestId).toBe(GW);
  });

  test('measures the limit in bytes, not characters', () => {
    // Two strings, each within the per-string limit (PAYLOAD_LIMITS), together filling the frame.
    const frame = (a: string, b: string) =>
      JSON.stringify({ action: 'signal', to: 'abc', kind: 'offer', payload: { a, b } });
    const filler = MAX_FRAME_BYTES - Buffer.byteLength(frame('', ''));
    const half = Math.floor(filler / 2);
    const ascii = frame('a'.repeat(half), 'a'.repeat(filler - half));
    expect(Buffer.byteLength(ascii)).toBe(MAX_FRAME_BYTES);
    expect(parseClientFrame(ascii, GW).ok).toBe(true);
    // Same character count, but two bytes per character: over the limit.
    const multibyte = frame('é'.repeat(half), 'é'.repeat(filler - half));
    expect(error(multibyte).code).toBe('payload-too-large');
  });

  test('error messages never quote the offending values', () => {
    const sdp = 'v=0 o=- 1 2 IN IP4 198.51.100.7';
    const invalid = error(JSON.stringify({ action: 'signal', to: sdp, kind: 'offer', payload: sdp }));
    expect(JSON.stringify(invalid)).not.toContain('198.51.100.7');
    const bad = error(`{"action":"signal","payload":"${sdp}"`);
    expect(JSON.stringify(bad)).not.toContain('198.51.100.7');
  });

  test('never throws on hostile input', () => {
    const inputs = [
      '{"action":"join","roomId":{"__proto__":{}}}',
      '{"__proto__":{"action":"join"}}',
      'null',
      '0',
      '\u0000',
      '{'.repeat(10_000),
    ];
    for (const raw of inputs) expect(() => parseClientFrame(raw, GW)).not.toThrow();
  });
});

describe('signal payload structure limits (refused up front, never an internal error at delivery)', () => {
  const signal = (payload: unknown) => JSON.stringify({ action: 'signal', to: 'abc', kind: 'candidate', payload });
  /** `{"a":[[[...1...]]]}`: about 2 bytes a level, so 5,000 levels fit in 10 KB, under the frame limit. */
  const nested = (levels: number) =>
    `{"action":"signal","to":"abc","kind":"candidate","payload":{"a":${'['.repeat(levels - 1)}1${']'.repeat(levels - 1)}}}`;

  test('a payload 5,000 levels deep (10 KB) is invalid-message naming the depth limit', () => {
    const raw = nested(5000);
    expect(Buffer.byteLength(raw)).toBeLessThan(MAX_FRAME_BYTES);
    expect(error(raw)).toEqual({
      type: 'error',
      code: 'invalid-message',
      message: `Invalid signal message: payload: nests deeper than ${PAYLOAD_LIMITS.maxDepth} levels`,
      requestId: GW,
    });
  });

  test('depth: exactly the limit passes, one more is refused', () => {
    expect(parseClientFrame(nested(PAYLOAD_LIMITS.maxDepth), GW).ok).toBe(true);
    expect(error(nested(PAYLOAD_LIMITS.maxDepth + 1)).message).toMatch(/nests deeper than 8 levels/);
  });

  test('keys: a payload with more keys and items than the limit is refused', () => {
    const wide = Object.fromEntries(Array.from({ length: PAYLOAD_LIMITS.maxEntries + 1 }, (_, i) => [`k${i}`, 1]));
    expect(error(signal(wide)).message).toMatch(/payload: has more than 256 keys and items/);
    const items = { list: Array.from({ length: PAYLOAD_LIMITS.maxEntries }, () => 0) };
    expect(error(signal(items)).message).toMatch(/more than 256 keys and items/);
  });

  test('string size: a string or a key over its limit is refused, in an object or as the payload itself', () => {
    const long = 'a'.repeat(PAYLOAD_LIMITS.maxStringLength + 1);
    expect(error(signal({ sdp: long })).message).toMatch(/payload: has a string longer than 24576 characters/);
    expect(error(signal(long)).message).toMatch(/has a string longer than 24576 characters/);
    expect(error(signal({ ['k'.repeat(129)]: 1 })).message).toMatch(/has a key longer than 128 characters/);
  });

  test('real payloads pass: an SDP offer of 15 KB and an ICE candidate object', () => {
    const sdp = `v=0\r\n${'a=rtpmap:96 VP8/90000\r\n'.repeat(600)}`.slice(0, 15_000);
    expect(parseClientFrame(signal({ type: 'offer', sdp }), GW).ok).toBe(true);
    const candidate = {
      candidate: 'candidate:1 1 udp 1 192.0.2.1 1 typ host',
      sdpMid: '0',
      sdpMLineIndex: 0,
      usernameFragment: 'abcd',
    };
    expect(parseClientFrame(signal(candidate), GW).ok).toBe(true);
  });
});
