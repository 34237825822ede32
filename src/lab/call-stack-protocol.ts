/** Messages between the e2e test and the call stack running in the network namespace. */
export type StackRequest =
  | { type: 'token'; id: number; sub: string; rooms: string[]; expiresIn: number }
  | { type: 'expired-ice-servers'; id: number }
  | { type: 'relay-log'; id: number }
  | { type: 'stop'; id: number };

export type StackReply =
  | { type: 'ready'; pageUrl: string; signalingUrl: string; coturnVersion: string; relayIp: string }
  | { type: 'failed'; message: string }
  | { type: 'token'; id: number; token: string }
  | {
      type: 'expired-ice-servers';
      id: number;
      iceServers: Array<{ urls: readonly string[]; username: string; credential: string }>;
    }
  | { type: 'relay-log'; id: number; log: string }
  | { type: 'error'; id: number; message: string };
