import { MAX_FRAME_BYTES, parseClientFrame } from '../../lib/signaling/messages';

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
    const atLimit = JSON.stringify({ action: 'signal', to: 'abc', kind: 'offer', payload: '' });
    const filler = MAX_FRAME_BYTES - Buffer.byteLength(atLimit);
    const ascii = JSON.stringify({ action: 'signal', to: 'abc', kind: 'offer', payload: 'a'.repeat(filler) });
    expect(Buffer.byteLength(ascii)).toBe(MAX_FRAME_BYTES);
    expect(parseClientFrame(ascii, GW).ok).toBe(true);
    // Same character count, but two bytes per character: over the limit.
    const multibyte = JSON.stringify({ action: 'signal', to: 'abc', kind: 'offer', payload: 'é'.repeat(filler) });
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
