/**
 * A lab process inside one of the lab's network namespaces (`ip netns exec`), spoken to over IPC: it sends
 * {type: 'ready', ...} or {type: 'failed', message} once, then answers requests by id. The start, every request and
 * the stop are bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface ChildRequest {
  readonly type: string;
  readonly [key: string]: unknown;
}
export interface ChildReply {
  readonly type: string;
  readonly id?: number;
  readonly message?: string;
  readonly [key: string]: unknown;
}

export interface LabChild<Ready> {
  readonly ready: Ready;
  request<R extends ChildReply>(message: ChildRequest, expect: R['type'], timeoutMs?: number): Promise<R>;
  /** What the process wrote to stdout and stderr. */
  output(): string;
  stop(): Promise<void>;
}

export async function startLabChild<Ready>(
  netns: string,
  script: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<LabChild<Ready>> {
  const child: ChildProcess = spawn(
    'ip',
    ['netns', 'exec', netns, process.execPath, '--import', 'tsx', path.join(ROOT, script)],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (child.connected) child.send({ type: 'stop', id: 0 });
    else child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };

  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} not ready in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    child.on('message', (message: ChildReply) => {
      if (message.type === 'ready') resolve(message as unknown as Ready);
      if (message.type === 'failed') reject(new Error(`${script} failed:\n${message.message}\n${output}`));
      if (message.type === 'ready' || message.type === 'failed') clearTimeout(timer);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}) before it was ready:\n${output}`));
    });
  }).catch(async (error: Error) => {
    await stop();
    throw error;
  });

  let nextId = 1;
  function request<R extends ChildReply>(message: ChildRequest, expect: R['type'], requestTimeoutMs = 10_000) {
    const id = nextId++;
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${expect} reply from ${script} in ${requestTimeoutMs} ms`)),
        requestTimeoutMs,
      );
      const listener = (reply: ChildReply) => {
        if (reply.id !== id) return;
        clearTimeout(timer);
        child.off('message', listener);
        if (reply.type === 'error') reject(new Error(reply.message));
        else resolve(reply as R);
      };
      child.on('message', listener);
      child.send({ ...message, id });
    });
  }
  return { ready, request, output: () => output, stop };
}

/** The child side: answers requests with `handle`, stops with `stop` on request or when the parent goes away. */
export function serveLabChild(
  handle: (request: ChildRequest & { id: number }) => Promise<ChildReply | undefined>,
  stop: () => Promise<void>,
): void {
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('disconnect', () => void shutdown());
  process.on('message', (raw) => {
    const request = raw as ChildRequest & { id: number };
    void (async () => {
      if (request.type === 'stop') return shutdown();
      try {
        const reply = await handle(request);
        if (reply) process.send?.({ ...reply, id: request.id });
      } catch (error) {
        process.send?.({ type: 'error', id: request.id, message: (error as Error).message });
      }
    })();
  });
}

export function replyReady(ready: Record<string, unknown>): void {
  process.send?.({ type: 'ready', ...ready });
}

export function replyFailed(error: Error): never {
  process.send?.({ type: 'failed', message: error.stack ?? error.message });
  process.exit(1);
}
