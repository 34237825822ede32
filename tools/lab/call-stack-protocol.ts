/** Messages between the e2e test and the call stack running in the client namespace. */
import type { TokenSource } from '../../lib/signaling/protocol';

export type StackRequest =
  | {
      type: 'token';
      sub: string;
      rooms: string[];
      expiresIn: number;
      /** Which harness's issuer signs it: the default (query) one or the protocol-header one. */
      tokenSource?: TokenSource;
    }
  | { type: 'expired-ice-servers' };

export interface StackReady {
  pageUrl: string;
  signalingUrl: string;
  /** A second harness, same relay, with tokenSource 'protocol-header' (tokens only in Sec-WebSocket-Protocol). */
  headerSignalingUrl: string;
}

export interface IceServer {
  urls: readonly string[];
  username: string;
  credential: string;
}
