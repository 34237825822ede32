/** Messages between the e2e test and the call stack running in the network namespace. */
import type { TokenSource } from '../../lib/signaling/protocol';

export type StackRequest =
  | {
      type: 'token';
      id: number;
      sub: string;
      rooms: string[];
      expiresIn: number;
      /** Which harness's issuer signs it: the default (query) one or the protocol-header one. */
      tokenSource?: TokenSource;
    }
  | { type: 'expired-ice-servers'; id: number }
  | { type: 'relay-log'; id: number }
  | { type: 'stop'; id: number };

export type StackReply =
  | {
      type: 'ready';
      pageUrl: string;
      signalingUrl: string;
      /** A second harness, same relay, with tokenSource 'protocol-header' (tokens only in Sec-WebSocket-Protocol). */
      headerSignalingUrl: string;
      coturnVersion: string;
      relayIp: string;
    }
  | { type: 'failed'; message: string }
  | { type: 'token'; id: number; token: string }
  | {
      type: 'expired-ice-servers';
      id: number;
      iceServers: Array<{ urls: readonly string[]; username: string; credential: string }>;
    }
  | { type: 'relay-log'; id: number; log: string }
  | { type: 'error'; id: number; message: string };
