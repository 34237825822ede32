import { createHash } from 'node:crypto';
import {
  Attr,
  MessageClass,
  Method,
  attr,
  decodeMessage,
  decodeXorAddress,
  encodeMessage,
  errorCode,
  getAttribute,
  longTermKey,
  verifyFingerprint,
  verifyIntegrity,
  xorAddress,
} from '../../tools/lab/coturn/stun-message';

// RFC 5769 2.2 "Sample IPv4 Response" (short-term credential: the HMAC key is the password itself).
const RFC5769_IPV4_RESPONSE = Buffer.from(
  '0101003c2112a442b7e7a701bc34d686fa87dfae' +
    '8022000b7465737420766563746f7220' +
    '002000080001a147e112a643' +
    '000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7' +
    '80280004c07d4c96',
  'hex',
);

describe('RFC 5769 test vector', () => {
  const message = decodeMessage(RFC5769_IPV4_RESPONSE)!;

  test('decodes a Binding success response', () => {
    expect(message.method).toBe(Method.Binding);
    expect(message.cls).toBe(MessageClass.Success);
  });

  test('XOR-MAPPED-ADDRESS is 192.0.2.1:32853', () => {
    expect(decodeXorAddress(getAttribute(message, Attr.XorMappedAddress)!, message.transactionId)).toEqual({
      ip: '192.0.2.1',
      port: 32853,
    });
  });

  test('MESSAGE-INTEGRITY and FINGERPRINT verify, and fail with the wrong key', () => {
    expect(verifyIntegrity(message, Buffer.from('VOkJxbRl1RmTxUk/WvJxBt'))).toBe(true);
    expect(verifyIntegrity(message, Buffer.from('VOkJxbRl1RmTxUk/WvJxBT'))).toBe(false);
    expect(verifyFingerprint(message)).toBe(true);
  });
});

describe('encode/decode round trip', () => {
  const id = Buffer.from('000102030405060708090a0b', 'hex');
  const key = longTermKey('1800000000:abc', 'realm.test', 'pw');

  test('long-term key is MD5(username:realm:password)', () => {
    expect(key).toEqual(createHash('md5').update('1800000000:abc:realm.test:pw').digest());
  });

  test('a signed, fingerprinted request verifies; one flipped byte breaks both checks', () => {
    const bytes = encodeMessage(Method.Allocate, MessageClass.Request, id, [attr.requestedTransport()], {
      integrityKey: key,
      fingerprint: true,
    });
    const decoded = decodeMessage(bytes)!;
    expect(verifyIntegrity(decoded, key)).toBe(true);
    expect(verifyFingerprint(decoded)).toBe(true);
    const tampered = Buffer.from(bytes);
    tampered[24] ^= 1; // inside REQUESTED-TRANSPORT
    const bad = decodeMessage(tampered)!;
    expect(verifyIntegrity(bad, key)).toBe(false);
    expect(verifyFingerprint(bad)).toBe(false);
  });

  test.each(['203.0.113.10', '::ffff:127.0.0.1', '64:ff9b::a9fe:a9fe', '2001:db8::10'])(
    'XOR-PEER-ADDRESS %s survives the round trip',
    (ip) => {
      const decoded = decodeXorAddress(xorAddress(ip, 3478, id), id);
      expect(decoded.port).toBe(3478);
      expect(decoded.ip).toBe(ip.startsWith('::ffff:') ? '::ffff:7f00:1' : ip);
    },
  );

  test('ERROR-CODE is read as class*100+number', () => {
    const value = Buffer.concat([Buffer.from([0, 0, 4, 3]), Buffer.from('Forbidden IP')]);
    const bytes = encodeMessage(Method.CreatePermission, MessageClass.Error, id, [{ type: Attr.ErrorCode, value }]);
    expect(errorCode(decodeMessage(bytes)!)).toEqual({ code: 403, reason: 'Forbidden IP' });
  });

  test('garbage is not a STUN message', () => {
    expect(decodeMessage(Buffer.from('hello world, this is not stun'))).toBeUndefined();
  });
});
