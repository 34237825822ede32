/**
 * How the test TURN client reaches the server: UDP datagrams, or a TCP/TLS stream on which STUN messages follow each
 * other with no extra framing (RFC 8489 6.2.2, RFC 8656 3.1). Streams carry no retransmissions.
 */
import { createSocket } from 'node:dgram';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export interface StunTransport {
  /** Streams are reliable: a request is sent once. */
  readonly reliable: boolean;
  send(bytes: Buffer): void;
  onMessage(handler: (raw: Buffer) => void): void;
  /** The connection error, if any (e.g. a TLS certificate the client refused). */
  error(): Error | undefined;
  close(): Promise<void>;
}

export interface ServerAddress {
  readonly host: string;
  readonly port: number;
}

export function udpTransport(server: ServerAddress): StunTransport {
  const socket = createSocket(server.host.includes(':') ? 'udp6' : 'udp4');
  return {
    reliable: false,
    send: (bytes) => socket.send(bytes, server.port, server.host),
    onMessage: (handler) => socket.on('message', (raw) => handler(raw)),
    error: () => undefined,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

/** Splits a byte stream into STUN messages (20-byte header + length) and ChannelData (4 bytes + padded length). */
export function splitFrames(buffer: Buffer): { frames: Buffer[]; rest: Buffer } {
  const frames: Buffer[] = [];
  let offset = 0;
  while (buffer.length - offset >= 4) {
    const isStun = (buffer[offset] & 0xc0) === 0;
    const length = buffer.readUInt16BE(offset + 2);
    const size = isStun ? 20 + length : 4 + Math.ceil(length / 4) * 4;
    if (buffer.length - offset < size) break;
    if (isStun) frames.push(buffer.subarray(offset, offset + size));
    offset += size;
  }
  return { frames, rest: buffer.subarray(offset) };
}

export interface TlsOptions {
  /** PEM of the certificate (or CA) to trust. */
  readonly ca: string;
  readonly servername: string;
}

export function streamTransport(server: ServerAddress, tls?: TlsOptions): StunTransport {
  const socket: Socket = tls
    ? tlsConnect({
        host: server.host,
        port: server.port,
        ca: tls.ca,
        servername: tls.servername,
        minVersion: 'TLSv1.2',
      })
    : tcpConnect({ host: server.host, port: server.port });
  let failure: Error | undefined;
  let pending: Buffer = Buffer.alloc(0);
  const handlers: ((raw: Buffer) => void)[] = [];
  socket.on('error', (error) => (failure = error));
  socket.on('data', (chunk: Buffer) => {
    const { frames, rest } = splitFrames(Buffer.concat([pending, chunk]));
    pending = rest;
    for (const frame of frames) handlers.forEach((h) => h(frame));
  });
  return {
    reliable: true,
    send: (bytes) => {
      if (!socket.destroyed) socket.write(bytes);
    },
    onMessage: (handler) => handlers.push(handler),
    error: () => failure,
    close: () =>
      new Promise((resolve) => {
        if (socket.destroyed) return resolve();
        socket.once('close', () => resolve());
        socket.end();
        setTimeout(() => socket.destroy(), 1000).unref();
      }),
  };
}
