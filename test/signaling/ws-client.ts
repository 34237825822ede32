/** A small promise-based WebSocket test client: every wait is bounded by a timeout. */
import { WebSocket } from 'ws';

export interface TestClient {
  readonly ws: WebSocket;
  send(frame: unknown): void;
  sendRaw(data: string): void;
  /** Resolves with the next message matching `predicate` (including ones already received). */
  next(predicate?: (message: any) => boolean, timeoutMs?: number): Promise<any>;
  /** Resolves true if no matching message arrives within `ms`. */
  silence(predicate: (message: any) => boolean, ms: number): Promise<boolean>;
  request(frame: Record<string, unknown>, timeoutMs?: number): Promise<any>;
  close(): Promise<void>;
  closed(timeoutMs?: number): Promise<number>;
}

let sequence = 0;

export function connect(url: string, options: { token?: string; protocols?: string[] } = {}): Promise<TestClient> {
  const target = options.token ? `${url}/?token=${encodeURIComponent(options.token)}` : url;
  const ws = new WebSocket(target, options.protocols ?? [], { handshakeTimeout: 5000 });
  const inbox: any[] = [];
  const waiters: { predicate: (message: any) => boolean; resolve: (message: any) => void }[] = [];
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString());
    const index = waiters.findIndex((waiter) => waiter.predicate(message));
    if (index >= 0) waiters.splice(index, 1)[0].resolve(message);
    else inbox.push(message);
  });
  // Errors surface through the promises below; a late one after terminate() must not crash the test run.
  ws.on('error', () => undefined);
  const closedCode = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));

  const client: TestClient = {
    ws,
    send: (frame) => ws.send(JSON.stringify(frame)),
    sendRaw: (data) => ws.send(data),
    next(predicate = () => true, timeoutMs = 3000) {
      const index = inbox.findIndex(predicate);
      if (index >= 0) return Promise.resolve(inbox.splice(index, 1)[0]);
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (message: any) => {
            clearTimeout(timer);
            resolve(message);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no matching message within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    async silence(predicate, ms) {
      try {
        await client.next(predicate, ms);
        return false;
      } catch {
        return true;
      }
    },
    request(frame, timeoutMs) {
      const requestId = `r${++sequence}`;
      client.send({ ...frame, requestId });
      return client.next((message) => message.requestId === requestId, timeoutMs);
    },
    async close() {
      if (ws.readyState === WebSocket.CLOSED) return;
      ws.close();
      await bounded(closedCode, 2000).catch(() => ws.terminate());
    },
    closed: (timeoutMs = 3000) => bounded(closedCode, timeoutMs),
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('connect timed out'));
    }, 5000);
    ws.once('open', () => {
      clearTimeout(timer);
      resolve(client);
    });
    ws.once('unexpected-response', (_request, response) => {
      clearTimeout(timer);
      ws.terminate();
      reject(
        Object.assign(new Error(`upgrade refused with ${response.statusCode}`), { statusCode: response.statusCode }),
      );
    });
    ws.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Resolves with the HTTP status of a refused upgrade; fails if the upgrade succeeds. */
export async function refusedStatus(
  url: string,
  options: { token?: string; protocols?: string[] } = {},
): Promise<number> {
  try {
    const client = await connect(url, options);
    await client.close();
  } catch (error) {
    return (error as { statusCode?: number }).statusCode ?? -1;
  }
  throw new Error('upgrade unexpectedly succeeded');
}

/** Rejects after `ms`, and clears its timer either way so no handle outlives the test. */
function bounded<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
