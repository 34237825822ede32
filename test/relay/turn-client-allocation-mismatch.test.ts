/**
 * The test TURN client's one retry: a 437 (Allocation Mismatch) to the unauthenticated Allocate means the server
 * still holds an allocation on this 5-tuple, so the client tries once more from a new source port (RFC 8656 7.4).
 * A scripted UDP server on loopback stands in for coturn, which cannot be made to answer 437 on demand.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import {
  Attr,
  MessageClass,
  Method,
  decodeMessage,
  encodeMessage,
  type Attribute,
} from '../../tools/lab/coturn/stun-message';
import { TurnClient } from '../../tools/lab/coturn/turn-client';

const errorAttribute = (code: number, reason: string): Attribute => ({
  type: Attr.ErrorCode,
  value: Buffer.concat([Buffer.from([0, 0, Math.floor(code / 100), code % 100]), Buffer.from(reason, 'utf8')]),
});

/** Answers every Allocate with `answer(port)`: the error code for that request's source port. */
async function scriptedServer(answer: (sourcePort: number) => number) {
  const sourcePorts: number[] = [];
  const socket: Socket = createSocket('udp4');
  socket.on('message', (raw: Buffer, from: RemoteInfo) => {
    const request = decodeMessage(raw);
    if (!request || request.method !== Method.Allocate || request.cls !== MessageClass.Request) return;
    sourcePorts.push(from.port);
    const code = answer(from.port);
    const attributes = [errorAttribute(code, 'scripted')];
    if (code === 401) {
      attributes.push({ type: Attr.Realm, value: Buffer.from('scripted.test') });
      attributes.push({ type: Attr.Nonce, value: Buffer.from('0123456789abcdef') });
    }
    socket.send(
      encodeMessage(Method.Allocate, MessageClass.Error, request.transactionId, attributes),
      from.port,
      from.address,
    );
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: (socket.address() as AddressInfo).port,
    sourcePorts,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

test('a 437 to the first Allocate is retried once from a new source port, then the handshake goes on', async () => {
  let firstPort: number | undefined;
  // 437 to the first port seen; then the 401 challenge; the signed Allocate gets 403, which ends the handshake.
  const server = await scriptedServer((port) => {
    firstPort ??= port;
    if (port === firstPort) return 437;
    return server.sourcePorts.filter((p) => p === port).length === 1 ? 401 : 403;
  });
  const client = new TurnClient({ host: '127.0.0.1', port: server.port }, 'user', 'password');
  try {
    const result = await client.allocate();
    expect(result).toMatchObject({ ok: false, code: 403 });
    expect(server.sourcePorts).toHaveLength(3);
    expect(server.sourcePorts[1]).not.toBe(server.sourcePorts[0]);
    expect(server.sourcePorts[2]).toBe(server.sourcePorts[1]);
  } finally {
    await client.close();
    await server.close();
  }
});

test('a server that answers 437 again is not retried a second time: the allocation fails with 437', async () => {
  const server = await scriptedServer(() => 437);
  const client = new TurnClient({ host: '127.0.0.1', port: server.port }, 'user', 'password');
  try {
    expect(await client.allocate()).toMatchObject({ ok: false, code: 437 });
    expect(server.sourcePorts).toHaveLength(2);
  } finally {
    await client.close();
    await server.close();
  }
});
