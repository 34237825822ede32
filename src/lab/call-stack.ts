/**
 * Starts the call stack (src/lab/call-stack-child.ts) inside the namespace and talks to it over IPC. Every
 * request and the start itself are bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { StackReply, StackRequest } from './call-stack-protocol';

type Ready = Extract<StackReply, { type: 'ready' }>;
type Payload<T extends StackRequest['type']> = Omit<Extract<StackRequest, { type: T }>, 'type' | 'id'>;

export interface CallStack extends Ready {
  token(options: Payload<'token'>): Promise<string>;
  expiredIceServers(): Promise<Extract<StackReply, { type: 'expired-ice-servers' }>['iceServers']>;
  relayLog(): Promise<string>;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '../..');

export async function startCallStack(
  netns: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<CallStack> {
  const child: ChildProcess = spawn(
    'ip',
    ['netns', 'exec', netns, process.execPath, '--import', 'tsx', path.join(ROOT, 'src/lab/call-stack-child.ts')],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));

  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`call stack not ready in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    child.on('message', (message: StackReply) => {
      if (message.type === 'ready') resolve(message);
      if (message.type === 'failed') reject(new Error(`call stack failed:\n${message.message}\n${output}`));
      if (message.type === 'ready' || message.type === 'failed') clearTimeout(timer);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`call stack exited (${code}) before it was ready:\n${output}`));
    });
  });

  let nextId = 1;
  function request<T extends StackReply['type']>(message: Omit<StackRequest, 'id'>, expect: T) {
    const id = nextId++;
    return new Promise<Extract<StackReply, { type: T }>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${expect} reply in 10 s`)), 10_000);
      const listener = (reply: StackReply) => {
        if (!('id' in reply) || reply.id !== id) return;
        clearTimeout(timer);
        child.off('message', listener);
        if (reply.type === 'error') reject(new Error(reply.message));
        else resolve(reply as Extract<StackReply, { type: T }>);
      };
      child.on('message', listener);
      child.send({ ...message, id });
    });
  }

  return {
    ...ready,
    token: async (options) => (await request({ type: 'token', ...options } as StackRequest, 'token')).token,
    expiredIceServers: async () =>
      (await request({ type: 'expired-ice-servers' } as StackRequest, 'expired-ice-servers')).iceServers,
    relayLog: async () => (await request({ type: 'relay-log' } as StackRequest, 'relay-log')).log,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'stop', id: 0 });
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
