/**
 * Starts the call stack (tools/lab/call-stack-child.ts: signaling harnesses and pages) inside the client namespace and
 * talks to it over IPC; the relay's version and log come from the relay process (tools/lab/relay-child.ts).
 */
import type { IceServer, StackReady, StackRequest } from './call-stack-protocol';
import { startLabChild, type LabChild } from './lab-child';

type Payload<T extends StackRequest['type']> = Omit<Extract<StackRequest, { type: T }>, 'type'>;

export interface CallStack extends StackReady {
  readonly coturnVersion: string;
  readonly relayIp: string;
  token(options: Payload<'token'>): Promise<string>;
  expiredIceServers(): Promise<IceServer[]>;
  relayLog(): Promise<string>;
  stop(): Promise<void>;
}

export interface RelayProcess {
  readonly child: LabChild<{ coturnVersion: string }>;
  readonly relayIp: string;
}

export async function startCallStack(
  netns: string,
  env: { HRTC_TURN_URLS: string; HRTC_TURN_SECRET: string },
  relay: RelayProcess,
): Promise<CallStack> {
  const child = await startLabChild<StackReady>(netns, 'tools/lab/call-stack-child.ts', env);
  return {
    pageUrl: child.ready.pageUrl,
    signalingUrl: child.ready.signalingUrl,
    headerSignalingUrl: child.ready.headerSignalingUrl,
    coturnVersion: relay.child.ready.coturnVersion,
    relayIp: relay.relayIp,
    token: async (options) =>
      (await child.request<{ type: 'token'; token: string }>({ type: 'token', ...options }, 'token')).token,
    expiredIceServers: async () =>
      (
        await child.request<{ type: 'expired-ice-servers'; iceServers: IceServer[] }>(
          { type: 'expired-ice-servers' },
          'expired-ice-servers',
        )
      ).iceServers,
    relayLog: async () =>
      (await relay.child.request<{ type: 'relay-log'; log: string }>({ type: 'relay-log' }, 'relay-log')).log,
    stop: () => child.stop(),
  };
}
